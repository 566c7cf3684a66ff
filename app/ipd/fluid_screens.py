"""The intake/output chart on the admission's page: a nurse adds a line in a few
keystrokes (what, how much, when) or strikes a wrong one out; the page shows each ward
day's totals and balance."""
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.core.roles import WRITE
from app.core.scoping import acting_user, may
from app.extensions import db

from . import fluids
from .board import act_on_admission, local_times
from .labels import FLUID_LABELS
from .models import FLUID_ROUTES, Admission, FluidEntry


def _user_id():
    return getattr(acting_user(), "id", None)


class FluidScreen(BaseView):
    row_args = {"admission_id": Admission, "entry_id": FluidEntry}
    route_base = "/ipd/fluids"
    class_permission_name = "FluidEntry"
    method_permission_name = {"record": WRITE, "void": WRITE}
    default_view = "record"

    @expose("/<int:admission_id>", methods=["POST"])
    @has_access
    def record(self, admission_id):
        return act_on_admission(self, admission_id, lambda admission, form: fluids.record(
            admission, local_times(form, "at"), _user_id()), _("Intake/output saved."),
            "fluids")

    @expose("/entry/<int:entry_id>/void", methods=["POST"])
    @has_access
    def void(self, entry_id):
        entry = db.session.get(FluidEntry, entry_id)
        return act_on_admission(self, entry.admission_id, lambda _a, form: fluids.void(
            entry, form.get("void_reason"), _user_id()), _("Entry struck out."), "fluids")


def page_context(admission) -> dict:
    return {"fluid_days": fluids.chart(admission.id), "fluid_routes": FLUID_ROUTES,
            "fluid_labels": FLUID_LABELS,
            "may_chart_fluids": may(WRITE, "FluidEntry") and admission.status == "admitted"}
