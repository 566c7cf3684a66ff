"""The ward screens: the bed board (who is in which bed), admitting a patient to a
free bed, and an admission's page with transfer and discharge."""
import re
from datetime import datetime, time

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.base_views import DomainError, no_facility
from app.core.formatting import IST, aware
from app.core.models import Department
from app.core.numbering import ist_today
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, current_facility, in_scope, may
from app.extensions import db
from app.lab import results as lab_results
from app.lab.models import FLAGS, REJECT_REASONS
from app.registration import services as registration
from app.registration.display import summary
from app.registration.models import Patient

from . import notes, services, vitals, ward_orders
from .labels import (
    ADMISSION_LABELS, DEPARTURE_LABELS, DEPARTURE_TITLES, NOTE_LABELS, VITAL_LABELS,
)
from .models import (
    ARRIVALS, BED_STATES, CONSCIOUSNESS, DIETS, DISCHARGE_TYPES, NEWS2_RISKS, NOTE_KINDS,
    ORDER_KINDS, SHIFTS, STATUSES, TRANSPORTS, Admission, Bed, Ward,
)

ADMIT_FIELDS = ("department", "bed", "doctor", "arrival", "provisional_diagnosis", "mlc",
                "attendant_name", "attendant_mobile", "visit", "confirm_ward")


class WardBoardView(BaseView):
    row_args = {"admission_id": Admission, "bed_id": Bed}  # in its URLs: 404 unless in scope
    route_base = "/ipd"
    class_permission_name = "Admission"
    method_permission_name = {"board": READ, "admission": READ, "admit": WRITE,
                              "transfer": WRITE, "discharge": WRITE, "cancel": WRITE,
                              "bed_state": WRITE, "bed_state_chosen": WRITE}
    default_view = "board"

    def _user_id(self):
        return getattr(acting_user(), "id", None)

    @expose("/")
    @has_access
    def board(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        wards = services.board(facility.id)
        beds = [bed for _ward, row in wards for bed in row]
        today = ist_today()
        # The day of the stay, counted as wards do: the day of admission is day 1.
        day_of_stay = {a.id: (today - ist_today(aware(a.admitted_at))).days + 1
                       for _b, a in beds if a}
        return self.render_template("ipd/board.html", wards=wards, today=today,
                                    day_of_stay=day_of_stay,
                                    occupied=sum(1 for _b, a in beds if a), total=len(beds),
                                    states=BED_STATES, counts=_counts(wards),
                                    empty=[b for b, a in beds if not a and b.state == "free"],
                                    again=lab_results.to_collect_again(facility.id),
                                    reasons=REJECT_REASONS,
                                    scores=vitals.latest_scores(facility.id),
                                    risks=NEWS2_RISKS)

    def _admit_page(self, facility, patient, form=None, errors=None, status=200):
        departments = db.session.execute(select(Department).where(
            Department.facility_id == facility.id, Department.active.is_(True),
            Department.is_clinical.is_(True)).order_by(Department.code)).scalars().all()
        q = request.args.get("q", "").strip()
        results = [summary(p) for p in registration.search_patients(facility.id, q)] \
            if q and patient is None else None
        return self.render_template(
            "ipd/admit.html", patient=summary(patient) if patient else None, q=q,
            results=results, departments=departments, beds=services.free_beds(facility.id),
            doctors=services.doctors(facility.id), arrivals=ARRIVALS, form=form or {},
            errors=errors or {}, labels=ADMISSION_LABELS), status

    @expose("/admit", methods=["GET", "POST"])
    @has_access
    def admit(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        source = request.form if request.method == "POST" else request.args
        patient = db.session.get(Patient, int(source["patient"])) \
            if source.get("patient", "").isdigit() else None
        if patient is not None and patient.facility_id != facility.id:
            patient = None
        patient = registration.resolve(patient)
        if request.method == "GET":
            return self._admit_page(facility, patient, services.admit_defaults(
                facility.id, patient, request.args))
        form = {f: request.form.get(f, "") for f in ADMIT_FIELDS}
        try:
            admission = services.admit(facility, request.form.get("patient", ""), form,
                                       self._user_id())
        except DomainError as err:
            db.session.rollback()
            return self._admit_page(facility, patient, form, err.errors, 422)
        flash(_("Admitted: %(number)s, bed %(bed)s.", number=admission.ipd_number,
                bed=str(admission.bed)), "success")
        return redirect(url_for("WardBoardView.admission", admission_id=admission.id))

    @expose("/bed/<int:bed_id>/state", methods=["POST"])
    @has_access
    def bed_state(self, bed_id):
        """Mark a bed clean, or free it again (its button on the bed board)."""
        return self._set_state(db.session.get(Bed, bed_id))

    @expose("/bed-state", methods=["POST"])
    @has_access
    def bed_state_chosen(self):
        """Block or reserve the bed chosen in the board's form."""
        bed_id = request.form.get("bed", "")
        bed = db.session.get(Bed, int(bed_id)) \
            if bed_id.isascii() and bed_id.isdigit() and len(bed_id) < 10 else None
        if bed is None or not in_scope(bed.facility_id):
            flash(_("Choose a bed of this facility."), "danger")
            return redirect(url_for("WardBoardView.board")), 303
        return self._set_state(bed)

    def _set_state(self, bed):
        bed_id = bed.id
        try:
            services.set_bed_state(bed, request.form.get("state", ""),
                                   request.form.get("state_note", ""))
        except DomainError as err:
            db.session.rollback()
            flash(" ".join(str(v) for v in err.errors.values()), "danger")
            return redirect(url_for("WardBoardView.board", _anchor=f"bed-{bed_id}")), 303
        flash(_("Bed %(bed)s: %(state)s.", bed=str(bed), state=BED_STATES[bed.state]),
              "success")
        return redirect(url_for("WardBoardView.board", _anchor=f"bed-{bed_id}"))

    @expose("/admission/<int:admission_id>")
    @has_access
    def admission(self, admission_id):
        admission = scoped_admission(admission_id)
        if admission is None:
            return self.render_template("ipd/not_found.html"), 404
        return admission_page(self, admission)

    @expose("/admission/<int:admission_id>/transfer", methods=["POST"])
    @has_access
    def transfer(self, admission_id):
        return act_on_admission(self, admission_id, lambda a, f: services.transfer(
            a, f.get("bed"), f.get("reason"), self._user_id(),
            mismatch_confirmed=f.get("confirm_ward") == "1"), _("Transferred."))

    @expose("/admission/<int:admission_id>/discharge", methods=["POST"])
    @has_access
    def discharge(self, admission_id):
        def act(admission, form):
            services.discharge(admission, local_times(form, "discharged_at", "last_seen_at"),
                               self._user_id())
        return act_on_admission(self, admission_id, act, _(
            "Discharged. The final bill can be made at the cash counter."))

    @expose("/admission/<int:admission_id>/cancel", methods=["POST"])
    @has_access
    def cancel(self, admission_id):
        return act_on_admission(self, admission_id, lambda a, f: services.cancel_admission(
            a, f.get("reason"), (f.get("auth_username"), f.get("auth_password")),
            self._user_id()), _("Admission cancelled. The bed is free."))


def _counts(wards) -> dict[int, dict[str, int]]:
    """Per ward: beds occupied, and empty beds by state."""
    counts = {}
    for ward, beds in wards:
        tally = counts[ward.id] = {"occupied": 0, **{state: 0 for state in BED_STATES}}
        for bed, admission in beds:
            tally["occupied" if admission else bed.state] += 1
    return counts


def admission_page(view, admission, form=None, errors=None, status=200):
    """An admission's page: the stay, its notes, vitals, medicines and lab results, the
    ward's acts."""
    from . import (  # (they act through it)
        fluid_screens, legal_screens, medicine_screens, summary_screens,
    )
    sets = vitals.chart(admission.id)
    written = notes.of_admission(admission.id)
    doctor = notes.is_doctor(acting_user())
    return view.render_template(
        "ipd/admission.html", admission=admission, patient=summary(admission.patient),
        beds=_fitting(services.free_beds(admission.facility_id), admission.patient),
        statuses=STATUSES,
        arrivals=ARRIVALS, discharge_types=DISCHARGE_TYPES, transports=TRANSPORTS,
        departure_labels=DEPARTURE_LABELS, departure_titles=DEPARTURE_TITLES, form=form or {},
        errors=errors or {}, labels=ADMISSION_LABELS,
        lab_recent=lab_results.recent_for_patient(admission.facility_id, admission.patient),
        lab_flags=FLAGS, lab_reject_reasons=REJECT_REASONS, vital_sets=sets,
        vital_series=vitals.series(sets), vital_labels=VITAL_LABELS,
        consciousness=CONSCIOUSNESS, risks=NEWS2_RISKS, notes=written,
        note_labels=NOTE_LABELS, note_kinds=NOTE_KINDS, shifts=SHIFTS,
        may_write_notes=may(WRITE, "ClinicalNote"), may_chart=may(WRITE, "VitalSign"),
        doctor=doctor, **_orders_context(admission, doctor),
        **fluid_screens.page_context(admission), **medicine_screens.page_context(admission),
        **summary_screens.page_context(admission), **legal_screens.page_context(admission)), status


def _fitting(beds, patient) -> list:
    """The beds a transfer offers: none in a ward of the other sex (one outside the ward's
    ages is still offered, and warned of)."""
    return [b for b in beds if not b.ward.gender or patient.gender not in ("M", "F")
            or b.ward.gender == patient.gender]


def _orders_context(admission, doctor: bool) -> dict:
    """The orders in force and each note's orders; for a doctor on a current stay, what
    the round form orders from."""
    may_order = doctor and admission.status == "admitted" and may(WRITE, "ClinicalNote")
    in_force, by_note = ward_orders.of_admission(admission)
    return {
        "in_force": in_force, "note_orders": by_note,
        "diets": DIETS, "order_kinds": ORDER_KINDS, "order_fields": ward_orders.ERROR_FIELDS,
        "procedure_rows": range(1, ward_orders.MOST_PROCEDURES + 1) if may_order else (),
        "procedure_tariffs": ward_orders.procedure_tariffs(
            admission.facility_id, ist_today()) if may_order else [],
        "order_wards": db.session.execute(select(Ward).where(
            Ward.facility_id == admission.facility_id, Ward.active.is_(True))
            .order_by(Ward.code)).scalars().all() if may_order else []}


def scoped_admission(admission_id) -> Admission | None:
    admission = services.admission_details(admission_id)
    if admission is None or not in_scope(admission.facility_id):
        return None
    return admission


def act_on_admission(view, admission_id, act, message, anchor=None):
    """act(admission, form) from a form on the admission's page: done, the page again
    with `message`; refused, the page with the form as typed and why (422)."""
    admission = scoped_admission(admission_id)
    if admission is None:
        return view.render_template("ipd/not_found.html"), 404
    try:
        act(admission, request.form)
    except DomainError as err:
        db.session.rollback()
        return admission_page(view, scoped_admission(admission_id), request.form,
                              err.errors, 422)
    flash(message, "success")
    return redirect(url_for("WardBoardView.admission", admission_id=admission_id,
                            _anchor=anchor))


class VitalSignScreen(BaseView):
    """Vitals charted at the bedside from the admission's page (nurses and doctors)."""
    row_args = {"admission_id": Admission}
    route_base = "/ipd/vitals"
    class_permission_name = "VitalSign"
    method_permission_name = {"record": WRITE}
    default_view = "record"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def record(self, admission_id):
        def chart(admission, form):
            vitals.record(admission, local_times(form, "taken_at"),
                          getattr(acting_user(), "id", None))
        return act_on_admission(self, admission_id, chart, _("Vitals saved."), "vitals")


class ClinicalNoteScreen(BaseView):
    """Rounds and shift notes written from the admission's page."""
    row_args = {"admission_id": Admission}
    route_base = "/ipd/notes"
    class_permission_name = "ClinicalNote"
    method_permission_name = {"write": WRITE}
    default_view = "write"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def write(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: notes.write(
            admission, {**form.to_dict(), **ward_orders.from_form(form)}, acting_user()),
            _("Note saved."), "notes")


def local_times(form, *fields) -> dict:
    """The form's values, with the times typed in `fields` read (parse_local_time)."""
    data = dict(form)
    for field in fields:
        if form.get(field):
            data[field] = parse_local_time(form[field], field)
    return data


LOCAL_TIME_FORMATS = ("%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M")


def parse_local_time(value: str, field: str = "discharged_at"):
    """A time as staff type it, IST ("29-11-2026 14:30", or "14:30" today) → aware
    datetime."""
    clock = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value.strip())
    if clock:
        return datetime.combine(ist_today(), time(int(clock[1]), int(clock[2])), IST)
    for fmt in LOCAL_TIME_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=IST)
        except ValueError:
            continue
    raise DomainError({field: _("Enter the date and time as dd-mm-yyyy hh:mm, "
                                "e.g. 29-11-2026 14:30.")})
