"""Extension objects. AppBuilder keeps per-app state (views, menu), so each create_app()
makes its own and `appbuilder` here is a proxy to the current app's."""
from flask import current_app
from flask_appbuilder.utils.legacy import get_sqla_class
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from werkzeug.local import LocalProxy

db = get_sqla_class()()
migrate = Migrate()
csrf = CSRFProtect()
appbuilder = LocalProxy(lambda: current_app.extensions["appbuilder"])
