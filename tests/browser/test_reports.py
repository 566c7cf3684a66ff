"""A new supervisor in Hindi and a new auditor in English open the reports as they would:
the supervisor lands on the dashboard (charts drawn from our own Chart.js), opens last
month's HMIS report, drills into a figure and downloads the Excel file; the auditor opens
the state's roll-up and the facilities compared."""
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.core.numbering import ist_today
from tests.conftest import browser_login

pytestmark = pytest.mark.browser
LAST_MONTH = f"{ist_today().replace(day=1) - timedelta(days=1):%Y-%m}"


def _drawn(page, canvas_id) -> bool:
    """Chart.js has drawn on the canvas (a chart instance is attached to it)."""
    return page.evaluate(f"!!(window.Chart && Chart.getChart('{canvas_id}'))")


def test_supervisor_in_hindi_reads_exports_and_drills(live_server, page, output_dir, make_user):
    browser_login(page, live_server, make_user("Supervisor", "DHR"), "hi")
    page.goto(f"{live_server}/")
    page.wait_for_function("!!(window.Chart && Chart.getChart('chart-opd'))")
    assert _drawn(page, "chart-groups") and _drawn(page, "chart-ward-use")
    page.screenshot(path=str(output_dir / "home-dashboard-hi.png"), full_page=True)

    page.click("a.btn:has-text('मासिक रिपोर्ट')")
    page.fill("#hmis-month", LAST_MONTH)
    page.click("form.hmis-month button[type=submit]")
    page.wait_for_url(re.compile(rf".*/hmis/\?month={LAST_MONTH}"))
    text = page.locator("table.hmis-items").inner_text()
    assert "आईपीडी भर्ती" in text and "यहाँ दर्ज नहीं होता" in text
    page.screenshot(path=str(output_dir / "hmis-hi.png"))

    page.click("table.hmis-items tr:has(td:text-is('14.2.1')) a")
    page.wait_for_url(re.compile(r".*/hmis/item/14\.2\.1\?month="))
    assert "रिकॉर्ड गिने गए" in page.locator(".panel-body").inner_text()
    page.go_back()
    with page.expect_download() as download:
        page.click("form.hmis-month a:text-is('Excel')")
    path = output_dir / "hmis.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert ("Reporting month" in [r[0] for r in rows]) and any(r[0] == "14.10" for r in rows)


def test_auditor_in_english_reads_the_state(live_server, page, output_dir):
    browser_login(page, live_server, "auditor", "en")
    page.goto(f"{live_server}/")
    page.click("a.btn:has-text('HMIS monthly report')")
    page.wait_for_url(re.compile(r".*/hmis/state"))
    heading = page.locator("table.hmis-items tr").first.inner_text()
    assert "DHR" in heading and "RNC" in heading and "State total" in heading
    page.goto(f"{live_server}/")
    page.click("a.btn:has-text('Facilities compared')")
    page.wait_for_function("!!(window.Chart && Chart.getChart('compare-0'))")
    assert "State total" in page.locator("table.hmis-comparison").inner_text()
    page.screenshot(path=str(output_dir / "facilities-compared-en.png"), full_page=True)
