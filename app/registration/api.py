"""REST: /api/v1/patient (facility-scoped), with /search and registration through the
same service as the desk (UHID allocation, validation, duplicate check)."""
from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import gettext as _

from app.core.base_views import DomainError, ScopedApi
from app.core.interface import Interface
from app.core.models import Facility
from app.core.roles import METHOD_PERMISSIONS, READ
from app.core.scoping import acting_user, bounded_id, working_facility_id
from app.extensions import db

from . import services
from .display import summary
from .labels import PATIENT_LABELS
from .models import Patient
from .search_key import index_patient
from .validation import MAX_AGE_YEARS, patient_edit_rules

PATIENT_FIELDS = ["name", "guardian_relation", "guardian_name", "gender", "dob", "mobile",
                  "state", "district", "block", "village", "address_line", "pin_code",
                  "category", "card_number", "mlc", "abha_number", "abha_address",
                  "aadhaar_last4"]


class PatientApi(ScopedApi):
    resource_name = "patient"
    datamodel = Interface(Patient)
    class_permission_name = "Patient"
    method_permission_name = {**METHOD_PERMISSIONS, "search": READ}
    label_columns = PATIENT_LABELS
    list_columns = show_columns = ["id", "uhid", "facility.code", "name", "guardian_relation",
                                   "guardian_name", "gender", "dob", "dob_estimated",
                                   "mobile", "village.id", "village.name_en", "address_line",
                                   "pin_code", "category.code", "card_number", "mlc",
                                   "abha_number", "abha_address", "last_visit_on",
                                   "merged_into.uhid"]
    edit_columns = PATIENT_FIELDS
    add_columns = PATIENT_FIELDS
    search_columns = ["uhid", "name", "mobile", "abha_number"]
    openapi_spec_methods = {"search": {"get": {"description": "Find patients by UHID, "
                                               "mobile, ABHA number or name (either script)."}}}

    def rules(self, values, pk):
        return patient_edit_rules(values, pk)

    def pre_update(self, item):
        super().pre_update(item)
        index_patient(item)

    def post_headless(self):
        """Register a patient: the facility is the caller's; the UHID is allocated here.
        Duplicates are refused (409, with the candidates) unless "confirm_new" is true."""
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message="Request is not JSON")
        facility_id = working_facility_id()
        if facility_id is None:
            return self.response_422(message={"facility": ["state-level accounts do not "
                                                           "register patients"]})
        data = dict(request.json)
        try:
            patient = services.register_patient(
                data, db.session.get(Facility, facility_id), getattr(acting_user(), "id", None),
                check_duplicates=data.get("confirm_new") is not True)
        except services.PossibleDuplicates as found:
            return self.response(409, message=found.errors, **found.payload())
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [v] for k, v in err.errors.items()})
        return self.response(201, id=patient.id, result=summary(patient))

    @expose("/search", methods=["GET"])
    @protect()
    @safe
    def search(self):
        """Find patients.
        ---
        get:
          description: >-
            Exact UHID, mobile or ABHA number; otherwise name prefix or fragment in
            Devanagari or Latin script, ranked. Narrow with guardian and age.
          parameters:
          - {in: query, name: q, required: true, schema: {type: string}}
          - {in: query, name: guardian, schema: {type: string}}
          - {in: query, name: age, schema: {type: integer}}
          - {in: query, name: village, schema: {type: integer}, description: LGD village id}
          responses:
            200: {description: Matching patients (at most 20)}
            401: {$ref: '#/components/responses/401'}
        """
        facility_id = working_facility_id()
        if facility_id is None:
            return self.response(200, result=[])
        age, village = request.args.get("age", ""), request.args.get("village", "")
        errors = {}
        if age and (not age.isdigit() or int(age) > MAX_AGE_YEARS):
            errors["age"] = [_("Age must be a whole number, 0 to %(n)s.", n=MAX_AGE_YEARS)]
        if village and bounded_id(village) is None:
            errors["village"] = [_("No such record.")]
        if errors:
            return self.response_422(message=errors)
        patients = services.search_patients(
            facility_id, request.args.get("q", ""), guardian=request.args.get("guardian"),
            age=int(age) if age else None, village_id=bounded_id(village))
        return self.response(200, result=[summary(p) for p in patients])
