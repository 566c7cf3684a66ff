"""OPD: visits, tokens, the registration desk; queues and consultations follow."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from . import api, cli, desk, doctor, views  # noqa: F401  (cli adds `hmis bench-data`)
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
