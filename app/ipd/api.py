"""REST: /api/v1/admission (list, show, admit), /api/v1/bed (beds and who is in them),
/api/v1/vital_sign (list, show, chart a set), /api/v1/fluid_entry (intake/output: list,
show, chart, strike out), /api/v1/clinical_note (list, show, write, with its orders),
/api/v1/medication_order (list, show, order, stop), /api/v1/medication_administration
(list, show, mark a dose, strike out) and /api/v1/admission/<id>/discharge_summary (read,
write, sign), facility-scoped; every act goes through the same service as the ward's
screens."""
from flask_appbuilder.api import expose, protect, safe
from marshmallow import fields, validate

from app.core.api_fields import Body, Choice, Id, Number, Text, YesNo
from app.core.base_views import ScopedApi, scoped
from app.core.interface import Interface
from app.core.roles import METHOD_PERMISSIONS, READ, WRITE
from app.core.scoping import acting_user, in_scope
from app.extensions import db
from app.opd.consultation import ROUTE_LABELS

from . import fluids, medication, notes, services, summary, vitals
from .labels import (
    ADMISSION_LABELS, FLUID_LABELS, MAR_LABELS, MEDICATION_LABELS, NOTE_LABELS, SUMMARY_LABELS,
    VITAL_LABELS, WARD_LABELS,
)
from .models import (
    ARRIVALS, CONSCIOUSNESS, DIETS, MAR_OUTCOMES, NOTE_KINDS, SHIFTS, Admission, Bed,
    ClinicalNote, FluidEntry, MedicationAdministration, MedicationOrder, VitalSign,
)


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
    confirm_ward = YesNo(load_default=False)


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
        "attendant_name", "attendant_mobile", "visit": OPD visit id, "confirm_ward": true to
        admit to a ward of the other sex or other ages (answered 422 otherwise)}."""
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


class VitalBody(Body):
    admission = Id(required=True)
    taken_at = fields.AwareDateTime(allow_none=True)
    temperature_f = Number(allow_none=True)
    pulse = Number(allow_none=True)
    resp_rate = Number(allow_none=True)
    bp_systolic = Number(allow_none=True)
    bp_diastolic = Number(allow_none=True)
    spo2 = Number(allow_none=True)
    on_oxygen = YesNo(load_default=False)
    consciousness = Choice(CONSCIOUSNESS, allow_none=True)
    pain_score = Number(allow_none=True)
    rbs_mg_dl = Number(allow_none=True)
    weight_kg = Number(allow_none=True)


class VitalSignApi(ScopedApi):
    resource_name = "vital_sign"
    datamodel = Interface(VitalSign)
    class_permission_name = "VitalSign"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = VITAL_LABELS
    list_columns = show_columns = [
        "id", "facility.code", "admission.id", "admission.ipd_number", "taken_at",
        "temperature_f", "pulse", "resp_rate", "bp_systolic", "bp_diastolic", "spo2",
        "on_oxygen", "consciousness", "pain_score", "rbs_mg_dl", "weight_kg", "news2",
        "news2_risk", "recorded_by.username", "recorded_at"]
    add_model_schema = VitalBody()
    add_columns = list(VitalBody().fields)
    search_columns = ["admission", "taken_at", "news2", "news2_risk"]
    base_order = ("taken_at", "desc")

    def post_headless(self):
        """Chart a set of vitals: {"admission": id, "taken_at": ISO time with zone (now
        when left out), "temperature_f", "pulse", "resp_rate", "bp_systolic",
        "bp_diastolic", "spo2", "on_oxygen": true|false, "consciousness": A|C|V|P|U,
        "pain_score", "rbs_mg_dl", "weight_kg"}; the answer carries its NEWS2 score."""
        def chart(facility, data, user_id):
            return vitals.record(_admission(data.pop("admission")), data, user_id)
        return self.create_through(chart)


def _admission(admission_id) -> Admission:
    """The facility's admission named in a body (another facility's is as none)."""
    return scoped(services.admission_details(admission_id), "admission")


class ProcedureLine(Body):
    code = Text(20, required=True)
    quantity = Number(allow_none=True)
    detail = Text(300, allow_none=True)


class NoteBody(Body):
    admission = Id(required=True)
    kind = Choice(NOTE_KINDS, required=True)
    shift = Choice(SHIFTS, allow_none=True)
    subjective = Text(4000, allow_none=True)
    examination = Text(4000, allow_none=True)
    assessment = Text(4000, allow_none=True)
    plan = Text(4000, allow_none=True)
    text = Text(4000, allow_none=True)
    amends = Id(allow_none=True)
    amend_reason = Text(300, allow_none=True)
    procedures = fields.List(fields.Nested(ProcedureLine), load_default=list)
    diet = Choice(DIETS, allow_none=True)
    diet_note = Text(200, allow_none=True)
    transfer_ward = Id(allow_none=True)
    transfer_reason = Text(200, allow_none=True)
    discharge_on = fields.Date(allow_none=True)


class ClinicalNoteApi(ScopedApi):
    resource_name = "clinical_note"
    datamodel = Interface(ClinicalNote)
    class_permission_name = "ClinicalNote"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = NOTE_LABELS
    list_columns = show_columns = [
        "id", "facility.code", "admission.id", "admission.ipd_number", "kind", "shift",
        "written_at", "author.username", "subjective", "examination", "assessment", "plan",
        "text", "amends.id", "amend_reason"]
    add_model_schema = NoteBody()
    add_columns = list(NoteBody().fields)
    search_columns = ["admission", "kind", "written_at"]
    base_order = ("written_at", "desc")

    def post_headless(self):
        """Write a note: {"admission": id, "kind": "round", "subjective", "examination",
        "assessment", "plan"} (doctors) or {"admission": id, "kind": "nursing", "shift":
        "morning"|"evening"|"night", "text"}; "amends": an earlier note's id with
        "amend_reason" to correct it (after discharge, a doctor's amendment only). A
        round may order: "procedures": [{"code": tariff code, "quantity", "detail"}]
        (charged to the stay), "diet" with "diet_note", "transfer_ward" (ward id) with
        "transfer_reason", "discharge_on" (the planned date)."""
        return self.create_through(lambda facility, data, user_id: notes.write(
            _admission(data.pop("admission")), data, acting_user()))


class MedicationBody(Body):
    admission = Id(required=True)
    drug = Id(allow_none=True)
    drug_name = Text(160, allow_none=True)
    dose = Text(40, required=True)
    route = Choice(ROUTE_LABELS, allow_none=True)
    frequency = Text(20, required=True)
    days = Number(allow_none=True)
    start_at = fields.AwareDateTime(allow_none=True)
    instructions = Text(200, allow_none=True)


class StopBody(Body):
    stop_reason = Text(300, required=True)


class MedicationOrderApi(ScopedApi):
    resource_name = "medication_order"
    datamodel = Interface(MedicationOrder)
    class_permission_name = "MedicationOrder"
    method_permission_name = {**METHOD_PERMISSIONS, "stop": WRITE}
    include_route_methods = {"get", "get_list", "info", "post", "stop"}
    label_columns = MEDICATION_LABELS
    list_columns = show_columns = [
        "id", "facility.code", "admission.id", "admission.ipd_number", "drug.id",
        "drug_name", "dose", "route", "frequency", "days", "start_at", "end_at",
        "instructions", "ordered_by.username", "ordered_at", "stopped_at",
        "stopped_by.username", "stop_reason"]
    add_model_schema = MedicationBody()
    add_columns = list(MedicationBody().fields)
    openapi_spec_component_schemas = (StopBody,)
    search_columns = ["admission", "drug_name", "start_at", "stopped_at"]
    base_order = ("start_at", "desc")

    def post_headless(self):
        """Order a medicine (doctors): {"admission": id, "drug": drug master id or
        "drug_name": as written, "dose", "route", "frequency": OD|BD|TDS|QID|HS|Q<n>H|
        1-0-1|SOS|STAT, "days" (none: until stopped), "start_at" (now when left out),
        "instructions"}."""
        return self.create_through(lambda facility, data, user_id: medication.order(
            _admission(data.pop("admission")), data, user_id))

    @expose("/<int:pk>/stop", methods=["POST"])
    @protect()
    @safe
    def stop(self, pk):
        """Stop a running order, with the reason.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/StopBody'}
          responses:
            200: {description: The order, stopped}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.act_on_row(MedicationOrder, pk, StopBody(), lambda row, data, user_id:
                               medication.stop(row, data["stop_reason"], user_id))


class AdministrationBody(Body):
    order = Id(required=True)
    due_at = fields.AwareDateTime(allow_none=True)
    outcome = Choice(MAR_OUTCOMES, required=True)
    reason = Text(300, allow_none=True)
    at = fields.AwareDateTime(allow_none=True)


class VoidBody(Body):
    void_reason = Text(300, required=True)


class MedicationAdministrationApi(ScopedApi):
    resource_name = "medication_administration"
    datamodel = Interface(MedicationAdministration)
    class_permission_name = "MedicationAdministration"
    method_permission_name = {**METHOD_PERMISSIONS, "void": WRITE}
    include_route_methods = {"get", "get_list", "info", "post", "void"}
    label_columns = MAR_LABELS
    list_columns = show_columns = [
        "id", "facility.code", "order.id", "admission.id", "admission.ipd_number",
        "order.drug_name", "order.dose",
        "due_at", "outcome", "at", "reason", "recorded_by.username", "recorded_at",
        "voided_at", "voided_by.username", "void_reason"]
    add_model_schema = AdministrationBody()
    add_columns = list(AdministrationBody().fields)
    openapi_spec_component_schemas = (VoidBody,)
    search_columns = ["order", "due_at", "outcome", "at"]
    base_order = ("at", "desc")

    def post_headless(self):
        """Mark a dose (nurses): {"order": id, "due_at": the scheduled time (left out for
        an SOS order), "outcome": given|held|refused, "reason" (held or refused), "at"
        (now when left out)}. A dose already marked answers 422 naming who marked it."""
        return self.create_through(lambda facility, data, user_id: medication.administer(
            scoped(db.session.get(MedicationOrder, data.pop("order")), "order"), data,
            user_id))

    @expose("/<int:pk>/void", methods=["POST"])
    @protect()
    @safe
    def void(self, pk):
        """Strike out an entry made in error, with the reason; the dose may be marked again.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/VoidBody'}
          responses:
            200: {description: The entry, struck out}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.act_on_row(MedicationAdministration, pk, VoidBody(),
                               lambda mark, data, user_id: medication.void(
                                   mark, data["void_reason"], user_id))


class FluidBody(Body):
    admission = Id(required=True)
    route = Choice(fluids.DIRECTION, required=True)
    volume_ml = Number(required=True)
    at = fields.AwareDateTime(allow_none=True)
    note = Text(200, allow_none=True)


class FluidEntryApi(ScopedApi):
    resource_name = "fluid_entry"
    datamodel = Interface(FluidEntry)
    class_permission_name = "FluidEntry"
    method_permission_name = {**METHOD_PERMISSIONS, "void": WRITE}
    include_route_methods = {"get", "get_list", "info", "post", "void"}
    label_columns = FLUID_LABELS
    list_columns = show_columns = [
        "id", "facility.code", "admission.id", "admission.ipd_number", "at", "direction",
        "route", "volume_ml", "note", "recorded_by.username", "recorded_at", "voided_at",
        "voided_by.username", "void_reason"]
    add_model_schema = FluidBody()
    add_columns = list(FluidBody().fields)
    openapi_spec_component_schemas = (VoidBody,)
    search_columns = ["admission", "at", "direction", "route"]
    base_order = ("at", "desc")

    def post_headless(self):
        """Chart intake or output: {"admission": id, "route": oral|iv|ryles|blood (in) or
        urine|vomit|drain|aspirate|stool (out), "volume_ml", "at" (now when left out),
        "note"}."""
        return self.create_through(lambda facility, data, user_id: fluids.record(
            _admission(data.pop("admission")), data, user_id))

    @expose("/<int:pk>/void", methods=["POST"])
    @protect()
    @safe
    def void(self, pk):
        """Strike out a line entered in error, with the reason.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/VoidBody'}
          responses:
            200: {description: The line, struck out}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.act_on_row(FluidEntry, pk, VoidBody(), lambda entry, data, user_id:
                               fluids.void(entry, data["void_reason"], user_id))


class MedicineLine(Body):
    drug_name = Text(160, required=True)
    dose = Text(40, allow_none=True)
    frequency = Text(20, required=True)
    days = fields.Integer(strict=True, allow_none=True)
    route = Choice(ROUTE_LABELS, allow_none=True)
    instructions = Text(200, allow_none=True)


class SummaryBody(Body):
    complaints = Text(2000, allow_none=True)
    course = Text(4000, allow_none=True)
    procedures = Text(2000, allow_none=True)
    investigations = Text(2000, allow_none=True)
    treatment = Text(2000, allow_none=True)
    condition = Text(300, allow_none=True)
    advice = Text(2000, allow_none=True)
    follow_up_on = fields.Date(allow_none=True)
    follow_up_department = Id(allow_none=True)
    medicines = fields.List(fields.Nested(MedicineLine), load_default=list,
                            validate=validate.Length(max=summary.MEDICINE_ROWS))
    sign = YesNo(load_default=False)
    amend_reason = Text(300, allow_none=True)


class DischargeSummaryApi(ScopedApi):
    """The discharge summary of an admission: /api/v1/admission/<id>/discharge_summary."""
    resource_name = "admission"
    route_base = "/api/v1/admission"
    datamodel = Interface(Admission)  # the row its URLs name
    class_permission_name = "DischargeSummary"
    method_permission_name = {"summary": READ, "write_summary": WRITE}
    include_route_methods = {"summary", "write_summary"}
    label_columns = SUMMARY_LABELS
    openapi_spec_component_schemas = (SummaryBody, MedicineLine)

    @expose("/<int:pk>/discharge_summary", methods=["GET"])
    @protect()
    @safe
    def summary(self, pk):
        """The admission's discharge summary: status (draft|signed), version, who signed
        and when, its texts, diagnoses (ICD-10) and medicines at discharge.
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200: {description: The summary}
            404: {$ref: '#/components/responses/404'}
        """
        admission = services.admission_details(pk)
        if admission is None or not in_scope(admission.facility_id):
            return self.response_404()
        written = summary.summary_of(pk)
        if written is None:
            return self.response_404()
        return self.response(200, id=written.id, result=summary.as_json(written))

    @expose("/<int:pk>/discharge_summary", methods=["POST"])
    @protect()
    @safe
    def write_summary(self, pk):
        """Write the summary (doctors): the draft, or signed with "sign": true; once
        signed, a change needs "amend_reason" and is signed as the next version.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/SummaryBody'}
          responses:
            200: {description: The summary as written}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        admission = services.admission_details(pk)
        if admission is None or not in_scope(admission.facility_id):
            return self.response_404()

        def write(_facility, data, _user_id):
            form = {k: v for k, v in data.items() if k not in ("medicines", "sign")}
            if form.get("follow_up_on"):
                form["follow_up_on"] = form["follow_up_on"].strftime("%d-%m-%Y")
            for n, line in enumerate(data["medicines"], 1):
                form.update({f"rx_{'drug' if k == 'drug_name' else k}_{n}": v
                             for k, v in line.items() if v is not None})
                form[f"rx_days_{n}"] = str(line["days"]) if line.get("days") else ""
            written = summary.save_summary(admission, form, acting_user(), sign=data["sign"])
            return 200, {"id": written.id, "result": summary.as_json(written)}
        return self.act_through(SummaryBody(), write)
