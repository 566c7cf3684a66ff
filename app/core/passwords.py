"""Password policy, enforced the same way in web forms, the API and the CLI:
at least 10 characters, not the username (nor containing it), not a common password.
"""
from functools import lru_cache
from pathlib import Path

from flask import g, has_request_context, request
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Translated reasons the password is refused; empty when it is acceptable."""
    password = password or ""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Password must be at least %(n)d characters long.", n=MIN_LENGTH))
    lowered = password.lower()
    if username and username.strip() and username.strip().lower() in lowered:
        problems.append(_("Password must not contain the username."))
    # Common passwords, also with digits or symbols merely appended ("password@123").
    stem = lowered.rstrip("0123456789!@#$%^&*.-_ ")
    if lowered in common_passwords() or (stem and stem in common_passwords()) \
            or len(set(lowered)) <= 2:
        problems.append(_("This password is too common. Choose one that is harder to guess."))
    return problems


def _username_from_request() -> str | None:
    """The account a password form is for: the username typed on an add-user form,
    the user picked for a reset, or the logged-in user changing their own."""
    if not has_request_context():
        return None
    if request.form.get("username"):
        return request.form["username"]
    pk = request.args.get("pk")
    from app.extensions import appbuilder
    if pk and str(pk).isdigit():
        user = appbuilder.sm.get_user_by_id(int(pk))
        if user is not None:
            return user.username
    user = g.get("user")
    return getattr(user, "username", None)


def fab_password_validator(password: str) -> None:
    """Hook for FAB's PasswordComplexityValidator (FAB_PASSWORD_COMPLEXITY_VALIDATOR)."""
    problems = password_problems(password, _username_from_request())
    if problems:
        raise PasswordComplexityValidationError(" ".join(problems))
