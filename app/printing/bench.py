"""A realistic A5 OPD slip, and how long it takes to render.

    .venv/bin/python -m app.printing.bench [out.pdf]

prints the median of 50 renders after a warm-up (each with a different patient,
token and UHID, so the word cache and the code images are not simply hit), and
writes one slip to out.pdf if given. The tests render the same slip.
"""
from __future__ import annotations

import statistics
import sys
import time
from html import escape

from .pdf import code128_data_uri, qr_data_uri, render_pdf

SLIP_CSS = """
@page { size: a5; margin: 10mm; }
body { font-size: 11pt; }
h1 { font-size: 15pt; text-align: center; margin: 0; }
.sub { text-align: center; font-size: 10pt; }
.token { font-size: 48pt; font-weight: bold; text-align: center; }
table.info { width: 100%; }
table.info td { padding: 2pt; vertical-align: top; }
.lbl { font-weight: bold; width: 35%; }
"""


def sample_slip_html(token: int = 42, uhid: str = "DHR-26-0000123",
                     patient: str = "राम कुमार पुत्र श्री कृष्ण लाल, 45 वर्ष / पुरुष") -> str:
    return f"""<html><head><style>{SLIP_CSS}</style></head><body>
<h1>क्षेत्रीय अस्पताल धर्मशाला / Zonal Hospital Dharamshala</h1>
<p class="sub">बाह्य रोगी विभाग पर्ची / OPD Slip — जिला कांगड़ा, हिमाचल प्रदेश</p>
<p class="token">टोकन {token}</p>
<table class="info">
<tr><td class="lbl">मरीज़ / Patient</td><td>{escape(patient)}</td></tr>
<tr><td class="lbl">यूएचआईडी / UHID</td><td>{escape(uhid)}</td></tr>
<tr><td class="lbl">विभाग / Department</td><td>सामान्य चिकित्सा (मेडिसिन) / General Medicine</td></tr>
<tr><td class="lbl">कक्ष / Room</td><td>कमरा नं. 12, प्रथम तल / Room 12, First Floor</td></tr>
<tr><td class="lbl">दिनांक / Date</td><td>14-03-2026 10:42</td></tr>
<tr><td class="lbl">शुल्क / Fee</td><td><b>₹ 10.00 (दस रुपये मात्र)</b></td></tr>
</table>
<p>कृपया अपनी बारी की प्रतीक्षा करें। पर्ची सुरक्षित रखें। Please wait for your turn and keep this slip safe.</p>
<table><tr>
<td><img src="{code128_data_uri(uhid)}" style="width: 60mm; height: 12mm"/></td>
<td style="text-align: right"><img src="{qr_data_uri(uhid)}" style="width: 22mm; height: 22mm"/></td>
</tr></table>
</body></html>"""


_NAMES = ["सुनीता देवी पत्नी श्री महेश", "अक्षय ठाकुर पुत्र श्री त्रिलोक चंद", "प्रियंका शर्मा पुत्री श्री कृष्ण दत्त",
          "Mohd. Iqbal s/o Abdul Rashid", "क्षितिज राणा पुत्र श्री ज्ञान सिंह"]


def main(argv: list[str]) -> None:
    render_pdf(sample_slip_html())  # warm-up: fonts registered, common words shaped
    times = []
    for i in range(50):
        html = sample_slip_html(token=i + 1, uhid=f"DHR-26-{1000 + i:07d}",
                                patient=f"{_NAMES[i % len(_NAMES)]}, {20 + i} वर्ष")
        start = time.perf_counter()
        render_pdf(html)
        times.append(time.perf_counter() - start)
    print(f"A5 OPD slip: median {statistics.median(times) * 1000:.1f} ms over 50 renders "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")
    if argv:
        with open(argv[0], "wb") as fh:
            fh.write(render_pdf(sample_slip_html()))
        print(f"wrote {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
