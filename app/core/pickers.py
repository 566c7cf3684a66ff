"""Type-ahead pickers for relations over big tables (patients, staff accounts, villages).

A generated form or list filter over a relation would otherwise embed every row of the
related table in the page: a million patients, every village of a state. Each big table
registers a picker here (the department that owns the model does, at start-up); the view
base classes then render its relations as a select that asks `/picker/<kind>?q=` as the
user types, and accept a submitted id only if the picker finds it in the user's scope.
"""
from dataclasses import dataclass
from typing import Any, Callable

from flask import jsonify, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import ValidationError

from .roles import READ
from .scoping import bounded_id

PAGE = 20


@dataclass(frozen=True)
class Picker:
    kind: str                                    # /picker/<kind>
    model: type
    resource: str                                # read permission needed to use it
    search: Callable[[str, int], list]           # (typed text, limit) → rows in scope
    get: Callable[[int], Any]                    # id → the row if in scope, else None
    label: Callable[[Any], str] = str


PICKERS: dict[type, Picker] = {}


def register_picker(picker: Picker, appbuilder) -> None:
    PICKERS[picker.model] = picker
    appbuilder.add_view_no_menu(_picker_view(picker))


def picker_for(model) -> Picker | None:
    return PICKERS.get(model)


def _picker_view(picker: Picker):
    def pick(self):
        """[{"id", "text"}] of rows matching ?q= (or the one row ?id=), in the user's
        scope, for the select2 type-ahead."""
        if "id" in request.args:
            row_id = bounded_id(request.args["id"])
            row = picker.get(row_id) if row_id else None
            rows = [row] if row is not None else []
        else:
            q = (request.args.get("q") or "").strip()[:100]
            rows = picker.search(q, PAGE) if q else []
        return jsonify(results=[{"id": r.id, "text": picker.label(r)} for r in rows])

    name = f"{picker.model.__name__}Picker"
    return type(name, (BaseView,), {
        "route_base": f"/picker/{picker.kind}",
        "class_permission_name": picker.resource,
        "method_permission_name": {"pick": READ},
        "default_view": "pick",
        "pick": expose("/")(has_access(pick)),
    })


class TypeaheadWidget:
    """A select holding only the chosen row; hmis-pickers.js turns it into a type-ahead."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        classes = f"form-control hmis-typeahead {kwargs.pop('class', '')}".strip()
        chosen = field.data
        option = Markup('<option value=""></option>')
        if chosen is not None:
            option += Markup('<option value="{}" selected>{}</option>').format(
                chosen.id, field.picker.label(chosen))
        return Markup('<select name="{}" id="{}" class="{}" data-picker="{}" '
                      'data-placeholder="{}" data-too-short="{}" data-searching="{}" '
                      'data-no-results="{}">{}</select>').format(
            field.name, kwargs["id"], classes, f"/picker/{field.picker.kind}/",
            _("Type to search"), _("Type a letter or digit of the name, UHID or number"),
            _("Searching…"), _("Nothing found"), option)


class TypeaheadField(Field):
    """A relation chosen by id: the row if the picker finds it in the user's scope."""
    widget = TypeaheadWidget()

    def __init__(self, label=None, validators=None, picker: Picker | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.picker = picker
        self._unknown = False

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        if str(raw).strip() in ("", "__None"):
            self.data = None
            return
        row_id = bounded_id(raw)
        self.data = self.picker.get(row_id) if row_id else None
        self._unknown = self.data is None

    def pre_validate(self, form):
        if self._unknown:
            raise ValidationError(_("No such record."))


def _prefix(column, text: str):
    """column starts with text, case-insensitive; typed % and _ are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"{escaped}%", escape="\\")


def village_picker_label(row) -> str:
    """A village as clerks know it: its name with its block and district (no codes)."""
    return f"{row.name} ({row.block.name}, {row.block.district.name})"


def core_pickers() -> list[Picker]:
    """Staff accounts (of the user's facility; all for state users) and villages."""
    from flask_appbuilder.security.sqla.models import User
    from sqlalchemy import or_, select
    from sqlalchemy.orm import joinedload

    from app.extensions import db

    from .models import Block, Village
    from .scoping import user_in_scope, users_in_scope

    def users(q, limit):
        query = select(User).where(or_(_prefix(User.username, q), _prefix(User.first_name, q),
                                       _prefix(User.last_name, q)))
        scope = users_in_scope(User.id)
        if scope is not None:
            query = query.where(scope)
        return db.session.execute(query.order_by(User.username).limit(limit)).scalars().all()

    def user(row_id):
        row = db.session.get(User, row_id)
        return row if row is not None and user_in_scope(row) else None

    def villages(q, limit):
        query = select(Village).options(joinedload(Village.block).joinedload(Block.district)) \
            .where(or_(_prefix(Village.name_en, q), _prefix(Village.name_hi, q)))
        block = bounded_id(request.args.get("block") or "")
        if block:  # the desk's block, when chosen, narrows the villages to it
            query = query.where(Village.block_id == block)
        return db.session.execute(query.order_by(Village.name_en).limit(limit)).scalars().all()

    return [
        Picker("user", User, "Staff", users, user,
               lambda u: f"{u.username} · {u.first_name} {u.last_name}".strip()),
        Picker("village", Village, "Address", villages,
               lambda row_id: db.session.get(Village, row_id), village_picker_label),
    ]
