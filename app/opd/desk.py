"""The registration counter: find or register a patient and issue an OPD token, with
the slip, in one act. Keyboard-first: the cursor starts in the name, Tab follows the
paper form, Enter saves; a found patient gets a new visit with a digit and Enter."""
from flask import flash, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.base_views import DomainError, no_facility
from app.core.models import Block, Department, Facility, Village
from app.core.roles import WRITE
from app.core.pickers import village_picker_label
from app.core.scoping import acting_user, current_facility, in_scope
from app.extensions import db
from app.registration import services as registration
from app.registration.display import summary
from app.registration.labels import PATIENT_LABELS
from app.registration.models import GENDERS, RELATIONS, Patient, PatientCategory

from . import services
from .models import VISIT_TYPES, OpdVisit

FORM_FIELDS = ("name", "guardian_relation", "guardian_name", "gender", "age_years",
               "age_months", "age_days", "dob", "mobile", "block", "village", "address_line",
               "pin_code", "category", "card_number", "abha_number", "abha_address",
               "aadhaar_last4", "mlc")


class DeskView(BaseView):
    row_args = {"visit_id": OpdVisit}  # rows named in its URLs: 404 unless in scope
    route_base = "/desk"
    # The desk registers patients as well as issuing tokens: it needs the right to
    # write patients (clerks, doctors, supervisors), not only visits (nurses too).
    class_permission_name = "Patient"
    method_permission_name = {"desk": WRITE, "register": WRITE, "revisit": WRITE,
                              "issued": WRITE}
    default_view = "desk"

    def _choices(self, facility: Facility, form=None) -> dict:
        departments = db.session.execute(
            select(Department).where(Department.facility_id == facility.id,
                                     Department.active.is_(True),
                                     Department.is_clinical.is_(True))
            .order_by(Department.code)).scalars().all()
        blocks = db.session.execute(select(Block).where(
            Block.district_id == facility.district_id).order_by(Block.name_en)).scalars().all()
        # Villages are typed (a district has thousands): only the one chosen is on the page.
        chosen = str((form or {}).get("village") or "")
        village = db.session.get(Village, int(chosen)) if chosen.isdigit() else None
        categories = db.session.execute(
            select(PatientCategory).where(PatientCategory.facility_id == facility.id,
                                          PatientCategory.active.is_(True))
            .order_by(PatientCategory.id)).scalars().all()
        return dict(departments=departments, blocks=blocks, village=village,
                    village_label=village_picker_label(village) if village else "",
                    categories=categories, genders=GENDERS, relations=RELATIONS,
                    visit_types=VISIT_TYPES)

    @staticmethod
    def _default_department(facility) -> str:
        """General medicine until the clerk picks another (then their last choice)."""
        med = db.session.execute(select(Department.id).where(
            Department.facility_id == facility.id, Department.code == "MED")).scalar()
        return str(med or "")

    def _page(self, facility, form=None, errors=None, candidates=None, results=None,
              q="", patient=None, status=200):
        return self.render_template(
            "opd/desk.html", facility=facility, form=form or {}, errors=errors or {},
            candidates=candidates, results=results, q=q, patient=patient,
            labels=PATIENT_LABELS,
            last_department=session.get("desk_department") or self._default_department(facility),
            **self._choices(facility, form)), status

    @expose("/")
    @has_access
    def desk(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        q = request.args.get("q", "").strip()
        results = [summary(p) for p in registration.search_patients(facility.id, q)] if q else None
        patient = None
        if request.args.get("patient", "").isdigit():
            found = db.session.get(Patient, int(request.args["patient"]))
            if found is not None and found.facility_id == facility.id:
                patient = summary(registration.resolve(found))
        return self._page(facility, results=results, q=q, patient=patient)

    @expose("/register", methods=["POST"])
    @has_access
    def register(self):
        facility = current_facility()
        if facility is None:
            return redirect(url_for("DeskView.desk"))
        form = {k: request.form.get(k, "") for k in FORM_FIELDS}
        department = request.form.get("department", "")
        visit_type = request.form.get("visit_type", "NEW")
        form.update(department=department, visit_type=visit_type)
        session["desk_department"] = department
        try:
            visit, warnings = services.register_with_visit(
                form, facility, department, getattr(acting_user(), "id", None), visit_type,
                check_duplicates=not request.form.get("confirm_new"))
        except registration.PossibleDuplicates as found:
            return self._page(facility, form=form, candidates=[
                (summary(c.patient), c.reasons) for c in found.candidates])
        except DomainError as err:
            return self._page(facility, form=form, errors=err.errors, status=422)
        for warning in warnings:
            flash(warning, "warning")
        return redirect(url_for("DeskView.issued", visit_id=visit.id))

    @expose("/revisit", methods=["POST"])
    @has_access
    def revisit(self):
        facility = current_facility()
        patient_id = request.form.get("patient_id", "")
        department = request.form.get("department", "")
        session["desk_department"] = department
        try:
            if facility is None or not patient_id.isdigit():
                raise DomainError({"patient": _("No such record.")})
            visit = services.revisit(int(patient_id), facility.id, department,
                                     getattr(acting_user(), "id", None),
                                     request.form.get("visit_type", "FU"))
        except DomainError as err:
            for message in err.errors.values():
                flash(message, "danger")
            return redirect(url_for("DeskView.desk", patient=patient_id))
        return redirect(url_for("DeskView.issued", visit_id=visit.id))

    @expose("/issued/<int:visit_id>")
    @has_access
    def issued(self, visit_id):
        visit = db.session.get(OpdVisit, visit_id)
        if visit is None or not in_scope(visit.facility_id):
            return self.render_template("opd/not_found.html"), 404
        return self.render_template("opd/issued.html", visit=visit,
                                    patient=summary(visit.patient), labels=PATIENT_LABELS)
