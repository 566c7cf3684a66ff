"""REST, facility-scoped, through the same services as the screens:
/api/v1/lab_order (list, show, order), /api/v1/lab_sample (list, show, collect, receive,
reject) and /api/v1/lab_result (list by order or patient, show, enter, amend; release by
a pathologist)."""
from flask_appbuilder.api import expose, protect, safe
from flask_babel import gettext as _
from marshmallow import fields

from app.core.api_fields import Body, Choice, Id, Ids, Text, YesNo
from app.core.base_views import DomainError, ScopedApi, scoped
from app.core.interface import Interface
from app.core.roles import METHOD_PERMISSIONS, WRITE

from . import results, samples, services
from .labels import LAB_LABELS
from .models import PRIORITIES, REJECT_REASONS, LabOrder, LabResult, LabSample


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
    # place_order leaves the patient, the stay, the items with their tests and charges
    # in the session, and the facility and the ordering user are there already
    answer_from_session = True

    def post_headless(self):
        """Order: {"patient": id, "tests": [lab test ids], "visit": OPD visit id,
        "admission": admission id, "priority": "routine"|"urgent", "clinical_note"}."""
        return self.create_through(lambda facility, data, user_id: services.place_order(
            facility, str(data.pop("patient")), data, user_id))


class CollectBody(Body):
    order = Id(required=True)
    items = Ids(load_default=list)


class ReceiveBody(Body):
    sample_number = Text(40, required=True)


class RejectBody(Body):
    reason = Choice(REJECT_REASONS, required=True)
    note = Text(200, allow_none=True)


class LabSampleApi(ScopedApi):
    resource_name = "lab_sample"
    datamodel = Interface(LabSample)
    class_permission_name = "LabSample"
    method_permission_name = {**METHOD_PERMISSIONS, "receive": WRITE, "reject": WRITE}
    include_route_methods = {"get", "get_list", "info", "post", "receive", "reject"}
    label_columns = LAB_LABELS
    list_columns = show_columns = [
        "id", "sample_number", "order.id", "order.order_number", "patient.uhid", "sample",
        "container", "test_codes", "status", "collected_at", "collected_by.username",
        "received_at", "rejected_at", "reject_reason", "reject_note"]
    add_model_schema = CollectBody()
    add_columns = list(CollectBody().fields)
    openapi_spec_component_schemas = (ReceiveBody, RejectBody)
    search_columns = ["sample_number", "status", "order", "patient", "collected_at"]
    base_order = ("id", "desc")

    def _shown(self, sample):
        return self.show_model_schema.dump(sample)

    def post_headless(self):
        """Collect: {"order": id, "items": [order item ids]} (all still to collect when
        left out) → the samples, one per tube."""
        def collect(_facility, data, user_id):
            taken = samples.collect(scoped(samples.order_to_collect(data["order"]), "order"),
                                    data["items"], user_id)
            return 201, {"ids": [s.id for s in taken],
                         "result": [self._shown(s) for s in taken]}
        return self.act_through(CollectBody(), collect)

    @expose("/receive", methods=["POST"])
    @protect()
    @safe
    def receive(self):
        """Receive a sample in the lab by its label's number.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ReceiveBody'}
          responses:
            200: {description: The sample, received}
            422: {$ref: '#/components/responses/422'}
        """
        def receive(facility, data, user_id):
            sample = samples.receive(facility.id, data["sample_number"], user_id)
            return 200, {"id": sample.id, "result": self._shown(sample)}
        return self.act_through(ReceiveBody(), receive)

    @expose("/<int:pk>/reject", methods=["POST"])
    @protect()
    @safe
    def reject(self, pk):
        """Reject a sample: its tests wait for a new one.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/RejectBody'}
          responses:
            200: {description: The sample, rejected}
            422: {$ref: '#/components/responses/422'}
        """
        return self.act_on_row(LabSample, pk, RejectBody(), lambda sample, data, user_id:
                               samples.reject(sample, data["reason"], data.get("note") or "",
                                              user_id))


class ValuePart(Body):
    value = fields.Raw(required=True)
    confirm = YesNo(load_default=False)
    called_to = Text(100, allow_none=True)
    called_at = Text(40, allow_none=True)


class EnterBody(Body):
    item = Id(required=True)
    revision = fields.Integer(strict=True, allow_none=True)
    results = fields.Dict(keys=fields.String(validate=lambda k: len(k) <= 20),
                          values=fields.Nested(ValuePart), required=True)
    reason = Text(200, allow_none=True)


class ReleaseBody(Body):
    item = Id(required=True)
    revision = fields.Integer(strict=True, allow_none=True)


RESULT_COLUMNS = [
    "id", "order.id", "order.order_number", "item.id", "patient.uhid", "analyte.code", "analyte.name_en",
    "analyte.name_hi", "analyte.loinc", "value", "unit", "flag", "range_text", "range_low",
    "range_high", "delta_from", "status", "version", "amend_reason", "critical_called_to",
    "critical_called_at", "entered_at", "entered_by.username", "released_at",
    "released_by.username"]


def _item_to_write(item_id, ranges: bool = True):
    """The ordered test to enter or release, locked (see results.item_for_entry)."""
    return scoped(results.item_for_entry(item_id, for_update=True, ranges=ranges), "item")


def _item_answer(api, item) -> tuple[int, dict]:
    """The test's state and every version of its results (loaded to be written, and kept
    after the commit)."""
    return 200, {"id": item.id, "status": item.status, "revision": item.revision,
                 "result": [api.show_model_schema.dump(r) for r in
                            sorted(item.results, key=lambda r: (r.position, r.version))]}


class LabResultApi(ScopedApi):
    resource_name = "lab_result"
    datamodel = Interface(LabResult)
    class_permission_name = "LabResult"
    method_permission_name = {**METHOD_PERMISSIONS, "enter": WRITE, "amend": WRITE}
    include_route_methods = {"get", "get_list", "info", "enter", "amend"}
    openapi_spec_component_schemas = (EnterBody,)
    label_columns = LAB_LABELS
    list_columns = show_columns = RESULT_COLUMNS
    search_columns = ["order", "patient", "status", "flag", "released_at"]
    base_order = ("id", "desc")

    def _enter(self, need_reason: bool):
        def enter(_facility, data, user_id):
            item = _item_to_write(data["item"])
            if need_reason and not (data.get("reason") or "").strip():
                raise DomainError({"reason": _("Give the reason for the amendment.")})
            return _item_answer(self, results.enter(
                item, data["results"], user_id, data.get("revision"), data.get("reason") or ""))
        return self.act_through(EnterBody(), enter)

    @expose("/enter", methods=["POST"])
    @protect()
    @safe
    def enter(self):
        """Enter results of an ordered test: {"item": order item id, "revision": n,
        "results": {"HB": {"value": "11.2"}, ...}}; a critical value needs called_to and
        called_at, an implausible one confirm: true.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/EnterBody'}
          responses:
            200: {description: The item's results}
            409: {description: Someone saved this test's results meanwhile}
            422: {$ref: '#/components/responses/422'}
        """
        return self._enter(need_reason=False)

    @expose("/amend", methods=["POST"])
    @protect()
    @safe
    def amend(self):
        """Amend released results: as enter, with "reason"; a new version, released in
        turn by a pathologist.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/EnterBody'}
          responses:
            200: {description: The item's results}
            422: {$ref: '#/components/responses/422'}
        """
        return self._enter(need_reason=True)


class LabReleaseApi(ScopedApi):
    """POST /api/v1/lab_result/release: a pathologist's own permission (LabRelease), so
    it is an API of its own under the same resource."""
    resource_name = "lab_result"
    datamodel = Interface(LabResult)
    class_permission_name = "LabRelease"
    method_permission_name = {"release": WRITE}
    include_route_methods = {"release"}
    openapi_spec_component_schemas = (ReleaseBody,)
    label_columns = LAB_LABELS
    show_columns = RESULT_COLUMNS

    @expose("/release", methods=["POST"])
    @protect()
    @safe
    def release(self):
        """Verify and release what awaits it on an ordered test: {"item": id,
        "revision": n}. Never one's own entry.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ReleaseBody'}
          responses:
            200: {description: The item's results, released}
            409: {description: The results changed since they were read}
            422: {$ref: '#/components/responses/422'}
        """
        def release(_facility, data, user_id):
            return _item_answer(self, results.release(
                _item_to_write(data["item"], ranges=False), user_id, data.get("revision")))
        return self.act_through(ReleaseBody(), release)
