"""REST: /api/v1/admission (list, show, admit) and /api/v1/bed (beds and who is in them),
facility-scoped; admitting goes through the same service as the ward screen."""
from app.core.api_fields import Body, Choice, Id, Text, YesNo
from app.core.base_views import ScopedApi
from app.core.interface import Interface

from . import services
from .labels import ADMISSION_LABELS, WARD_LABELS
from .models import ARRIVALS, Admission, Bed


class AdmitBody(Body):
    patient = Id(required=True)
    department = Id(required=True)
    bed = Id(required=True)
    doctor = Id(allow_none=True)
    arrival = Choice(ARRIVALS, load_default="OPD")
    provisional_diagnosis = Text(300, allow_none=True)
    mlc = YesNo(load_default=False)
    attendant_name = Text(100, allow_none=True)
    attendant_mobile = Text(20, allow_none=True)
    visit = Id(allow_none=True)


class AdmissionApi(ScopedApi):
    resource_name = "admission"
    datamodel = Interface(Admission)
    class_permission_name = "Admission"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = ADMISSION_LABELS
    list_columns = show_columns = [
        "id", "ipd_number", "facility.code", "patient.id", "patient.uhid", "patient.name",
        "department.id", "department.code", "doctor.username", "arrival",
        "provisional_diagnosis", "mlc", "bed.id", "bed.number", "status",
        "admitted_at", "discharged_at", "discharge_type", "discharge_note", "opd_visit.id"]
    add_model_schema = AdmitBody()
    add_columns = list(AdmitBody().fields)
    search_columns = ["ipd_number", "status", "department", "patient", "admitted_at"]
    base_order = ("id", "desc")

    def post_headless(self):
        """Admit: {"patient": id, "department": id, "bed": id, "doctor": user id,
        "arrival": "OPD"|"EMERGENCY"|"REFERRED", "provisional_diagnosis", "mlc",
        "attendant_name", "attendant_mobile", "visit": OPD visit id}."""
        return self.create_through(lambda facility, data, user_id: services.admit(
            facility, str(data.pop("patient")), data, user_id))


class BedApi(ScopedApi):
    resource_name = "bed"
    datamodel = Interface(Bed)
    class_permission_name = "Ward"
    include_route_methods = {"get", "get_list", "info"}
    label_columns = WARD_LABELS
    list_columns = show_columns = ["id", "facility.code", "ward.id", "ward.code", "ward.name_en",
                                   "ward.name_hi", "number", "tariff_code", "active",
                                   "occupant.id", "occupant.ipd_number", "occupant.admitted_at"]
    search_columns = ["ward", "number", "active", "tariff_code"]
    list_preload = ("occupant",)
    base_order = ("id", "asc")
