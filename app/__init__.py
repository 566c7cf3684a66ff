"""Application factory."""
import importlib
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from flask_appbuilder import AppBuilder
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import event

from config import BASE_DIR, Config, INSTANCE_DIR

from .extensions import csrf, db, migrate

DEPARTMENTS = ("app.core", "app.registration", "app.billing", "app.opd", "app.ipd",
               "app.lab", "app.printing", "app.reports")


def _tune_sqlite(engine) -> None:
    """SQLite as a real store: foreign keys enforced, and write-ahead logging so readers
    never wait for the writer and a commit does not fsync the whole database."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def create_app(test_config=None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config())
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["PROXY_FIX_COUNT"]:
        n = app.config["PROXY_FIX_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # Each department package keeps its own templates/ beside its views.
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(Path(app.root_path) / "templates"))] + [
        FileSystemLoader(str(Path(app.root_path) / name.split(".")[1] / "templates"))
        for name in DEPARTMENTS])

    db.init_app(app)
    from .core import concurrency, diagnostics, errors
    with app.app_context():
        _tune_sqlite(db.engine)
        concurrency.serialise_sqlite_requests(db.engine)
        diagnostics.init_app(app, db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"),
                     compare_type=True, render_as_batch=True)
    csrf.init_app(app)

    from .core import access_log, web
    web.init_app(app)
    errors.init_app(app)
    access_log.init_app(app)
    concurrency.init_app(app)
    with app.app_context():
        from .core.views import HomeView
        appbuilder = AppBuilder(indexview=HomeView, base_template="hmis_base.html")
        appbuilder.init_app(app, db.session)
        for name in DEPARTMENTS:
            importlib.import_module(name).register(appbuilder)
        appbuilder.post_init()
        from .core.scoping import init_row_guard
        init_row_guard(app, appbuilder)
    from flask_appbuilder import Model

    from .core.input_guard import normalise_text_columns
    normalise_text_columns(Model.registry)
    return app


def prepare_for_workers(app: Flask) -> None:
    """What each worker would otherwise do on its first requests, done once in the
    gunicorn master (config.when_ready) so that the forked workers share it: every
    template compiled, and a bilingual PDF rendered (fonts loaded, Devanagari shaped,
    the print stylesheet parsed). Not in run.py: CLI commands need none of it."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    from .printing.pdf import render_pdf
    render_pdf("<p>पर्ची / Slip १२३ <b>शुल्क / Fee ₹ 10.00</b></p>")

