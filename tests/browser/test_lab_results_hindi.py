"""The lab as its users meet it: the doctor orders a CBC and a KFT from the consultation;
once paid, a technician working in Hindi collects the samples, prints a label, receives
them by scanning (typing) its number, enters the CBC from the keyboard (Enter moves down,
the last Enter saves) with one value high; a pathologist releases; the doctor sees the
flagged result on the consultation screen and prints the report. The cashier collects the
tests' price at the counter in between (until then the lab refuses to collect)."""
import re

import pytest

from app.extensions import db
from app.lab import results
from app.lab.models import LabOrder, LabSample
from tests.conftest import browser_login, wait_for_focus
from tests.integration.lab.conftest import normal_value

pytestmark = pytest.mark.browser


def test_from_consultation_to_flagged_result(app, live_server, page, output_dir, new_patient,
                                             medicine):
    from app.opd import services as opd
    from app.registration.models import Patient
    pid = new_patient(name="Kamla Devi")  # a woman of 34
    with app.app_context():
        visit = opd.add_visit(db.session.get(Patient, pid), medicine())
        db.session.commit()
        visit_id, uhid = visit.id, db.session.get(Patient, pid).uhid

    browser_login(page, live_server, "doctor.dhr", "en")
    page.goto(f"{live_server}/opd/consult/{visit_id}")
    page.goto(live_server + page.get_attribute("a[href*='/lab/order?patient=']", "href"))
    form = page.locator("form.hmis-lab-order")
    form.get_by_label(re.compile(r"Complete blood count")).check()
    form.get_by_label(re.compile(r"Kidney function test")).check()
    page.click("form.hmis-lab-order button[type=submit]")
    page.wait_for_url(re.compile(r".*/lab/order/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])
    # Not paid yet: the technician is told to send the patient to the counter.
    browser_login(page, live_server, "labtech.dhr", "hi")
    page.goto(f"{live_server}/lab/order/{order_id}")
    page.click("form.hmis-collect button[type=submit]")
    assert "CBC, KFT" in page.locator("body").inner_text()  # and where to pay

    # The cashier scans the slip's UHID and collects what the tests cost.
    with app.app_context():
        order = db.session.get(LabOrder, order_id)
        due = sum(i.charge.amount for i in order.items)
        assert len(order.items) == 2 and due > 0
    browser_login(page, live_server, "cashier.dhr", "en")
    page.goto(f"{live_server}/cash/")
    wait_for_focus(page, "q")
    page.keyboard.type(uhid)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cash/patient/\d+"))
    for box in page.locator("input[name=charge]").all():  # only the lab's charges
        if "blood count" not in box.get_attribute("aria-label") and \
                "Kidney" not in box.get_attribute("aria-label"):
            box.uncheck()
    page.fill("input[name=amount]", str(due))
    page.focus("input[name=amount]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cash/bill/\d+"))
    assert "Paid" in page.locator(".hmis-bill").inner_text()

    browser_login(page, live_server, "labtech.dhr", "hi")
    page.goto(f"{live_server}/lab/order/{order_id}")
    page.click("form.hmis-collect button[type=submit]")
    page.wait_for_url(re.compile(rf".*/lab/order/{order_id}$"))
    assert "नमूना" in page.locator("table.hmis-samples").inner_text()
    label = page.request.get(live_server + page.get_attribute("table.hmis-samples a.hmis-print",
                                                              "href"))
    assert label.status == 200 and label.headers["content-type"] == "application/pdf"
    (output_dir / "sample-label.pdf").write_bytes(label.body())
    with app.app_context():
        numbers = [s.sample_number for s in db.session.query(LabSample).filter_by(
            order_id=order_id)]
    for number in numbers:
        page.goto(f"{live_server}/lab/samples/")
        wait_for_focus(page, "sample_number")
        page.keyboard.type(number)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/lab/samples/$"))
        assert number in page.locator(".alert").inner_text()

    page.goto(f"{live_server}/lab/results/?section=haematology")
    page.click(f"table.hmis-worklist tr:has-text('{uhid}') a:has-text('पूर्ण रक्त गणना')")
    page.wait_for_url(re.compile(r".*/lab/results/item/\d+$"))
    item_id = int(page.url.rsplit("/", 1)[1])
    with app.app_context():
        values = [("16.0" if a.code == "HB" else normal_value(a)) for a in
                  results.analytes(results.item_for_entry(item_id).test)]
    wait_for_focus(page, "value-HB")
    assert "12.0 – 15.0" in page.locator("table.hmis-result-grid").inner_text()
    for n, value in enumerate(values):  # typed down the grid; Enter on the last one saves
        page.keyboard.type(value)
        if n == 0:                      # flagged as typed, before saving
            assert page.inner_text("#flag-HB") == "अधिक"
        if n < len(values) - 1:
            page.keyboard.press("Enter")
    with page.expect_navigation():      # the save, and the page it comes back to
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    grid = page.locator("table.hmis-result-grid").inner_text()
    assert "अधिक" in grid         # high, for a woman
    page.screenshot(path=str(output_dir / "entry-hi.png"), full_page=True)

    browser_login(page, live_server, "pathologist.dhr", "en")
    page.goto(f"{live_server}/lab/results/item/{item_id}")
    page.click("form.hmis-release button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Verified and released." in page.locator(".alert").inner_text()

    browser_login(page, live_server, "doctor.dhr", "en")
    page.goto(f"{live_server}/opd/consult/{visit_id}")
    panel = page.locator(".hmis-lab-results").inner_text()
    assert "16.0" in panel and "High" in panel and "new" in panel
    page.screenshot(path=str(output_dir / "consultation-results.png"), full_page=True)
    report = page.request.get(live_server + page.get_attribute(
        ".hmis-lab-results a.hmis-print", "href"))
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    (output_dir / "lab-report.pdf").write_bytes(report.body())
