"""Generated CRUD views for the core masters and the audit log."""
from flask import flash, redirect, request, session, url_for
from flask_appbuilder import BaseView, IndexView, expose, has_access
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from app.extensions import db

from . import audit_events
from .base_views import HmisModelView, ScopedModelView, facility_rule
from .interface import Interface
from .labels import LABELS
from .models import (
    FACILITY_TYPES, AuditLog, Block, Department, District, Facility, StaffProfile, State,
    Village,
)
from .roles import READ
from .scoping import (
    CHOSEN_FACILITY, FacilityScopeFilter, UserFacilityFilter, acting_user, bounded_id,
    current_facility, in_scope, may, sees_all_facilities, user_facility_id, working_facility_id,
)

from .validation import department_rules, facility_rules, staff_rules


def _facility_type_field():
    return SelectField(LABELS["facility_type"], choices=list(FACILITY_TYPES.items()),
                       widget=Select2Widget())


class FacilityView(ScopedModelView):
    datamodel = Interface(Facility)
    class_permission_name = "Facility"
    scope_column = "id"
    list_title = _l("Facilities")
    show_title = add_title = edit_title = _l("Facility")
    label_columns = LABELS
    list_columns = ["code", "name_en", "name_hi", "type_label", "district", "hfr_id", "active"]
    add_columns = edit_columns = ["code", "name_en", "name_hi", "facility_type", "state",
                                  "district", "hfr_id", "address", "address_hi", "pin_code",
                                  "phone", "active"]
    show_columns = ["code", "name_en", "name_hi", "type_label", "state", "district", "hfr_id",
                    "address", "address_hi", "pin_code", "phone", "active"]
    search_columns = ["code", "name_en", "name_hi", "state", "district", "hfr_id", "active"]
    add_form_extra_fields = edit_form_extra_fields = {"facility_type": _facility_type_field()}
    description_columns = {
        "code": _l("2 to 6 capital letters; starts every UHID and bill number (e.g. DHR)."),
        "hfr_id": _l("From the ABDM Health Facility Registry, e.g. IN0210000123."),
    }
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return facility_rules(values, pk)


class DepartmentView(ScopedModelView):
    datamodel = Interface(Department)
    class_permission_name = "Department"
    list_title = _l("Departments")
    show_title = add_title = edit_title = _l("Department")
    label_columns = LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "is_clinical", "active"]
    add_columns = edit_columns = show_columns = ["facility", "code", "name_en", "name_hi",
                                                 "is_clinical", "active"]
    search_columns = ["facility", "code", "name_en", "name_hi", "active"]
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **department_rules(values, pk)}


class StaffView(ScopedModelView):
    datamodel = Interface(StaffProfile)
    class_permission_name = "Staff"
    list_title = _l("Staff profiles")
    show_title = add_title = edit_title = _l("Staff profile")
    label_columns = LABELS
    list_columns = ["user", "facility", "designation", "hpr_id"]
    add_columns = edit_columns = show_columns = ["user", "facility", "designation",
                                                 "departments", "hpr_id", "qualification",
                                                 "council_registration", "language"]
    search_columns = ["user", "facility", "designation", "hpr_id"]
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "departments": [["facility_id", FacilityScopeFilter, None]],
        "user": [["id", UserFacilityFilter, None]],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "language": SelectField(LABELS["language"], choices=[("hi", "हिन्दी"), ("en", "English")]),
    }

    def rules(self, values, pk):
        return {**facility_rule(values, required=False), **staff_rules(values, pk)}


class _AddressView(HmisModelView):
    class_permission_name = "Address"
    label_columns = LABELS
    base_order = ("name_en", "asc")


class StateView(_AddressView):
    datamodel = Interface(State)
    list_title = _l("States")
    show_title = add_title = edit_title = _l("State")
    list_columns = add_columns = edit_columns = show_columns = ["lgd_code", "name_en", "name_hi"]
    search_columns = ["lgd_code", "name_en", "name_hi"]


class DistrictView(_AddressView):
    datamodel = Interface(District)
    list_title = _l("Districts")
    show_title = add_title = edit_title = _l("District")
    list_columns = add_columns = edit_columns = show_columns = ["lgd_code", "name_en",
                                                                "name_hi", "state"]
    search_columns = ["lgd_code", "name_en", "name_hi", "state"]


class BlockView(_AddressView):
    datamodel = Interface(Block)
    list_title = _l("Blocks / tehsils")
    show_title = add_title = edit_title = _l("Block / tehsil")
    list_columns = add_columns = edit_columns = show_columns = ["lgd_code", "name_en",
                                                                "name_hi", "district"]
    search_columns = ["lgd_code", "name_en", "name_hi", "district"]


class VillageView(_AddressView):
    datamodel = Interface(Village)
    list_title = _l("Villages / wards")
    show_title = add_title = edit_title = _l("Village / ward")
    list_columns = add_columns = edit_columns = show_columns = ["lgd_code", "name_en",
                                                                "name_hi", "block", "pin_code"]
    search_columns = ["lgd_code", "name_en", "name_hi", "block", "pin_code"]


class AuditLogView(ScopedModelView):
    """Read-only for everyone, Admin included: the log is append-only."""
    datamodel = Interface(AuditLog)
    class_permission_name = "AuditLog"
    include_route_methods = {"list", "show"}
    list_title = _l("Audit log")
    show_title = _l("Audit entry")
    label_columns = {**LABELS, "action_text": LABELS["action"],
                     "table_text": LABELS["table_name"], "field_text": LABELS["field"],
                     "old_text": LABELS["old_value"], "new_text": LABELS["new_value"]}
    list_columns = ["at", "username", "facility", "action_text", "table_text", "row_id",
                    "field_text", "old_text", "new_text", "ip"]
    show_columns = list_columns
    search_columns = ["at", "username", "facility", "action", "table_name", "row_id", "field"]
    base_order = ("id", "desc")
    page_size = 50


def _local_path(target: str | None) -> str | None:
    """A path of this site to go back to (never another site's address)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


class FacilityChoiceView(BaseView):
    """A state user (Admin, Auditor) chooses the facility whose screens they look at:
    the desk, counter, queue, wards, lab and day-end then show that facility."""
    route_base = "/facility"
    class_permission_name = "Facility"
    method_permission_name = {"choose": READ}
    default_view = "choose"

    @expose("/choose", methods=["GET", "POST"])
    @has_access
    def choose(self):
        back = _local_path(request.values.get("next"))
        if not sees_all_facilities():
            return redirect(back or url_for("HomeView.index"))
        error = None
        if request.method == "POST":
            row_id = bounded_id(request.form.get("facility"))
            facility = db.session.get(Facility, row_id) if row_id else None
            if facility is None:
                error = _("Choose a facility from the list.")
            else:
                session[CHOSEN_FACILITY] = facility.id
                flash(_("Now looking at %(facility)s.", facility=facility.name), "info")
                return redirect(back or url_for("HomeView.index"))
        facilities = db.session.execute(select(Facility).options(joinedload(Facility.district))
                                        .order_by(Facility.code)).scalars().all()
        return self.render_template("core/choose_facility.html", facilities=facilities,
                                    chosen=working_facility_id(), back=back or "",
                                    error=error), (422 if error else 200)


class HomeView(IndexView):
    index_template = "hmis_index.html"

    @expose("/")
    def index(self):
        user = acting_user()
        facility = current_facility() if user else None
        from .roles import ROLE_LABELS
        role_labels = [str(ROLE_LABELS.get(r.name, r.name)) for r in getattr(user, "roles", [])]
        # Those who read the reports (supervisors, the state) land on the dashboard.
        reports = bool(user) and may(READ, "Registers")
        dashboard = None
        if reports and facility is not None:
            from app.reports.dashboard import DAYS, figures

            from .replica import on_replica
            dashboard = {"data": on_replica(figures)(facility.id), "days": DAYS}
        return self.render_template(self.index_template, appbuilder=self.appbuilder,
                                    user=user, facility=facility, role_labels=role_labels,
                                    state_level=bool(user) and sees_all_facilities(),
                                    reports=reports, dashboard=dashboard,
                                    hindi=str(get_locale())[:2] == "hi")


class AuditEventsView(BaseView):
    """/audit/events/?patient=<UHID>&user=<username>: the audit log as events, newest
    first, for supervisors and auditors (a facility's own; a state user's chosen one, or
    every facility)."""
    route_base = "/audit/events"
    class_permission_name = "AuditLog"
    method_permission_name = {"events": READ}
    default_view = "events"
    actions = None   # every kind of event
    title = _l("Audit log as events")

    @expose("/")
    @has_access
    def events(self):
        from app.registration import services as registration
        from app.registration.models import Patient
        facility_id = user_facility_id() if not sees_all_facilities() else working_facility_id()
        uhid = (request.args.get("patient") or "").strip().upper()
        username = (request.args.get("user") or "").strip()[:100] or None
        patient, error = None, None
        if uhid:
            patient = registration.by_uhid(facility_id, uhid) if facility_id else \
                db.session.execute(select(Patient).where(Patient.uhid == uhid)).scalar()
            patient = registration.resolve(patient)
            if patient is None or not in_scope(patient.facility_id):
                patient, error = None, _("No such record.")
        rows = [] if error else audit_events.events(
            facility_id, registration.record_ids(patient) if patient else None, username,
            actions=self.actions)
        return self.render_template("core/audit_events.html", rows=rows, uhid=uhid,
                                    username=username or "", patient=patient, error=error,
                                    title=self.title)


class AccessLogView(AuditEventsView):
    """/audit/access/?patient=&user=: who opened or printed a patient's record (India's
    DPDP Act), by patient and by user."""
    route_base = "/audit/access"
    actions = audit_events.ACCESS
    title = _l("Access log: who opened or printed")


class RegistryCoverageView(BaseView):
    """/abdm/coverage: who is still without an ABDM registry ID (HFR for facilities, HPR
    for doctors and nurses): a supervisor sees their facility, the state every one."""
    route_base = "/abdm"
    class_permission_name = "Staff"
    method_permission_name = {"coverage": READ}
    default_view = "coverage"

    @expose("/coverage")
    @has_access
    def coverage(self):
        from . import registry_coverage
        facility_id = None if sees_all_facilities() else user_facility_id()
        return self.render_template("core/registry_coverage.html",
                                    **registry_coverage.missing(facility_id))
