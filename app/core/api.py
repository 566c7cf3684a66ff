"""REST APIs for the core masters (`/api/v1/facility`, `/api/v1/department`)."""
from .base_views import ScopedApi
from .interface import Interface
from .labels import LABELS
from .models import Department, Facility
from .validation import department_rules, facility_rules


class FacilityApi(ScopedApi):
    resource_name = "facility"
    datamodel = Interface(Facility)
    class_permission_name = "Facility"
    scope_column = "id"
    label_columns = LABELS
    list_columns = show_columns = ["id", "code", "name_en", "name_hi", "facility_type",
                                   "state.id", "district.id", "hfr_id", "address",
                                   "pin_code", "phone", "active"]
    add_columns = edit_columns = ["code", "name_en", "name_hi", "facility_type", "state",
                                  "district", "hfr_id", "address", "pin_code", "phone", "active"]
    search_columns = ["code", "name_en", "active"]

    def rules(self, values, pk):
        return facility_rules(values, pk)


class DepartmentApi(ScopedApi):
    resource_name = "department"
    datamodel = Interface(Department)
    class_permission_name = "Department"
    label_columns = LABELS
    list_columns = show_columns = ["id", "facility.id", "facility.code", "code", "name_en",
                                   "name_hi", "is_clinical", "active"]
    add_columns = edit_columns = ["facility", "code", "name_en", "name_hi", "is_clinical",
                                  "active"]
    search_columns = ["facility", "code", "name_en", "active"]

    def rules(self, values, pk):
        return {**super().rules(values, pk), **department_rules(values, pk)}
