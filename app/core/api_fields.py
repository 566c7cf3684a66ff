"""Request bodies of the REST acts (register, admit, order, bill, pay): each declares its
fields with these types, so a wrong type (a list for a name, an object for an id, "yes"
for a yes/no) is refused with a message naming the field before any service runs, and
the OpenAPI spec says exactly what each act takes."""
from marshmallow import Schema, ValidationError, fields, validate

from .scoping import MAX_ID


class Body(Schema):
    """A request body: unknown fields are refused, not ignored."""


class _WholeNumber(fields.Integer):
    def _validated(self, value):
        if isinstance(value, bool):  # true is not 1 here
            raise self.make_error("invalid")
        return super()._validated(value)


def Id(**kwargs):  # noqa: N802 - reads as a type in the schemas
    """A row id: a whole number from 1 to 2^31-1 (the id columns' range)."""
    return _WholeNumber(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def Ids(**kwargs):  # noqa: N802
    return fields.List(Id(), **kwargs)


def Text(max_length: int, **kwargs):  # noqa: N802
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def Choice(choices, **kwargs):  # noqa: N802
    return fields.String(validate=validate.OneOf(list(choices)), **kwargs)


def YesNo(**kwargs):  # noqa: N802
    """JSON true or false only: "no", 0 or "false" are not taken for either."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


class Amount(fields.Field):
    """Rupees as "120.50" or 120.5; checked and rounded by the service."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError("Not a valid number.")
        return str(value)


class Number(Amount):
    """A measurement as 98.6 or "98.6" (vitals); checked by the service."""
