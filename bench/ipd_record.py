"""The IPD clinical record's benchmark, at N patients.

    HMIS_DATABASE_URL=... .venv/bin/python bench/ipd_record.py 1000000

Fills a throw-away database up to N patients with `hmis bench-data`, admits 300 of them to
a ward of its own and charts ten days of vitals for each (six sets a day: 18,000 sets), with
a round and a nursing note a day, a diet order a day and an intake/output line every two
hours for one of them, and four medicine orders each (TDS, BD,
OD, Q6H) with every dose up to an hour ago marked given (about 33,000 MAR lines; for 20
of them the last twelve hours are left unmarked), and a 60-bed ward of patients admitted
three days ago with the same medicines, then measures server-side: charting one set
(validated, NEWS2-scored, audited); marking a dose; the page of that admission with its 60
sets (chart and table), 20 notes, its orders, its intake/output chart and its medicines
over HTTP, and its signed discharge
summary (two diagnoses, five medicines to take home) as a PDF; the bed board with the
latest score of each of the 300 patients over HTTP; the medicine round (doses still to
mark from 12 hours back to 3 ahead) of the 60-bed ward and of the 300-bed one over HTTP.
Results go to bench/results/ipdrecord-<db>-<N>.json.
"""
import gc
import json
import os
import platform
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, insert, select, update  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
BEDS, DAYS, PER_DAY = 300, 10, 6
WARD = "BVIT"
ROUND_WARD, ROUND_BEDS = "BMAR", 60
BEHIND = 20  # admissions of the big ward whose last twelve hours of doses are unmarked
MEDICINES = (("Ceftriaxone 1 g injection", "1 g", "IV", "Q6H"),
             ("Paracetamol 500 mg tablet", "1 tablet", "oral", "TDS"),
             ("Pantoprazole 40 mg tablet", "1 tablet", "oral", "OD"),
             ("Metformin 500 mg tablet", "1 tablet", "oral", "BD"))


def _medicines(fid, admission_ids, nurse, behind=()):
    """Four orders per admission from its first day, every dose until an hour ago given
    (written in bulk, as if the ward had kept the record all along); for the `behind`
    admissions the last twelve hours are left unmarked (overdue on the round)."""
    from app.ipd import medication
    from app.ipd.models import Admission, MedicationAdministration, MedicationOrder
    have = set(db.session.execute(select(MedicationOrder.admission_id).where(
        MedicationOrder.admission_id.in_(admission_ids))).scalars())
    for admission_id in [a for a in admission_ids if a not in have]:
        start = db.session.get(Admission, admission_id).admitted_at + timedelta(minutes=30)
        db.session.add_all([MedicationOrder(
            facility_id=fid, admission_id=admission_id, drug_name=name, dose=dose, route=route,
            frequency=frequency, start_at=start, ordered_at=start)
            for name, dose, route, frequency in MEDICINES])
    now = datetime.now(timezone.utc)
    db.session.execute(delete(MedicationAdministration).where(  # left by an earlier run
        MedicationAdministration.admission_id.in_(behind),
        MedicationAdministration.due_at >= now - timedelta(hours=12)))
    db.session.commit()
    marked = set(db.session.execute(select(
        MedicationAdministration.order_id, MedicationAdministration.due_at).where(
        MedicationAdministration.admission_id.in_(admission_ids))).all())
    orders = db.session.execute(select(MedicationOrder).where(
        MedicationOrder.admission_id.in_(admission_ids))).scalars().all()
    rows = [dict(facility_id=fid, order_id=o.id, admission_id=o.admission_id, due_at=due,
                 outcome="given", at=due + timedelta(minutes=10), recorded_by_id=nurse,
                 recorded_at=due + timedelta(minutes=12))
            for o in orders for due in medication.doses(o, o.start_at, now - timedelta(
                hours=12 if o.admission_id in behind else 1)) if (o.id, due) not in marked]
    for k in range(0, len(rows), 5000):
        db.session.execute(insert(MedicationAdministration), rows[k:k + 5000])
    db.session.commit()


def _summary(admission):
    """Two final diagnoses and a signed discharge summary with five medicines to take
    home, for the admission whose page and summary are measured."""
    from flask_appbuilder.security.sqla.models import User

    from app.ipd import summary
    if summary.summary_of(admission.id) is not None:
        return
    doctor = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
    for code in ("A01.0", "D64.9"):
        summary.add_diagnosis(admission, {"diagnosis": code, "kind": "final"}, doctor)
    lines = {}
    for n, (drug, frequency) in enumerate((("Cefixime 200 mg tablet", "BD"),
                                           ("Paracetamol 500 mg tablet", "SOS"),
                                           ("Pantoprazole 40 mg tablet", "OD"),
                                           ("Ferrous sulphate 200 mg tablet", "OD"),
                                           ("ORS powder", "TDS")), 1):
        lines.update({f"rx_drug_{n}": drug, f"rx_dose_{n}": "1", f"rx_frequency_{n}": frequency,
                      f"rx_days_{n}": "7", f"rx_instructions_{n}": "after food"})
    summary.save_summary(admission, {
        **lines, "complaints": "High fever for 7 days with headache and loss of appetite",
        "course": "Admitted with fever 103 °F. Widal positive (TO 1:160). Treated with IV "
                  "ceftriaxone for 7 days; afebrile from day 4; eating well by day 6. " * 3,
        "investigations": "Hb 9.8 g/dL; Widal TO 1:160, TH 1:160; LFT mildly raised",
        "treatment": "Inj. ceftriaxone 1 g IV BD x 7 days; paracetamol SOS; IV fluids x 2 days",
        "condition": "Afebrile for 72 hours, eating well, walking without help",
        "advice": "उबला हुआ पानी पिएँ, घर का बना खाना खाएँ, दवा का पूरा कोर्स लें।",
        "follow_up_on": (datetime.now(timezone.utc) + timedelta(days=7)).strftime("%d-%m-%Y")},
        doctor, sign=True)


def _admit_all(facility, beds, medicine, start):
    """Each free bed of `beds` taken by a patient of the facility not in hospital, admitted
    at `start`: {bed: admission id} of every occupied bed."""
    from app.ipd import services as ipd
    from app.ipd.models import Admission, Bed
    from app.registration.models import Patient
    admitted = dict(db.session.execute(select(Admission.bed_id, Admission.id).where(
        Admission.bed_id.in_(beds), Admission.status == "admitted")).all())
    db.session.execute(update(Bed).where(Bed.id.in_(beds), Bed.state == "cleaning")
                       .values(state="free"))  # beds left by an earlier run, cleaned
    free = [b for b in beds if b not in admitted]
    if free:
        taken = set(db.session.execute(select(Admission.patient_id).where(
            Admission.status == "admitted")).scalars())
        patients = [p for p in db.session.execute(
            select(Patient.id).where(Patient.facility_id == facility.id)
            .order_by(Patient.id.desc()).limit(len(free) + len(taken) + 10)).scalars()
            if p not in taken]
        for bed, patient in zip(free, patients):
            admitted[bed] = ipd.admit(facility, patient, {"department": medicine, "bed": bed},
                                      None, now=start).id
    db.session.commit()
    return admitted


def _ward(facility_id, code=WARD, beds=BEDS):
    from app.ipd.models import Bed, Ward
    ward = db.session.execute(select(Ward).where(Ward.facility_id == facility_id,
                                                 Ward.code == code)).scalar_one_or_none()
    if ward is None:
        ward = Ward(facility_id=facility_id, code=code, name_en="Vitals bench ward",
                    name_hi="बेंच वार्ड", active=True)
        db.session.add(ward)
        db.session.add_all([Bed(facility_id=facility_id, ward=ward, number=str(n),
                                tariff_code="BED-GEN", active=True)
                            for n in range(1, beds + 1)])
        db.session.commit()
    return ward


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from app.core.models import Department, Facility
        from app.ipd import services as ipd
        from app.ipd import vitals
        from app.ipd import medication
        from app.ipd.models import (
            Admission, Bed, ClinicalNote, FluidEntry, MedicationAdministration, MedicationOrder,
            VitalSign, WardOrder,
        )
        from app.registration.models import Patient
        from flask_appbuilder.security.sqla.models import User
        fill_patients(target)
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        nurse = db.session.execute(select(User.id).where(User.username == "nurse.dhr")).scalar()
        medicine = db.session.execute(select(Department.id).where(
            Department.facility_id == fid, Department.code == "MED")).scalar()
        ward = _ward(fid)
        ward_id = ward.id
        beds = db.session.execute(select(Bed.id).where(Bed.ward_id == ward.id)
                                  .order_by(Bed.id)).scalars().all()
        admitted = _admit_all(facility, beds, medicine,
                              datetime.now(timezone.utc) - timedelta(days=DAYS))
        charted = set(db.session.execute(select(VitalSign.admission_id).where(
            VitalSign.admission_id.in_(admitted.values())).distinct()).scalars())
        rng = random.Random(1)
        for admission_id in [a for a in admitted.values() if a not in charted]:
            start = db.session.get(Admission, admission_id).admitted_at
            rows = [dict(facility_id=fid, admission_id=admission_id,
                         taken_at=start + timedelta(hours=4 * k + 1),
                         temperature_f=round(rng.uniform(97.5, 101.5), 1),
                         pulse=rng.randint(60, 120), resp_rate=rng.randint(12, 26),
                         bp_systolic=rng.randint(95, 160), bp_diastolic=rng.randint(60, 95),
                         spo2=rng.randint(90, 99), on_oxygen=False, consciousness="A",
                         recorded_by_id=nurse, recorded_at=start + timedelta(hours=4 * k + 1))
                    for k in range(DAYS * PER_DAY)]
            for row in rows:
                row["news2"], row["news2_risk"] = vitals.news2(
                    row["resp_rate"], row["spo2"], False, row["bp_systolic"], row["pulse"],
                    "A", row["temperature_f"])
            db.session.execute(insert(VitalSign), rows)
            db.session.commit()
        admission_ids = list(admitted.values())
        page_of = admission_ids[0]
        if not db.session.execute(select(ClinicalNote.id).where(
                ClinicalNote.admission_id == page_of)).first():
            admitted_at = db.session.get(Admission, page_of).admitted_at
            db.session.execute(insert(ClinicalNote), [dict(
                facility_id=fid, admission_id=page_of, author_id=nurse,
                written_at=admitted_at + timedelta(hours=12 * k + 2),
                **({"kind": "round", "subjective": "Feels better, fever less at night",
                    "examination": "Chest clear; abdomen soft; pulse 88",
                    "assessment": "Enteric fever, improving",
                    "plan": "Continue antibiotics; CBC and LFT tomorrow; soft diet"}
                   if k % 2 == 0 else {"kind": "nursing", "shift": "night",
                                       "text": "Slept well; IV line patent; intake 1.8 L"}))
                for k in range(2 * DAYS)])
            db.session.commit()
        if not db.session.execute(select(FluidEntry.id).where(
                FluidEntry.admission_id == page_of)).first():
            # Ten days of a drip and a urine bag: a line every two hours, and the diet and
            # plans the rounds ordered.
            admitted_at = db.session.get(Admission, page_of).admitted_at
            db.session.execute(insert(FluidEntry), [dict(
                facility_id=fid, admission_id=page_of, recorded_by_id=nurse,
                at=admitted_at + timedelta(hours=2 * k + 1),
                recorded_at=admitted_at + timedelta(hours=2 * k + 1),
                direction="in" if k % 2 == 0 else "out", route="iv" if k % 2 == 0 else "urine",
                volume_ml=rng.choice((100, 250, 500))) for k in range(12 * DAYS)])
            db.session.execute(insert(WardOrder), [dict(
                facility_id=fid, admission_id=page_of, ordered_by_id=nurse, kind="diet",
                diet=("liquid", "soft", "normal")[min(k, 2)],
                ordered_at=admitted_at + timedelta(days=k, hours=3)) for k in range(DAYS)])
            db.session.commit()
        _summary(db.session.get(Admission, page_of))
        behind = admission_ids[-BEHIND:]
        _medicines(fid, admission_ids, nurse, behind)
        # A ward of a district hospital's size, its record up to date: the round's target.
        round_ward = _ward(fid, ROUND_WARD, ROUND_BEDS)
        round_ward_id = round_ward.id
        _medicines(fid, list(_admit_all(facility, [b.id for b in round_ward.beds], medicine,
                                        datetime.now(timezone.utc) - timedelta(days=3)
                                        ).values()), nurse)
        vacuum()
        counts = {"patients": db.session.execute(select(func.count()).select_from(Patient)).scalar(),
                  "vital_sets": db.session.execute(select(func.count()).select_from(
                      VitalSign)).scalar(), "admissions_on_the_ward": len(admission_ids),
                  "mar_lines": db.session.execute(select(func.count()).select_from(
                      MedicationAdministration)).scalar()}
        db.session.remove()
        gc.collect()
        gc.freeze()
        queue = iter(admission_ids * 2)

        def chart_a_set():  # as the admission's page saves it
            admission = ipd.admission_details(next(queue))
            vitals.record(admission, {"temperature_f": "99.1", "pulse": "88", "resp_rate": "18",
                                      "bp_systolic": "128", "bp_diastolic": "82",
                                      "spo2": "97", "consciousness": "A", "pain_score": "2"},
                          nurse)
        measured = {"chart_vitals_set": timed(chart_a_set, ROUNDS)}
        # The unmarked doses of the admissions behind: one marked each round (and the
        # marks removed after, so that the next run finds them open again).
        now = datetime.now(timezone.utc)
        open_doses = [(o.id, due) for o in db.session.execute(
            select(MedicationOrder).where(MedicationOrder.admission_id.in_(behind))
        ).scalars() for due in medication.doses(o, now - timedelta(hours=12), now)]
        queue_doses, made = iter(open_doses), []
        db.session.remove()

        def mark_a_dose():  # as the admission's page sends it
            order_id, due = next(queue_doses)
            made.append(medication.administer(db.session.get(MedicationOrder, order_id),
                                              {"due_at": due, "outcome": "given"}, nurse).id)
        measured["mark_dose_given"] = timed(mark_a_dose, min(ROUNDS, len(open_doses) - 5))
        db.session.execute(delete(MedicationAdministration).where(
            MedicationAdministration.id.in_(made)))
        db.session.commit()

    client = app.test_client()
    client.post("/login/", data={"username": "nurse.dhr", "password": PASSWORD})
    measured["admission_page_60_sets_http"] = timed(
        lambda: ok(client.get(f"/ipd/admission/{page_of}")), 50)
    measured["bed_board_with_scores_http"] = timed(lambda: ok(client.get("/ipd/")), 50)
    measured["discharge_summary_pdf_http"] = timed(
        lambda: ok(client.get(f"/print/discharge-summary/{page_of}")), 50)
    measured["medicine_round_60_beds_http"] = timed(
        lambda: ok(client.get(f"/ipd/mar/?ward={round_ward_id}")), 50)
    measured["medicine_round_300_beds_http"] = timed(
        lambda: ok(client.get(f"/ipd/mar/?ward={ward_id}")), 50)
    report = {"database": dialect, **counts, "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": measured}
    out = Path(__file__).parent / "results" / f"ipdrecord-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
