"""Backup and restore round-trip (on whichever database the suite runs against)."""
import shutil
import uuid

import pytest

from app.core.models import Department, Facility
from app.extensions import db


@pytest.fixture
def scratch_app(tmp_path, db_url):
    """A separate database, so restoring does not disturb the shared test database."""
    from flask_migrate import upgrade

    from app import create_app
    if db_url.startswith("postgresql"):
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump missing: .ci/run installs postgresql-client")
        import sqlalchemy
        name = f"hmis_backup_{uuid.uuid4().hex[:8]}"
        admin = sqlalchemy.create_engine(db_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
        url = db_url.rsplit("/", 1)[0] + "/" + name
    else:
        url, admin, name = f"sqlite:///{tmp_path}/scratch.sqlite3", None, None
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "backup-test"})
    with app.app_context():
        upgrade()
        from app.core.seed import load_lgd, seed_facilities
        load_lgd()
        seed_facilities()
    yield app
    if admin is not None:
        with app.app_context():
            db.engine.dispose()
        import sqlalchemy
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_backup_then_restore_brings_back_the_data(scratch_app, tmp_path):
    runner = scratch_app.test_cli_runner()
    archive = tmp_path / "hmis.backup"
    result = runner.invoke(args=["hmis", "backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.exists() and archive.stat().st_size > 0
    with scratch_app.app_context():
        dhr = db.session.query(Facility).filter_by(code="DHR").one()
        db.session.add(Department(facility_id=dhr.id, code="AFTER", name_en="Made after backup",
                                  name_hi="बाद में", is_clinical=True, active=True))
        db.session.commit()
    assert runner.invoke(args=["hmis", "restore", str(archive)]).exit_code != 0  # needs --yes
    result = runner.invoke(args=["hmis", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    with scratch_app.app_context():
        assert db.session.query(Department).filter_by(code="AFTER").count() == 0
        assert db.session.query(Department).filter_by(code="MED").count() == 2
