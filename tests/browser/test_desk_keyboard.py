"""A clerk at the registration desk, in Hindi, by keyboard: registers a patient, gets
the token and the slip; then finds the patient again (by UHID, by the name said the other
way round, by the end of the mobile) and issues a follow-up token."""
import re

import pytest

from tests.conftest import browser_login, wait_for_focus

pytestmark = pytest.mark.browser


def test_register_print_and_revisit_by_keyboard(live_server, page, output_dir, make_user):
    clerk = make_user("Registration Clerk", "RNC")
    browser_login(page, live_server, clerk, "hi")
    page.goto(f"{live_server}/desk/")

    # The cursor starts in the name; Tab follows the paper form.
    wait_for_focus(page, "name")
    page.keyboard.type("सोमरा उरांव")
    page.keyboard.press("Tab")                      # relationship
    page.select_option("#guardian_relation", "SO")
    page.keyboard.press("Tab")
    page.keyboard.type("बुधु उरांव")
    page.check("input[name=gender][value=M]")
    page.fill("#age_years", "38")
    page.fill("#mobile", "9431012345")
    page.screenshot(path=str(output_dir / "desk-filled-hi.png"), full_page=True)
    page.focus("#mobile")
    page.keyboard.press("Enter")                    # Enter saves
    page.wait_for_url(re.compile(r".*/desk/issued/\d+"))
    text = page.locator(".hmis-issued").inner_text()
    assert "टोकन" in text and "RNC-" in text
    uhid = re.search(r"RNC-\d{2}-\d{7}", text).group(0)
    page.screenshot(path=str(output_dir / "token-issued-hi.png"), full_page=True)

    # The slip: a PDF, straight from the focused print button.
    href = page.get_attribute("a.hmis-print", "href")
    assert page.evaluate("document.activeElement.classList.contains('hmis-print')")
    slip = page.request.get(f"{live_server}{href}")
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    (output_dir / "opd-slip.pdf").write_bytes(slip.body())

    # Next day-style revisit: find by UHID, then Enter on the focused first result.
    page.goto(f"{live_server}/desk/")
    page.fill("#q", uhid)
    page.keyboard.press("Enter")
    page.wait_for_selector('.hmis-results tr[data-row="1"]')
    page.select_option('.hmis-results tr[data-row="1"] select[name=department]',
                       label="नेत्र रोग")
    page.focus('.hmis-results tr[data-row="1"] button[type=submit]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/desk/issued/\d+"))
    assert uhid in page.locator(".hmis-issued").inner_text()
    assert "नेत्र रोग" in page.locator(".hmis-issued").inner_text()

    # As people say their names: the surname first, in English, finds the Devanagari
    # registration; so do the last digits of the mobile.
    for q in ("oraon somra", "somraoraon", "12345"):
        page.goto(f"{live_server}/desk/")
        page.fill("#q", q)
        page.keyboard.press("Enter")
        page.wait_for_selector(".hmis-results")
        assert uhid in page.locator(".hmis-results").inner_text(), q
