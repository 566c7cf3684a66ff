"""/registers/: the registers for a date range, on screen (the first rows, up to a
quarter) and as CSV or Excel files (every row, up to a year, streamed; each export
audited); the HMIS monthly report, the dashboards and a patient's timeline."""
from itertools import islice

from flask import redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.audit import record_event
from app.core.base_views import DomainError, no_facility
from app.core.errors import refusal_page
from app.core.exports import streamed_spreadsheet
from app.core.formatting import parse_date, spreadsheet_safe
from app.core.numbering import ist_today
from app.core.replica import on_replica
from app.core.roles import READ
from app.core.scoping import (
    bounded_id, in_scope, may, sees_all_facilities, user_facility_id, working_facility_id,
)
from app.extensions import db

from .registers import FILE_DAYS, MAX_DAYS, REGISTERS, SHOWN


def asked_range(longest=MAX_DAYS):
    """?from=&to= (dd-mm-yyyy; default today): refused, naming the field, when not a date,
    reversed, in the future or longer than `longest` days."""
    errors, days = {}, {}
    today = ist_today()
    for field in ("from", "to"):
        try:
            days[field] = parse_date(request.args.get(field)) or today
        except ValueError:
            errors[field] = _("Write the date as dd-mm-yyyy (years 1900 to 2100).")
    if not errors:
        if days["to"] > today:
            errors["to"] = _("The range cannot end in the future.")
        elif days["from"] > days["to"]:
            errors["from"] = _("The first day comes after the last.")
        elif (days["to"] - days["from"]).days >= longest:
            errors["to"] = _("Choose at most %(n)s days at a time.", n=longest)
    if errors:
        raise DomainError(errors)
    return days["from"], days["to"]


class RegisterView(BaseView):
    route_base = "/registers"
    class_permission_name = "Registers"
    method_permission_name = {"index": READ, "show": READ, "csv": READ, "xlsx": READ}
    default_view = "index"

    @expose("/")
    @has_access
    @on_replica
    def index(self):
        return self.render_template("reports/index.html", registers=REGISTERS)

    @staticmethod
    def _register(name):
        return REGISTERS.get(name), working_facility_id()

    @expose("/<register>")
    @has_access
    @on_replica
    def show(self, register):
        found, facility_id = self._register(register)
        if found is None:
            return self.render_template("reports/index.html", registers=REGISTERS), 404
        if facility_id is None:
            return no_facility(self)
        page = dict(register=found, name=register, args=request.args, shown=SHOWN)
        try:
            first, last = asked_range()
        except DomainError as err:
            return self.render_template("reports/register.html", rows=[], total=0,
                                        errors=err.errors, **page), 422
        rows = found.rows(facility_id, first, last)
        shown = list(islice(rows, SHOWN))
        return self.render_template("reports/register.html", rows=shown,
                                    total=len(shown) + sum(1 for _row in rows), errors={},
                                    **page)

    @expose("/<register>/csv")
    @has_access
    @on_replica
    def csv(self, register):
        return self._export(register, "csv")

    @expose("/<register>/xlsx")
    @has_access
    @on_replica
    def xlsx(self, register):
        return self._export(register, "xlsx")

    def _export(self, name, fmt):
        register, facility_id = self._register(name)
        if register is None:
            return self.render_template("reports/index.html", registers=REGISTERS), 404
        if facility_id is None:
            return no_facility(self)
        try:
            first, last = asked_range(FILE_DAYS)
        except DomainError as err:
            return refusal_page(err)
        with force_locale("en"):  # files are read by other systems: English headings
            header = [str(c) for c in register.columns]
        record_event(db.session, "export", register.table, facility_id=facility_id,
                     detail=f"register {name} {first:%d-%m-%Y}..{last:%d-%m-%Y} {fmt}")
        db.session.commit()
        rows = on_replica(lambda: ([spreadsheet_safe(v) for v in row]
                                   for row in register.rows(facility_id, first, last)))
        return streamed_spreadsheet(header, rows, f"{name}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}",
                                    fmt, name)


class DashboardView(BaseView):
    """/dashboard/: the facility's last 30 days in charts (Chart.js, served from our own
    static files); /dashboard/state: the facilities compared (state users)."""
    route_base = "/dashboard"
    class_permission_name = "Registers"
    method_permission_name = {"show": READ, "state": READ}
    default_view = "show"

    @expose("/")
    @has_access
    @on_replica
    def show(self):
        from .dashboard import DAYS, figures
        facility_id = working_facility_id()
        if facility_id is None:
            return no_facility(self)
        return self.render_template("reports/dashboard.html", data=figures(facility_id),
                                    days=DAYS, hindi=str(get_locale())[:2] == "hi",
                                    state_level=sees_all_facilities())

    @expose("/state")
    @has_access
    @on_replica
    def state(self):
        """The facilities compared, by district (state users only)."""
        from .comparison import compare
        from .dashboard import DAYS
        if not sees_all_facilities():
            return redirect(url_for("DashboardView.show"))
        return self.render_template("reports/comparison.html", days=DAYS, **compare())


def asked_month():
    """?month=yyyy-mm (default: last month, the one being reported): refused, naming the
    field, when not a month or not yet begun."""
    from datetime import date
    today = ist_today()
    raw = (request.args.get("month") or "").strip()
    if not raw:
        return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    parts = raw.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or \
            not 1 <= int(parts[1]) <= 12 or int(parts[0]) < 2000:
        raise DomainError({"month": _("Write the month as yyyy-mm, for example %(example)s.",
                                      example=f"{today:%Y-%m}")})
    month = date(int(parts[0]), int(parts[1]), 1)
    if month > today:
        raise DomainError({"month": _("That month has not begun yet.")})
    return month


class HmisView(BaseView):
    """/hmis/?month=yyyy-mm: the national HMIS monthly report of the facility worked in,
    each figure drilled into at /hmis/item/<number>; /hmis/state: every facility's, by
    district (state users only); both as CSV and Excel laid out like the portal's form."""
    route_base = "/hmis"
    class_permission_name = "Registers"
    method_permission_name = {"facility": READ, "item": READ, "facility_file": READ,
                              "state": READ, "state_file": READ}
    default_view = "facility"

    def _month_or_error(self, template, **page):
        try:
            return asked_month(), None
        except DomainError as err:
            return None, (self.render_template(template, errors=err.errors, report=None,
                                               args=request.args, **page), 422)

    @expose("/")
    @has_access
    @on_replica
    def facility(self):
        from . import hmis
        facility_id = working_facility_id()
        if facility_id is None and sees_all_facilities():  # the state's users: all of it
            return redirect(url_for("HmisView.state", **request.args))
        if facility_id is None:
            return no_facility(self)
        month, refused = self._month_or_error("reports/hmis.html", items=hmis.ITEMS)
        if refused:
            return refused
        return self.render_template("reports/hmis.html", report=hmis.report(month, facility_id),
                                    items=hmis.ITEMS, errors={}, args=request.args,
                                    head_count=hmis.HEAD_COUNT,
                                    state_level=sees_all_facilities())

    @expose("/item/<number>")
    @has_access
    @on_replica
    def item(self, number):
        from . import hmis
        facility_id = working_facility_id()
        if facility_id is None:
            return no_facility(self)
        item = hmis.BY_NUMBER.get(number)
        if item is None or number not in hmis.counted():
            return self.render_template("reports/hmis_item.html", item=None, rows=[], total=0,
                                        month=None, errors={}), 404
        month, refused = self._month_or_error("reports/hmis_item.html", item=item, rows=[],
                                              total=0, month=None)
        if refused:
            return refused
        total, rows = hmis.drill(number, month, facility_id)
        return self.render_template("reports/hmis_item.html", item=item, rows=rows, total=total,
                                    month=month, errors={}, shown=hmis.SHOWN,
                                    head_count=hmis.HEAD_COUNT)

    @expose("/file.<fmt>")
    @has_access
    @on_replica
    def facility_file(self, fmt):
        facility_id = working_facility_id()
        if facility_id is None:
            return no_facility(self)
        return self._file(fmt, facility_id)

    @expose("/state")
    @has_access
    @on_replica
    def state(self):
        from . import hmis
        if not sees_all_facilities():
            return redirect(url_for("HmisView.facility", **request.args))
        month, refused = self._month_or_error("reports/hmis_state.html", items=hmis.ITEMS)
        if refused:
            return refused
        return self.render_template("reports/hmis_state.html", report=hmis.report(month),
                                    items=hmis.ITEMS, errors={}, args=request.args,
                                    head_count=hmis.HEAD_COUNT)

    @expose("/state/file.<fmt>")
    @has_access
    @on_replica
    def state_file(self, fmt):
        if not sees_all_facilities():
            return redirect(url_for("HmisView.facility", **request.args))
        return self._file(fmt, None)

    def _file(self, fmt, facility_id):
        from . import hmis, hmis_files
        if fmt not in ("csv", "xlsx"):
            return self.render_template("reports/hmis.html", report=None, items=hmis.ITEMS,
                                        errors={}, args=request.args), 404
        try:
            month = asked_month()
        except DomainError as err:
            return refusal_page(err)
        report = hmis.report(month, facility_id)
        record_event(db.session, "export", "hmis_report", facility_id=facility_id,
                     detail=f"HMIS {month:%Y-%m} {fmt}"
                     + ("" if facility_id else " state roll-up"))
        db.session.commit()
        return hmis_files.response(report, fmt, state=facility_id is None)


class PatientTimelineView(BaseView):
    """/audit/timeline/?patient=<UHID>: one patient's life in the hospital in order, with
    who did what (reports.timeline), for those who read the audit log: a facility's
    supervisor their own patients, auditors and the state every facility's. Opening it
    opens the patient's record, so it is logged as such."""
    route_base = "/audit/timeline"
    class_permission_name = "AuditLog"
    method_permission_name = {"timeline": READ}
    default_view = "timeline"

    @expose("/")
    @has_access
    def timeline(self):
        from . import timeline
        uhid = (request.args.get("patient") or "").strip().upper()
        patient_id = bounded_id(request.args.get("patient_id"))
        newest_first = request.args.get("order") == "newest"
        page = dict(uhid=uhid, newest_first=newest_first, shown=timeline.SHOWN)
        if not uhid and patient_id is None:
            return self.render_template("reports/timeline.html", patient=None, lines=[],
                                        **page)
        patient = _patient_asked(uhid, patient_id)
        if patient is None:
            return self.render_template("reports/timeline.html", patient=None, lines=[],
                                        error=_("No such record."), **page), 404
        lines, capped = timeline.read(patient)
        record_event(db.session, "view", "patient", patient.id, facility_id=patient.facility_id,
                     detail="PatientTimelineView.timeline")
        db.session.commit()
        for line in lines:
            endpoint, resource, args = line.link or (None, None, None)
            line.url = url_for(endpoint, **args) if endpoint and may(READ, resource) else None
        return self.render_template(
            "reports/timeline.html", patient=patient, capped=capped,
            lines=lines[::-1] if newest_first else lines, **{**page, "uhid": patient.uhid})


def _patient_asked(uhid: str, patient_id: int | None):
    """The patient named by UHID (or id, from the patient's own page), followed to the
    record a duplicate was merged into; None when there is none the user may see. A
    facility's staff find only their facility's patients."""
    from app.registration.models import Patient
    from app.registration.services import UHID, resolve
    if uhid and not UHID.match(uhid):
        return None  # not a UHID: nothing to look up
    where = Patient.uhid == uhid if uhid else Patient.id == patient_id
    query = select(Patient).where(where)
    if not sees_all_facilities():
        query = query.where(Patient.facility_id == user_facility_id())
    patient = resolve(db.session.execute(query).scalar_one_or_none())
    return patient if patient is not None and in_scope(patient.facility_id) else None
