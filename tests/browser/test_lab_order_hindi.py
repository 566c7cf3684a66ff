"""A doctor in Hindi writes a test slip from the keyboard (the first test has the focus,
Space ticks, Tab moves on, Enter orders), prints it, and the cashier finds the patient by
scanning the slip."""
import re

import pytest

from tests.conftest import browser_login, wait_for_focus

pytestmark = pytest.mark.browser


def test_doctor_writes_a_test_slip_in_hindi(app, live_server, page, output_dir, make_user,
                                            new_patient, facility):
    from app.lab import services as lab
    pid = new_patient(name="Sunita Kumari")
    with app.app_context():  # the screen's order: by section, then code
        first, second = (t.name_hi for t in lab.orderable_tests(facility())[:2])
    browser_login(page, live_server, make_user("Doctor", "DHR"), "hi")
    page.goto(f"{live_server}/lab/order?patient={pid}")
    wait_for_focus(page, "tests")
    assert "हीमेटोलॉजी" in page.locator("form.hmis-lab-order").inner_text()
    page.keyboard.press("Space")                     # the first test
    page.keyboard.press("Tab")
    page.keyboard.press("Space")                     # the second
    page.fill("input[name=clinical_note]", "5 दिन से बुखार")
    page.focus("input[name=clinical_note]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/lab/order/\d+$"))
    text = page.locator("body").inner_text()
    number = re.search(r"DHR-LAB-\d{4}-\d{6}", text).group(0)
    assert first in text and second in text
    assert text.count("कैश काउंटर पर भुगतान बाकी") == 2
    page.screenshot(path=str(output_dir / "lab-order-hi.png"), full_page=True)
    slip = page.request.get(live_server + page.get_attribute("a.hmis-print", "href"))
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    (output_dir / "lab-slip.pdf").write_bytes(slip.body())

    browser_login(page, live_server, make_user("Cashier", "DHR"), "hi")
    page.goto(f"{live_server}/cash/")
    wait_for_focus(page, "q")
    page.keyboard.type(number)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/cash/patient/{pid}$"))
    assert second in page.locator("body").inner_text()
