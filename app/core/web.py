"""Request plumbing shared by every page and API: language choice, idle timeout,
CSRF for forms, security headers."""
import secrets
from datetime import datetime, timezone

from flask import current_app, flash, g, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.extensions import csrf

# Scripts only from this origin or carrying this response's nonce (FAB's templates put
# csp_nonce() on their inline scripts). FAB's markup has style="" attributes, so inline
# styles stay allowed. No page may be framed.
CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


STATIC = "/static/"


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is refreshed on every response except static files': a
    stylesheet still loading when the user logs out would otherwise answer with the
    cookie it was requested with and log the user back in."""

    def should_set_cookie(self, app, session):
        if request.path.startswith(STATIC) and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def select_locale():
    """?_l_=xx, then for the API the Accept-Language header, then the session
    (set by the language switch and, at login, from the user's saved choice)."""
    languages = current_app.config["LANGUAGES"]
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    forced = request.args.get("_l_")
    if forced in languages:
        return forced
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(list(languages)) or \
            current_app.config["BABEL_DEFAULT_LOCALE"]
    return session.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]


def _enforce_idle_timeout():
    if request.path.startswith((STATIC, "/appbuilder/", "/api/")):
        return None
    if not current_user.is_authenticated:
        return None
    now = datetime.now(timezone.utc).timestamp()
    last = session.get("_last_seen")
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if last is not None and now - last > limit:
        locale = session.get("locale")
        logout_user()
        session.clear()
        if locale:
            session["locale"] = locale
        flash(_("You were logged out after %(n)d minutes without activity.",
                n=current_app.config["SESSION_IDLE_MINUTES"]), "warning")
        return redirect(current_app.appbuilder.get_url_for_login)
    session["_last_seen"] = now
    session.permanent = True
    return None


def _csrf_for_forms():
    # The API authenticates with a bearer JWT, not the session cookie's form posts.
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and \
            not request.path.startswith("/api/"):
        csrf.protect()


def _remember_language(response):
    """Persist a language switch on the user's staff profile, so it follows them to
    any computer; restore it into the session after login."""
    if request.endpoint == "LocaleView.index" and current_user.is_authenticated:
        from .i18n import save_language
        save_language(current_user, session.get("locale"))
    return response


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith(STATIC):
        return response  # cacheable (SEND_FILE_MAX_AGE_DEFAULT); no user to look up
    # Pages and API answers carry patient data: never kept by a browser, proxy or the
    # shared computer's disk cache, whether the caller used a session or a token.
    response.headers["Cache-Control"] = "no-store"
    return response


def _wtforms_translations():
    # Flask-WTF looks for WTForms' messages only in WTForms' own catalogues, which have
    # no Hindi; our catalogue carries them ("make translations" merges wtforms.pot).
    from flask_babel import get_translations
    return get_translations() if request else None


def _warn_without_hindi(app) -> None:
    """A server set up by hand may skip `pybabel compile`: say so at start-up, loudly,
    rather than serve English to a Hindi ward."""
    from pathlib import Path
    catalogue = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]) / "hi/LC_MESSAGES/messages.mo"
    if not catalogue.exists():
        app.logger.error("No compiled Hindi catalogue (%s): run `make setup` or `pybabel "
                         "compile -d translations`, or every screen is in English.", catalogue)


def init_app(app):
    import flask_wtf.i18n
    flask_wtf.i18n._get_translations = _wtforms_translations
    _warn_without_hindi(app)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.session_interface = _SessionInterface()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    from .models import in_user_language
    app.jinja_env.globals["in_user_language"] = in_user_language
    from .scoping import may
    app.jinja_env.globals["may"] = may
    from .formatting import clock, ist
    app.jinja_env.filters["ist"] = ist
    app.jinja_env.filters["clock"] = clock
    from .input_guard import guard_request
    from .sessions import end_stale_session
    app.before_request(guard_request)
    app.before_request(end_stale_session)
    app.before_request(_enforce_idle_timeout)
    app.before_request(_csrf_for_forms)
    app.after_request(_remember_language)
    app.after_request(_security_headers)


def install_locale_selector(app):
    """FAB's selector ignores Accept-Language; ours serves the API in the caller's language."""
    app.extensions["babel"].locale_selector = select_locale
