"""Flask-AppBuilder's model interface, loading what a list shows for the whole page at
once: a generated list that shows each row's patient (or a user's roles, a bed's
occupant) would otherwise ask the database once per row."""
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import joinedload, selectinload


class Interface(SQLAInterface):
    preload: tuple = ()  # relation paths ("patient", "items.test") set by the view

    def apply_all(self, query, *args, **kwargs):
        query = super().apply_all(query, *args, **kwargs)
        return query.options(*self._loaders()) if self.preload else query

    def _loaders(self):
        """A relation to one row is joined into the page's query; a collection (a user's
        roles, an order's items) is loaded for all the page's rows in one more query."""
        for path in self.preload:
            loader, model = None, self.obj
            for name in path.split("."):
                attribute = getattr(model, name)
                how = "selectinload" if attribute.property.uselist else "joinedload"
                loader = getattr(loader, how)(attribute) if loader is not None \
                    else (selectinload if how == "selectinload" else joinedload)(attribute)
                model = attribute.property.mapper.class_
            yield loader
