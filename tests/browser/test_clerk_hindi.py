"""A registration clerk logs in, switches to Hindi and sees Hindi menus and forms."""

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_clerk_switches_to_hindi(live_server, page, output_dir, make_user):
    clerk = make_user("Registration Clerk", "DHR")
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text)
            if "Content Security Policy" in msg.text else None)

    _login(page, live_server, clerk)
    assert "Zonal Hospital Dharamshala" in page.content()
    assert "Masters" in page.locator(".navbar").inner_text()

    page.goto(f"{live_server}/lang/hi")
    page.wait_for_load_state()
    nav = page.locator(".navbar").inner_text()
    assert "मास्टर डेटा" in nav, nav                      # the Masters menu
    assert "क्षेत्रीय अस्पताल धर्मशाला" in page.content()  # facility name in Hindi
    page.screenshot(path=str(output_dir / "home-hi.png"), full_page=True)

    # Hindi list with its search form, and a Hindi form (the clerk's own password).
    page.goto(f"{live_server}/departmentview/list/")
    body = page.locator("body").inner_text()
    assert "विभाग" in body and "Departments" not in body
    page.screenshot(path=str(output_dir / "list-hi.png"), full_page=True)
    page.goto(f"{live_server}/resetmypassword/form")
    form_text = page.locator("form").first.inner_text()
    assert "पासवर्ड" in form_text and "Password" not in form_text
    page.screenshot(path=str(output_dir / "form-hi.png"), full_page=True)

    # The choice is remembered for the account: a fresh login comes back in Hindi.
    page.context.clear_cookies()
    _login(page, live_server, clerk)
    assert "मास्टर डेटा" in page.locator(".navbar").inner_text()
    # FAB's own scripts run under our nonce-based CSP without violations.
    assert csp_errors == []


def test_clerk_types_the_village_in_hindi(live_server, page, output_dir, make_user, app):
    from app.extensions import db
    from app.registration.models import Patient
    clerk = make_user("Registration Clerk", "DHR")
    _login(page, live_server, clerk)
    page.goto(f"{live_server}/lang/hi")
    page.goto(f"{live_server}/desk/")
    page.fill("#name", "गीता ठाकुर")
    page.select_option("#guardian_relation", "DO")
    page.fill("#guardian_name", "मोहन ठाकुर")
    page.check("input[name=gender][value=F]")
    page.fill("#age_years", "27")
    # The village is typed, in Hindi, and picked from what the server suggests.
    page.click("#village + .select2 .select2-selection")
    page.locator(".select2-search__field").press_sequentially("सिद्ध")
    option = page.locator(".select2-results__option", has_text="सिद्धबाड़ी")
    option.first.wait_for()
    assert "(3" not in option.first.inner_text()          # no census number for the clerk
    page.screenshot(path=str(output_dir / "desk-village-typeahead-hi.png"), full_page=True)
    option.first.click()
    page.focus("#age_years")
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/issued/*")
    with app.app_context():
        patient = db.session.query(Patient).filter(Patient.name == "गीता ठाकुर") \
            .order_by(Patient.id.desc()).first()
        # The village brought its block, district and state.
        assert patient.village.name_en == "Sidhbari" and patient.district.name_en == "Kangra"
        assert patient.state_id is not None and patient.block_id is not None


def test_the_top_bar_stays_one_line_in_hindi_at_1366(live_server, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "supervisor.dhr")   # the role with the most menus at a facility
    page.goto(f"{live_server}/lang/hi")
    page.goto(f"{live_server}/")
    height = page.evaluate("document.querySelector('.navbar').getBoundingClientRect().height")
    assert height < 60, height   # one line of menus (two made it ~100 px)
