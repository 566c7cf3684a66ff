"""Day-end screens: the report (HTML, CSV, Excel; the PDF is under /print), and the
cashier's shift close."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.core.audit import record_event
from app.core.base_views import DomainError, no_facility
from app.core.exports import spreadsheet_response
from app.core.errors import refusal_page
from app.core.formatting import ist, parse_date, spreadsheet_safe
from app.core.numbering import ist_today
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, working_facility_id
from app.extensions import db

from . import dayend
from .counter import mode_labels, status_labels


MAX_DAYS = 366  # a year at a time


def report_range():
    """?from=dd-mm-yyyy&to=dd-mm-yyyy (default: today, IST), at most a year, in order and
    not in the future; otherwise DomainError naming the field."""
    errors, days = {}, {}
    for field, default in (("from", ist_today()), ("to", None)):
        try:
            days[field] = parse_date(request.args.get(field)) or default or days["from"]
        except ValueError:
            errors[field] = _("Write the date as dd-mm-yyyy (years 1900 to 2100).")
    if errors:
        raise DomainError(errors)
    first, last = days["from"], days["to"]
    if first > last:  # refused, not quietly swapped: the clerk may have meant other dates
        raise DomainError({"from": _("The first day comes after the last.")})
    if last > ist_today():
        raise DomainError({"to": _("The range cannot end in the future.")})
    if (last - first).days >= MAX_DAYS:
        raise DomainError({"to": _("Choose at most %(n)s days at a time.", n=MAX_DAYS)})
    return first, last


def rows(report) -> list[list]:
    """The report as rows (section, item, figures...), for CSV and Excel alike. Amounts
    stay numbers; text typed by staff (reasons, names) is neutralised so that a
    spreadsheet never runs it as a formula."""
    out = [["section", "item", "amount", "extra"]]
    for mode, (received, refunded, net) in sorted(report.by_mode.items()):
        out.append(["by mode", mode, net, f"received {received}, refunded {refunded}"])
    out.append(["total", "net collected", report.net, ""])
    for cashier, net in sorted(report.by_cashier.items()):
        out.append(["by cashier", cashier, net, ""])
    for kind, amount in sorted(report.by_kind.items()):
        out.append(["billed by service kind", kind, amount, ""])
    out.append(["billed", f"{report.bills} bills", report.billed,
                f"discounts {report.discounts}"])
    out.append(["advances", "deposits taken", report.advances_taken, ""])
    out.append(["advances", "applied to bills", report.advances_applied, ""])
    for scheme, (items, forgone) in sorted(report.exemptions.items()):
        out.append(["exemptions by scheme", scheme, forgone, f"{items} items"])
    for number, net, reason in report.cancellations:
        out.append(["cancellation", number, net, reason or ""])
    for number, amount, mode, reason in report.refunds:
        out.append(["refund", number, amount, f"{mode}: {reason or ''}"])
    for number, at, uhid, name, net, paid, status, cashier in report.register or []:
        out.append(["bill", number, net, f"{ist(at)} · {uhid} {name} · paid {paid} · "
                                         f"{status} · {cashier or ''}"])
    return [[spreadsheet_safe(cell) for cell in row] for row in out]


class DayEndView(BaseView):
    route_base = "/day-end"
    class_permission_name = "Bill"
    method_permission_name = {"report": READ, "csv": READ, "xlsx": READ, "close_shift": WRITE}
    default_view = "report"

    def _report(self):
        """(facility id, report); report None when there is no facility. Raises
        DomainError for dates that cannot be used."""
        facility_id = working_facility_id()
        if facility_id is None:
            return None, None
        first, last = report_range()
        return facility_id, dayend.day_end(facility_id, first, last)

    @expose("/")
    @has_access
    def report(self):
        try:
            facility_id, report = self._report()
        except DomainError as err:
            return refusal_page(err)
        if report is None:
            return no_facility(self)
        from .views import KIND_LABELS
        return self.render_template("billing/dayend.html", report=report, modes=mode_labels(),
                                    kinds=KIND_LABELS, statuses=status_labels(),
                                    query=request.query_string.decode())

    def _export(self, fmt):
        try:
            facility_id, report = self._report()
        except DomainError as err:
            return refusal_page(err)
        if report is None:
            return no_facility(self)
        record_event(db.session, "export", "bill", facility_id=facility_id,
                     detail=f"day-end {report.first}..{report.last} {fmt}")
        db.session.commit()
        return spreadsheet_response(
            rows(report), f"day-end-{report.first:%Y%m%d}-{report.last:%Y%m%d}.{fmt}", fmt,
            "Day-end")

    @expose("/csv")
    @has_access
    def csv(self):
        return self._export("csv")

    @expose("/xlsx")
    @has_access
    def xlsx(self):
        return self._export("xlsx")

    @expose("/close-shift", methods=["GET", "POST"])
    @has_access
    def close_shift(self):
        facility_id = working_facility_id()
        user = acting_user()
        if facility_id is None:
            return no_facility(self)
        error = None
        if request.method == "POST":
            try:
                shift = dayend.close_shift(facility_id, user.id, request.form.get("declared_cash"),
                                           request.form.get("note"))
            except DomainError as err:
                db.session.rollback()
                error = next(iter(err.errors.values()))
            else:
                flash(_("Shift closed: counted ₹%(declared)s against ₹%(system)s in the "
                        "system (difference ₹%(diff)s).", declared=shift.declared_cash,
                        system=shift.system_cash, diff=shift.difference),
                      "success" if shift.difference == 0 else "warning")
                return redirect(url_for("DayEndView.report"))
        since, system = dayend.cash_since_last_close(facility_id, user.id)
        return self.render_template("billing/close_shift.html", since=since, system=system,
                                    error=error), (422 if error else 200)


