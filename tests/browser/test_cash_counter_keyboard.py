"""A cashier at the counter, in Hindi: scans the slip (the UHID arrives as typed text and
Enter), collects the OPD fee in cash with change, and prints the receipt."""
import re

import pytest

from tests.conftest import browser_login, person, wait_for_focus

pytestmark = pytest.mark.browser


def test_scan_collect_and_print(live_server, page, output_dir, make_user, api, new_department):
    call = api("clerk.rnc")
    patient = call("POST", "/api/v1/patient/", json=person(confirm_new=True,
                                                           name="फूलमनी टोप्पो")).get_json()
    call("POST", "/api/v1/opd_visit/", json={"patient": patient["id"],
                                             "department": new_department("RNC")})
    cashier = make_user("Cashier", "RNC")
    browser_login(page, live_server, cashier, "hi")
    page.goto(f"{live_server}/cash/")

    # A barcode scanner types the UHID and Enter into the focused search box.
    wait_for_focus(page, "q")
    page.keyboard.type(patient["result"]["uhid"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cash/patient/\d+"))
    body = page.locator("body").inner_text()
    assert "बकाया मदें" in body and "ओपीडी पंजीकरण (नया)" in body
    wait_for_focus(page, "amount")
    # The running total of what is ticked fills the amount; unticking takes it off.
    assert page.locator(".hmis-running-total").inner_text() == "10.00"
    assert page.input_value("input[name=amount]") == "10.00"
    page.uncheck("input[name=charge]")
    assert page.locator(".hmis-running-total").inner_text() == "0.00"
    page.select_option("select[name=item_1]", "OPD-FU")
    page.fill("input[name=quantity_1]", "2")
    assert page.locator(".hmis-running-total").inner_text() == "10.00"
    page.select_option("select[name=item_1]", "")
    page.check("input[name=charge]")
    page.focus("input[name=amount]")
    page.keyboard.type("10")                      # typed over the filled amount
    assert page.input_value("input[name=amount]") == "10"
    page.fill("input[name=tendered]", "50")
    page.focus("input[name=amount]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cash/bill/\d+"))
    text = page.locator(".hmis-bill").inner_text()
    assert re.search(r"RNC/20\d\d-\d\d/\d{6}", text) and "भुगतान हुआ" in text
    assert "छुट्टा ₹40.00" in text
    page.screenshot(path=str(output_dir / "bill-hi.png"), full_page=True)
    receipt = page.request.get(live_server + page.get_attribute("a.hmis-print", "href"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    (output_dir / "receipt.pdf").write_bytes(receipt.body())
