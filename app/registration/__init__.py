"""Registration: patients, UHIDs, duplicate detection, search."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from flask import current_app

    from app.core import access_log, audit_words
    from app.core.pickers import register_picker

    from . import api, history, services, views
    from .display import gender_text
    from .labels import PATIENT_LABELS
    from .models import GENDERS, RELATIONS
    audit_words.name_tables({"patient": _l("Patient"), "patient_category": _l("Patient category"),
                             "patient_photo": _l("Patient photo")})
    audit_words.label_fields({"patient": PATIENT_LABELS})
    audit_words.code_fields({("patient", "gender"): GENDERS,
                             ("patient", "guardian_relation"): RELATIONS})
    register_picker(services.patient_picker(), appbuilder)
    access_log.watch("PatientView.show", lambda args: _patient(args.get("pk")))
    access_log.watch("CashCounterView.patient", lambda args: _patient(args.get("patient_id")))
    access_log.watch("LabResultScreen.patient", lambda args: _patient(args.get("patient_id")))
    current_app.jinja_env.globals["patient_has_photo"] = \
        lambda pk: services.photo_of(int(pk)) is not None
    current_app.jinja_env.filters["gender"] = gender_text
    current_app.jinja_env.globals["patient_history"] = history.history
    appbuilder.add_view(views.PatientSearchView, "Find patient", label=_l("Find patient"),
                        icon="fa-magnifying-glass", category="Registration",
                        category_label=_l("Registration"), category_icon="fa-id-card")
    appbuilder.add_view(views.PatientView, "Patients", label=_l("Patients"),
                        icon="fa-users", category="Registration")
    appbuilder.add_view(views.MergeView, "Merge duplicates", label=_l("Merge duplicates"),
                        icon="fa-code-merge", category="Registration")
    appbuilder.add_view(views.PatientCategoryView, "Patient categories",
                        label=_l("Patient categories"), icon="fa-tags", category="Masters")
    appbuilder.add_view_no_menu(views.PhotoView)
    appbuilder.add_api(api.PatientApi)


def _patient(pk):
    """(id, facility) of the patient a page names (the kept record of a merged one)."""
    from app.extensions import db

    from .models import Patient
    from .services import resolve
    patient = resolve(db.session.get(Patient, int(pk))) if str(pk or "").isdigit() else None
    return (patient.id, patient.facility_id) if patient is not None else None
