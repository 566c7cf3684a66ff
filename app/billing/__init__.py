"""Billing: tariffs and exemptions now (OPD fees); bills, payments and the cash counter
follow. Clinical departments reach it only through billing.services."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from . import views
    appbuilder.add_view(views.TariffView, "Tariffs", label=_l("Tariffs"),
                        icon="fa-indian-rupee-sign", category="Billing",
                        category_label=_l("Billing"), category_icon="fa-file-invoice")
    appbuilder.add_view(views.ExemptionView, "Exemptions", label=_l("Fee exemptions"),
                        icon="fa-hand-holding-heart", category="Billing")
