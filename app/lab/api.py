"""REST: /api/v1/lab_order (list, show, order), facility-scoped; ordering goes through
the same service as the order screen."""
from flask import request
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.core.base_views import DomainError, ScopedApi
from app.core.scoping import acting_user, current_facility
from app.extensions import db

from . import services
from .labels import LAB_LABELS
from .models import LabOrder
from .orders import ORDER_FIELDS


class LabOrderApi(ScopedApi):
    resource_name = "lab_order"
    datamodel = SQLAInterface(LabOrder)
    class_permission_name = "LabOrder"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = LAB_LABELS
    list_columns = show_columns = [
        "id", "order_number", "facility.code", "patient.id", "patient.uhid", "patient.name",
        "opd_visit.id", "admission.id", "admission.ipd_number", "priority", "clinical_note",
        "status", "ordered_at", "ordered_by.username", "cancelled_at", "cancel_reason", "tests"]
    add_columns = ["patient"]
    search_columns = ["order_number", "status", "priority", "patient", "ordered_at"]
    base_order = ("id", "desc")

    def post_headless(self):
        """Order: {"patient": id, "tests": [lab test ids], "visit": OPD visit id,
        "admission": admission id, "priority": "routine"|"urgent", "clinical_note"}."""
        data = request.json if request.is_json and isinstance(request.json, dict) else None
        if data is None:
            return self.response_400(message="Request is not JSON")
        facility = current_facility()
        try:
            if facility is None:
                raise DomainError({"patient": LAB_LABELS["patient"] + ": ?"})
            tests = data.get("tests")
            order = services.place_order(
                facility, str(data.get("patient", "")),
                {"tests": tests if isinstance(tests, list) else [tests],
                 **{f: data.get(f) for f in ORDER_FIELDS}},
                getattr(acting_user(), "id", None))
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [str(v)] for k, v in err.errors.items()})
        return self.response(201, id=order.id, result=self.show_model_schema.dump(order))
