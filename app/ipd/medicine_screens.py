"""The ward's medicine screens: a doctor orders and stops medicines on the admission's
page; nurses mark doses there or on the medicine round, the list of a ward's doses due
and overdue."""
from datetime import datetime

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError, no_facility
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, current_facility, in_scope, may
from app.extensions import db
from app.opd.consultation import ROUTE_LABELS
from app.opd.models import Drug

from . import medication
from .board import act_on_admission, local_times
from .labels import MAR_LABELS, MEDICATION_LABELS
from .models import MAR_OUTCOMES, Admission, MedicationAdministration, MedicationOrder, Ward


def _user_id():
    return getattr(acting_user(), "id", None)


def _times(form, *fields) -> dict:
    """The form with its typed times ("29-11-2026 14:30", or "14:30" today) read, and the
    dose it marks (the time the page gave it, ISO)."""
    data = local_times(form, *fields)
    if form.get("due_at"):
        try:
            data["due_at"] = datetime.fromisoformat(form["due_at"])
        except ValueError:
            data["due_at"] = None
        if data["due_at"] is not None and data["due_at"].tzinfo is None:
            data["due_at"] = None
    return data


class MedicationScreen(BaseView):
    """Orders written from the admission's page (doctors)."""
    row_args = {"admission_id": Admission, "order_id": MedicationOrder}
    route_base = "/ipd/medication"
    class_permission_name = "MedicationOrder"
    method_permission_name = {"order": WRITE, "stop": WRITE}
    default_view = "order"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def order(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: medication.order(
            admission, _times(form, "start_at"), _user_id()), _("Medicine ordered."),
            "medicines")

    @expose("/order/<int:order_id>/stop", methods=["POST"])
    @has_access
    def stop(self, order_id):
        row = db.session.get(MedicationOrder, order_id)
        return act_on_admission(self, row.admission_id, lambda _a, form: medication.stop(
            row, form.get("stop_reason"), _user_id()), _("Order stopped."), "medicines")


class MarScreen(BaseView):
    """The medication administration record: the ward's medicine round (its doses marked
    together), and a dose marked or struck out on the admission's page."""
    row_args = {"order_id": MedicationOrder, "mark_id": MedicationAdministration}
    route_base = "/ipd/mar"
    class_permission_name = "MedicationAdministration"
    method_permission_name = {"round": READ, "mark_round": WRITE, "mark": WRITE,
                              "void": WRITE}
    default_view = "round"

    @expose("/")
    @has_access
    def round(self):
        return self._round_page()

    def _round_page(self, form=None, errors=None, status=200):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        wards = db.session.execute(select(Ward).where(
            Ward.facility_id == facility.id, Ward.active.is_(True)).order_by(Ward.code)
        ).scalars().all()
        giving = medication.wards_giving(facility.id)
        ward = _chosen_ward(wards, (form or request.args).get("ward", ""), giving)
        doses = medication.due_on_ward(facility.id, ward.id) if ward is not None else []
        return self.render_template(
            "ipd/mar.html", wards=wards, ward=ward, giving=giving, outcomes=MAR_OUTCOMES,
            routes=ROUTE_LABELS,
            doses=[d for d in doses if d.state != "done"],
            done=sum(1 for d in doses if d.state == "done"), form=form or {},
            errors=errors or {}, mar_labels=MAR_LABELS, order_labels=MEDICATION_LABELS,
            may_mark=may(WRITE, "MedicationAdministration")), status

    @expose("/round", methods=["POST"])
    @has_access
    def mark_round(self):
        """The round's form: for each dose chosen ("o:<order id>:<due ISO>" = given, held
        or refused; "r:..." its reason) a mark, all given at the form's time."""
        try:
            data = _times(request.form, "at")
            medication.mark_round(_round_marks(request.form), data.get("at"), _user_id())
        except DomainError as err:
            db.session.rollback()
            return self._round_page(request.form, err.errors, 422)
        flash(_("Doses marked."), "success")
        return redirect(url_for("MarScreen.round", ward=request.form.get("ward", "")))

    @expose("/<int:order_id>", methods=["POST"])
    @has_access
    def mark(self, order_id):
        row = db.session.get(MedicationOrder, order_id)
        return act_on_admission(self, row.admission_id, lambda _a, form: medication.administer(
            row, _times(form, "at"), _user_id()), _("Dose marked."), "medicines")

    @expose("/entry/<int:mark_id>/void", methods=["POST"])
    @has_access
    def void(self, mark_id):
        mark = db.session.get(MedicationAdministration, mark_id)
        return act_on_admission(self, mark.admission_id, lambda _a, form: medication.void(
            mark, form.get("void_reason"), _user_id()), _("Entry struck out."), "medicines")


def _chosen_ward(wards, chosen: str, giving: set[int]) -> Ward | None:
    """The ward asked for, else the first with medicines to give, else the first."""
    return next((w for w in wards if str(w.id) == chosen),
                next((w for w in wards if w.id in giving), wards[0] if wards else None))


def _round_marks(form) -> list[dict]:
    """The doses the round's form marks, their orders read in one query (another
    facility's order, or one that does not exist, is refused)."""
    chosen = {}
    for name, outcome in form.items():
        kind, _sep, key = name.partition(":")
        if kind != "o" or not outcome:
            continue
        order_id, _sep, due = key.partition(":")
        try:
            chosen[key] = (int(order_id), datetime.fromisoformat(due), outcome)
        except ValueError:
            raise DomainError({"dose": _("Choose a dose of this order as scheduled.")})
    orders = {o.id: o for o in db.session.execute(
        select(MedicationOrder).where(MedicationOrder.id.in_({c[0] for c in chosen.values()}))
        .options(joinedload(MedicationOrder.admission).joinedload(Admission.bed))
    ).scalars()} if chosen else {}
    marks = []
    for key, (order_id, due, outcome) in chosen.items():
        order = orders.get(order_id)
        if order is None or not in_scope(order.facility_id) or due.tzinfo is None:
            raise DomainError({"dose": _("Choose a dose of this order as scheduled.")})
        marks.append({"order": order, "due_at": due, "outcome": outcome,
                      "reason": form.get(f"r:{key}", "")})
    return marks


def page_context(admission) -> dict:
    """What the admission's page shows of medicines, and the drug list a doctor orders
    from."""
    may_order = may(WRITE, "MedicationOrder") and admission.status == "admitted"
    drugs = db.session.execute(select(Drug).where(Drug.active.is_(True)).order_by(
        Drug.name, Drug.strength)).scalars().all() if may_order else []
    return {"medicines": medication.of_admission(admission.id), "routes": ROUTE_LABELS,
            "drugs": drugs, "mar_outcomes": MAR_OUTCOMES, "mar_labels": MAR_LABELS,
            "order_labels": MEDICATION_LABELS, "frequency_help": medication.FREQUENCY_HELP,
            "may_order": may_order, "may_mark": may(WRITE, "MedicationAdministration")}
