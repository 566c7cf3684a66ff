"""Core: facilities, departments, staff, address masters, roles, scoping, audit, CLI."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session


def register(appbuilder):
    from flask import current_app

    from . import api, cli, views
    from .audit import init_audit
    from .web import install_locale_selector

    from .passwords import fab_password_validator
    current_app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = fab_password_validator
    init_audit(Session)
    from .pickers import core_pickers, register_picker
    for picker in core_pickers():  # before any view that shows these relations
        register_picker(picker, appbuilder)
    install_locale_selector(current_app)
    current_app.cli.add_command(cli.hmis)

    masters = _l("Masters")
    appbuilder.add_view(views.FacilityView, "Facilities", label=_l("Facilities"),
                        icon="fa-hospital", category="Masters", category_label=masters,
                        category_icon="fa-building")
    appbuilder.add_view(views.DepartmentView, "Departments", label=_l("Departments"),
                        icon="fa-sitemap", category="Masters")
    appbuilder.add_view(views.StaffView, "Staff", label=_l("Staff profiles"),
                        icon="fa-user-doctor", category="Masters")
    appbuilder.add_separator("Masters")
    appbuilder.add_view(views.StateView, "States", label=_l("States"),
                        icon="fa-map", category="Masters")
    appbuilder.add_view(views.DistrictView, "Districts", label=_l("Districts"),
                        icon="fa-map-location", category="Masters")
    appbuilder.add_view(views.BlockView, "Blocks", label=_l("Blocks / tehsils"),
                        icon="fa-map-pin", category="Masters")
    appbuilder.add_view(views.VillageView, "Villages", label=_l("Villages / wards"),
                        icon="fa-house", category="Masters")
    appbuilder.add_view(views.AuditEventsView, "Audit events", label=_l("Audit log as events"),
                        icon="fa-clock-rotate-left", category="Audit",
                        category_label=_l("Audit"), category_icon="fa-eye")
    appbuilder.add_view(views.RegistryCoverageView, "ABDM IDs missing",
                        label=_l("ABDM registry IDs missing"), icon="fa-id-badge",
                        category="Audit")
    appbuilder.add_view(views.AccessLogView, "Access log",
                        label=_l("Access log: who opened or printed"), icon="fa-user-shield",
                        category="Audit")
    appbuilder.add_view(views.AuditLogView, "Audit log", label=_l("Audit log"),
                        icon="fa-clipboard-list", category="Audit")
    appbuilder.add_api(api.FacilityApi)
    appbuilder.add_api(api.DepartmentApi)
    appbuilder.add_view_no_menu(views.FacilityChoiceView)
