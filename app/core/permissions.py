"""Who the request's user is, and what their roles allow, for one SQL statement.

Flask-AppBuilder loads the user, then their roles, then their groups, then asks the
database for a permission on every check (a list page made ~20 such queries) and again
for the menu. Here one statement per request loads the user with their roles, the
facility of their staff profile and the permission version; what a set of roles may do is
worked out once per process and kept until the version changes. `hmis sync-roles`, or any
other change to roles and permissions, bumps the version in the same transaction, so every
worker of every app server follows a change at its next request.
"""
from flask import g, has_request_context
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import (
    Permission, PermissionView, Role, User, ViewMenu,
)
from sqlalchemy import Column, Integer, event, select, true, update
from sqlalchemy.orm import Session, joinedload

from app.extensions import db

from .models import Facility, StaffProfile


class PermissionVersion(Model):
    """One row: bumped whenever roles or their permissions change."""
    __tablename__ = "permission_version"
    id = Column(Integer, primary_key=True)
    value = Column(Integer, nullable=False, default=0)


_ROLE_TABLES = (Role, Permission, ViewMenu, PermissionView)


@event.listens_for(Session, "before_flush")
def _bump_on_role_change(session, _context, _instances):
    # A role's permission list (a many-to-many) changing marks the role dirty.
    if any(isinstance(obj, _ROLE_TABLES) for obj in (*session.new, *session.dirty,
                                                     *session.deleted)):
        session.execute(update(PermissionVersion).values(value=PermissionVersion.value + 1))


def load_user(user_id):
    """The user with their roles, staff facility and the permission version in one
    statement, once per request (Flask-Login, the JWT checks and the scoping all ask)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    cache = g.setdefault("_hmis_users", {}) if has_request_context() else {}
    if user_id not in cache:
        # The facility comes along too: kept referenced here, it stays in the session's
        # identity map, so the screens' current_facility() costs nothing.
        row = db.session.execute(
            select(User, StaffProfile.facility_id, PermissionVersion.value, Facility)
            .outerjoin(StaffProfile, StaffProfile.user_id == User.id)
            .outerjoin(Facility, Facility.id == StaffProfile.facility_id)
            .outerjoin(PermissionVersion, true())
            .options(joinedload(User.roles))
            .where(User.id == user_id)).unique().first()
        cache[user_id] = row
    row = cache[user_id]
    return row[0] if row is not None else None


def loaded_facility_id(user):
    """(True, facility id) when load_user read this user in this request, else (False, None)."""
    row = (g.get("_hmis_users") or {}).get(getattr(user, "id", None)) \
        if has_request_context() else None
    return (True, row[1]) if row is not None else (False, None)


class PermissionCache:
    """(permission, resource) pairs per set of roles, for one permission version."""

    def __init__(self):
        self.version = None
        self.by_roles = {}

    def pairs(self, security_manager, user) -> frozenset:
        row = (g.get("_hmis_users") or {}).get(user.id) if has_request_context() else None
        version = row[2] if row is not None else db.session.execute(
            select(PermissionVersion.value)).scalar()
        if version != self.version:
            self.version, self.by_roles = version, {}
        key = frozenset(role.id for role in user.roles)
        found = self.by_roles.get(key)
        if found is None:
            found = frozenset().union(*(security_manager.get_role_permissions(role)
                                        for role in user.roles))
            self.by_roles[key] = found
        return found
