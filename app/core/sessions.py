"""Who stays logged in, and how fast anyone may guess passwords.

- Every web session and every JWT (access or refresh) carries the account's session
  generation from when it was issued. Changing the password, locking the account (by
  failed logins or authorisations), deactivating it and logging out bump the generation,
  so every older session and token of the account ends at its next request: a stolen
  cookie or token stops working, another browser is logged out.
- One throttle budget per client address and one per account name, shared by the web
  login, the API login and the supervisor's authorisation at the counter, kept where the
  rate limiter keeps its counts (Redis in production, so all workers and servers share it).
"""
from flask import current_app, flash, g, has_request_context, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

GENERATION = "_gen"  # session key and JWT claim


def generation(user) -> int:
    return user.session_generation or 0


def end_sessions(user) -> None:
    """Every session and token of the account issued so far ends (no commit)."""
    user.session_generation = generation(user) + 1


# --- throttle ----------------------------------------------------------------------------

def _limiter():
    state = current_app.extensions.get("hmis_throttle")
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if state is None or state[0] != uri:
        state = (uri, MovingWindowRateLimiter(storage_from_string(uri)))
        current_app.extensions["hmis_throttle"] = state
    return state[1]


def attempt_allowed(username: str | None) -> bool:
    """Count one password attempt against the client's address and the account name;
    False once either has used up its budget (HMIS_LOGIN_RATE_LIMIT each)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse(current_app.config["AUTH_RATE_LIMIT"])
    keys = [f"addr:{request.remote_addr if has_request_context() else 'cli'}"]
    if username:
        keys.append(f"user:{username.strip().lower()[:100]}")
    limiter = _limiter()
    allowed = [limiter.hit(limit, "hmis-password", key) for key in keys]
    return all(allowed)


# --- web sessions --------------------------------------------------------------------------

def remember_generation(user) -> None:
    """Called at login: the session belongs to the account's current generation."""
    if has_request_context():
        session[GENERATION] = generation(user)


def end_stale_session():
    """before_request: a session of an older generation (or of an account since locked
    or deactivated) is logged out."""
    if request.path.startswith("/static/") or not current_user.is_authenticated:
        return None
    sm = current_app.appbuilder.sm
    user = current_user
    if session.get(GENERATION) == generation(user) and user.is_active and not sm.is_locked(user):
        return None
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    g.pop("_hmis_user", None)
    if request.path.startswith("/api/"):
        from flask import jsonify
        return jsonify(message=_("Your session has ended. Please log in again.")), 401
    flash(_("Your session has ended (the password was changed, the account was locked or "
            "logged out elsewhere). Please log in again."), "warning")
    return redirect(current_app.appbuilder.get_url_for_login)


# --- JWTs ------------------------------------------------------------------------------------

def install_jwt_checks(jwt_manager, security_manager) -> None:
    """Tokens carry the generation; a token of an older generation, or of an account that
    is locked or inactive, is refused (401) like a forged one."""

    from .permissions import load_user

    @jwt_manager.additional_claims_loader
    def _claims(identity):
        user = load_user(identity)
        return {GENERATION: generation(user)} if user is not None else {}

    @jwt_manager.token_in_blocklist_loader
    def _revoked(_header, payload) -> bool:
        user = load_user(payload.get("sub"))
        return (user is None or not user.is_active or security_manager.is_locked(user)
                or payload.get(GENERATION) != generation(user))

    def _ended(*_args):
        from flask import jsonify
        return jsonify(message=_("Your session has ended. Please log in again.")), 401

    def _no_token(*_args):
        from flask import jsonify
        return jsonify(message=_("Please log in to continue.")), 401

    # A forged, malformed, expired or revoked token is "not logged in" (401), never
    # Flask-JWT-Extended's 422 for a token it cannot parse.
    jwt_manager.revoked_token_loader(_ended)
    jwt_manager.expired_token_loader(_ended)
    jwt_manager.user_lookup_error_loader(_ended)
    jwt_manager.invalid_token_loader(_no_token)
    jwt_manager.unauthorized_loader(_no_token)
    jwt_manager.needs_fresh_token_loader(_no_token)
