"""The doctor's screen: today's queue of their departments, call next, consult, print."""
from flask import flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.base_views import DomainError, no_facility
from app.core.models import Department, StaffProfile
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, in_scope, working_facility_id
from app.extensions import db
from app.lab import results as lab_results
from app.lab.models import FLAGS, REJECT_REASONS
from app.registration.display import summary

from . import consultation as consult
from .labels import VISIT_LABELS
from .models import Drug, OpdVisit


class DoctorView(BaseView):
    row_args = {"visit_id": OpdVisit}  # rows named in its URLs: 404 unless in scope
    route_base = "/opd"
    class_permission_name = "Consultation"
    method_permission_name = {"queue": READ, "call_next": WRITE, "consult": WRITE,
                              "icd10": READ, "left": WRITE}
    default_view = "queue"

    def _departments(self, facility_id):
        """The doctor's own departments (staff profile), else every clinical one."""
        user = acting_user()
        profile = db.session.execute(select(StaffProfile).where(
            StaffProfile.user_id == user.id)).scalar_one_or_none()
        mine = [d for d in (profile.departments if profile else []) if d.is_clinical]
        if mine:
            return mine
        return db.session.execute(select(Department).where(
            Department.facility_id == facility_id, Department.is_clinical.is_(True),
            Department.active.is_(True)).order_by(Department.code)).scalars().all()

    def _visit(self, visit_id):
        visit = db.session.get(OpdVisit, visit_id)
        if visit is None or not in_scope(visit.facility_id):
            return None
        return visit

    @expose("/queue")
    @has_access
    def queue(self):
        facility_id = working_facility_id()
        if facility_id is None:
            return no_facility(self)
        departments = self._departments(facility_id)
        visits, waiting = consult.queue(facility_id, [d.id for d in departments])
        return self.render_template("opd/queue.html", departments=departments, visits=visits,
                                    waiting=waiting, labels=VISIT_LABELS)

    @expose("/call-next", methods=["POST"])
    @has_access
    def call_next(self):
        facility_id = working_facility_id()
        department = request.form.get("department", "")
        allowed = {d.id for d in self._departments(facility_id)} if facility_id else set()
        if not department.isdigit() or int(department) not in allowed:
            flash(_("Choose a department of this facility."), "danger")
            return redirect(url_for("DoctorView.queue"))
        visit = consult.call_next(facility_id, int(department), acting_user().id)
        if visit is None:
            flash(_("No one is waiting in this department."), "info")
            return redirect(url_for("DoctorView.queue"))
        return redirect(url_for("DoctorView.consult", visit_id=visit.id))

    @expose("/consult/<int:visit_id>", methods=["GET", "POST"])
    @has_access
    def consult(self, visit_id):
        visit = self._visit(visit_id)
        if visit is None:
            return self.render_template("opd/not_found.html"), 404
        record = consult.open_consultation(visit, acting_user().id) \
            if request.method == "GET" or visit.consultation is None else visit.consultation
        errors, form = {}, None
        if request.method == "POST":
            finish = request.form.get("finish") == "1"
            try:
                consult.save(record, request.form, finish=finish)
            except DomainError as err:
                errors, form = err.errors, request.form
            else:
                flash(_("Consultation saved."), "success")
                if finish:
                    return redirect(url_for("DoctorView.queue"))
                return redirect(url_for("DoctorView.consult", visit_id=visit.id))
        departments = db.session.execute(select(Department).where(
            Department.facility_id == visit.facility_id, Department.is_clinical.is_(True),
            Department.active.is_(True)).order_by(Department.code)).scalars().all()
        drugs = db.session.execute(select(Drug).where(Drug.active.is_(True))
                                   .order_by(Drug.name)).scalars().all()
        return self.render_template(
            "opd/consult.html", visit=visit, record=record, patient=summary(visit.patient),
            errors=errors, form=form, vitals=consult.VITALS, routes=consult.ROUTE_LABELS,
            departments=departments, drugs=drugs, labels=VISIT_LABELS,
            lab_recent=lab_results.recent_for_patient(visit.facility_id, visit.patient),
            lab_flags=FLAGS, lab_reject_reasons=REJECT_REASONS,
            favourites=consult.favourite_ids(record.doctor_id), max_lines=8,
            previous=consult.previous_consultations(visit), allergies=visit.patient.allergies,
            bmi=consult.bmi(record.weight_kg, record.height_cm)), \
            (422 if errors else 200)

    @expose("/left/<int:visit_id>", methods=["POST"])
    @has_access
    def left(self, visit_id):
        visit = self._visit(visit_id)
        if visit is None:
            return self.render_template("opd/not_found.html"), 404
        try:
            consult.mark_left(visit)
        except DomainError as err:
            for message in err.errors.values():
                flash(message, "danger")
        return redirect(url_for("DoctorView.queue"))

    @expose("/icd10")
    @has_access
    def icd10(self):
        user = acting_user()
        return jsonify([{"code": i.code, "title": i.title, "title_hi": i.title_hi}
                        for i in consult.search_icd10(request.args.get("q", ""),
                                                      working_facility_id(),
                                                      getattr(user, "id", None))])
