"""The stay's diagnoses (on the admission's page) and its discharge summary (a page of its
own: the doctor drafts, signs, amends; everyone on the ward reads and prints)."""
from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.base_views import DomainError
from app.core.models import Department
from app.core.roles import READ, WRITE
from app.core.scoping import acting_user, may
from app.extensions import db
from app.lab import results as lab_results
from app.lab.models import FLAGS, REJECT_REASONS
from app.opd.consultation import ROUTE_LABELS
from app.opd.models import Drug
from app.registration.display import summary as patient_summary

from . import summary
from .board import act_on_admission, scoped_admission
from .labels import SUMMARY_LABELS
from .models import DIAGNOSIS_KINDS, SUMMARY_STATUSES, Admission, AdmissionDiagnosis
from .notes import is_doctor


class DiagnosisScreen(BaseView):
    """Diagnoses added, confirmed final or ruled out from the admission's page (doctors)."""
    row_args = {"admission_id": Admission, "diagnosis_id": AdmissionDiagnosis}
    route_base = "/ipd/diagnosis"
    class_permission_name = "DischargeSummary"
    method_permission_name = {"add": WRITE, "confirm": WRITE, "rule_out": WRITE}
    default_view = "add"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def add(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: summary.add_diagnosis(
            admission, form, acting_user()), _("Diagnosis recorded."), "diagnoses")

    @expose("/item/<int:diagnosis_id>/confirm", methods=["POST"])
    @has_access
    def confirm(self, diagnosis_id):
        row = db.session.get(AdmissionDiagnosis, diagnosis_id)
        return act_on_admission(self, row.admission_id, lambda _a, _f: summary.confirm_diagnosis(
            row, acting_user()), _("Diagnosis confirmed final."), "diagnoses")

    @expose("/item/<int:diagnosis_id>/rule-out", methods=["POST"])
    @has_access
    def rule_out(self, diagnosis_id):
        row = db.session.get(AdmissionDiagnosis, diagnosis_id)
        return act_on_admission(self, row.admission_id, lambda _a, form: summary.rule_out(
            row, form.get("ruled_out_reason"), acting_user()), _("Diagnosis ruled out."),
            "diagnoses")


class SummaryScreen(BaseView):
    """/ipd/summary/<admission_id>: the discharge summary, its draft form for a doctor."""
    row_args = {"admission_id": Admission}
    route_base = "/ipd/summary"
    class_permission_name = "DischargeSummary"
    method_permission_name = {"show": READ, "write": WRITE}
    default_view = "show"

    @expose("/<int:admission_id>")
    @has_access
    def show(self, admission_id):
        return self._page(scoped_admission(admission_id))

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def write(self, admission_id):
        admission = scoped_admission(admission_id)
        sign = request.form.get("action") == "sign"
        try:
            written = summary.save_summary(admission, request.form, acting_user(), sign=sign)
        except DomainError as err:
            db.session.rollback()
            return self._page(scoped_admission(admission_id), request.form, err.errors, 422)
        flash(_("Discharge summary signed (version %(n)s).", n=written.version)
              if written.status == "signed" else _("Draft saved."), "success")
        return redirect(url_for("SummaryScreen.show", admission_id=admission_id))

    def _page(self, admission, form=None, errors=None, status=200):
        written = summary.summary_of(admission.id)
        if form is None:
            form = summary.form_values(written) if written else \
                summary.draft_from_record(admission)
        may_write = may(WRITE, "DischargeSummary") and is_doctor(acting_user())
        drugs = db.session.execute(select(Drug).where(Drug.active.is_(True)).order_by(
            Drug.name, Drug.strength)).scalars().all() if may_write else []
        departments = db.session.execute(select(Department).where(
            Department.facility_id == admission.facility_id, Department.active.is_(True),
            Department.is_clinical.is_(True)).order_by(Department.code)).scalars().all()
        return self.render_template(
            "ipd/summary.html", admission=admission, patient=patient_summary(admission.patient),
            written=written, form=form, errors=errors or {}, labels=SUMMARY_LABELS,
            statuses=SUMMARY_STATUSES, kinds=DIAGNOSIS_KINDS, routes=ROUTE_LABELS,
            diagnoses=summary.diagnoses_of(admission.id), departments=departments,
            rows=summary.MEDICINE_ROWS,
            versions=summary.versions_of(written) if written else [],
            lab_recent=lab_results.recent_for_patient(admission.facility_id,
                                                      admission.patient),
            lab_flags=FLAGS, lab_reject_reasons=REJECT_REASONS, drugs=drugs,
            may_write=may_write), status


def page_context(admission) -> dict:
    """What the admission's page shows of diagnoses and the summary."""
    return {"diagnoses": summary.diagnoses_of(admission.id), "diagnosis_kinds": DIAGNOSIS_KINDS,
            "summary_labels": SUMMARY_LABELS, "summary_statuses": SUMMARY_STATUSES,
            "written_summary": summary.summary_of(admission.id),
            "may_diagnose": may(WRITE, "DischargeSummary") and is_doctor(acting_user())
            and admission.status != "cancelled",
            "may_read_summary": may(READ, "DischargeSummary")}
