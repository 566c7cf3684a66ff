"""Billing: tariffs and exemptions now (OPD fees); bills, payments and the cash counter
follow. Clinical departments reach it only through billing.services."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.core import audit_words

    from . import api, counter, dayend_views, views
    from .models import BILL_STATUS_LABELS, PAYMENT_KIND_LABELS
    audit_words.name_tables({"bill": _l("Bill"), "payment": _l("Payment"), "charge": _l("Charge"),
                             "billing_account": _l("Inpatient account"), "tariff": _l("Tariff"),
                             "cashier_shift": _l("Cashier's shift")})
    audit_words.label_fields({"bill": views.BILL_LABELS, "payment": views.BILL_LABELS,
                              "tariff": views.BILLING_LABELS})
    audit_words.code_fields({("bill", "status"): BILL_STATUS_LABELS,
                             ("payment", "kind"): PAYMENT_KIND_LABELS,
                             ("payment", "mode"): views.PAYMENT_MODES_AND_ADVANCE,
                             ("charge", "kind"): views.KIND_LABELS,
                             ("tariff", "kind"): views.KIND_LABELS})
    appbuilder.add_view(counter.CashCounterView, "Cash counter", label=_l("Cash counter"),
                        icon="fa-cash-register", category="Billing",
                        category_label=_l("Billing"), category_icon="fa-file-invoice")
    appbuilder.add_view(dayend_views.DayEndView, "Day-end", label=_l("Day-end"),
                        icon="fa-calendar-check", category="Billing")
    appbuilder.add_view(views.BillView, "Bills", label=_l("Bills"), icon="fa-receipt",
                        category="Billing")
    appbuilder.add_view(views.PaymentView, "Payments", label=_l("Payments"),
                        icon="fa-money-bill", category="Billing")
    appbuilder.add_api(api.BillApi)
    appbuilder.add_api(api.PaymentApi)
    appbuilder.add_view(views.TariffView, "Tariffs", label=_l("Tariffs"),
                        icon="fa-indian-rupee-sign", category="Billing",
                        category_label=_l("Billing"), category_icon="fa-file-invoice")
    appbuilder.add_view(views.TariffPriceView, "Category prices",
                        label=_l("Prices by patient category"), icon="fa-tags",
                        category="Billing")
    appbuilder.add_view(views.ExemptionView, "Exemptions", label=_l("Fee exemptions"),
                        icon="fa-hand-holding-heart", category="Billing")
