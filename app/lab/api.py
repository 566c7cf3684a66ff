"""REST: /api/v1/lab_order (list, show, order), facility-scoped; ordering goes through
the same service as the order screen."""
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.core.base_views import ScopedApi

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
        def order(facility, data, user_id):
            tests = data.get("tests")
            return services.place_order(
                facility, str(data.get("patient", "")),
                {"tests": tests if isinstance(tests, list) else [tests],
                 **{f: data.get(f) for f in ORDER_FIELDS}}, user_id)
        return self.create_through(order)
