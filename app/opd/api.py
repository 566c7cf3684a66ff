"""REST: /api/v1/opd_visit — list/show (facility-scoped) and issue a visit (token + fee)."""
from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validates_schema

from app.core.api_fields import Body, Choice, Id
from app.core.base_views import DomainError, ScopedApi
from app.core.interface import Interface
from app.core.roles import WRITE

from . import services
from .labels import VISIT_LABELS
from .models import VISIT_TYPES, OpdVisit


class VisitBody(Body):
    """A visit of a patient on record, or of one registered in the same act: the
    registration counter's "register and issue the token" in one call."""
    patient = Id(allow_none=True)
    new_patient = fields.Dict(allow_none=True)
    department = Id(required=True)
    visit_type = Choice(VISIT_TYPES, load_default="NEW")

    @validates_schema
    def _one_patient(self, data, **_kwargs):
        if (data.get("patient") is None) == (data.get("new_patient") is None):
            raise ValidationError(_("Give the patient's id, or the new patient's details "
                                    "(new_patient), not both."), "patient")


class OpdVisitApi(ScopedApi):
    resource_name = "opd_visit"
    datamodel = Interface(OpdVisit)
    class_permission_name = "OpdVisit"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = VISIT_LABELS
    list_columns = show_columns = ["id", "facility.code", "patient.id", "patient.uhid",
                                   "patient.name", "department.id", "department.code",
                                   "doctor.username", "room", "visit_type", "visit_date",
                                   "token", "status", "fee_code", "fee_amount", "fee_exempt",
                                   "exemption_scheme", "created_at"]
    add_model_schema = VisitBody()
    add_columns = list(VisitBody().fields)
    search_columns = ["visit_date", "department", "status", "patient", "token"]
    base_order = ("id", "desc")

    def post_headless(self):
        """Issue a visit: {"patient": id, "department": id, "visit_type": "NEW"|"FU"};
        or register and issue in one act: {"new_patient": {the patient's fields,
        "confirm_new"}, "department", "visit_type"} (409 with the candidates when the
        person may be on record)."""
        return self.create_through(self._issue)

    def _issue(self, facility, data, user_id):
        new = data.get("new_patient")
        if new is None:
            return services.revisit(data["patient"], facility.id, data["department"],
                                    user_id, data["visit_type"])
        if not self.appbuilder.sm.has_access(f"can_{WRITE}", "Patient"):
            raise DomainError({"new_patient": _("Your role may not register patients.")})
        visit, _warnings = services.register_with_visit(
            new, facility, data["department"], user_id, data["visit_type"],
            check_duplicates=new.get("confirm_new") is not True)
        return visit
