"""The lab's own screens: samples collected from the order's page and received by scanning
their labels; the worklist per section; the result entry grid of one ordered test, with
the pathologist's "verify and release" below it."""
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.base_views import DomainError, no_facility
from app.core.models import utcnow
from app.core.numbering import ist_today
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, current_facility, in_scope, may
from app.extensions import db
from app.core.formatting import ist
from app.registration import services as registration
from app.registration.display import summary
from app.registration.models import Patient

from . import judging, results, samples
from .chart import chart_data_uri
from .labels import LAB_LABELS
from .models import (
    FLAGS, ITEM_STATUSES, PRIORITIES, RESULT_STATUSES, SAMPLE_STATUSES, SECTIONS, LabOrder,
    LabOrderItem, LabSample,
)


def _user_id():
    return getattr(acting_user(), "id", None)


def translated(labels: dict) -> dict:
    return {code: str(label) for code, label in labels.items()}


def entry_page(view, item, errors=None, form=None, status=200):
    """One ordered test's results: the entry grid, the versions so far, and "verify and
    release" for a pathologist who did not enter them."""
    patient = item.order.patient
    age_days = judging.age_in_days(patient.dob, ist_today())
    analytes = results.analytes(item.test)
    bands = {a.id: judging.reference_range(a.ranges, patient.gender, age_days) for a in analytes}
    return view.render_template(
        "lab/entry.html", item=item, order=item.order, patient=summary(patient),
        analytes=analytes, current=results.current_results(item), bands=bands,
        band_text={a.id: judging.range_text(*bands[a.id], a.decimals) for a in analytes},
        result_statuses=RESULT_STATUSES,
        history=sorted(item.results, key=lambda r: (r.position, r.version)),
        amended=results.amended(item), flags=FLAGS, statuses=ITEM_STATUSES,
        sample_statuses=SAMPLE_STATUSES, errors=errors or {}, form=form or {},
        may_enter=may(WRITE, "LabResult"), may_release=may(WRITE, "LabRelease"),
        labels=LAB_LABELS, user_id=_user_id()), status


class LabSampleScreen(BaseView):
    row_args = {"order_id": LabOrder, "sample_id": LabSample}
    route_base = "/lab/samples"
    class_permission_name = "LabSample"
    method_permission_name = {"reception": READ, "receive": WRITE, "collect": WRITE,
                              "reject": WRITE}
    default_view = "reception"

    def _reception(self, facility, errors=None, form=None, status=200):
        waiting, total = results.worklist(facility.id, status="received", limit=20)
        return self.render_template(
            "lab/reception.html", errors=errors or {}, form=form or {}, recent=waiting,
            total=total, labels=LAB_LABELS, statuses=ITEM_STATUSES), status

    @expose("/")
    @has_access
    def reception(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        return self._reception(facility)

    @expose("/receive", methods=["POST"])
    @has_access
    def receive(self):
        """The sample's label scanned at the lab's window."""
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        try:
            sample = samples.receive(facility.id, request.form.get("sample_number", ""),
                                     _user_id())
        except DomainError as err:
            db.session.rollback()
            return self._reception(facility, err.errors, request.form, 422)
        flash(_("Received: %(number)s (%(tests)s).", number=sample.sample_number,
                tests=sample.test_codes), "success")
        return redirect(url_for("LabSampleScreen.reception"))

    @expose("/collect/<int:order_id>", methods=["POST"])
    @has_access
    def collect(self, order_id):
        from .orders import order_page
        order = samples.order_to_collect(order_id)
        ids = [int(v) for v in request.form.getlist("items") if v.isdigit()]
        try:
            taken = samples.collect(order, ids, _user_id())
        except DomainError as err:
            db.session.rollback()
            return order_page(self, order_id, err.errors, request.form, 422)
        flash(_("Collected: %(numbers)s. Print the labels and stick them on the tubes.",
                numbers=", ".join(s.sample_number for s in taken)), "success")
        return redirect(url_for("LabOrderScreen.order_page", order_id=order_id))

    @expose("/<int:sample_id>/reject", methods=["POST"])
    @has_access
    def reject(self, sample_id):
        from .orders import order_page
        sample = db.session.get(LabSample, sample_id)
        try:
            samples.reject(sample, request.form.get("reason", ""), request.form.get("note", ""),
                           _user_id())
        except DomainError as err:
            db.session.rollback()
            return order_page(self, sample.order_id, err.errors, request.form, 422)
        flash(_("Sample rejected; its tests wait for a new sample."), "warning")
        return redirect(url_for("LabOrderScreen.order_page", order_id=sample.order_id))


def cumulative_context(facility_id: int, patient, code: str | None) -> dict:
    """What the cumulative report shows, on screen and on paper."""
    tests, chosen, rows = results.cumulative(facility_id, patient, code)
    points = [(ist(r.item.sample.collected_at if r.item.sample else r.released_at)[:16],
               r.value_number, r.value) for r in rows]
    latest = rows[-1] if rows else None
    return {"tests": tests, "chosen": chosen, "rows": rows,
            "chart": chart_data_uri(points, latest.range_low if latest else None,
                                    latest.range_high if latest else None)
            if chosen is not None and chosen.result_type == "numeric" else None}


class LabResultScreen(BaseView):
    row_args = {"item_id": LabOrderItem, "patient_id": Patient}
    route_base = "/lab/results"
    class_permission_name = "LabResult"
    method_permission_name = {"worklist": READ, "entry": READ, "save": WRITE,
                              "patient": READ}
    default_view = "worklist"

    @expose("/")
    @has_access
    def worklist(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        section = request.args.get("section") if request.args.get("section") in SECTIONS \
            else None
        status = request.args.get("status") if request.args.get("status") in \
            results.WORK_STATUSES else None
        priority = request.args.get("priority") if request.args.get("priority") in \
            PRIORITIES else None
        rows, total = results.worklist(facility.id, section, status, priority)
        # Translated once here, not once per row shown (lazy strings look up the catalogue
        # each time they are printed).
        return self.render_template(
            "lab/worklist.html", rows=rows, total=total, sections=translated(SECTIONS),
            priorities=translated(PRIORITIES), statuses=translated(ITEM_STATUSES),
            section=section, status=status, priority=priority, labels=LAB_LABELS)

    @expose("/patient/<int:patient_id>")
    @has_access
    def patient(self, patient_id):
        """The patient's cumulative report: every released result of a test over time."""
        patient = registration.resolve(db.session.get(Patient, patient_id))
        facility_id = patient.facility_id
        return self.render_template(
            "lab/cumulative.html", patient=summary(patient), patient_id=patient.id,
            flags=FLAGS, labels=LAB_LABELS,
            **cumulative_context(facility_id, patient, request.args.get("test")))

    def _entry(self, item, errors=None, form=None, status=200):
        return entry_page(self, item, errors, form, status)

    @expose("/item/<int:item_id>")
    @has_access
    def entry(self, item_id):
        item = results.item_for_entry(item_id)
        if item is None or not in_scope(item.facility_id):
            return self.render_template("lab/not_found.html"), 404
        return self._entry(item)

    @expose("/item/<int:item_id>", methods=["POST"])
    @has_access
    def save(self, item_id):
        item = results.item_for_entry(item_id, for_update=True)
        values = {}
        for analyte in results.analytes(item.test):
            key = analyte.code
            values[key] = {"value": request.form.get(f"value-{key}", ""),
                           "confirm": request.form.get(f"confirm-{key}"),
                           "called_to": request.form.get(f"called_to-{key}", ""),
                           "called_at": request.form.get(f"called_at-{key}", "")}
        try:
            results.enter(item, values, _user_id(), request.form.get("revision"),
                          request.form.get("reason", ""))
        except DomainError as err:
            db.session.rollback()
            return self._entry(results.item_for_entry(item_id), err.errors, request.form,
                               err.status)
        flash(_("Results saved."), "success")
        return redirect(url_for("LabResultScreen.entry", item_id=item_id))


class LabTurnaroundScreen(BaseView):
    route_base = "/lab/turnaround"
    class_permission_name = "LabResult"
    method_permission_name = {"turnaround": READ}
    default_view = "turnaround"

    @expose("/")
    @has_access
    def turnaround(self):
        """Pending beyond target, and turnaround per section and test over a period."""
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        days = request.args.get("days", "7")
        days = int(days) if days.isdigit() and 1 <= int(days) <= 366 else 7
        end = utcnow()
        return self.render_template(
            "lab/turnaround.html", late=results.overdue(facility.id, end),
            report=results.turnaround(facility.id, end - timedelta(days=days), end),
            days=days, sections=SECTIONS, statuses=ITEM_STATUSES, labels=LAB_LABELS,
            hindi=str(get_locale()) == "hi")


class LabReleaseScreen(BaseView):
    row_args = {"item_id": LabOrderItem}
    route_base = "/lab/verify"
    class_permission_name = "LabRelease"
    method_permission_name = {"release": WRITE}
    default_view = "release"

    @expose("/item/<int:item_id>", methods=["POST"])
    @has_access
    def release(self, item_id):
        item = results.item_for_entry(item_id, for_update=True, ranges=False)
        try:
            results.release(item, _user_id(), request.form.get("revision"))
        except DomainError as err:
            db.session.rollback()
            return entry_page(self, results.item_for_entry(item_id), err.errors, {}, err.status)
        flash(_("Verified and released."), "success")
        return redirect(url_for("LabResultScreen.entry", item_id=item_id))
