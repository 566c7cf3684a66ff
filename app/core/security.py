"""Security manager: lock-out after repeated failures, login audit, password policy for
every path that creates a user, per-request permission cache, and the user views that
let a supervisor manage only their own facility's staff."""
from functools import lru_cache

from flask import current_app, flash, g, has_request_context, redirect, request
from flask_appbuilder.actions import action
from flask_appbuilder.api import safe
from flask_appbuilder.views import expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import (
    AuthDBView, PermissionModelView, PermissionViewModelView, ResetMyPasswordView, ResetPasswordView,
    RoleModelView, UserDBModelView, UserGroupModelView, UserInfoEditView, ViewMenuModelView,
)
from flask_babel import gettext as _
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import jwt_required
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.security.sqla.models import Role
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.extensions import db

from . import roles as R
from .audit import record_event
from .base_views import SafeApiErrors, ScopedActions
from .formatting import display_formatters
from .i18n import restore_language
from .models import utcnow
from .interface import Interface
from .passwords import password_problems
from .permissions import PermissionCache, load_user
from .sessions import attempt_allowed, end_sessions, install_jwt_checks, remember_generation
from .scoping import (
    UserFacilityFilter, acting_user, sees_all_facilities, user_facility_id, user_in_scope,
)

@lru_cache(maxsize=1)
def _no_password() -> str:
    """Compared against when the user name is unknown, so that a wrong name takes as long
    as a wrong password (made once, when first needed: hashing is slow on purpose)."""
    return generate_password_hash("no account has this password")


USER_PERMISSIONS = dict(R.METHOD_PERMISSIONS, userinfo=R.USERINFO,
                        resetmypassword=R.USERINFO, userinfoedit=R.USERINFO,
                        resetpasswords=R.WRITE, unlock=R.WRITE)
_SELF_SERVICE = {"this_form_get": R.USERINFO, "this_form_post": R.USERINFO}
_ADMIN_FORM = {"this_form_get": R.WRITE, "this_form_post": R.WRITE}


def refused_message() -> str:
    """The one answer to a failed login: a wrong password and a locked account read the
    same, so that nobody learns which accounts exist or are locked."""
    return _("Wrong user name or password. After %(n)s wrong tries an account is locked "
             "until the supervisor unlocks it.", n=current_app.config["LOGIN_MAX_FAILURES"])


def throttled_message() -> str:
    return _("Too many attempts. Wait a minute and try again.")


class AssignableRoleFilter(BaseFilter):
    """Roles the acting user may hand out: all for Admin, facility staff roles otherwise."""
    name = "Assignable roles"

    def apply(self, query, value):
        if R.ADMIN in {r.name for r in getattr(acting_user(), "roles", [])}:
            return query
        return query.filter(self.model.name.in_(R.SUPERVISOR_ASSIGNABLE))


PASSWORD_RULES = _l("At least 10 characters, not containing the username, "
                    "not a common password.")


class PolicyPasswordForm(ResetPasswordForm):
    password = PasswordField(_l("Password"), description=PASSWORD_RULES,
                             validators=[DataRequired(), PasswordComplexityValidator()],
                             widget=BS3PasswordFieldWidget())


def role_names_display(roles) -> str:
    return ", ".join(str(R.ROLE_LABELS.get(r.name, r.name)) for r in roles or [])


# A role reads as what the person does, in the user's language, wherever FAB prints one
# (the user form's role picker shows the objects themselves).
Role.__str__ = lambda role: str(R.ROLE_LABELS.get(role.name, role.name))

# Staff without an e-mail address are common: FAB's column is required and unique, so an
# account left without one gets this placeholder, never shown.
NO_EMAIL = "@staff.invalid"


def email_display(email) -> str:
    return "" if not email or email.endswith(NO_EMAIL) else email


class HmisUserView(ScopedActions, UserDBModelView):
    class_permission_name = "User"
    method_permission_name = USER_PERMISSIONS
    base_permissions = ["can_read", "can_write", "can_userinfo"]
    # Accounts are deactivated, not deleted: the audit log keeps pointing at them.
    exclude_route_methods = {"delete", "download"}
    base_filters = [["id", UserFacilityFilter, None]]
    add_form_query_rel_fields = {"roles": [["name", AssignableRoleFilter, None]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    _email = StringField(_l("E-mail (optional)"), validators=[Optional(), Email(), Length(max=320)],
                         widget=BS3TextFieldWidget())
    add_form_extra_fields = {
        "password": PolicyPasswordForm.password,
        "conf_password": UserDBModelView.add_form_extra_fields["conf_password"],
        "email": _email,
    }
    edit_form_extra_fields = {"email": _email}
    # FAB's own help speaks of LDAP and OID logins this system has none of.
    description_columns = {
        "username": _l("The name typed at login."),
        "active": _l("Untick when the person leaves: accounts are never deleted."),
        "email": _l("Optional."),
        "roles": _l("What the person does here: each role opens its own screens."),
    }
    add_columns = ["first_name", "last_name", "username", "active", "email", "roles",
                   "password", "conf_password"]
    edit_columns = ["first_name", "last_name", "username", "active", "email", "roles"]
    list_columns = ["username", "first_name", "last_name", "active", "roles",
                    "fail_login_count", "last_login"]
    search_columns = ["username", "first_name", "last_name", "email", "active", "roles"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        shown = set(self.list_columns) | {f for _t, fs in self.show_fieldsets
                                          for f in fs["fields"]}
        self.formatters_columns = {**display_formatters(self.datamodel, shown),
                                   "roles": role_names_display, "email": email_display}
        self.datamodel.preload = ("roles",)
    validators_columns = {"roles": [DataRequired(message=_l("Choose at least one role."))]}

    def pre_add(self, item):
        if not item.email:
            item.email = f"{item.username}{NO_EMAIL}"
        super().pre_add(item)

    def pre_update(self, item):
        if not item.email:
            item.email = f"{item.username}{NO_EMAIL}"
        super().pre_update(item)

    def post_add(self, item):
        """A supervisor's new user belongs to the supervisor's facility."""
        from .models import StaffProfile
        fid = user_facility_id()
        if fid is not None and not sees_all_facilities():
            db.session.add(StaffProfile(user_id=item.id, facility_id=fid))
            db.session.commit()

    @action("unlock", _l("Unlock account"), _l("Unlock the selected accounts?"),
            "fa-unlock", multiple=True, single=True)
    def unlock(self, items):
        items = items if isinstance(items, list) else [items]
        for user in items:
            if user.fail_login_count:
                record_event(db.session, "unlock", "ab_user", user.id,
                             facility_id=user_facility_id(user), detail=user.username)
                user.fail_login_count = 0
        db.session.commit()
        flash(_("Account unlocked."), "success")
        return redirect(self.get_redirect())


class HmisResetMyPasswordView(ResetMyPasswordView):
    class_permission_name = "User"
    method_permission_name = _SELF_SERVICE
    form = PolicyPasswordForm

    def form_post(self, form):
        # The new password ends every other session and token of the account; this
        # one, where it was just typed, stays.
        result = super().form_post(form)
        remember_generation(acting_user())
        return result


class HmisUserInfoEditView(UserInfoEditView):
    class_permission_name = "User"
    method_permission_name = _SELF_SERVICE


class HmisResetPasswordView(ResetPasswordView):
    class_permission_name = "User"
    method_permission_name = _ADMIN_FORM
    form = PolicyPasswordForm

    def form_post(self, form):
        # Only users the acting user can see may have their password reset.
        pk = request.args.get("pk")
        if not pk or not pk.isdigit() or not self.appbuilder.sm.user_in_scope(int(pk)):
            flash(_("You may not change this user."), "danger")
            return None
        return super().form_post(form)


class HmisSecurityApi(SafeApiErrors, SecurityApi):
    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        """Login endpoint: a JWT for valid credentials; 403 for a locked account.
        ---
        post:
          description: Authenticate with username and password, get a JWT.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username: {type: string}
                    password: {type: string}
                    provider: {type: string, enum: [db]}
                    refresh: {type: boolean}
          responses:
            200: {description: Authentication successful}
            401: {$ref: '#/components/responses/401'}
            429: {description: Too many attempts from this address or for this account}
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("provider", "db") != "db" or not all(
                isinstance(body.get(k), str) for k in ("username", "password")):
            return self.response_400(message=_("Send {\"username\", \"password\", "
                                               "\"provider\": \"db\"} as JSON."))
        body.setdefault("provider", "db")
        response = super().login()
        if response.status_code == 401 and g.get("hmis_throttled"):
            return self.response(429, message=throttled_message())
        if response.status_code == 401:
            return self.response(401, message=refused_message())
        return response

    @expose("/logout", methods=["POST"])
    @jwt_required()
    @safe
    def logout(self):
        """Log out: this account's tokens (and web sessions) stop working.
        ---
        post:
          description: End every token and session of the calling account.
          responses:
            200: {description: Logged out}
            401: {$ref: '#/components/responses/401'}
        """
        user = acting_user()
        self.appbuilder.sm.on_user_logout(user)
        return self.response(200, message=_("Logged out."))


# Roles and their permissions are declared in roles.py and applied by `hmis sync-roles`:
# the state admin reads them here, and changes them in code (an edit here would be
# undone at the next sync). Groups are not used.
class RoleListView(RoleModelView):
    class_permission_name = "RoleModelView"
    include_route_methods = {"list", "show"}
    search_columns = ["name"]
    # FAB's role widgets print the name as stored; the plain ones apply the formatter.
    list_widget, show_widget = ListWidget, ShowWidget
    list_columns = ["name"]
    formatters_columns = {"name": lambda name: str(R.ROLE_LABELS.get(name, name))}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.datamodel.preload = ("permissions.permission", "permissions.view_menu")


class GroupListView(UserGroupModelView):
    class_permission_name = "UserGroupModelView"
    include_route_methods = {"list", "show"}


class PermissionListView(PermissionModelView):
    class_permission_name = "PermissionModelView"
    include_route_methods = {"list"}


class ViewMenuListView(ViewMenuModelView):
    class_permission_name = "ViewMenuModelView"
    include_route_methods = {"list"}


class PermissionViewListView(PermissionViewModelView):
    class_permission_name = "PermissionViewModelView"
    include_route_methods = {"list"}
    search_columns = ["view_menu"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.datamodel.preload = ("permission", "view_menu")


class HmisAuthDBView(AuthDBView):
    @property
    def invalid_login_message(self):
        return throttled_message() if g.get("hmis_throttled") else refused_message()


class HmisSecurityManager(SecurityManager):
    authdbview = HmisAuthDBView
    userdbmodelview = HmisUserView
    rolemodelview = RoleListView
    groupmodelview = GroupListView
    permissionmodelview = PermissionListView
    viewmenumodelview = ViewMenuListView
    permissionviewmodelview = PermissionViewListView
    userstatschartview = None  # FAB's login-count chart (it fails on a bad group_by)
    resetmypasswordview = HmisResetMyPasswordView
    resetpasswordview = HmisResetPasswordView
    userinfoeditview = HmisUserInfoEditView
    security_api = HmisSecurityApi

    def __init__(self, appbuilder):
        self._permissions = PermissionCache()  # per app and process
        super().__init__(appbuilder)
        # Lists of users (with their roles) and roles (with their permissions) load
        # those for the whole page at once (core.interface).
        self.userdbmodelview.datamodel = Interface(self.user_model)
        self.rolemodelview.datamodel = Interface(self.role_model)
        self.permissionviewmodelview.datamodel = Interface(self.permissionview_model)

    # ---- users ---------------------------------------------------------------------
    def add_user(self, username, first_name, last_name, email, role=None, password="",
                 hashed_password="", **kwargs):
        if not hashed_password:
            problems = password_problems(password, username)
            if problems:
                raise ValueError(" ".join(problems))
        return super().add_user(username, first_name, last_name, email, role,
                                password=password, hashed_password=hashed_password,
                                **kwargs)

    def user_in_scope(self, user_id: int) -> bool:
        user = self.get_user_by_id(user_id)
        return user is not None and user_in_scope(user)

    # ---- authentication ------------------------------------------------------------
    def is_locked(self, user) -> bool:
        return (user.fail_login_count or 0) >= current_app.config["LOGIN_MAX_FAILURES"]

    def auth_user_db(self, username, password):
        """The web and API login: the account, or None."""
        user = self.verify_credentials(username, password, "login")
        if user is not None:
            user.login_count = (user.login_count or 0) + 1
            user.last_login = utcnow()
            remember_generation(user)
            if has_request_context() and not request.path.startswith("/api/"):
                restore_language(user)
        db.session.commit()
        return user

    def verify_credentials(self, username, password, purpose: str):
        """The active account these credentials belong to, or None. Every try counts:
        against the throttle of the client's address and of the account name, and a
        wrong password toward the account's lock-out (which ends its sessions). A locked
        or throttled account is refused like a wrong password. Failures are committed
        at once; a success is written with the caller's transaction."""
        username = (username or "").strip()
        if not attempt_allowed(username):
            g.hmis_throttled = True
            record_event(db.session, "throttled", "ab_user", username=username[:100],
                         detail=purpose)
            db.session.commit()
            return None
        user = self.find_user(username=username) if username else None
        good = check_password_hash(user.password if user is not None and user.password
                                   else _no_password(), password or "")
        if user is not None and good and user.active and not self.is_locked(user):
            user.fail_login_count = 0
            if purpose == "login":
                record_event(db.session, "login", "ab_user", user.id,
                             facility_id=user_facility_id(user), username=user.username,
                             user_id=user.id)
            return user
        facility_id = user_facility_id(user) if user is not None else None
        if user is not None and self.is_locked(user):
            record_event(db.session, "login_locked", "ab_user", user.id,
                         facility_id=facility_id, username=username, user_id=user.id,
                         detail=purpose)
        else:
            record_event(db.session, "login_failed" if purpose == "login" else "auth_refused",
                         "ab_user", user.id if user else None, facility_id=facility_id,
                         username=username[:100], user_id=user.id if user else None,
                         detail=purpose)
            if user is not None and not good:
                # Counted in the database: parallel guesses cannot overwrite each
                # other's count and so slip past the lock-out.
                user.fail_login_count = func.coalesce(type(user).fail_login_count, 0) + 1
                db.session.flush()
                if user.fail_login_count == current_app.config["LOGIN_MAX_FAILURES"]:
                    end_sessions(user)
                    record_event(db.session, "locked", "ab_user", user.id,
                                 facility_id=facility_id, username=user.username,
                                 user_id=user.id)
        db.session.commit()
        return None

    def on_user_logout(self, user) -> None:
        if user is not None:
            end_sessions(user)
            record_event(db.session, "logout", "ab_user", user.id,
                         facility_id=user_facility_id(user), username=user.username,
                         user_id=user.id)
            db.session.commit()

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)
        install_jwt_checks(jwt_manager, self)
        return jwt_manager

    # ---- authorisation (core.permissions: one statement per request) ---------------
    def load_user(self, pk):
        user = load_user(pk)
        return user if user is not None and user.is_active else None

    def get_user_roles(self, user):
        # Groups are not used (their screen is read-only and empty); the Public role has
        # no permissions (sync-roles keeps it so): an anonymous user has no role.
        return list(user.roles) if getattr(user, "is_authenticated", False) else []

    def _has_view_access(self, user, permission_name, view_name):
        return (permission_name, view_name) in self._permissions.pairs(self, user)

    def is_item_public(self, permission_name, view_name):
        return False  # nothing is public: every page and API needs a login

    def get_user_menu_access(self, menu_names=None):
        user = acting_user()
        if user is None:
            return set()
        return {view for permission, view in self._permissions.pairs(self, user)
                if permission == "menu_access" and (menu_names is None or view in menu_names)}


