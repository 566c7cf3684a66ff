"""The order screen: find the patient (or come from the consultation or the
admission), tick the tests, print the test slip; an order written in error is
cancelled here while nothing of it is billed."""
from itertools import groupby

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.core.base_views import DomainError, no_facility
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, current_facility, in_scope, may
from app.extensions import db
from app.ipd import services as ipd
from app.registration import services as registration
from app.registration.display import summary
from app.registration.models import Patient

from . import services
from .labels import LAB_LABELS
from .models import (
    CONTAINERS, FLAGS, ITEM_STATUSES, ORDER_STATUSES, PAYMENT_STATES, PRIORITIES,
    REJECT_REASONS, SAMPLE_STATUSES, SAMPLES, SECTIONS, LabOrder,
)

ORDER_FIELDS = ("visit", "admission", "priority", "clinical_note")


def order_page(view, order_id, errors=None, form=None, status=200):
    """The order's page: its tests and where each stands, payment, samples (collect,
    labels, reject) and the released results."""
    from . import results, samples
    order = results.order_for_report(order_id)
    return view.render_template(
        "lab/order.html", order=order, patient=summary(order.patient),
        states={item.id: services.payment_state(item) for item in order.items},
        payment=PAYMENT_STATES, statuses=ORDER_STATUSES, priorities=PRIORITIES,
        samples=SAMPLES, containers=CONTAINERS, item_statuses=ITEM_STATUSES,
        taken=samples.order_samples(order.id), sample_statuses=SAMPLE_STATUSES,
        reject_reasons=REJECT_REASONS, report=results.order_results(order), flags=FLAGS,
        may_collect=may(WRITE, "LabSample"), may_enter=may(WRITE, "LabResult"),
        collectable=samples.COLLECTABLE, labels=LAB_LABELS, errors=errors or {},
        form=form or {}), status


class LabOrderScreen(BaseView):
    row_args = {"order_id": LabOrder}  # rows named in its URLs: 404 unless in scope
    route_base = "/lab"
    class_permission_name = "LabOrder"
    method_permission_name = {"find": READ, "order_page": READ, "order": WRITE,
                              "cancel": WRITE}
    default_view = "find"

    @expose("/")
    @has_access
    def find(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        q = request.args.get("q", "").strip()
        order = services.order_by_number(facility.id, q)
        if order is not None:
            return redirect(url_for("LabOrderScreen.order_page", order_id=order.id))
        results = [summary(p) for p in registration.search_patients(facility.id, q)] \
            if q else None
        return self.render_template("lab/find.html", q=q, results=results)

    def _order_form(self, facility, patient, form, errors=None, status=200):
        return self.render_template(
            "lab/order_form.html", patient=summary(patient), form=form, errors=errors or {},
            groups=[(section, list(tests)) for section, tests in
                    groupby(services.orderable_tests(facility.id), key=lambda t: t.section)],
            sections=SECTIONS, samples=SAMPLES,
            priorities=PRIORITIES, admission=ipd.current_admission(patient),
            orders=services.patient_orders(facility.id, patient), statuses=ORDER_STATUSES,
            labels=LAB_LABELS), status

    @expose("/order", methods=["GET", "POST"])
    @has_access
    def order(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        source = request.form if request.method == "POST" else request.args
        raw = source.get("patient", "")
        patient = registration.resolve(db.session.get(Patient, int(raw))) if raw.isdigit() \
            else None
        if patient is None or patient.facility_id != facility.id:
            return redirect(url_for("LabOrderScreen.find"))
        if request.method == "GET":
            return self._order_form(facility, patient,
                                    {f: request.args.get(f, "") for f in ORDER_FIELDS})
        form = {f: request.form.get(f, "") for f in ORDER_FIELDS}
        form["tests"] = request.form.getlist("tests")
        try:
            order = services.place_order(facility, patient.id, form,
                                         getattr(acting_user(), "id", None))
        except DomainError as err:
            db.session.rollback()
            return self._order_form(facility, patient, form, err.errors, 422)
        flash(_("Ordered: %(number)s. Print the test slip for the patient.",
                number=order.order_number), "success")
        return redirect(url_for("LabOrderScreen.order_page", order_id=order.id))

    def _order(self, order_id):
        order = services.order_details(order_id)
        return order if order is not None and in_scope(order.facility_id) else None

    def _order_page(self, order, errors=None, form=None, status=200):
        return order_page(self, order.id, errors, form, status)

    @expose("/order/<int:order_id>")
    @has_access
    def order_page(self, order_id):
        order = self._order(order_id)
        if order is None:
            return self.render_template("lab/not_found.html"), 404
        return self._order_page(order)

    @expose("/order/<int:order_id>/cancel", methods=["POST"])
    @has_access
    def cancel(self, order_id):
        order = self._order(order_id)
        if order is None:
            return self.render_template("lab/not_found.html"), 404
        try:
            services.cancel_order(order, request.form.get("reason"),
                                  getattr(acting_user(), "id", None))
        except DomainError as err:
            db.session.rollback()
            return self._order_page(self._order(order_id), err.errors, request.form, 422)
        flash(_("Lab order cancelled; its charges are withdrawn."), "success")
        return redirect(url_for("LabOrderScreen.order_page", order_id=order_id))
