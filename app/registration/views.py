"""Generated views for patients (supervisors, auditors) and categories; the patient
search screen; the supervisor's merge of duplicates."""
from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.core.base_views import DomainError, ScopedModelView
from app.core.interface import Interface
from app.core.roles import READ, WRITE
from app.core.validation import code_in_facility_rules
from app.core.scoping import (
    FacilityScopeFilter, acting_user, in_scope, sees_all_facilities, working_facility_id,
)
from app.extensions import db

from . import merge_preview, services
from .display import gender_text, summary
from .labels import PATIENT_LABELS
from .models import GENDERS, RELATIONS, Patient, PatientCategory
from .search_key import index_patient
from .validation import MAX_AGE_YEARS, format_abha, patient_edit_rules


class PatientView(ScopedModelView):
    """Browse and correct patient records. New patients come in through the
    registration desk, which allocates the UHID and checks for duplicates."""
    datamodel = Interface(Patient)
    class_permission_name = "Patient"
    exclude_route_methods = ScopedModelView.exclude_route_methods | {"add"}
    list_title = _l("Patients")
    show_title = edit_title = _l("Patient")
    label_columns = PATIENT_LABELS
    list_columns = ["uhid", "name", "age", "gender", "guardian_name", "village", "mobile",
                    "category", "last_visit_on"]
    show_columns = ["uhid", "facility", "name", "guardian_relation", "guardian_name",
                    "gender", "dob", "dob_estimated", "age", "mobile", "allergies", "state",
                    "district",
                    "block", "village", "address_line", "pin_code", "category",
                    "card_number", "mlc", "abha_number", "abha_address", "aadhaar_last4",
                    "registered_at", "registered_by", "last_visit_on", "merged_into",
                    "merge_reason"]
    edit_columns = ["name", "guardian_relation", "guardian_name", "gender", "dob", "mobile",
                    "allergies", "state", "district", "block", "village", "address_line", "pin_code",
                    "category", "card_number", "mlc", "abha_number", "abha_address",
                    "aadhaar_last4"]
    search_columns = ["uhid", "name", "guardian_name", "mobile", "abha_number", "village",
                      "category", "mlc", "registered_at", "last_visit_on"]
    edit_form_extra_fields = {
        "gender": SelectField(PATIENT_LABELS["gender"], choices=list(GENDERS.items())),
        "guardian_relation": SelectField(PATIENT_LABELS["guardian_relation"],
                                         choices=[("", "—")] + list(RELATIONS.items())),
    }
    edit_form_query_rel_fields = {"category": [["facility_id", FacilityScopeFilter, None]]}
    formatters_columns = {"gender": gender_text, "abha_number": format_abha,
                          "guardian_relation": lambda r: str(RELATIONS.get(r, r or ""))}
    base_order = ("id", "desc")
    show_template = "registration/patient_show.html"  # adds the photo

    def rules(self, values, pk):
        return patient_edit_rules(values, pk)

    def pre_update(self, item):
        index_patient(item)


class PatientCategoryView(ScopedModelView):
    datamodel = Interface(PatientCategory)
    class_permission_name = "PatientCategory"
    list_title = _l("Patient categories")
    show_title = add_title = edit_title = _l("Patient category")
    label_columns = PATIENT_LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "card_label_en", "active"]
    add_columns = edit_columns = show_columns = ["facility", "code", "name_en", "name_hi",
                                                 "card_label_en", "card_label_hi", "active"]
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **code_in_facility_rules(
            PatientCategory, values, pk,
            _("This facility already has a category with this code."))}


class PatientSearchView(BaseView):
    """Find a patient by UHID, mobile, ABHA or name (either script)."""
    route_base = "/patients"
    class_permission_name = "Patient"
    method_permission_name = {"search": READ}
    default_view = "search"

    @expose("/search")
    @has_access
    def search(self):
        q = request.args.get("q", "")
        results = []
        facility_id = working_facility_id()
        if q and facility_id:
            age = request.args.get("age", "")
            results = [summary(p) for p in services.search_patients(
                facility_id, q, guardian=request.args.get("guardian") or None,
                age=int(age) if age.isdigit() and int(age) <= MAX_AGE_YEARS else None)]
        return self.render_template("registration/search.html", q=q, results=results,
                                    no_facility=facility_id is None,
                                    all_facilities=sees_all_facilities(),
                                    labels=PATIENT_LABELS)


class MergeView(BaseView):
    """Supervisor's merge: the duplicate's UHID keeps resolving to the kept record."""
    route_base = "/patients/merge"
    class_permission_name = "PatientMerge"
    method_permission_name = {"form": WRITE}
    default_view = "form"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def form(self):
        facility_id = working_facility_id()
        errors, data = {}, request.form if request.method == "POST" else request.args
        if request.method == "POST" and data.get("action") == "preview":
            return self._preview(facility_id, data)
        if request.method == "POST":
            survivor = services.by_uhid(facility_id, data.get("survivor", "")) if facility_id else None
            duplicate = db.session.query(Patient).filter_by(
                uhid=(data.get("duplicate") or "").strip().upper(),
                facility_id=facility_id).one_or_none()
            try:
                if survivor is None:
                    raise DomainError({"survivor": _("No such record.")})
                if duplicate is None:
                    raise DomainError({"duplicate": _("No such record.")})
                kept = services.merge_patients(survivor.id, duplicate.id,
                                               data.get("reason", ""), facility_id)
            except DomainError as err:
                db.session.rollback()
                errors = err.errors
            else:
                flash(_("%(dup)s merged into %(kept)s.", dup=duplicate.uhid, kept=kept.uhid),
                      "success")
                return redirect(url_for("PatientSearchView.search", q=kept.uhid))
        return self.render_template(
            "registration/merge.html", data=data, errors=errors, labels=PATIENT_LABELS,
            suspects=merge_preview.suspected_duplicates(facility_id) if facility_id else [])

    def _preview(self, facility_id, data):
        """Both records side by side and what the duplicate brings along; the merge is
        then confirmed."""
        errors, pair = {}, {}
        for field in ("survivor", "duplicate"):
            row = db.session.query(Patient).filter_by(
                uhid=(data.get(field) or "").strip().upper(),
                facility_id=facility_id).one_or_none() if facility_id else None
            if row is None:
                errors[field] = _("No such record.")
            else:
                pair[field] = row
        if not errors and pair["duplicate"].merged_into_id:
            errors["duplicate"] = _("This record was already merged.")
        if not errors and services.resolve(pair["survivor"]).id == pair["duplicate"].id:
            errors["duplicate"] = _("A record cannot be merged into itself.")
        if errors:
            return self.render_template("registration/merge.html", data=data, errors=errors,
                                        labels=PATIENT_LABELS), 422
        return self.render_template(
            "registration/merge.html", data=data, errors={}, labels=PATIENT_LABELS,
            pair={k: summary(v) for k, v in pair.items()},
            moves=merge_preview.what_moves(pair["duplicate"].id))


class PhotoView(BaseView):
    """A patient's optional photo: shown on their record, uploaded from a phone or webcam."""
    row_args = {"patient_id": Patient}  # rows named in its URLs: 404 unless in scope
    route_base = "/patients/photo"
    class_permission_name = "Patient"
    method_permission_name = {"photo": READ, "upload": WRITE}
    default_view = "photo"

    def _patient(self, patient_id):
        patient = db.session.get(Patient, patient_id)
        if patient is None or not in_scope(patient.facility_id):
            abort(404)
        return patient

    @expose("/<int:patient_id>")
    @has_access
    def photo(self, patient_id):
        self._patient(patient_id)
        photo = services.photo_of(patient_id)
        if photo is None:
            abort(404)
        return Response(photo.data, mimetype=photo.content_type,
                        headers={"Cache-Control": "private, no-store"})

    @expose("/<int:patient_id>/upload", methods=["GET", "POST"])
    @has_access
    def upload(self, patient_id):
        patient = self._patient(patient_id)
        error = None
        if request.method == "POST":
            upload = request.files.get("photo")
            try:
                if upload is None or not upload.filename:
                    raise DomainError({"photo": _("Choose a photo to upload.")})
                services.set_photo(patient, upload.read(), getattr(acting_user(), "id", None))
            except DomainError as err:
                db.session.rollback()
                error = err.errors["photo"]
            else:
                flash(_("Photo saved."), "success")
                return redirect(url_for("PatientView.show", pk=patient.id))
        return self.render_template("registration/photo_upload.html", patient=patient,
                                    error=error), (422 if error else 200)
