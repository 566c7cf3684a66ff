"""/print/ward-chart/<admission_id>: the stay's vitals as plots over time (temperature,
pulse, respiration, BP, SpO2, the usual range shaded), the sets as a table with NEWS2,
and the intake/output chart's daily totals, on A4 landscape for the file or a referral."""
from flask_appbuilder import BaseView, expose, has_access

from app.core.formatting import IST, aware
from app.ipd import fluids, vitals
from app.ipd import services as ipd
from app.ipd.labels import VITAL_LABELS
from app.ipd.models import FLUID_ROUTES, NEWS2_RISKS, Admission
from app.core.roles import READ
from app.lab.chart import chart_data_uri
from app.opd.consultation import VITALS

from .views import bilingual, patient_words, print_report

PLOTTED = ("temperature_f", "pulse", "resp_rate", "bp_systolic", "spo2")


def plots(sets) -> list[dict]:
    """Per charted field: its label in both languages and the chart (a PNG data URI)."""
    labels = bilingual({f: VITAL_LABELS[f] for f in PLOTTED})
    shown = []
    for field in PLOTTED:
        _label, low, high, *_rest = VITALS[field]
        points = [(aware(s.taken_at).astimezone(IST).strftime("%d-%m, %H:%M"),
                   getattr(s, field), _reading(getattr(s, field))) for s in sets]
        uri = chart_data_uri(points, low, high)
        if uri is not None:
            shown.append({"label": labels[field], "chart": uri})
    return shown


def _reading(value) -> str:
    return "" if value is None else f"{value:g}" if not isinstance(value, int) else str(value)


class ChartPrintView(BaseView):
    row_args = {"admission_id": Admission}
    route_base = "/print"
    class_permission_name = "VitalSign"
    method_permission_name = {"ward_chart": READ}
    default_view = "ward_chart"

    @expose("/ward-chart/<int:admission_id>")
    @has_access
    def ward_chart(self, admission_id):
        admission = ipd.admission_details(admission_id)
        sets = vitals.chart(admission.id)
        return print_report(
            self, admission.facility, "admission", admission.id, "vitals and fluids chart",
            "printing/ward_chart.html", f"ward-chart-{admission.ipd_number}.pdf",
            admission=admission, patient=admission.patient, **patient_words(admission.patient),
            sets=sets, plots=plots(sets), risks=bilingual(NEWS2_RISKS),
            fluid_days=fluids.chart(admission.id),
            fluid_routes={d: bilingual(r) for d, r in FLUID_ROUTES.items()})
