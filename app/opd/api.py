"""REST: /api/v1/opd_visit — list/show (facility-scoped) and issue a visit (token + fee)."""
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.core.api_fields import Body, Choice, Id
from app.core.base_views import ScopedApi

from . import services
from .labels import VISIT_LABELS
from .models import VISIT_TYPES, OpdVisit


class VisitBody(Body):
    patient = Id(required=True)
    department = Id(required=True)
    visit_type = Choice(VISIT_TYPES, load_default="NEW")


class OpdVisitApi(ScopedApi):
    resource_name = "opd_visit"
    datamodel = SQLAInterface(OpdVisit)
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
        """Issue a visit: {"patient": id, "department": id, "visit_type": "NEW"|"FU"}."""
        return self.create_through(lambda facility, data, user_id: services.revisit(
            data["patient"], facility.id, data["department"], user_id, data["visit_type"]))
