"""Generated view of OPD visits (lists by day, department, status)."""
from flask_babel import lazy_gettext as _l

from app.core.base_views import HmisModelView, ScopedModelView
from app.core.interface import Interface

from .consultation import ROUTE_LABELS
from .labels import VISIT_LABELS
from .models import STATUSES, VISIT_TYPES, Drug, OpdVisit


class OpdVisitView(ScopedModelView):
    datamodel = Interface(OpdVisit)
    class_permission_name = "OpdVisit"
    include_route_methods = {"list", "show"}
    list_title = _l("OPD visits")
    show_title = _l("OPD visit")
    label_columns = VISIT_LABELS
    list_columns = ["visit_date", "token", "department", "patient", "visit_type", "status",
                    "fee_amount", "scheme"]
    show_columns = ["facility", "visit_date", "token", "department", "patient", "doctor",
                    "room", "visit_type", "status", "fee_code", "fee_amount", "fee_exempt",
                    "scheme", "created_at", "created_by", "slip_prints"]
    search_columns = ["visit_date", "department", "status", "visit_type", "patient"]
    formatters_columns = {"status": lambda s: str(STATUSES.get(s, s)),
                          "visit_type": lambda t: str(VISIT_TYPES.get(t, t))}
    base_order = ("id", "desc")


class DrugView(HmisModelView):
    datamodel = Interface(Drug)
    class_permission_name = "Drug"
    list_title = _l("Drug master")
    show_title = add_title = edit_title = _l("Drug")
    label_columns = {"name": _l("Generic name"), "strength": _l("Strength"),
                     "form": _l("Form"), "route": _l("Route"), "active": _l("Active")}
    list_columns = add_columns = edit_columns = show_columns = ["name", "strength", "form",
                                                                "route", "active"]
    search_columns = ["name", "form", "route", "active"]
    formatters_columns = {"route": lambda r: str(ROUTE_LABELS.get(r, r or ""))}
    base_order = ("name", "asc")
