"""REST: /api/v1/lab_order (list, show, order), facility-scoped; ordering goes through
the same service as the order screen."""
from app.core.api_fields import Body, Choice, Id, Ids, Text
from app.core.base_views import ScopedApi
from app.core.interface import Interface

from . import services
from .labels import LAB_LABELS
from .models import PRIORITIES, LabOrder


class OrderBody(Body):
    patient = Id(required=True)
    tests = Ids(required=True)
    visit = Id(allow_none=True)
    admission = Id(allow_none=True)
    priority = Choice(PRIORITIES, load_default="routine")
    clinical_note = Text(300, allow_none=True)


class LabOrderApi(ScopedApi):
    resource_name = "lab_order"
    datamodel = Interface(LabOrder)
    class_permission_name = "LabOrder"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = LAB_LABELS
    list_columns = show_columns = [
        "id", "order_number", "facility.code", "patient.id", "patient.uhid", "patient.name",
        "opd_visit.id", "admission.id", "admission.ipd_number", "priority", "clinical_note",
        "status", "ordered_at", "ordered_by.username", "cancelled_at", "cancel_reason", "tests"]
    add_model_schema = OrderBody()
    add_columns = list(OrderBody().fields)
    search_columns = ["order_number", "status", "priority", "patient", "ordered_at"]
    list_preload = ("items.test", "items.charge")  # what the tests property shows
    base_order = ("id", "desc")

    def post_headless(self):
        """Order: {"patient": id, "tests": [lab test ids], "visit": OPD visit id,
        "admission": admission id, "priority": "routine"|"urgent", "clinical_note"}."""
        return self.create_through(lambda facility, data, user_id: services.place_order(
            facility, str(data.pop("patient")), data, user_id))
