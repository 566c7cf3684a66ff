"""OPD: visits, tokens, the registration desk; queues and consultations follow."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.core import access_log, audit_words

    from . import api, cli, desk, doctor, views  # noqa: F401  (cli adds `hmis bench-data`)
    from .labels import VISIT_LABELS
    from .models import STATUSES
    audit_words.name_tables({"opd_visit": _l("OPD visit"), "consultation": _l("Consultation"),
                             "diagnosis": _l("Diagnosis"), "prescription_line": _l("Prescription"),
                             "drug": _l("Drug master"), "icd10": _l("ICD-10 code")})
    audit_words.label_fields({"opd_visit": VISIT_LABELS})
    audit_words.code_fields({("opd_visit", "status"): STATUSES})
    access_log.watch("DoctorView.consult", _patient_of_visit)
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


def _patient_of_visit(args):
    from app.extensions import db

    from .models import OpdVisit
    visit = db.session.get(OpdVisit, args.get("visit_id") or 0)
    return (visit.patient_id, visit.facility_id) if visit is not None else None
