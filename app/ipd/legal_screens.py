"""A death certified (MCCD) and the body handed over; an MLC's details (doctors); the
consents taken (ward staff): forms on the admission's page, and the MLC register."""
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.base_views import DomainError, ScopedModelView
from app.core.interface import Interface
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, may

from . import consents, deaths
from .board import act_on_admission, local_times
from .labels import LEGAL_LABELS
from .models import CONSENT_KINDS, CONSENT_RELATIONS, MANNERS, Admission, MedicoLegalCase
from .notes import is_doctor



class LegalScreen(BaseView):
    row_args = {"admission_id": Admission}
    route_base = "/ipd/legal"
    class_permission_name = "MedicoLegal"
    method_permission_name = {"death": WRITE, "handover": WRITE, "mlc": WRITE}
    default_view = "death"

    @expose("/<int:admission_id>/death", methods=["POST"])
    @has_access
    def death(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: deaths.record_death(
            admission, local_times(form, "died_at"), acting_user()),
            _("Death recorded. The MCCD can be printed."), "legal")

    @expose("/<int:admission_id>/handover", methods=["POST"])
    @has_access
    def handover(self, admission_id):
        def hand_over(admission, form):
            record = deaths.death_of(admission.id)
            if record is None:
                raise DomainError({"handed_over_to": _("No death is recorded here.")})
            deaths.hand_over_body(record, local_times(form, "handed_over_at"),
                                  getattr(acting_user(), "id", None))
        return act_on_admission(self, admission_id, hand_over, _("Handing over recorded."),
                                "legal")

    @expose("/<int:admission_id>/mlc", methods=["POST"])
    @has_access
    def mlc(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: deaths.save_mlc(
            admission, local_times(form, "police_informed_at"), getattr(acting_user(), "id", None)),
            _("MLC details saved."), "legal")


class ConsentScreen(BaseView):
    """Consents recorded from the admission's page (ward staff)."""
    row_args = {"admission_id": Admission}
    route_base = "/ipd/consent"
    class_permission_name = "Admission"
    method_permission_name = {"record": WRITE}
    default_view = "record"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def record(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: consents.record(
            admission, local_times(form, "signed_at"), getattr(acting_user(), "id", None)),
            _("Consent recorded. Print the form for the signatures."), "consents")


class MlcRegisterView(ScopedModelView):
    """The MLC register: every medico-legal admission with its police details."""
    datamodel = Interface(MedicoLegalCase)
    class_permission_name = "MedicoLegal"
    include_route_methods = {"list", "show"}
    list_title = _l("MLC register")
    show_title = _l("Medico-legal case")
    label_columns = LEGAL_LABELS
    list_columns = ["recorded_at", "admission", "police_station", "gd_entry",
                    "police_informed_at", "brought_by", "injuries"]
    show_columns = ["facility", "admission", "police_station", "gd_entry", "police_informed_at",
                    "brought_by", "injuries", "recorded_by", "recorded_at"]
    search_columns = ["recorded_at", "police_station", "gd_entry", "brought_by"]
    base_order = ("recorded_at", "desc")


def page_context(admission) -> dict:
    """What the admission's page shows of a death, an MLC and the consents."""
    doctor = may(WRITE, "MedicoLegal") and is_doctor(acting_user())
    return {"death": deaths.death_of(admission.id) if admission.discharge_type == "death"
            else None, "consents": consents.of_admission(admission.id),
            "consent_kinds": CONSENT_KINDS, "consent_relations": CONSENT_RELATIONS,
            "may_take_consent": may(WRITE, "Admission") and admission.status == "admitted",
            "mlc_case": admission.medico_legal if admission.mlc else None,
            "manners": MANNERS, "legal_labels": LEGAL_LABELS, "may_certify": doctor,
            "may_read_legal": may(READ, "MedicoLegal")}
