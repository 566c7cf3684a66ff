"""Lab: the test catalogue and lab orders (test slips); each test ordered is charged
to billing at once (to the inpatient account while the patient is admitted)."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.billing.services import SLIP_LOOKUPS

    from . import api, orders, services, views
    SLIP_LOOKUPS["lab.order"] = services.patient_for_order_number
    appbuilder.add_view(orders.LabOrderScreen, "Order lab tests", label=_l("Order lab tests"),
                        icon="fa-flask", category="Lab", category_label=_l("Lab"),
                        category_icon="fa-flask")
    appbuilder.add_view(views.LabOrderView, "Lab orders", label=_l("Lab orders"),
                        icon="fa-list", category="Lab")
    appbuilder.add_view(views.LabTestView, "Lab tests", label=_l("Lab tests"),
                        icon="fa-flask", category="Masters")
    appbuilder.add_api(api.LabOrderApi)
