"""CLI: seed-demo is idempotent, needs demo mode for a default password; create-user and
sync-roles apply the rules in code."""
from sqlalchemy import func, select

from app.core import roles as R
from app.core.models import AuditLog, Department, Facility, StaffProfile
from app.extensions import db
from tests.conftest import DEMO_PASSWORD


def _counts():
    from flask_appbuilder.security.sqla.models import Role, User
    return {m.__name__: db.session.execute(select(func.count()).select_from(m)).scalar()
            for m in (Facility, Department, StaffProfile, User, Role, AuditLog)}


def test_seed_demo_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    with app.app_context():
        before = _counts()
    result = runner.invoke(args=["hmis", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "supervisor.rnc" in result.output and "pathologist.dhr" in result.output
    with app.app_context():
        assert _counts() == before


def test_demo_users_have_their_roles_and_facilities(app):
    with app.app_context():
        sm = app.appbuilder.sm
        for username, role, code in [("clerk.dhr", R.CLERK, "DHR"), ("cashier.rnc", R.CASHIER, "RNC"),
                                     ("pathologist.rnc", R.PATHOLOGIST, "RNC"),
                                     ("auditor", R.AUDITOR, None), ("admin", R.ADMIN, None)]:
            user = sm.find_user(username=username)
            assert [r.name for r in user.roles] == [role]
            profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one()
            assert (profile.facility.code if profile.facility else None) == code
        ranchi = db.session.query(Facility).filter_by(code="RNC").one()
        assert ranchi.district.name_en == "Ranchi" and ranchi.state.name_en == "Jharkhand"


def test_no_default_password_outside_demo_mode(app):
    saved = dict(app.config)
    app.config.update(DEMO_MODE=False, DEMO_PASSWORD="")
    try:
        result = app.test_cli_runner().invoke(args=["hmis", "seed-demo"])
    finally:
        app.config.update(DEMO_MODE=saved["DEMO_MODE"], DEMO_PASSWORD=saved["DEMO_PASSWORD"])
    assert result.exit_code != 0 and "refusing" in result.output


def test_create_user_enforces_password_policy(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("HMIS_NEW_USER_PASSWORD", "password1")
    result = runner.invoke(args=["hmis", "create-user", "meena.cli", "--role", R.NURSE,
                                 "--facility", "RNC"])
    assert result.exit_code != 0 and "common" in result.output
    monkeypatch.setenv("HMIS_NEW_USER_PASSWORD", "Subarnarekha-River-21")
    result = runner.invoke(args=["hmis", "create-user", "meena.cli", "--role", R.NURSE,
                                 "--facility", "RNC"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["hmis", "create-user", "orphan.cli", "--role", R.NURSE])
    assert result.exit_code != 0 and "--facility" in result.output
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="meena.cli")
        assert db.session.query(StaffProfile).filter_by(user_id=user.id).one().facility.code == "RNC"


def test_add_user_refuses_weak_password_on_every_path(app):
    import pytest
    with app.app_context():
        sm = app.appbuilder.sm
        with pytest.raises(ValueError):
            sm.add_user("weakling", "W", "L", "w@example.org", sm.find_role(R.NURSE),
                        password="12345678")


def test_sync_roles_makes_database_equal_to_code(app, monkeypatch):
    runner = app.test_cli_runner()
    with app.app_context():
        sm = app.appbuilder.sm
        clerk = sm.find_role(R.CLERK)
        extra = sm.add_permission_view_menu("can_write", "Facility")
        sm.add_permission_role(clerk, extra)  # someone widened the role by hand
    result = runner.invoke(args=["hmis", "sync-roles"])
    assert result.exit_code == 0 and "Registration Clerk: +0 -1" in result.output
    with app.app_context():
        clerk = app.appbuilder.sm.find_role(R.CLERK)
        have = {(p.permission.name, p.view_menu.name) for p in clerk.permissions}
        assert {p for p in have if p[0] != "menu_access"} == R.fab_permissions(R.CLERK)
        assert ("menu_access", "Departments") in have
        assert ("menu_access", "List Users") not in have
    # Views sharing a resource (the lab's order screen writes, its register only reads)
    # must not make FAB try to delete each other's permissions.
    deleting = []
    monkeypatch.setattr(app.appbuilder.sm, "del_permission_view_menu",
                        lambda *args, **kw: deleting.append(args))
    result = runner.invoke(args=["hmis", "sync-roles"])
    assert all(line.endswith("+0 -0") for line in result.output.strip().splitlines())
    assert deleting == []


def test_roles_table_command_prints_the_table(app):
    result = app.test_cli_runner().invoke(args=["hmis", "roles-table"])
    assert result.output.strip() == R.roles_markdown().strip()


def test_demo_password_works(app):
    from tests.conftest import login
    assert login(app.test_client(), "cashier.dhr", DEMO_PASSWORD).status_code == 302
