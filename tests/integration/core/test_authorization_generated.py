"""Every route and API the app registers (read from its URL map, not a hand list) × every
role and anonymous × a row of the user's own facility and one of another facility.

For each endpoint the test works out from roles.py who may use it and checks that:
- it is declared: public by name, or guarded by a permission; each URL parameter is a row
  the view declares (a model view's pk, a screen's row_args) or a known non-row argument;
- anonymous users are sent to log in (the API: 401), roles without the permission are
  refused (403), roles with it get through;
- a row of another facility is "not found" (404) for facility staff, whatever the path
  (show, edit, action, REST, screen, print), and visible to state users;
- nothing a facility user receives (pages, lists, filter widgets, pickers, REST lists and
  _info, exports, PDFs) carries another facility's rows.
An endpoint added later without a declaration, or without scoping, fails here.
"""
import io
import re
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import func, select

from app.billing import services as billing
from app.billing.models import Bill, Exemption, Payment, Tariff, TariffPrice
from app.core import roles as R
from app.core.models import AuditLog, Department, Facility, StaffProfile, utcnow
from app.core.numbering import ist_today
from app.core.seed import ensure_user
from app.extensions import db
from app.ipd import fluids as ipd_fluids
from app.ipd import medication as ipd_medication
from app.ipd import services as ipd
from app.ipd import vitals as ipd_vitals
from app.ipd.models import (
    Admission, AdmissionDiagnosis, Bed, ClinicalNote, Consent, DeathRecord, DepartureRecord,
    DischargeSummary, FluidEntry, MedicationAdministration, MedicationOrder, MedicoLegalCase,
    VitalSign, Ward,
)
from app.lab import services as lab
from app.lab import results as lab_results
from app.lab import samples as lab_samples
from app.lab.models import (
    LabOrder, LabOrderItem, LabPanelMember, LabResult, LabSample, LabTest, LabTestRange,
)
from app.opd import services as opd
from app.opd.consultation import open_consultation
from app.opd.models import Icd10
from app.registration import services as registration
from app.registration.models import Patient, PatientCategory
from tests.conftest import DEMO_PASSWORD, login, person

# URL arguments that name no row.
NON_ROW_ARGS = {"name", "filename", "locale", "version", "group_by", "register", "number",
                "fmt"}
ROLES = [R.ADMIN, R.AUDITOR, R.SUPERVISOR, R.CLERK, R.DOCTOR, R.NURSE, R.LAB_TECH,
         R.PATHOLOGIST, R.CASHIER]
ANONYMOUS = "anonymous"
TAG = uuid.uuid4().hex[:6]


def _png() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PHOTO = _png()


def marker(code: str) -> str:
    """A word carried by the names of every row made for facility `code` here."""
    return f"Leakcheck{code}{TAG}"


# --- the rows: one of each kind in each of two facilities --------------------------------

def _make_rows(code: str) -> dict:
    facility = db.session.execute(select(Facility).where(Facility.code == code)).scalar_one()
    mark = marker(code)
    dept = Department(facility_id=facility.id, code="L" + TAG[:5].upper(), name_en=f"{mark} OPD",
                      name_hi=f"{mark} ओपीडी", is_clinical=True, active=True)
    ward = Ward(facility_id=facility.id, code="L" + TAG[:5].upper(), name_en=f"{mark} ward",
                name_hi=f"{mark} वार्ड", gender="", active=True)
    bed = Bed(facility_id=facility.id, ward=ward, number="L1", tariff_code="BED-GEN", active=True)
    category = PatientCategory(facility_id=facility.id, code="L" + TAG[:5].upper(),
                               name_en=f"{mark} category", name_hi=f"{mark} श्रेणी", active=True)
    tariff = Tariff(facility_id=facility.id, code=f"LK{TAG[:5].upper()}", kind="lab",
                    name_en=f"{mark} test", name_hi=f"{mark} जाँच", price=Decimal("5"),
                    valid_from=ist_today())
    lab_test = LabTest(facility_id=facility.id, code=tariff.code, name_en=f"{mark} test",
                       name_hi=f"{mark} जाँच", section="serology", sample="blood", active=True)
    price = TariffPrice(facility_id=facility.id, tariff=tariff, category_code=category.code,
                        price=Decimal("1"))
    exemption = Exemption(facility_id=facility.id, category_code=category.code, kind="lab",
                          scheme_en=f"{mark} scheme", scheme_hi=f"{mark} योजना", active=True)
    db.session.add_all([dept, ward, bed, category, tariff, lab_test, price, exemption])
    db.session.commit()
    staff = ensure_user(f"{mark.lower()}.staff", R.NURSE, DEMO_PASSWORD, mark, "Staff",
                        facility=facility)
    patient = registration.register_patient(person(name=f"{mark} Patient"), facility, None)
    registration.set_photo(patient, PHOTO, None)
    visit = opd.revisit(patient.id, facility.id, dept.id, None, "NEW")
    consultation = open_consultation(visit, None)
    bill = billing.create_bill(facility, patient.id, [c.id for c in billing.pending_charges(
        facility.id, patient.id)], [], None)
    payment = billing.add_payment(bill, "cash", bill.net, None)
    db.session.commit()
    admission = ipd.admit(facility, patient.id, {"department": dept.id, "bed": bed.id}, None)
    order = lab.place_order(facility, patient.id, {"tests": [lab_test.id]}, None)
    panel = LabTest(facility_id=facility.id, code=f"LP{TAG[:5].upper()}", name_en=f"{mark} panel",
                    name_hi=f"{mark} पैनल", section="serology", sample="blood",
                    result_type="panel", panel_only=True, active=True)
    member = LabPanelMember(facility_id=facility.id, panel=panel, member=lab_test, position=1)
    band = LabTestRange(facility_id=facility.id, test=lab_test, age_from_days=0, low=1, high=9)
    db.session.add_all([panel, member, band])
    sample = lab_samples.collect(order, [], staff.id)[0]
    lab_samples.receive(facility.id, sample.sample_number, staff.id)
    item = order.items[0]
    lab_results.enter(item, {lab_test.code: {"value": "5"}}, staff.id)
    vital = ipd_vitals.record(admission, {"pulse": "80", "consciousness": "A"}, staff.id)
    fluid = ipd_fluids.record(admission, {"route": "oral", "volume_ml": "150"}, staff.id)
    note = ClinicalNote(facility_id=facility.id, admission=admission, kind="nursing",
                        shift="night", text=f"{mark} slept well", author_id=staff.id)
    db.session.add(note)
    db.session.commit()
    med = ipd_medication.order(admission, {"drug_name": f"{mark} tonic", "dose": "5 ml",
                                           "route": "oral", "frequency": "STAT"}, staff.id)
    given = ipd_medication.administer(med, {"due_at": med.start_at, "outcome": "given"},
                                      staff.id)
    icd = db.session.execute(select(Icd10).where(Icd10.code == "A01.0")).scalar_one()
    diagnosis = AdmissionDiagnosis(facility_id=facility.id, admission=admission, icd10=icd,
                                   kind="final", noted_by_id=staff.id)
    written = DischargeSummary(facility_id=facility.id, admission=admission, status="draft",
                               version=1, course=f"{mark} course")
    death = DeathRecord(facility_id=facility.id, admission=admission, died_at=utcnow(),
                        cause_a=f"{mark} cause", underlying_icd10=icd, manner="natural",
                        certified_by_id=staff.id)
    case = MedicoLegalCase(facility_id=facility.id, admission=admission,
                           police_station=f"{mark} PS", brought_by="Police")
    consent = Consent(facility_id=facility.id, admission=admission, kind="admission",
                      signed_by=f"{mark} signer", relation="self", signed_at=utcnow(),
                      witness="Witness")
    departure = DepartureRecord(facility_id=facility.id, admission=admission, kind="referred",
                                referred_to=f"{mark} hospital", reason="Higher centre")
    db.session.add_all([diagnosis, written, death, case, consent, departure])
    db.session.commit()
    audit = db.session.execute(select(AuditLog.id).where(
        AuditLog.facility_id == facility.id).order_by(AuditLog.id.desc()).limit(1)).scalar()
    profile = db.session.execute(select(StaffProfile).where(
        StaffProfile.user_id == staff.id)).scalar_one()
    rows = {Facility: facility, Department: dept, Ward: ward, Bed: bed, PatientCategory: category,
            Tariff: tariff, LabTest: lab_test, TariffPrice: price, Exemption: exemption,
            User: staff, StaffProfile: profile, Patient: patient, Bill: bill, Payment: payment,
            Admission: admission, LabOrder: order, LabPanelMember: member,
            LabTestRange: band, LabSample: sample, LabOrderItem: item,
            LabResult: item.results[0], VitalSign: vital, FluidEntry: fluid, ClinicalNote: note,
            MedicationOrder: med, MedicationAdministration: given,
            AdmissionDiagnosis: diagnosis, DischargeSummary: written, DeathRecord: death,
            MedicoLegalCase: case, Consent: consent}
    ids = {model: row.id for model, row in rows.items()}
    ids[type(visit)] = visit.id
    ids[type(consultation)] = consultation.id
    ids[type(admission.account)] = admission.account_id
    ids[AuditLog] = audit
    return ids


def _username(role) -> str:
    return f"authz{TAG}{role.replace(' ', '').lower()}"


def _make_principals():
    """A fresh account per role (what they do touches no demo data)."""
    dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
    for role in ROLES:
        ensure_user(_username(role), role, DEMO_PASSWORD, role, "Probe",
                    facility=None if role in R.ALL_FACILITY_ROLES else dhr)


def _log_in(app) -> dict:
    clients = {ANONYMOUS: app.test_client()}
    for role in ROLES:
        client = app.test_client()
        assert login(client, _username(role)).headers["Location"] == "/"
        clients[role] = client
    return clients


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        own, other = _make_rows("DHR"), _make_rows("RNC")
        _make_principals()
        # Any row of each model that belongs to no facility (masters, FAB's tables).
        shared = {view.datamodel.obj: db.session.execute(
            select(view.datamodel.obj.id).limit(1)).scalar()
            for view in _views(app).values() if hasattr(view, "datamodel")}
    # Requests run outside any app context of the test: one would be shared by every
    # request (and with it the logged-in user cached in flask.g).
    return {"own": {**shared, **own}, "other": {**shared, **other}, "clients": _log_in(app),
            "own_only": own}


# --- what each endpoint is and who may use it ------------------------------------------

def _views(app) -> dict:
    return app.extensions["hmis_views"]


def _endpoints(app):
    """(rule, method, view, method name) for every route of the app but static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("static", "appbuilder.")) or rule.endpoint == "static":
            continue
        view_name, _, func_name = rule.endpoint.partition(".")
        view = _views(app).get(view_name)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, view, func_name


def _row_models(view, func_name) -> dict:
    """{URL argument: model} the view declares for this endpoint."""
    models = dict(getattr(view, "row_args", None) or {})
    if isinstance(view, (ModelView, ModelRestApi)):
        models["pk"] = view.datamodel.obj
    return models


def _is_action(view, func_name) -> bool:
    return isinstance(view, ModelView) and func_name in ("action", "action_post")


def _required(view, func_name, action_name=None) -> str:
    """The permission FAB checks for this endpoint, e.g. "can_read"."""
    if action_name is not None:
        return view.get_action_permission_name(action_name)
    func = getattr(view, func_name)
    name = (view.method_permission_name or {}).get(func_name) or func._permission_name
    return f"can_{name}"


def _allowed(role, view, permission) -> bool:
    if permission not in (view.base_permissions or ()):
        return False
    if role == R.ADMIN:
        return True
    return (permission, view.class_permission_name) in R.fab_permissions(role)


def test_every_endpoint_is_declared(app):
    """Public by name, or guarded by a permission; every URL argument is a declared row
    or a known non-row argument. A new endpoint must say which."""
    undeclared = []
    for rule, method, view, func_name in _endpoints(app):
        if rule.endpoint in R.PUBLIC_ENDPOINTS:
            continue
        if view is None:
            undeclared.append(f"{rule.rule}: no view")
            continue
        func = getattr(view, func_name)
        if not (hasattr(func, "_permission_name") or _is_action(view, func_name)):
            undeclared.append(f"{method} {rule.rule}: neither public nor guarded")
        rows = _row_models(view, func_name)
        for arg in rule.arguments:
            if arg not in rows and arg not in NON_ROW_ARGS:
                undeclared.append(f"{rule.rule}: <{arg}> is not a declared row")
    assert undeclared == []


# --- calling every endpoint as everyone ------------------------------------------------------

def _url(rule, view, func_name, ids, scoped_models, action_name):
    """The rule's URL with its arguments filled in; (url, names a facility row?)."""
    values, scoped = {}, False
    rows = _row_models(view, func_name) if view is not None else {}
    for arg in rule.arguments:
        if arg in rows:
            values[arg] = ids[rows[arg]] or 2**31 - 1  # a table with no rows: none found
            scoped = scoped or rows[arg] in scoped_models
        elif arg == "name":
            values[arg] = action_name or "no-such-action"
        elif arg == "locale":
            values[arg] = "en"
        elif arg == "register":
            values[arg] = "opd"
        elif arg == "number":   # an HMIS item
            values[arg] = "14.2.1"
        elif arg == "fmt":
            values[arg] = "csv"
        elif arg == "version":
            values[arg] = "v1"
        else:
            values[arg] = "x"
    url = rule.build(values, append_unknown=False)[1]
    return url, scoped


def _call(client, method, url, view, action_name, row_id):
    if url.startswith("/api/"):
        return client.open(url, method=method, json={})
    data = {}
    if action_name:
        data = {"action": action_name, "rowid": [row_id] if row_id else []}
    return client.open(url, method=method, data=data)


def _text(resp) -> str:
    """What the user can read in a response: HTML, JSON, a PDF's or a workbook's text."""
    if resp.mimetype == "application/pdf":
        from pypdf import PdfReader
        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(resp.data)).pages)
    if resp.mimetype and "spreadsheet" in resp.mimetype:
        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(resp.data), read_only=True)
        return "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(
            values_only=True) for c in row if c is not None)
    if resp.mimetype and resp.mimetype.startswith("image/"):
        return ""
    return resp.get_data(as_text=True)


def _leaks(text: str, code: str) -> list[str]:
    found = [marker(code)] if marker(code) in text else []
    found += re.findall(rf"\b{code}[-/]\S+", text)
    return found


def _outcome(role, resp, expect, api) -> str | None:
    """None when the response is what `expect` says, else what was wrong."""
    status = resp.status_code
    to_login = status == 302 and "/login" in resp.headers.get("Location", "")
    if status == 500:
        return "500"
    if expect == "login":
        return None if (status == 401 if api else to_login) else f"{status}, expected login"
    if expect == "forbidden":
        return None if status == 403 else f"{status}, expected 403"
    if expect == "not found":
        return None if status == 404 else f"{status}, expected 404"
    if expect == "allowed":
        bad = status in (401, 403, 404, 405) or to_login
        return f"{status}, expected to be let through" if bad else None
    return None  # public


def _expect(rule, view, func_name, principal, variant, url, scoped, action_name, row_id,
            world) -> str:
    """What should happen: public, login, forbidden, not found or allowed."""
    if rule.endpoint in R.PUBLIC_ENDPOINTS:
        return "public"
    if _is_action(view, func_name) and action_name is None:
        return "not found"  # no such action on this view
    if principal == ANONYMOUS:
        return "login"
    if not _allowed(principal, view, _required(view, func_name, action_name)):
        return "forbidden"
    if f"/{2**31 - 1}" in url:
        return "not found"  # a table with no rows (no user group exists)
    other_row = scoped or (row_id and view.datamodel.obj in world["own_only"])
    if variant == "other" and principal not in R.ALL_FACILITY_ROLES and other_row:
        return "not found"
    return "allowed"


def test_every_endpoint_as_every_role_on_own_and_other_rows(app, world):
    failures = defaultdict(list)
    for rule, method, view, func_name in _endpoints(app):
        action = _is_action(view, func_name)
        action_name = next(iter(view.actions), None) if action and view.actions else None
        for principal, client in world["clients"].items():
            if principal == ANONYMOUS and rule.endpoint == "HmisAuthDBView.logout":
                continue
            for variant in ("own", "other"):
                ids = world[variant]
                url, scoped = _url(rule, view, func_name, ids, world["own_only"], action_name)
                row_id = ids.get(view.datamodel.obj) if action else None
                if variant == "other" and not scoped and not (
                        action and view.datamodel.obj in world["own_only"]):
                    continue  # names no facility row: one call is enough
                expect = _expect(rule, view, func_name, principal, variant, url, scoped,
                                 action_name, row_id, world)
                resp = _call(client, method, url, view, action_name, row_id)
                problem = _outcome(principal, resp, expect, rule.rule.startswith("/api/"))
                if problem:
                    failures[f"{method} {url}"].append(f"{principal}: {problem}")
                elif expect == "allowed" and method == "GET" and \
                        principal not in R.ALL_FACILITY_ROLES:
                    leaks = _leaks(_text(resp), "RNC")
                    if leaks:
                        failures[f"GET {url}"].append(f"{principal} sees {leaks[:3]}")
            if rule.endpoint == "HmisAuthDBView.logout":
                login(client, _username(principal))  # back for the next endpoint
    assert not failures, "\n".join(f"{k}: {v}" for k, v in sorted(failures.items()))


# --- pickers and REST _info over the whole facility ------------------------------------

def test_pickers_and_rest_info_offer_only_own_facility_rows(app, world):
    """A type-ahead finds nothing of another facility; _info's relation values of every
    REST resource count exactly the facility's own rows."""
    supervisor = world["clients"][R.SUPERVISOR]
    for kind in ("patient", "user"):
        assert supervisor.get(f"/picker/{kind}/?q={marker('RNC')}").get_json()["results"] == []
        assert supervisor.get(f"/picker/{kind}/?q={marker('DHR')}").get_json()["results"]
    assert supervisor.get(f"/picker/patient/?id={world['own'][Patient]}").get_json()["results"]
    assert supervisor.get(
        f"/picker/patient/?id={world['other'][Patient]}").get_json()["results"] == []
    apis = [v for v in app.extensions["hmis_views"].values() if isinstance(v, ModelRestApi)
            and "info" in (v.include_route_methods or {"info"})]
    counts = {}
    with app.app_context():
        for view in apis:
            for col in set(view.add_columns or []) | set(view.edit_columns or []):
                model = view.datamodel.get_related_model(col) \
                    if view.datamodel.is_relation(col) else None
                if hasattr(model, "facility_id"):
                    counts[model] = db.session.execute(select(func.count(model.id)).where(
                        model.facility_id == world["own"][Facility])).scalar()
    checked = 0
    for view in apis:
        info = supervisor.get(f"/api/v1/{view.resource_name}/_info"
                              "?q=(keys:!(add_columns,edit_columns))").get_json()
        for field in info.get("add_columns", []) + info.get("edit_columns", []):
            model = view.datamodel.get_related_model(field["name"]) if "values" in field \
                else None
            if model in counts:
                assert field["count"] == counts[model], (view.resource_name, field["name"])
                assert not any(marker("RNC") in v["value"] for v in field["values"])
                checked += 1
    assert checked >= 5  # patient of visits, admissions, lab orders, bills; bed's ward ...


# --- rows named in a query string ------------------------------------------------------------

QUERY_ROWS = {"/audit/timeline/?patient_id={}": (Patient, "AuditLog")}


def test_rows_named_in_a_query_string_are_scoped_too(world):
    """A screen that takes its row from the query string (the patient's timeline), not
    the path, is held to the same rules: another facility's row is not found for
    facility staff, state users see it, roles without the permission are refused."""
    failures = []
    for url, (model, resource) in QUERY_ROWS.items():
        for principal, client in world["clients"].items():
            for variant in ("own", "other"):
                resp = client.get(url.format(world[variant][model]))
                if principal == ANONYMOUS:
                    expect = 302
                elif principal != R.ADMIN and \
                        ("can_read", resource) not in R.fab_permissions(principal):
                    expect = 403
                elif variant == "other" and principal not in R.ALL_FACILITY_ROLES:
                    expect = 404
                else:
                    expect = 200
                if resp.status_code != expect:
                    failures.append(f"{url} {variant} as {principal}: {resp.status_code}, "
                                    f"expected {expect}")
                elif expect == 200 and principal not in R.ALL_FACILITY_ROLES and \
                        _leaks(_text(resp), "RNC"):
                    failures.append(f"{url} as {principal} shows {_leaks(_text(resp), 'RNC')}")
    assert not failures, "\n".join(failures)
