"""An admission from bed to final bill, in English, as a nurse and a cashier would do it:
the nurse picks a free bed on the board and admits; the cashier takes a deposit on the
inpatient account; the nurse discharges; the cashier makes the final bill (the deposit
pays it), returns the unused deposit and prints the final bill."""
import re

import pytest

from tests.conftest import browser_login, wait_for_focus

pytestmark = pytest.mark.browser


def test_admission_to_final_bill(live_server, page, output_dir, make_user, new_ward,
                                 new_patient, medicine):
    bed, = new_ward(beds=1, tariff="BED-PVT")
    pid = new_patient(gender="M", name="Rakesh Thakur")
    nurse = make_user("Nurse", "DHR")
    browser_login(page, live_server, nurse)
    page.goto(f"{live_server}/ipd/")
    page.click(f"a[href='/ipd/admit?bed={bed}']")
    page.wait_for_url(re.compile(r".*/ipd/admit\?bed=\d+$"))
    wait_for_focus(page, "q")
    page.keyboard.type("Rakesh Thakur")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=Rakesh"))
    page.click(f"a[href*='patient={pid}']")
    page.wait_for_url(re.compile(r".*patient=\d+"))
    wait_for_focus(page, "bed")
    page.select_option("select[name=department]", str(medicine()))
    page.fill("input[name=provisional_diagnosis]", "Community-acquired pneumonia")
    page.fill("input[name=attendant_name]", "Suresh Thakur")
    page.fill("input[name=attendant_mobile]", "9816012345")
    page.focus("input[name=attendant_mobile]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/ipd/admission/\d+"))
    text = page.locator("body").inner_text()
    assert "Admitted: DHR-IPD-" in text and "Community-acquired pneumonia" in text
    page.screenshot(path=str(output_dir / "admission-en.png"), full_page=True)
    slip = page.request.get(live_server + page.get_attribute("a[href*='/print/admission/']",
                                                             "href"))
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    (output_dir / "admission-slip.pdf").write_bytes(slip.body())
    admission_url = page.url

    cashier = make_user("Cashier", "DHR")
    browser_login(page, live_server, cashier)
    page.goto(f"{live_server}/cash/")
    wait_for_focus(page, "q")
    page.keyboard.type("Rakesh Thakur")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=Rakesh"))
    page.click(f"form[action='/cash/patient/{pid}'] button")
    page.click("text=Open the inpatient account")
    page.wait_for_url(re.compile(r".*/cash/account/\d+"))
    account_url = page.url
    page.fill("input[name=advance_amount]", "2000")
    page.click("text=Take advance")
    page.wait_for_url(re.compile(r".*/cash/bill/\d+"))
    assert "Advance deposit" in page.locator(".hmis-bill").inner_text()

    browser_login(page, live_server, nurse)
    page.goto(admission_url)
    page.select_option("select[name=discharge_type]", "recovered")
    # The discharge asks first: dismissed, nothing happens; accepted, the patient goes.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("form.hmis-discharge button")
    assert asked and "cannot be undone" in asked[0]
    assert page.locator("form.hmis-discharge").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.hmis-discharge button")
    assert "The final bill can be made at the cash counter" in page.locator("body").inner_text()

    browser_login(page, live_server, cashier)
    page.goto(account_url)
    page.select_option("select[name=item_1]", "ECG")
    page.click("button[value=final]")
    page.wait_for_url(re.compile(r".*/cash/bill/\d+"))
    text = page.locator(".hmis-bill").inner_text()
    # Admission fee ₹25 + one private-room day ₹300 + the ECG added here ₹50 = ₹375,
    # all from the deposit.
    assert "Final bill" in text and "Paid" in text and "From advance deposit" in text
    page.screenshot(path=str(output_dir / "final-bill-en.png"), full_page=True)
    final = page.request.get(live_server + page.get_attribute("a.hmis-print", "href"))
    assert final.status == 200
    (output_dir / "final-bill.pdf").write_bytes(final.body())
    page.goto(account_url)
    assert "Return the unused deposit: ₹1625.00" in page.locator("body").inner_text()
    page.click("text=Refund deposit")
    text = page.locator("body").inner_text()
    assert "Deposit refunded: ₹1625.00" in text and "Settled" in text
    page.screenshot(path=str(output_dir / "account-settled-en.png"), full_page=True)
