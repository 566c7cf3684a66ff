"""Registration: patients, UHIDs, duplicate detection, search."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from flask import current_app

    from app.core import audit_words
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
