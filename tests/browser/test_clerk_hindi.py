"""A registration clerk logs in, switches to Hindi and sees Hindi menus and forms."""
import re

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_clerk_switches_to_hindi(live_server, page, output_dir):
    page.goto(f"{live_server}/login/")
    page.fill("input[name=username]", "clerk.dhr")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    assert "Zonal Hospital Dharamshala" in page.content()

    page.goto(f"{live_server}/lang/hi")
    page.wait_for_load_state()
    nav = page.locator(".navbar").inner_text()
    assert "मास्टर डेटा" in nav, nav            # the Masters menu
    assert "क्षेत्रीय अस्पताल धर्मशाला" in page.content()  # facility name in Hindi
    page.screenshot(path=str(output_dir / "home-hi.png"), full_page=True)

    # A Hindi form: the search form on the department list, and the user's own account.
    page.goto(f"{live_server}/departmentview/list/")
    body = page.locator("body").inner_text()
    assert "विभाग" in body
    assert "Departments" not in body
    page.goto(f"{live_server}/resetmypassword/form")
    form_text = page.locator("form").first.inner_text()
    assert "पासवर्ड" in form_text
    assert "Password" not in form_text
    page.screenshot(path=str(output_dir / "form-hi.png"), full_page=True)

    # The choice is remembered for the account: a fresh login comes back in Hindi.
    page.context.clear_cookies()
    page.goto(f"{live_server}/login/")
    page.fill("input[name=username]", "clerk.dhr")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    assert "मास्टर डेटा" in page.locator(".navbar").inner_text()
