"""Roles in code: their shape, and the README table generated from them."""
import re
from pathlib import Path

from app.core import roles as R

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_role_table_matches_code():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- roles-table:start -->\n(.*?)\n<!-- roles-table:end -->", text, re.S)
    assert match, "README lacks the generated roles table markers"
    assert match.group(1).strip() == R.roles_markdown().strip(), \
        "README role table is stale: paste `flask --app run hmis roles-table` into it"


def test_every_design_role_is_defined():
    assert set(R.ROLE_PERMISSIONS) == {
        "Admin", "Supervisor", "Registration Clerk", "Doctor", "Nurse", "Lab Technician",
        "Pathologist", "Cashier", "Auditor"}


def test_auditor_reads_everything_and_writes_nothing():
    perms = R.fab_permissions(R.AUDITOR)
    assert {("can_read", r) for r in R.RESOURCES} <= perms
    assert not [p for p in perms if p[0] == "can_write"]


def test_supervisor_cannot_hand_out_state_level_roles():
    assert R.ADMIN not in R.SUPERVISOR_ASSIGNABLE
    assert R.AUDITOR not in R.SUPERVISOR_ASSIGNABLE
    assert R.ALL_FACILITY_ROLES == {R.ADMIN, R.AUDITOR}
