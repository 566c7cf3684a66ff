"""Lab: the test catalogue and lab orders (test slips); each test ordered is charged
to billing at once (to the inpatient account while the patient is admitted)."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.billing.services import SLIP_LOOKUPS
    from app.core import audit_words

    from . import api, bench, orders, services, views
    from .models import ITEM_STATUSES, ORDER_STATUSES, RESULT_STATUSES, SAMPLE_STATUSES
    audit_words.name_tables({"lab_order": _l("Lab order"), "lab_order_item": _l("Lab test ordered"),
                             "lab_sample": _l("Lab sample"), "lab_result": _l("Lab result"),
                             "lab_test": _l("Lab test catalogue")})
    audit_words.code_fields({("lab_order", "status"): ORDER_STATUSES,
                             ("lab_order_item", "status"): ITEM_STATUSES,
                             ("lab_sample", "status"): SAMPLE_STATUSES,
                             ("lab_result", "status"): RESULT_STATUSES})
    SLIP_LOOKUPS["lab.order"] = services.patient_for_order_number
    appbuilder.add_view(orders.LabOrderScreen, "Order lab tests", label=_l("Order lab tests"),
                        icon="fa-flask", category="Lab", category_label=_l("Lab"),
                        category_icon="fa-flask")
    appbuilder.add_view(views.LabOrderView, "Lab orders", label=_l("Lab orders"),
                        icon="fa-list", category="Lab")
    appbuilder.add_view(bench.LabSampleScreen, "Sample reception",
                        label=_l("Sample reception"), icon="fa-barcode", category="Lab")
    appbuilder.add_view(bench.LabResultScreen, "Lab worklist", label=_l("Lab worklist"),
                        icon="fa-tasks", category="Lab")
    appbuilder.add_view(bench.LabTurnaroundScreen, "Lab turnaround",
                        label=_l("Turnaround and pending beyond target"), icon="fa-clock-o",
                        category="Lab")
    appbuilder.add_view_no_menu(bench.LabReleaseScreen)
    appbuilder.add_view(views.LabTestView, "Lab tests", label=_l("Lab tests"),
                        icon="fa-flask", category="Masters")
    appbuilder.add_view(views.LabTestRangeView, "Lab reference ranges",
                        label=_l("Lab reference ranges"), icon="fa-arrows-h",
                        category="Masters")
    appbuilder.add_view(views.LabPanelMemberView, "Lab panels", label=_l("Lab panels"),
                        icon="fa-th-list", category="Masters")
    appbuilder.add_api(api.LabOrderApi)
    appbuilder.add_api(api.LabSampleApi)
    appbuilder.add_api(api.LabResultApi)
    appbuilder.add_api(api.LabReleaseApi)
