"""OPD: visits, tokens, the registration desk; queues and consultations follow."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.core import audit_words

    from . import api, cli, desk, doctor, views  # noqa: F401  (cli adds `hmis bench-data`)
    from .labels import VISIT_LABELS
    from .models import STATUSES
    audit_words.name_tables({"opd_visit": _l("OPD visit"), "consultation": _l("Consultation"),
                             "diagnosis": _l("Diagnosis"), "prescription_line": _l("Prescription"),
                             "drug": _l("Drug master"), "icd10": _l("ICD-10 code")})
    audit_words.label_fields({"opd_visit": VISIT_LABELS})
    audit_words.code_fields({("opd_visit", "status"): STATUSES})
    appbuilder.add_view(desk.DeskView, "Registration desk", label=_l("Registration desk"),
                        icon="fa-keyboard", category="Registration")
    appbuilder.add_view(views.OpdVisitView, "OPD visits", label=_l("OPD visits"),
                        icon="fa-list-ol", category="Registration")
    appbuilder.add_view(doctor.DoctorView, "OPD queue", label=_l("My OPD queue"),
                        icon="fa-user-doctor", category="OPD", category_label=_l("OPD"),
                        category_icon="fa-stethoscope")
    appbuilder.add_view(views.DrugView, "Drug master", label=_l("Drug master"),
                        icon="fa-pills", category="Masters")
    appbuilder.add_api(api.OpdVisitApi)
