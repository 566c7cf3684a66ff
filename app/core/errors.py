"""The app's own error pages (400, 403, 404, 405, 409, 413, 429, 500), in the user's
language with a way back; JSON with a message for the API."""
import logging

from flask import current_app, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def _messages() -> dict:
    return {
        400: _("The request could not be understood. Check what was typed and try again."),
        401: _("Please log in to continue."),
        403: _("Your role does not allow this. Ask your supervisor if you need it."),
        404: _("No such page or record, or it belongs to another facility."),
        405: _("This page cannot be used that way. Go back and use its buttons."),
        409: _("Someone else changed this record at the same moment, so nothing was saved. "
               "Look at it again and repeat if still needed."),
        413: _("What was sent is too large."),
        422: _("Some of what was typed is not valid; nothing was saved."),
        429: _("Too many attempts. Wait a minute and try again."),
        500: _("Something went wrong on the server; nothing was saved. Try again, and "
               "tell the IT cell if it keeps happening."),
        503: _("The server is busy. Wait a moment and try again."),
    }


def error_page(code: int, message: str | None = None):
    """(response, code) for an error: JSON under /api/, else a page in the layout."""
    text = message or _messages().get(code) or _messages()[500]
    if request.path.startswith("/api/"):
        return jsonify(message=text), code
    # A failing server (500) may not be able to build the menu, so it gets a plain page.
    template = "core/error_plain.html" if code >= 500 else "core/error.html"
    back = request.referrer if (request.referrer or "").startswith(request.host_url) \
        and request.referrer != request.url else None
    context = dict(code=code, message=text, back=back, lang=str(get_locale() or "en"))
    try:
        return render_template(template, appbuilder=current_app.appbuilder, **context), code
    except Exception:  # the layout itself failed: the plain page needs nothing
        log.exception("error page %s could not be rendered in the layout", code)
        return render_template("core/error_plain.html", **context), code


def refusal_page(err):
    """The 422 page for a refused download or print (a DomainError), naming each field."""
    return error_page(422, "; ".join(f"{field}: {message}"
                                     for field, message in err.errors.items()))


def _http_error(err: HTTPException):
    if err.code is None or err.code < 400:
        return err
    description = None
    # Our own abort(4xx, "message") carries a message for the user; werkzeug's default
    # descriptions are English and technical.
    if err.description and err.description != type(err).description:
        description = err.description
    return error_page(err.code, description)


def _server_error(err):
    log.exception("unhandled error", exc_info=getattr(err, "original_exception", err))
    from app.extensions import db
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be what failed
        log.exception("rollback after error failed")
    return error_page(500)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
