"""Per-user language: saved on the staff profile when switched, restored at login."""
from flask import session
from flask_babel import refresh

from app.extensions import db

from .models import StaffProfile


def save_language(user, locale) -> None:
    if not locale:
        return
    profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one_or_none()
    if profile is None:
        profile = StaffProfile(user_id=user.id)
        db.session.add(profile)
    if profile.language != locale:
        profile.language = locale
        db.session.commit()


def restore_language(user) -> None:
    profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one_or_none()
    if profile is not None and profile.language:
        session["locale"] = profile.language
        refresh()
