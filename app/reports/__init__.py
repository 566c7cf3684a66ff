"""Reports: the national HMIS monthly report, the dashboards, the registers a hospital
keeps (OPD, admissions and discharges, deaths, lab, exemptions by scheme, cash book) on
screen and as CSV and Excel, and a patient's timeline for supervisors and auditors."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from . import views
    appbuilder.add_view(views.DashboardView, "Dashboard", label=_l("Dashboard"),
                        icon="fa-chart-column", category="Audit")
    appbuilder.add_view(views.HmisView, "HMIS monthly report", label=_l("HMIS monthly report"),
                        icon="fa-table-list", category="Audit")
    appbuilder.add_view(views.RegisterView, "Registers", label=_l("Registers"),
                        icon="fa-book", category="Audit")
    appbuilder.add_view(views.PatientTimelineView, "Patient timeline",
                        label=_l("Patient timeline"), icon="fa-timeline", category="Audit")
