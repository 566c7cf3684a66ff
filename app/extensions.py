"""Extension objects. AppBuilder keeps per-app state (views, menu), so each create_app()
makes its own and `appbuilder` here is a proxy to the current app's."""
from flask import current_app
from flask_appbuilder.utils.legacy import get_sqla_class
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from werkzeug.local import LocalProxy

from app.core.replica import ReplicaSession

# A request commits once and then shows what it wrote: keeping the written rows loaded
# saves reading each back (a new request starts a new session, so nothing goes stale
# between requests; lock() re-reads what a check depends on).
# ReplicaSession: report views read from the replica when one is configured (core/replica).
db = get_sqla_class()(session_options={"expire_on_commit": False, "class_": ReplicaSession})
migrate = Migrate()
csrf = CSRFProtect()
appbuilder = LocalProxy(lambda: current_app.extensions["appbuilder"])
