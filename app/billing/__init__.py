"""Billing: tariffs and exemptions now (OPD fees); bills, payments and the cash counter
follow. Clinical departments reach it only through billing.services."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from . import api, counter, dayend_views, views
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
