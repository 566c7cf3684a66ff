"""REST: /api/v1/opd_visit — list/show (facility-scoped) and issue a visit (token + fee)."""
from flask import request
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.core.base_views import DomainError, ScopedApi
from app.core.scoping import acting_user, working_facility_id
from app.extensions import db

from . import services
from .labels import VISIT_LABELS
from .models import OpdVisit


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
    add_columns = ["patient", "department", "visit_type"]
    search_columns = ["visit_date", "department", "status", "patient", "token"]
    base_order = ("id", "desc")

    def post_headless(self):
        """Issue a visit: {"patient": id, "department": id, "visit_type": "NEW"|"FU"}."""
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message="Request is not JSON")
        data = request.json
        try:
            patient_id = int(data.get("patient"))
        except (TypeError, ValueError):
            return self.response_422(message={"patient": [f"{VISIT_LABELS['patient']}: "
                                                          "?"]})
        try:
            visit = services.revisit(patient_id, working_facility_id(), data.get("department"),
                                     getattr(acting_user(), "id", None),
                                     data.get("visit_type", "NEW"))
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [v] for k, v in err.errors.items()})
        return self.response(201, id=visit.id,
                             result=self.show_model_schema.dump(visit, many=False))
