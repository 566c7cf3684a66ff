"""View and API base classes every department uses.

- Two permissions per resource (read, write) via `class_permission_name`.
- No hard deletes: the delete endpoint is not exposed; records are deactivated or cancelled.
- Domain rules (`rules(values, pk) -> {field: message}`) run for web forms and the REST
  API alike; errors name the field in the user's language and nothing is saved.
- Facility scoping (`Scoped*`) from the one FacilityScopeFilter.
"""
import re
import sys
from functools import partial

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import ModelRestApi, ModelView, expose
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_babel import gettext as _
from marshmallow import ValidationError, fields
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import BooleanField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.extensions import db

from .concurrency import api_error, unique_columns
from .formatting import display_formatters
from .pickers import TypeaheadField, picker_for
from .roles import METHOD_PERMISSIONS
from .scoping import (
    FacilityScopeFilter, UserFacilityFilter, acting_user, bounded_id, current_facility,
    in_scope, sees_all_facilities, user_facility_id,
)


class DomainError(Exception):
    """A refusal: {field: message}; an API answers `status` with `payload()` beside."""
    status = 422

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    def payload(self) -> dict:
        return {}


def scoped(row, field: str):
    """`row` named in a request body, unless it is missing or another facility's (as
    missing: refused naming `field`)."""
    if row is None or not in_scope(row.facility_id):
        raise DomainError({field: _("No such record.")})
    return row


def no_facility(view=None):
    """A facility screen opened without a facility to work in: a state user first
    chooses the facility to look at (and comes back here); any other account attached
    to no facility is told so."""
    if sees_all_facilities():
        return redirect(url_for("FacilityChoiceView.choose", next=request.full_path))
    flash(_("Your account is not attached to a facility."), "warning")
    return redirect(url_for("HomeView.index"))


def row_facility_id(values: dict):
    """The facility of a row being written, whether the form gave the row or its id."""
    facility = values.get("facility")
    return getattr(facility, "id", facility)


def facility_rule(values: dict, required: bool = True) -> dict:
    """A scoped user may only write rows of their own facility."""
    fid = row_facility_id(values)
    if fid is None:
        if "facility" in values and (required or not sees_all_facilities()):
            return {"facility": _("This field is required.")}
        return {}
    if not in_scope(fid):
        return {"facility": _("You may only record data for your own facility.")}
    return {}


def scope_filters(model) -> list:
    """Filters that keep a relation picker to rows the acting user may see: their
    facility's rows, their facility itself, their facility's staff accounts."""
    from flask_appbuilder.security.sqla.models import User

    from .models import Facility
    if model is Facility:
        return [["id", FacilityScopeFilter, None]]
    if hasattr(model, "facility_id"):
        return [["facility_id", FacilityScopeFilter, None]]
    if issubclass(model, User):
        return [["id", UserFacilityFilter, None]]
    return []


def _with_scope(filters: dict, col: str, model) -> None:
    mine = list(filters.get(col) or [])
    for flt in scope_filters(model):
        if not any(f[0] == flt[0] and f[1] is flt[1] for f in mine):
            mine.append(flt)
    if mine:
        filters[col] = mine


def _nullable(datamodel, col) -> bool:
    relation = datamodel.list_properties[col]
    return all(c.nullable for c in relation.local_columns)


# (columns, relation filters, extra fields) of each generated form of a ModelView.
_VIEW_FORMS = (("add_columns", "add_form_query_rel_fields", "add_form_extra_fields"),
               ("edit_columns", "edit_form_query_rel_fields", "edit_form_extra_fields"),
               ("search_columns", "search_form_query_rel_fields", "search_form_extra_fields"))


def preload_shown_relations(view) -> None:
    """A list page loads every relation its columns show for all its rows at once (the
    view's datamodel must be a core.interface.Interface)."""
    roots = [c.split(".")[0] for c in view.list_columns or []]
    view.datamodel.preload = tuple(dict.fromkeys(
        [r for r in roots if view.datamodel.is_relation(r)] + list(view.list_preload)))


def _optional_checkboxes(form_cls) -> None:
    """FAB marks checkboxes of NOT NULL columns required, so unticking one ("active")
    fails validation; an unticked box is a valid False."""
    for name in dir(form_cls):
        field = getattr(form_cls, name, None)
        if isinstance(field, UnboundField) and issubclass(field.field_class, BooleanField):
            field.kwargs["validators"] = [
                v for v in field.kwargs.get("validators", [])
                if not isinstance(v, (DataRequired, InputRequired))]


class ScopedActions:
    """Flask-AppBuilder fetches the rows of an action (unlock, activate...) by id alone,
    skipping the view's base filters: a supervisor could unlock another facility's
    accounts by posting their ids. Here a row the list would not show is not found."""

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        self._may_act(name)
        self._visible_or_404(pk)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        self._may_act(request.form.get("action"))
        for pk in request.form.getlist("rowid"):
            self._visible_or_404(pk)
        return super().action_post()

    def _may_act(self, name):
        """An unknown action is not found (FAB would fail on it); one the user's role may
        not run is refused before any row is looked at."""
        if name not in self.actions:
            abort(404)
        if not self.appbuilder.sm.has_access(self.get_action_permission_name(name),
                                             self.class_permission_name):
            if acting_user() is None:
                abort(redirect(self.appbuilder.get_url_for_login_with(request.url)))
            abort(403)

    def _visible_or_404(self, pk):
        row_id = bounded_id(pk)
        if row_id is None or self.datamodel.get(row_id, self._base_filters) is None:
            abort(404)


class HmisModelView(ScopedActions, ModelView):
    method_permission_name = METHOD_PERMISSIONS
    list_preload = ()  # relation paths a list's columns reach through properties
    # No hard deletes; no file downloads (no model here has a file column, and FAB's
    # download route serves any name from an upload folder).
    exclude_route_methods = {"delete", "download"}
    page_size = 25

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        shown = set(self.list_columns or []) | set(self.show_columns or [])
        self.formatters_columns = {**display_formatters(self.datamodel, shown),
                                   **(self.formatters_columns or {})}
        preload_shown_relations(self)

    def rules(self, values: dict, pk) -> dict:
        return {}

    def _init_forms(self):
        self._scope_relations()
        super()._init_forms()
        self.add_form = self._with_rules(self.add_form, adding=True)
        self.edit_form = self._with_rules(self.edit_form, adding=False)

    def _scope_relations(self):
        """Every relation in a form or list filter offers only rows in the user's scope;
        one over a big table (patients, staff, villages) is a type-ahead instead of a
        select of every row."""
        for columns, rel_attr, extra_attr in _VIEW_FORMS:
            rel = dict(getattr(self, rel_attr) or {})
            extra = dict(getattr(self, extra_attr) or {})
            for col in getattr(self, columns) or []:
                if not self.datamodel.is_relation(col):
                    continue
                model = self.datamodel.get_related_model(col)
                _with_scope(rel, col, model)
                picker = picker_for(model)
                if picker is not None and col not in extra and \
                        not self.datamodel.is_relation_many_to_many(col):
                    required = columns != "search_columns" and not _nullable(self.datamodel, col)
                    extra[col] = TypeaheadField(
                        self.label_columns.get(col, col), picker=picker,
                        validators=[DataRequired()] if required else [Optional()])
            setattr(self, rel_attr, rel)
            setattr(self, extra_attr, extra)

    def _with_rules(self, form_cls, adding: bool):
        view = self
        _optional_checkboxes(form_cls)

        class RuledForm(form_cls):
            def validate(self, extra_validators=None):
                for field in self:
                    # FAB's multi-select checks its invalid-choice flag before working
                    # out its data (which sets the flag); work it out first so an
                    # unknown choice is refused instead of silently dropped.
                    if isinstance(field, QuerySelectMultipleField):
                        field.data  # noqa: B018
                ok = super().validate(extra_validators=extra_validators)
                if not ok:
                    return False
                pk = None if adding else (request.view_args or {}).get("pk")
                errors = view.rules(dict(self.data), pk)
                for field, message in errors.items():
                    target = getattr(self, field, None)
                    if target is None:
                        self.form_errors.append(message)
                    else:
                        target.errors = list(target.errors) + [message]
                return not errors

        RuledForm.__name__ = form_cls.__name__
        return RuledForm


class FacilityScoped:
    """Mixin for views and APIs of models carrying facility_id (or of Facility itself,
    with scope_column='id'): rows filtered to the user's facility and writes checked
    against it (relation pickers are scoped by the base classes, for every view)."""
    scope_column = "facility_id"

    def __init__(self, **kwargs):
        self.base_filters = [[self.scope_column, FacilityScopeFilter, None]] + \
            list(self.base_filters or [])
        super().__init__(**kwargs)

    def rules(self, values, pk):
        return facility_rule(values) if self.scope_column == "facility_id" else {}


class ScopedModelView(FacilityScoped, HmisModelView):
    pass


# Marshmallow's English messages, rewritten in the caller's language.
_MARSHMALLOW = [
    (re.compile(r"^Missing data for required field\.$"), lambda m: _("This field is required.")),
    (re.compile(r"^Field may not be null\.$"), lambda m: _("This field is required.")),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: _("Must be at most %(n)s characters.", n=m.group(1))),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: _("Must be %(a)s to %(b)s characters.", a=m.group(1), b=m.group(2))),
    (re.compile(r"^Not a valid integer\.$"), lambda m: _("Must be a whole number.")),
    (re.compile(r"^Not a valid (string|boolean|number|date|datetime)\.$"),
     lambda m: _("This value is not valid.")),
    (re.compile(r"^Unknown field\.$"), lambda m: _("This field cannot be set here.")),
    (re.compile(r"^Related object doesn't exist\.?$"), lambda m: _("No such record.")),
    (re.compile(r"^Must be one of"), lambda m: _("This value is not one of the allowed choices.")),
]


def translate_messages(messages, labels: dict):
    """{field: [msg]} from marshmallow or our rules → localized, field label named."""
    if isinstance(messages, str):
        return messages
    out = {}
    for field, msgs in messages.items():
        msgs = msgs if isinstance(msgs, list) else [msgs]
        label = str(labels.get(field, field))
        rendered = []
        for msg in msgs:
            if isinstance(msg, dict):
                rendered.append(translate_messages(msg, labels))
                continue
            text = str(msg)
            for pattern, make in _MARSHMALLOW:
                match = pattern.search(text)
                if match:
                    text = make(match)
                    break
            rendered.append(f"{label}: {text}")
        out[field] = rendered
    return out


def _visible(value) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    return all(in_scope(v.facility_id) for v in values
               if hasattr(v, "__table__") and getattr(v, "facility_id", None) is not None)


def _unsaved(value) -> bool:
    """A relation given by an id that does not exist arrives as a new, unsaved object."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(hasattr(v, "__table__") and not sa_inspect(v).has_identity for v in values)


MAX_PAGE = 100_000


class SafeApiErrors:
    """Flask-AppBuilder's @safe turns any exception of an API method into a 500. A race
    loser (a unique index, a lock timeout) is told 409, a value the database refused
    422; nothing is saved either way, and the message is in the caller's language."""

    def response_500(self, message=None):
        db.session.rollback()
        err = sys.exc_info()[1]
        taken = unique_columns(err)
        if taken:  # e.g. a PUT giving a department the code of another
            labels = getattr(self, "label_columns", None) or {}
            return self.response(409, message={c: [_("%(field)s: another record already "
                                                     "has this value.",
                                                     field=labels.get(c, c))]
                                               for c in taken})
        answer = api_error(err)
        if answer is not None:
            return self.response(answer[0], message=answer[1])
        return self.response(500, message=_("Something went wrong on the server; nothing "
                                             "was saved."))


class HmisApi(SafeApiErrors, ModelRestApi):
    method_permission_name = METHOD_PERMISSIONS
    # Relations a list shows that FAB does not join itself (to-many ones, and those
    # reached through a property): loaded for the whole page at once.
    list_preload = ()
    exclude_route_methods = {"delete"}
    allow_browser_login = True
    max_page_size = 100

    def rules(self, values: dict, pk) -> dict:
        return {}

    def _init_model_schemas(self):
        super()._init_model_schemas()
        # A yes/no is JSON true or false: marshmallow would also take "yes", "on", 1 ...
        for schema in (self.add_model_schema, self.edit_model_schema):
            for field in schema.fields.values():
                if isinstance(field, fields.Boolean):
                    field.truthy, field.falsy = {True}, {False}

    def _init_properties(self):
        super()._init_properties()
        self.datamodel.preload = tuple(self.list_preload)
        # _info's relation values (the add/edit pickers) offer only rows in scope.
        for columns, rel_attr in (("add_columns", "add_query_rel_fields"),
                                  ("edit_columns", "edit_query_rel_fields")):
            rel = dict(getattr(self, rel_attr) or {})
            for col in getattr(self, columns) or []:
                if self.datamodel.is_relation(col):
                    _with_scope(rel, col, self.datamodel.get_related_model(col))
            setattr(self, rel_attr, rel)

    def _sanitize_page_args(self, page, page_size):
        page, page_size = super()._sanitize_page_args(page, page_size)
        # A page number past any real list would overflow the query's OFFSET.
        return (min(max(page, 0), MAX_PAGE) if page is not None else None), page_size

    def _bad_relations(self, columns) -> dict:
        """{field: message} for relation fields of the JSON body given as something other
        than a row id (a list of ids for a to-many one): FAB would hand an object or a
        huge number to the database."""
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {}
        errors = {}
        for col in columns or []:
            if col not in data or not self.datamodel.is_relation(col):
                continue
            value = data[col]
            many = self.datamodel.is_relation_many_to_many(col) or \
                self.datamodel.is_relation_one_to_many(col)
            values = value if many and isinstance(value, list) else [value]
            if (many and not isinstance(value, list)) or not all(
                    v is None or (not isinstance(v, (bool, float)) and bounded_id(v))
                    for v in values):
                errors[col] = [_("No such record.")]
        return errors

    def _values(self, item) -> dict:
        columns = set(self.add_columns or []) | set(self.edit_columns or [])
        return {c: getattr(item, c, None) for c in columns}

    def _check(self, item, pk):
        values = self._values(item)
        # A relation given by id loads whatever row has it: one that does not exist or
        # is another facility's is the same to the caller, "no such record".
        errors = {field: _("No such record.") for field, value in values.items()
                  if _unsaved(value) or not _visible(value)}
        errors = {**self.rules(values, pk), **errors}
        if errors:
            raise DomainError(errors)

    def pre_add(self, item):
        self._check(item, None)

    def pre_update(self, item):
        self._check(item, self.datamodel.get_pk_value(item))

    def response_422(self, message=None):
        return super().response_422(
            message=translate_messages(message, self.label_columns or {}))

    def _refusing_domain_errors(self, write):
        try:
            return write()
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [v] for k, v in err.errors.items()})

    def post_headless(self):
        errors = self._bad_relations(self.add_columns)
        if errors:
            return self.response_422(message=errors)
        return self._refusing_domain_errors(super().post_headless)

    def put_headless(self, pk):
        errors = self._bad_relations(self.edit_columns)
        if errors:
            return self.response_422(message=errors)
        return self._refusing_domain_errors(partial(super().put_headless, pk))


class ScopedApi(FacilityScoped, HmisApi):
    # A service that leaves everything its answer shows in the session (the row's
    # relations set as objects, written with Python-side defaults only) may answer from
    # it: read again after the commit, the row costs a new transaction and a query.
    answer_from_session = False

    def _init_model_schemas(self):
        super()._init_model_schemas()
        # A facility user may leave the facility out (it is theirs, set in pre_add);
        # facility_rule still demands it from state-level users.
        field = self.add_model_schema.fields.get("facility")
        if field is not None:
            field.required = False

    def _values(self, item) -> dict:
        values = super()._values(item)
        if values.get("facility") is None and getattr(item, "facility_id", None) is not None:
            values["facility"] = item.facility_id
        return values

    def create_through(self, create):
        """POST through a department's service, as its screen does: the body is checked
        against the API's body schema (its add_model_schema, a core.api_fields.Body),
        then create(facility, data, user_id) → the new row (201, shown), or a
        DomainError (422, a message per field in the caller's language; nothing saved)."""
        def created(facility, data, user_id):
            row = create(facility, data, user_id)
            row_id = sa_inspect(row).identity[0]  # (row.id would reload the committed row)
            shown = row if self.answer_from_session else \
                self._with_shown_relations(type(row), row_id)
            return 201, {"id": row_id, "result": self.show_model_schema.dump(shown)}
        return self.act_through(self.add_model_schema, created)

    def act_through(self, schema, act):
        """Any act of a department's service over REST (create, collect, receive,
        release): the JSON body checked against `schema` (a core.api_fields.Body), then
        act(facility, data, user_id) → (status, payload); a DomainError answers its status
        with a message per field in the caller's language, and nothing is saved."""
        raw = request.json if request.is_json and isinstance(request.json, dict) else None
        if raw is None:
            return self.response_400(message=_("The request is not a JSON object."))
        try:
            data = schema.load(raw)
        except ValidationError as err:
            return self.response_422(message=err.messages)
        facility = current_facility()
        if facility is None:
            return self.response_422(message={"facility": [
                _("Your account is not attached to a facility.")]})
        try:
            status, payload = act(facility, data, getattr(acting_user(), "id", None))
        except DomainError as err:
            db.session.rollback()
            message = translate_messages({k: [str(v)] for k, v in err.errors.items()},
                                         self.label_columns or {})
            return self.response(err.status, message=message, **err.payload())
        return self.response(status, **payload)

    def act_on_row(self, model, pk, schema, act):
        """An act on the row a URL names (reject a sample, stop an order): 404 for a row
        that does not exist or is another facility's (as none at all), else the body
        checked against `schema`, act(row, data, user_id), and the row answered (200)."""
        row = db.session.get(model, pk)
        if row is None or not in_scope(row.facility_id):
            return self.response_404()

        def acted(_facility, data, user_id):
            act(row, data, user_id)
            return 200, {"id": pk, "result": self.show_model_schema.dump(row)}
        return self.act_through(schema, acted)

    def _with_shown_relations(self, model, row_id):
        """The row again, with the relations its answer shows loaded in the same query
        (after the act's commit each would otherwise be one more query)."""
        options = []
        for name in {c.split(".")[0] for c in self.show_columns or [] if "." in c}:
            relation = sa_inspect(model).relationships.get(name)
            if relation is not None:
                attribute = getattr(model, name)
                options.append(selectinload(attribute) if relation.uselist
                               else joinedload(attribute))
        return db.session.execute(select(model).where(model.id == row_id)
                                  .options(*options)).unique().scalar_one()

    def pre_add(self, item):
        # A facility user may leave the facility out: it is theirs.
        if self.scope_column == "facility_id" and getattr(item, "facility_id", None) is None \
                and getattr(item, "facility", None) is None and not sees_all_facilities():
            item.facility_id = user_facility_id()
        super().pre_add(item)
