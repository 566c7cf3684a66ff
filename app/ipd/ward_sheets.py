"""The ward's sheets: IPD → Ward census (a day's or a range's figures per ward and
department) and IPD → Handover (each patient of a ward at the change of shift); both
print."""
from flask import request
from sqlalchemy import select
from flask_appbuilder import BaseView, expose, has_access

from app.core.base_views import DomainError, no_facility
from app.core.roles import READ
from app.core.scoping import current_facility
from app.extensions import db
from app.lab.models import ITEM_STATUSES
from app.opd.consultation import ROUTE_LABELS

from . import handover
from .census import asked_range, census_rows
from .models import DIETS, NEWS2_RISKS, ORDER_KINDS, Ward


class CensusView(BaseView):
    route_base = "/ipd/census"
    class_permission_name = "Admission"
    method_permission_name = {"show": READ}
    default_view = "show"

    @expose("/")
    @has_access
    def show(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        form = {f: request.args.get(f, "") for f in ("from", "to")}
        try:
            first, last = asked_range(request.args)
        except DomainError as err:
            return self.render_template("ipd/census.html", form=form, errors=err.errors,
                                        result=None), 422
        return self.render_template("ipd/census.html", form=form, errors={}, first=first,
                                    last=last, **census_rows(facility.id, first, last))


def handover_context(facility_id: int, chosen: str) -> dict:
    """The ward chosen (else the first) and its sheet."""
    wards = db.session.execute(select(Ward).where(
        Ward.facility_id == facility_id, Ward.active.is_(True)).order_by(Ward.code)
    ).scalars().all()
    ward = next((w for w in wards if str(w.id) == chosen), wards[0] if wards else None)
    return {"wards": wards, "ward": ward, "risks": NEWS2_RISKS, "routes": ROUTE_LABELS,
            "lab_statuses": ITEM_STATUSES, "diets": DIETS, "order_kinds": ORDER_KINDS,
            "headings": handover.HEADINGS,
            "rows": handover.sheet(facility_id, ward.id) if ward is not None else []}


class HandoverView(BaseView):
    route_base = "/ipd/handover"
    class_permission_name = "Admission"
    method_permission_name = {"show": READ}
    default_view = "show"

    @expose("/")
    @has_access
    def show(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        return self.render_template("ipd/handover.html",
                                    **handover_context(facility.id, request.args.get("ward", "")))
