"""Facility scoping: one mechanism for every facility-owned model, in views and APIs.

A user sees and changes only rows of their own facility (their staff profile's);
roles in ALL_FACILITY_ROLES (Admin, Auditor) see every facility. Views and APIs get
scoping by listing `FacilityScopeFilter` in base_filters (done by the view base classes),
which FAB applies to lists, show, edit, delete and the REST endpoints alike.
"""
from flask import g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import get_field_setup_query
from flask_jwt_extended import current_user as current_user_jwt
from flask_login import current_user
from sqlalchemy import false, select

from .roles import ALL_FACILITY_ROLES

_UNSET = object()
MAX_ID = 2**31 - 1  # ids are 32-bit integer columns


def bounded_id(raw) -> int | None:
    """A row id as typed in a URL, form or query, or None if it cannot be one."""
    raw = str(raw if raw is not None else "").strip()
    return int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None


def acting_user():
    """The authenticated user of this request, by session cookie or JWT, else None."""
    if not has_request_context():
        return None
    cached = g.get("_hmis_user", _UNSET)
    if cached is not _UNSET:
        return cached
    user = None
    try:
        if current_user and current_user.is_authenticated:
            user = current_user._get_current_object()
    except Exception:  # outside login manager set-up
        user = None
    if user is None:
        try:
            jwt_user = current_user_jwt._get_current_object()
            if jwt_user is not None and jwt_user.is_active:
                user = jwt_user
        except Exception:  # no JWT in this request
            user = None
    g._hmis_user = user
    return user


def user_facility_id(user=None):
    """Facility of the given (default: acting) user, or None for state-level users: read
    with the user at the start of the request (core.permissions), else looked up."""
    from app.extensions import db

    from .models import StaffProfile
    from .permissions import loaded_facility_id
    if user is None:
        if not has_request_context():
            return None
        user = acting_user()
        if user is None:
            return None
    known, fid = loaded_facility_id(user)
    if known:
        return fid
    return db.session.execute(select(StaffProfile.facility_id).where(
        StaffProfile.user_id == user.id)).scalar()


def role_names(user) -> set:
    return {r.name for r in getattr(user, "roles", []) or []}


def sees_all_facilities(user=None) -> bool:
    user = user if user is not None else acting_user()
    return bool(role_names(user) & ALL_FACILITY_ROLES)


def in_scope(facility_id) -> bool:
    return sees_all_facilities() or (
        facility_id is not None and facility_id == user_facility_id())


def user_in_scope(user) -> bool:
    """A staff account the acting user may see: one of their facility (any, for state
    users). State-level accounts have no facility and are seen by state users only."""
    if sees_all_facilities():
        return True
    fid = user_facility_id()
    return fid is not None and user_facility_id(user) == fid


class FacilityScopeFilter(BaseFilter):
    """Restricts a query to the acting user's facility unless they see all facilities.

    The column is `facility_id` on facility-owned models and `id` on Facility itself.
    """
    name = "Facility scope"
    arg_name = None

    def apply(self, query, value):
        if sees_all_facilities():
            return query
        fid = user_facility_id()
        query, field = get_field_setup_query(query, self.model, self.column_name)
        if fid is None:
            return query.filter(false())
        return query.filter(field == fid)


def users_in_scope(user_id_column):
    """A condition on a user id column: staff of the acting user's facility (None: any,
    for state users)."""
    from .models import StaffProfile
    if sees_all_facilities():
        return None
    fid = user_facility_id()
    if fid is None:
        return false()
    return user_id_column.in_(select(StaffProfile.user_id).where(StaffProfile.facility_id == fid))


class UserFacilityFilter(BaseFilter):
    """Users whose staff profile is at the acting user's facility (all for Admin/Auditor)."""
    name = "User facility scope"
    arg_name = None

    def apply(self, query, value):
        condition = users_in_scope(self.model.id)
        return query if condition is None else query.filter(condition)


CHOSEN_FACILITY = "facility_id"  # session key: the facility a state user is looking at


def working_facility_id():
    """The facility whose screens (desk, counter, queue, wards, lab, day-end) the user
    works in: their own; for a state user, the one they chose to look at (None until
    they choose)."""
    fid = user_facility_id()
    if fid is None and has_request_context() and sees_all_facilities():
        from flask import session
        chosen = session.get(CHOSEN_FACILITY)
        return chosen if isinstance(chosen, int) else None
    return fid


def current_facility():
    """The Facility of working_facility_id(), or None."""
    from app.extensions import db

    from .models import Facility
    fid = working_facility_id()
    return db.session.get(Facility, fid) if fid else None


# --- rows named in URLs ------------------------------------------------------------------
# Custom screens declare the rows their URLs name, e.g. `row_args = {"bill_id": Bill}`;
# before the view runs, each is looked up and a row of another facility (or none) is 404,
# whatever the view itself remembers to check. Ids beyond the 32-bit columns are 404 too.

def guard_url_rows():
    from flask import abort, current_app, request

    from app.extensions import db
    args = request.view_args or {}
    for name, value in args.items():
        if (name == "pk" or name.endswith("_id")) and bounded_id(value) is None:
            abort(404)  # no row has such an id (FAB's pk routes take any text)
    view = current_app.extensions["hmis_views"].get(request.blueprint)
    declared = getattr(view, "row_args", None) or {}
    if not declared or not _may_use(view, request.endpoint):
        return None  # the view itself sends the user to log in, or refuses them
    for name, model in declared.items():
        if name in args:
            row = db.session.get(model, args[name])
            if row is None or not in_scope(row.facility_id):
                abort(404)
    return None


def _may_use(view, endpoint) -> bool:
    """Whether the acting user passes the permission check of the view's endpoint (a
    refusal comes first, from the view, so it never tells what exists)."""
    from flask import current_app
    if acting_user() is None:
        return False
    method = endpoint.rpartition(".")[2]
    func = current_app.view_functions[endpoint]
    name = (view.method_permission_name or {}).get(method) or func._permission_name
    return current_app.appbuilder.sm.has_access(f"can_{name}", view.class_permission_name)


def may(action: str, resource: str) -> bool:
    """Whether the acting user's roles allow `action` (read, write) on `resource`: what a
    screen asks before showing a form whose post would be refused."""
    from flask import current_app
    return current_app.appbuilder.sm.has_access(f"can_{action}", resource)


def init_row_guard(app, appbuilder) -> None:
    app.extensions["hmis_views"] = {v.endpoint: v for v in appbuilder.baseviews}
    app.before_request(guard_url_rows)
