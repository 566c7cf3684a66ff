"""The registers, each a query of the records for a facility and a date range (IST days)
with its columns: what the paper registers of a district hospital hold, counted from the
records themselves so that they always agree with them."""
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.billing.dayend import ist_range
from app.billing.models import PAYMENT_KIND_LABELS, Bill, BillLine, Payment
from app.billing.views import PAYMENT_MODES_AND_ADVANCE as MODES
from app.core.formatting import IST, aware, ist
from app.core.models import Department
from app.extensions import db
from app.ipd.models import (
    DISCHARGE_TYPES, STATUSES as ADMISSION_STATUSES, Admission, Bed, DeathRecord,
)
from app.lab.models import ITEM_STATUSES, LabOrder, LabOrderItem, LabTest
from app.opd.models import STATUSES as VISIT_STATUSES, VISIT_TYPES, OpdVisit
from app.registration.display import age_in_units, age_words, gender_text
from app.registration.models import GENDERS, Patient

MAX_DAYS = 92      # a quarter at a time on screen
FILE_DAYS = 366    # a year at a time in a file (streamed: memory stays flat)
SHOWN = 500        # rows on screen; the files hold all
BATCH = 1000       # rows read from the database at a time


@dataclass(frozen=True)
class Register:
    title: object
    table: str                              # what an export is audited against
    columns: tuple
    rows: Callable[[int, date, date], Iterator]  # (facility, first, last) → rows of values


def _words(labels, code):
    return str(labels.get(code, code or ""))


class _Said:
    """Words said once per file, not once per row: a year's register is half a million
    rows, and looking up a translation costs more than reading the row."""

    def __init__(self):
        self.hindi = str(get_locale() or "en")[:2] == "hi"
        self._said: dict = {}

    def pick(self, en, hi):
        return hi if self.hindi and hi else en

    def word(self, labels, code) -> str:
        key = (id(labels), code)
        if key not in self._said:
            self._said[key] = _words(labels, code)
        return self._said[key]

    def age(self, dob: date, day: date) -> str:
        """registration.display.age_text's words, each said once."""
        key = age_in_units(dob, day)
        if key not in self._said:
            self._said[key] = age_words(*key)
        return self._said[key]


def _stream(query):
    """The query's rows a batch at a time (a server-side cursor on PostgreSQL), so a
    year's register never sits in memory."""
    return db.session.execute(query.execution_options(yield_per=BATCH))


def _opd(facility_id, first, last):
    said = _Said()
    rows = _stream(
        select(OpdVisit.visit_date, Department.name_en, Department.name_hi, OpdVisit.token,
               Patient.uhid, Patient.name, Patient.dob, Patient.gender, OpdVisit.visit_type,
               OpdVisit.exemption_scheme, OpdVisit.exemption_scheme_hi, OpdVisit.fee_amount,
               OpdVisit.status)
        .join(Patient, Patient.id == OpdVisit.patient_id)
        .join(Department, Department.id == OpdVisit.department_id)
        .where(OpdVisit.facility_id == facility_id, OpdVisit.visit_date >= first,
               OpdVisit.visit_date <= last).order_by(OpdVisit.visit_date, OpdVisit.id))
    return ((day.strftime("%d-%m-%Y"), said.pick(dept_en, dept_hi), token, uhid, name,
             said.age(dob, day), said.word(GENDERS, gender), said.word(VISIT_TYPES, kind),
             said.pick(scheme, scheme_hi) if scheme else "", fee, said.word(VISIT_STATUSES, status))
            for (day, dept_en, dept_hi, token, uhid, name, dob, gender, kind, scheme, scheme_hi,
                 fee, status) in rows)


def _admissions(facility_id, first, last):
    start, end = ist_range(first, last)
    rows = _stream(
        select(Admission, Patient).join(Patient, Patient.id == Admission.patient_id)
        .where(Admission.facility_id == facility_id,
               ((Admission.admitted_at >= start) & (Admission.admitted_at < end)) |
               ((Admission.discharged_at >= start) & (Admission.discharged_at < end)))
        .order_by(Admission.admitted_at)
        .options(joinedload(Admission.department),
                 joinedload(Admission.bed).joinedload(Bed.ward)))
    said = _Said()
    return ((a.ipd_number, ist(a.admitted_at), p.uhid, p.name,
             said.age(p.dob, aware(a.admitted_at).astimezone(IST).date()),
             gender_text(p.gender), a.department.name, str(a.bed) if a.bed else "",
             a.provisional_diagnosis or "", ist(a.discharged_at),
             _words(DISCHARGE_TYPES, a.discharge_type) if a.discharge_type
             else _words(ADMISSION_STATUSES, a.status), "MLC" if a.mlc else "")
            for a, p in rows)


def _deaths(facility_id, first, last):
    start, end = ist_range(first, last)
    rows = _stream(
        select(DeathRecord, Admission, Patient)
        .join(Admission, Admission.id == DeathRecord.admission_id)
        .join(Patient, Patient.id == Admission.patient_id)
        .where(DeathRecord.facility_id == facility_id, DeathRecord.died_at >= start,
               DeathRecord.died_at < end).order_by(DeathRecord.died_at)
        .options(joinedload(DeathRecord.underlying_icd10)))
    said = _Said()
    return ((ist(d.died_at), a.ipd_number, p.uhid, p.name,
             said.age(p.dob, aware(d.died_at).astimezone(IST).date()), gender_text(p.gender),
             d.cause_a, d.underlying_icd10.code if d.underlying_icd10 else "",
             "MLC" if a.mlc else "") for d, a, p in rows)


def _lab(facility_id, first, last):
    said = _Said()
    start, end = ist_range(first, last)
    rows = _stream(
        select(LabOrder.ordered_at, LabOrder.order_number, Patient.uhid, Patient.name,
               LabTest.code, LabTest.name_en, LabTest.name_hi, LabOrderItem.status)
        .join(LabOrder, LabOrder.id == LabOrderItem.order_id)
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
        .join(Patient, Patient.id == LabOrder.patient_id)
        .where(LabOrder.facility_id == facility_id, LabOrder.ordered_at >= start,
               LabOrder.ordered_at < end).order_by(LabOrder.ordered_at, LabOrderItem.position))
    return ((ist(at), number, uhid, name, code, said.pick(test_en, test_hi),
             said.word(ITEM_STATUSES, status))
            for at, number, uhid, name, code, test_en, test_hi, status in rows)


def _exemptions(facility_id, first, last):
    rows = _stream(
        select(BillLine, Bill, Patient).join(Bill, Bill.id == BillLine.bill_id)
        .join(Patient, Patient.id == Bill.patient_id)
        .where(BillLine.facility_id == facility_id, BillLine.bill_date >= first,
               BillLine.bill_date <= last, BillLine.scheme_en.is_not(None),
               BillLine.cancelled.is_(False))
        .order_by(BillLine.scheme_en, BillLine.bill_date, BillLine.id))
    return ((line.scheme_en if not line.scheme_hi else f"{line.scheme_hi} / {line.scheme_en}",
             line.bill_date.strftime("%d-%m-%Y"), bill.number, p.uhid, p.name, line.code,
             line.unit_price * line.quantity - line.amount) for line, bill, p in rows)


def _cash_book(facility_id, first, last):
    said = _Said()
    start, end = ist_range(first, last)
    rows = _stream(
        select(Payment.received_at, Bill.number, Payment.mode, Payment.kind, Payment.amount,
               Payment.reference, Payment.reason).join(Bill, Bill.id == Payment.bill_id)
        .where(Payment.facility_id == facility_id, Payment.received_at >= start,
               Payment.received_at < end).order_by(Payment.received_at, Payment.id))
    return ((ist(at), number, said.word(MODES, mode), said.word(PAYMENT_KIND_LABELS, kind),
             amount if kind == "payment" else -amount, reference or "", reason or "")
            for at, number, mode, kind, amount, reference, reason in rows)


REGISTERS = {
    "opd": Register(_l("Daily OPD register"), "opd_visit", (
        _l("Date"), _l("Department"), _l("Token"), "UHID", _l("Patient"), _l("Age"), _l("Sex"),
        _l("New or follow-up"), _l("Scheme"), _l("Fee (₹)"), _l("Status")), _opd),
    "admissions": Register(_l("Admission and discharge register"), "admission", (
        _l("IPD number"), _l("Admitted at"), "UHID", _l("Patient"), _l("Age"), _l("Sex"),
        _l("Department"), _l("Bed"), _l("Provisional diagnosis"), _l("Discharged at"),
        _l("Outcome"), "MLC"), _admissions),
    "deaths": Register(_l("Deaths register"), "death_record", (
        _l("Time of death"), _l("IPD number"), "UHID", _l("Patient"), _l("Age"), _l("Sex"),
        _l("Immediate cause"), _l("Underlying cause (ICD-10)"), "MLC"), _deaths),
    "lab": Register(_l("Lab register"), "lab_order", (
        _l("Ordered at"), _l("Order number"), "UHID", _l("Patient"), _l("Code"), _l("Test"),
        _l("Status")), _lab),
    "exemptions": Register(_l("Exemption register by scheme"), "bill_line", (
        _l("Scheme"), _l("Date"), _l("Bill number"), "UHID", _l("Patient"), _l("Service"),
        _l("Exempted (₹)")), _exemptions),
    "cash": Register(_l("Cash book"), "payment", (
        _l("Time"), _l("Bill number"), _l("Mode"), _l("Kind"), _l("Amount (₹)"),
        _l("Reference"), _l("Reason")), _cash_book),
}
