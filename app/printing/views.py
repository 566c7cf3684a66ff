"""Printable PDFs under /print/...: OPD slip, prescription, receipt (A5 or an 80 mm
thermal roll) and day-end. Every print is counted and audited; reprints say so."""
from flask import Response, abort, current_app, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import force_locale
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from app.core.audit import record_event
from app.core.base_views import DomainError, no_facility
from app.core.errors import refusal_page
from app.core.formatting import ist
from app.core.models import utcnow
from app.core.roles import READ
from app.core.scoping import current_facility, in_scope
from app.extensions import db
from app.billing import services as billing
from app.billing.models import BILL_STATUS_LABELS, Bill
from app.billing.views import KIND_LABELS
from app.billing.words import words_en, words_hi
from app.ipd import services as ipd
from app.ipd import census as ipd_census
from app.ipd import deaths as ipd_deaths
from app.ipd import summary as ipd_summary
from app.ipd import ward_sheets as ipd_sheets
from app.ipd.models import (
    ARRIVALS, CONSENT_KINDS, CONSENT_RELATIONS, DIAGNOSIS_KINDS, DIETS, DISCHARGE_TYPES,
    MANNERS, NEWS2_RISKS, ORDER_KINDS, TRANSPORTS, Admission, Consent,
)
from app.lab import services as lab
from app.lab import results as lab_results
from app.lab import samples as lab_samples
from app.lab.models import (
    FLAGS, ITEM_STATUSES, PAYMENT_STATES, PRIORITIES, SAMPLES, LabOrder, LabSample,
)
from app.opd import dosing
from app.opd import services as opd
from app.opd.consultation import ROUTE_LABELS
from app.opd.models import OpdVisit
from app.registration.display import age_text
from app.registration import services as registration
from app.registration.models import GENDERS, RELATIONS, Patient
from app.registration.transliterate import other_script
from app.registration.validation import format_abha

from .codes import CODE128_QUIET_MODULES, code128_modules
from .pdf import FONT_FAMILY, code128_data_uri, qr_data_uri, render_pdf, trim_to_content

SIZES = ("a5", "thermal")
# Printed papers are bilingual whatever the screen language.
PAYMENT_MODE_WORDS = {"cash": "नकद / Cash", "upi": "UPI", "card": "कार्ड / Card",
                      "cheque": "चेक / Cheque", "dd": "डिमांड ड्राफ्ट / DD",
                      "insurance": "बीमा दावा / Insurance claim",
                      "advance": "अग्रिम जमा से / From advance deposit"}


def bilingual(labels: dict) -> dict:
    """{code: lazy label} → {code: "हिंदी / English"}, for papers printed in both (once,
    where the two are the same: "SpO2 (%)")."""
    with force_locale("hi"):
        hindi = {code: str(label) for code, label in labels.items()}
    with force_locale("en"):
        english = {code: str(label) for code, label in labels.items()}
    return {code: english[code] if hindi[code] == english[code] else
            f"{hindi[code]} / {english[code]}" for code in labels}


def paper_size() -> str:
    size = request.args.get("size") or current_app.config["PRINT_DEFAULT_SIZE"]
    if size not in SIZES:
        abort(400)
    return size


def count_print(record, counter: str, table: str, facility_id: int, detail: str) -> bool:
    """Count a print of `record` and audit it; True when it is a reprint. The count goes
    up in the database (two clerks printing the same slip at once make two prints, and
    only one of them is the first)."""
    column = getattr(type(record), counter)
    count = db.session.execute(
        update(type(record)).where(type(record).id == record.id)
        .values({counter: column + 1}).returning(column)).scalar_one()
    set_committed_value(record, counter, count)
    reprint = count > 1
    record_event(db.session, "reprint" if reprint else "print", table, record.id,
                 facility_id=facility_id, detail=detail)
    return reprint


def patient_words(patient) -> dict:
    """{"hi": ..., "en": ...}: the patient's sex, relation and age in both languages, for
    papers printed bilingual whatever the clerk's screen language."""
    words = {}
    for lang in ("hi", "en"):
        with force_locale(lang):
            words[lang] = dict(gender=str(GENDERS[patient.gender]),
                               relation=str(RELATIONS.get(patient.guardian_relation, "")),
                               age=age_text(patient))
    return words


def print_paper(view, printed, counter: str, detail: str, template: str, filename: str,
                **context) -> Response:
    """Count and audit a print of the `printed` row, render its paper with the facility's
    header, and answer with the PDF; the count and its audit entry are committed once
    the PDF exists."""
    reprint = count_print(printed, counter, printed.__tablename__, printed.facility_id, detail)
    html = view.render_template(template, reprint=reprint, font=FONT_FAMILY,
                                facility=printed.facility, now=ist(utcnow()), **context)
    data = render_pdf(html)
    if context.get("size") == "thermal":
        data = trim_to_content(data)
    db.session.commit()
    return pdf_response(data, filename)


def print_report(view, facility, table: str, row_id, detail: str, template: str,
                 filename: str, **context) -> Response:
    """A paper that is no single row's own (a report, a ward's sheet): the print audited,
    rendered with the facility's header, answered as a PDF; the audit entry is committed
    once the PDF exists."""
    record_event(db.session, "print", table, row_id, facility_id=facility.id, detail=detail)
    html = view.render_template(template, font=FONT_FAMILY, facility=facility,
                                now=ist(utcnow()), **context)
    data = render_pdf(html)
    db.session.commit()
    return pdf_response(data, filename)


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "no-store"})


class PrintView(BaseView):
    row_args = {"visit_id": OpdVisit}  # rows named in its URLs: 404 unless in scope
    route_base = "/print"
    class_permission_name = "OpdVisit"
    method_permission_name = {"opd_slip": READ, "prescription": READ}
    default_view = "opd_slip"

    @expose("/opd-slip/<int:visit_id>")
    @has_access
    def opd_slip(self, visit_id):
        size = paper_size()
        visit = opd.visit_for_print(visit_id)
        if visit is None or not in_scope(visit.facility_id):
            abort(404)
        patient = visit.patient
        return print_paper(
            self, visit, "slip_prints", f"opd-slip {size}", "printing/opd_slip.html",
            f"opd-slip-{patient.uhid}-{visit.token}.pdf", visit=visit, patient=patient,
            size=size, **patient_words(patient), issued_at=ist(visit.created_at),
            abha=format_abha(patient.abha_number), barcode=code128_data_uri(patient.uhid),
            qr=qr_data_uri(f"{patient.uhid}|{visit.visit_date:%d-%m-%Y}|{visit.token}"))

    @expose("/prescription/<int:visit_id>")
    @has_access
    def prescription(self, visit_id):
        size = paper_size()
        visit = opd.visit_for_print(visit_id)
        record = visit.consultation if visit is not None else None
        if visit is None or record is None or not in_scope(visit.facility_id):
            abort(404)
        patient = visit.patient
        doctor = record.doctor
        profile = opd.staff_profile(doctor.id) if doctor else None
        return print_paper(
            self, record, "prescription_prints", f"prescription {size}",
            "printing/prescription.html",
            f"prescription-{patient.uhid}-{visit.visit_date:%Y%m%d}.pdf", visit=visit,
            record=record, patient=patient, **patient_words(patient), size=size,
            lines=[(line, dosing.in_words(line.frequency, line.dose, line.days))
                   for line in record.prescription],
            registration=profile.council_registration if profile else None,
            visit_date=visit.visit_date.strftime("%d-%m-%Y"), vitals=vitals_line(record),
            doctor_name=doctor.get_full_name() if doctor else "",
            hpr_id=profile.hpr_id if profile else None, tests=lab.visit_tests(visit.id),
            routes=bilingual(ROUTE_LABELS))


def vitals_line(record) -> str:
    parts = []
    if record.bp_systolic and record.bp_diastolic:
        parts.append(f"BP {record.bp_systolic}/{record.bp_diastolic}")
    for field, label, unit in (("pulse", "Pulse", "/min"), ("temperature_f", "Temp", "°F"),
                               ("spo2", "SpO2", "%"), ("resp_rate", "RR", "/min"),
                               ("weight_kg", "Wt", " kg"), ("height_cm", "Ht", " cm"),
                               ("rbs_mg_dl", "RBS", " mg/dL")):
        value = getattr(record, field)
        if value is not None:
            parts.append(f"{label} {value}{unit}")
    return " · ".join(parts)


class ReceiptPrintView(BaseView):
    """/print/receipt/<bill>: the cash counter's receipt (A5 or thermal roll)."""
    row_args = {"bill_id": Bill}  # rows named in its URLs: 404 unless in scope
    route_base = "/print"
    class_permission_name = "Bill"
    method_permission_name = {"receipt": READ}
    default_view = "receipt"
    TITLES = {"bill": "रसीद / RECEIPT", "advance": "अग्रिम जमा रसीद / ADVANCE DEPOSIT RECEIPT",
              "interim": "अंतरिम बिल / INTERIM BILL", "final": "अंतिम बिल / FINAL BILL"}

    @expose("/receipt/<int:bill_id>")
    @has_access
    def receipt(self, bill_id):
        size = paper_size()
        bill = billing.bill_for_print(bill_id)
        if bill is None or not in_scope(bill.facility_id):
            abort(404)
        return print_paper(
            self, bill, "receipt_prints", f"receipt {size}", "printing/receipt.html",
            f"receipt-{bill.number.replace('/', '-')}.pdf", bill=bill, patient=bill.patient,
            size=size, created_at=ist(bill.created_at), words_en=words_en(bill.paid),
            words_hi=words_hi(bill.paid), barcode=code128_data_uri(bill.number),
            modes=PAYMENT_MODE_WORDS, title=self.TITLES[bill.stage or bill.kind],
            account=bill.account,
            stay=billing.statement(bill.account) if bill.stage == "final" else None)


class AdmissionPrintView(BaseView):
    """/print/admission/<id>: the admission slip that goes with the patient to the ward."""
    row_args = {"admission_id": Admission}  # rows named in its URLs: 404 unless in scope
    route_base = "/print"
    class_permission_name = "Admission"
    method_permission_name = {"admission_slip": READ}
    default_view = "admission_slip"

    @expose("/admission/<int:admission_id>")
    @has_access
    def admission_slip(self, admission_id):
        admission = ipd.admission_details(admission_id)
        if admission is None or not in_scope(admission.facility_id):
            abort(404)
        return print_paper(
            self, admission, "slip_prints", "admission slip", "printing/admission_slip.html",
            f"admission-{admission.ipd_number}.pdf", admission=admission,
            patient=admission.patient, **patient_words(admission.patient),
            admitted_at=ist(admission.admitted_at), discharged_at=ist(admission.discharged_at),
            arrival=bilingual(ARRIVALS)[admission.arrival],
            discharge_type=bilingual(DISCHARGE_TYPES).get(admission.discharge_type, ""),
            doctor_name=admission.doctor.get_full_name() if admission.doctor else "",
            barcode=code128_data_uri(admission.ipd_number))


class LabPrintView(BaseView):
    """/print/lab-slip/<id>: the test slip ("parchi") the patient takes to the cash
    counter and the lab; its barcode is the order number."""
    row_args = {"order_id": LabOrder}  # rows named in its URLs: 404 unless in scope
    route_base = "/print"
    class_permission_name = "LabOrder"
    method_permission_name = {"lab_slip": READ}
    default_view = "lab_slip"

    @expose("/lab-slip/<int:order_id>")
    @has_access
    def lab_slip(self, order_id):
        order = lab.order_details(order_id)
        if order is None or not in_scope(order.facility_id):
            abort(404)
        states = {item.id: lab.payment_state(item) for item in order.items}
        return print_paper(
            self, order, "slip_prints", "lab slip", "printing/lab_slip.html",
            f"lab-slip-{order.order_number}.pdf", order=order, patient=order.patient,
            **patient_words(order.patient), ordered_at=ist(order.ordered_at),
            samples=bilingual(SAMPLES),
            priority=bilingual(PRIORITIES)[order.priority], states=states,
            payment=bilingual(PAYMENT_STATES), to_pay="unpaid" in states.values(),
            total=sum(item.charge.amount for item in order.items if item.charge),
            doctor_name=order.ordered_by.get_full_name() if order.ordered_by else "",
            barcode=code128_data_uri(order.order_number))


class LabSampleLabelView(BaseView):
    """/print/sample-label/<id>: a 50 × 25 mm label for the tube, its Code 128 the sample
    number the lab scans on receipt."""
    row_args = {"sample_id": LabSample}
    route_base = "/print"
    class_permission_name = "LabSample"
    method_permission_name = {"sample_label": READ}
    default_view = "sample_label"

    @expose("/sample-label/<int:sample_id>")
    @has_access
    def sample_label(self, sample_id):
        sample = lab_samples.sample_for_label(sample_id)
        if sample is None or not in_scope(sample.facility_id):
            abort(404)
        return print_paper(
            self, sample, "label_prints", "sample label", "printing/sample_label.html",
            f"sample-{sample.sample_number}.pdf", sample=sample, patient=sample.patient,
            name=shorten(sample.patient.name, 30), name_other=shorten(
                other_script(sample.patient.name), 36), tests=shorten(sample.test_codes, 24),
            **patient_words(sample.patient), collected_at=ist(sample.collected_at)[:16],
            container=(sample.container or "").upper() or bilingual(SAMPLES)[sample.sample],
            urgent=sample.order.priority == "urgent", barcode_mm=label_barcode_mm(
                sample.sample_number), barcode=code128_data_uri(sample.sample_number,
                                                                height_px=40))


def shorten(text: str, chars: int) -> str:
    """`text` cut at a word to fit `chars` characters, as a label's line must (a line
    more would print a second label)."""
    if len(text) <= chars:
        return text
    cut = text[:chars - 1].rsplit(" ", 1)[0].rstrip(" ,")
    return f"{cut}…"


def label_barcode_mm(value: str) -> float:
    """The label's barcode width: bars of 0.2 mm (a 203 dpi label printer draws them
    and a scanner reads them), at most the 47 mm a 50 mm label has inside its margins."""
    return min(47.0, round((len(code128_modules(value)) + 2 * CODE128_QUIET_MODULES) * 0.2, 1))


def _signatories(report) -> list[dict]:
    """The pathologists who released what the report shows, as they sign it."""
    users = {}
    for block in report:
        for row in block["rows"]:
            result = row["result"]
            if result is not None and result.released_by is not None:
                users[result.released_by.id] = result.released_by
    signs = []
    for user in users.values():
        profile = opd.staff_profile(user.id)
        signs.append({"name": user.get_full_name(),
                      "qualification": profile.qualification if profile else None,
                      "registration": profile.council_registration if profile else None})
    return signs


class LabReportPrintView(BaseView):
    """/print/lab-report/<order_id>?size=a4|a5: the released results of an order;
    /print/lab-cumulative/<patient_id>?test=HB: a test's results over time."""
    row_args = {"order_id": LabOrder, "patient_id": Patient}
    route_base = "/print"
    class_permission_name = "LabResult"
    method_permission_name = {"lab_report": READ, "lab_cumulative": READ}
    default_view = "lab_report"

    @expose("/lab-report/<int:order_id>")
    @has_access
    def lab_report(self, order_id):
        size = request.args.get("size") or "a4"
        if size not in ("a4", "a5"):
            abort(400)
        order = lab_results.order_for_report(order_id)
        if order is None or not in_scope(order.facility_id):
            abort(404)
        report = lab_results.order_results(order)
        if not any(block["released"] for block in report):
            abort(404)  # nothing released yet: there is no report to give
        taken = {}
        for item in order.items:
            if item.sample is not None:
                taken[item.sample.id] = (item.sample, item.released_at)
        kinds = bilingual(SAMPLES)
        return print_paper(
            self, order, "report_prints", f"lab report {size}", "printing/lab_report.html",
            f"lab-report-{order.order_number}.pdf", order=order, patient=order.patient,
            **patient_words(order.patient), size=size, report=report, flags=bilingual(FLAGS),
            any_amended=any(row["replaced"] for block in report for row in block["rows"]),
            ordered_at=ist(order.ordered_at),
            doctor_name=order.ordered_by.get_full_name() if order.ordered_by else "",
            samples_taken=[{"number": s.sample_number, "kind": kinds[s.sample],
                            "collected": ist(s.collected_at), "received": ist(s.received_at),
                            "reported": ist(released)} for s, released in taken.values()],
            pathologists=_signatories(report), barcode=code128_data_uri(order.order_number),
            qr=qr_data_uri(f"{order.order_number}|{order.patient.uhid}"))


    @expose("/lab-cumulative/<int:patient_id>")
    @has_access
    def lab_cumulative(self, patient_id):
        from app.lab.bench import cumulative_context
        patient = registration.resolve(db.session.get(Patient, patient_id))
        shown = cumulative_context(patient.facility_id, patient, request.args.get("test"))
        if shown["chosen"] is None:
            abort(404)
        return print_report(
            self, patient.facility, "patient", patient.id,
            f"cumulative lab report {shown['chosen'].code}", "printing/lab_cumulative.html",
            f"lab-cumulative-{patient.uhid}-{shown['chosen'].code}.pdf", patient=patient,
            flags=bilingual(FLAGS), **patient_words(patient), **shown)


class DayEndPrintView(BaseView):
    """/print/day-end?from=&to=: the day-end report as a printable PDF."""
    route_base = "/print"
    class_permission_name = "Bill"
    method_permission_name = {"day_end": READ}
    default_view = "day_end"

    @expose("/day-end")
    @has_access
    def day_end(self):
        from app.billing.dayend import day_end
        from app.billing.dayend_views import report_range
        from app.core.scoping import working_facility_id
        from app.core.models import Facility
        facility_id = working_facility_id()
        if facility_id is None:
            return no_facility(self)
        try:
            first, last = report_range()
        except DomainError as err:
            return refusal_page(err)
        return print_report(
            self, db.session.get(Facility, facility_id), "bill", None,
            f"day-end {first}..{last}", "printing/day_end.html",
            f"day-end-{first:%Y%m%d}-{last:%Y%m%d}.pdf", report=day_end(facility_id, first, last),
            modes=PAYMENT_MODE_WORDS, kinds=bilingual(KIND_LABELS),
            statuses=bilingual(BILL_STATUS_LABELS))


class SummaryPrintView(BaseView):
    """/print/discharge-summary/<admission_id>: the discharge summary on A4, headings in
    both languages; a draft prints marked as such, an amended one says so."""
    row_args = {"admission_id": Admission}
    route_base = "/print"
    class_permission_name = "DischargeSummary"
    method_permission_name = {"discharge_summary": READ}
    default_view = "discharge_summary"

    @expose("/discharge-summary/<int:admission_id>")
    @has_access
    def discharge_summary(self, admission_id):
        admission = ipd.admission_details(admission_id)
        written = ipd_summary.summary_of(admission_id)
        if written is None:
            abort(404)  # nothing written yet: there is no summary to give
        doctor = written.signed_by or admission.doctor
        profile = opd.staff_profile(doctor.id) if doctor else None
        return print_paper(
            self, written, "prints", f"discharge summary v{written.version}",
            "printing/discharge_summary.html", f"discharge-summary-{admission.ipd_number}.pdf",
            admission=admission, summary=written, patient=admission.patient,
            **patient_words(admission.patient), diagnoses=[
                d for d in ipd_summary.diagnoses_of(admission_id) if d.ruled_out_at is None],
            kinds=bilingual(DIAGNOSIS_KINDS), routes=bilingual(ROUTE_LABELS),
            results=lab_results.released_for_admission(admission_id), flags=bilingual(FLAGS),
            admitted_at=ist(admission.admitted_at), discharged_at=ist(admission.discharged_at),
            discharge_type=bilingual(DISCHARGE_TYPES).get(admission.discharge_type, ""),
            signed_at=ist(written.signed_at), doctor_name=doctor.get_full_name() if doctor else "",
            qualification=profile.qualification if profile else None,
            registration=profile.council_registration if profile else None,
            barcode=code128_data_uri(admission.ipd_number))


class DeathCertificatePrintView(BaseView):
    """/print/death-certificate/<admission_id>: the Medical Certificate of Cause of Death
    (Form 4, hospital in-patients), headings in both languages."""
    row_args = {"admission_id": Admission}
    route_base = "/print"
    class_permission_name = "MedicoLegal"
    method_permission_name = {"death_certificate": READ}
    default_view = "death_certificate"

    @expose("/death-certificate/<int:admission_id>")
    @has_access
    def death_certificate(self, admission_id):
        admission = ipd.admission_details(admission_id)
        record = ipd_deaths.death_of(admission_id)
        if record is None:
            abort(404)  # no death recorded: there is no certificate to give
        profile = opd.staff_profile(record.certified_by_id) if record.certified_by_id else None
        return print_paper(
            self, record, "certificate_prints", "MCCD Form 4", "printing/death_certificate.html",
            f"mccd-{admission.ipd_number}.pdf", admission=admission, death=record,
            patient=admission.patient, **patient_words(admission.patient),
            manners=bilingual(MANNERS), died_at=ist(record.died_at),
            admitted_at=ist(admission.admitted_at), certified_at=ist(record.certified_at),
            doctor_name=record.certified_by.get_full_name() if record.certified_by else "",
            qualification=profile.qualification if profile else None,
            registration=profile.council_registration if profile else None,
            handed_over_at=ist(record.handed_over_at),
            barcode=code128_data_uri(admission.ipd_number))


class CensusPrintView(BaseView):
    """/print/census?from=dd-mm-yyyy&to=dd-mm-yyyy: the ward census, A4 landscape."""
    route_base = "/print"
    class_permission_name = "Admission"
    method_permission_name = {"census": READ}
    default_view = "census"

    @expose("/census")
    @has_access
    def census(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        try:
            first, last = ipd_census.asked_range(request.args)
        except DomainError as err:
            return Response(" ".join(str(v) for v in err.errors.values()), status=422,
                            mimetype="text/plain")
        rows = ipd_census.census_rows(facility.id, first, last)
        return print_report(
            self, facility, "admission", None, f"ward census {first:%d-%m-%Y}..{last:%d-%m-%Y}",
            "printing/census.html", f"census-{facility.code}-{first:%Y%m%d}-{last:%Y%m%d}.pdf",
            first=first, last=last, **{**rows, "headings": bilingual(ipd_census.HEADINGS),
                                       "discharge_types": bilingual(DISCHARGE_TYPES)})


class HandoverPrintView(BaseView):
    """/print/handover?ward=<id>: the ward's handover sheet, A4 landscape."""
    route_base = "/print"
    class_permission_name = "Admission"
    method_permission_name = {"handover": READ}
    default_view = "handover"

    @expose("/handover")
    @has_access
    def handover(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        sheet = ipd_sheets.handover_context(facility.id, request.args.get("ward", ""))
        if sheet["ward"] is None:
            abort(404)
        return print_report(
            self, facility, "ward", sheet["ward"].id, "handover sheet", "printing/handover.html",
            f"handover-{sheet['ward'].code}.pdf", **{
                **sheet, "headings": bilingual(sheet["headings"]),
                "risks": bilingual(NEWS2_RISKS), "lab_statuses": bilingual(ITEM_STATUSES),
                "diets": bilingual(DIETS), "order_kinds": bilingual(ORDER_KINDS),
                "routes": bilingual(ROUTE_LABELS)})


class ConsentPrintView(BaseView):
    """/print/consent/<id>: a consent as the form that is signed, in both languages."""
    row_args = {"consent_id": Consent}
    route_base = "/print"
    class_permission_name = "Admission"
    method_permission_name = {"consent": READ}
    default_view = "consent"

    @expose("/consent/<int:consent_id>")
    @has_access
    def consent(self, consent_id):
        consent = db.session.get(Consent, consent_id)
        admission = ipd.admission_details(consent.admission_id)
        return print_paper(
            self, consent, "prints", f"consent {consent.kind}", "printing/consent.html",
            f"consent-{admission.ipd_number}-{consent.id}.pdf", consent=consent,
            admission=admission, patient=admission.patient, **patient_words(admission.patient),
            kinds=bilingual(CONSENT_KINDS), relations=bilingual(CONSENT_RELATIONS),
            signed_at=ist(consent.signed_at)[:16],
            explained_by=consent.explained_by.get_full_name() if consent.explained_by else "",
            barcode=code128_data_uri(admission.ipd_number))


class DeparturePrintView(BaseView):
    """/print/departure/<admission_id>: the referral slip, the LAMA form or the absconding
    report of a stay that ended so, in both languages."""
    row_args = {"admission_id": Admission}
    route_base = "/print"
    class_permission_name = "Admission"
    method_permission_name = {"departure": READ}
    default_view = "departure"

    @expose("/departure/<int:admission_id>")
    @has_access
    def departure(self, admission_id):
        admission = ipd.admission_details(admission_id)
        record = admission.departure
        if record is None:
            abort(404)
        summary = ipd_summary.summary_of(admission_id)
        return print_paper(
            self, record, "prints", f"{record.kind} form", "printing/departure.html",
            f"{record.kind}-{admission.ipd_number}.pdf", admission=admission, record=record,
            patient=admission.patient, **patient_words(admission.patient),
            relations=bilingual(CONSENT_RELATIONS), transports=bilingual(TRANSPORTS),
            diagnoses=[d for d in ipd_summary.diagnoses_of(admission_id)
                       if d.ruled_out_at is None],
            treatment=summary.treatment if summary else None,
            admitted_at=ist(admission.admitted_at)[:16],
            left_at=ist(admission.discharged_at)[:16],
            last_seen_at=ist(record.last_seen_at)[:16],
            doctor_name=admission.doctor.get_full_name() if admission.doctor else "",
            barcode=code128_data_uri(admission.ipd_number))
