"""Roles and what each may do, declared here and applied by `flask hmis sync-roles`.

Every view and API names its resource through `class_permission_name` and maps its
methods onto two actions, read and write, so a role is a small table of
resource → action. The README's role table is generated from this module
(`flask --app run hmis roles-table`), and a test keeps the two equal.
"""
from flask_babel import lazy_gettext as _l

READ, WRITE, USERINFO = "read", "write", "userinfo"

# FAB endpoint → action. Shared by every view and API so permissions stay two per resource.
METHOD_PERMISSIONS = {
    # ModelView
    "list": READ, "show": READ, "download": READ,
    "add": WRITE, "edit": WRITE, "delete": WRITE, "action": WRITE, "action_post": WRITE,
    # ModelRestApi
    "get": READ, "get_list": READ, "info": READ,
    "post": WRITE, "put": WRITE,
}

RESOURCES = {
    "Facility": _l("Facilities"),
    "Department": _l("Departments"),
    "Staff": _l("Staff profiles"),
    "Address": _l("Address masters (LGD)"),
    "User": _l("User accounts of the facility"),
    "AuditLog": _l("Audit log"),
    "Patient": _l("Patients"),
    "PatientMerge": _l("Merging duplicate patients"),
    "PatientCategory": _l("Patient categories"),
    "OpdVisit": _l("OPD visits and tokens"),
    "Tariff": _l("Tariffs and fee exemptions"),
    "Consultation": _l("Consultations and prescriptions"),
    "Drug": _l("Drug master"),
    "Bill": _l("Bills, payments, cash counter"),
    "Ward": _l("Wards and beds"),
    "Admission": _l("Admissions, transfers, discharges"),
    "LabTest": _l("Lab test catalogue"),
    "LabOrder": _l("Lab orders and test slips"),
    "LabSample": _l("Lab samples: collect, receive, reject"),
    "LabResult": _l("Lab results: enter, amend"),
    "LabRelease": _l("Lab results: verify and release"),
    "VitalSign": _l("Vitals charted on the ward"),
    "FluidEntry": _l("Intake/output chart"),
    "ClinicalNote": _l("Doctors' rounds and nursing notes"),
    "MedicationOrder": _l("Medication orders of inpatients"),
    "MedicationAdministration": _l("Medicines given on the ward (MAR)"),
    "DischargeSummary": _l("Diagnoses of a stay and discharge summaries"),
    "MedicoLegal": _l("Deaths (MCCD) and medico-legal cases"),
    "Registers": _l("Registers (OPD, admissions, deaths, lab, exemptions, cash book)"),
}

ADMIN = "Admin"
SUPERVISOR = "Supervisor"
CLERK = "Registration Clerk"
DOCTOR = "Doctor"
NURSE = "Nurse"
LAB_TECH = "Lab Technician"
PATHOLOGIST = "Pathologist"
CASHIER = "Cashier"
AUDITOR = "Auditor"

ROLE_LABELS = {
    ADMIN: _l("Admin (state IT cell)"),
    SUPERVISOR: _l("Supervisor"),
    CLERK: _l("Registration clerk"),
    DOCTOR: _l("Doctor"),
    NURSE: _l("Nurse"),
    LAB_TECH: _l("Lab technician"),
    PATHOLOGIST: _l("Pathologist"),
    CASHIER: _l("Cashier"),
    AUDITOR: _l("Auditor"),
}

# Roles that see every facility; everyone else sees only their own facility's rows.
ALL_FACILITY_ROLES = frozenset({ADMIN, AUDITOR})

_STAFF_BASE = {"Facility": READ, "Department": READ, "Address": READ,
               "PatientCategory": READ, "Patient": READ, "OpdVisit": READ, "Ward": READ,
               "Admission": READ, "LabTest": READ, "LabOrder": READ, "LabSample": READ,
               "LabResult": READ, "VitalSign": READ, "FluidEntry": READ, "ClinicalNote": READ,
               "MedicationOrder": READ, "MedicationAdministration": READ,
               "DischargeSummary": READ, "MedicoLegal": READ}

ROLE_PERMISSIONS = {
    ADMIN: {resource: WRITE for resource in RESOURCES} | {"AuditLog": READ},
    SUPERVISOR: {**_STAFF_BASE, "Department": WRITE, "Staff": WRITE, "User": WRITE,
                 "AuditLog": READ, "Patient": WRITE, "PatientMerge": WRITE,
                 "PatientCategory": WRITE, "OpdVisit": WRITE, "Tariff": WRITE,
                 "Consultation": READ, "Drug": READ, "Bill": WRITE, "Ward": WRITE,
                 "Admission": WRITE, "LabTest": WRITE, "LabOrder": WRITE, "Registers": READ},
    # The counter registers patients, issues tokens and admits (the admission desk).
    CLERK: {**_STAFF_BASE, "Patient": WRITE, "OpdVisit": WRITE, "Tariff": READ,
            "Admission": WRITE},
    # OPDs often have no clerk: doctors may register and issue tokens too.
    DOCTOR: {**_STAFF_BASE, "Patient": WRITE, "OpdVisit": WRITE, "Consultation": WRITE,
             "Drug": READ, "Admission": WRITE, "LabOrder": WRITE, "VitalSign": WRITE,
             "FluidEntry": WRITE, "ClinicalNote": WRITE, "MedicationOrder": WRITE,
             "MedicationAdministration": WRITE, "DischargeSummary": WRITE,
             "MedicoLegal": WRITE},
    # Nurses take vitals at the OPD desk before the doctor sees the patient, and keep
    # the ward: admissions, transfers, discharges, and the lab slips of ward rounds.
    # A ward nurse draws her patients' samples too, and gives the medicines doctors order.
    NURSE: {**_STAFF_BASE, "OpdVisit": WRITE, "Consultation": WRITE, "Drug": READ,
            "Admission": WRITE, "LabOrder": WRITE, "LabSample": WRITE, "VitalSign": WRITE,
            "FluidEntry": WRITE, "ClinicalNote": WRITE, "MedicationAdministration": WRITE},
    # Two-person rule: technicians enter, pathologists verify and release (and may enter,
    # but never release what they entered themselves: the service refuses that).
    LAB_TECH: {**_STAFF_BASE, "LabSample": WRITE, "LabResult": WRITE},
    PATHOLOGIST: {**_STAFF_BASE, "LabSample": WRITE, "LabResult": WRITE,
                  "LabRelease": WRITE},
    CASHIER: {**_STAFF_BASE, "Tariff": READ, "Bill": WRITE},
    AUDITOR: {resource: READ for resource in RESOURCES},
}

# Roles a supervisor may give: the facility's own staff roles. Admin and Auditor reach
# every facility, so only an admin grants them.
SUPERVISOR_ASSIGNABLE = (SUPERVISOR, CLERK, DOCTOR, NURSE, LAB_TECH, PATHOLOGIST, CASHIER)


# Endpoints that need no permission: logging in, out and refreshing a token, the
# language switch, the home page (its content follows the user) and FAB's "back". Every
# other endpoint checks a permission of this module (the generated authorization test
# fails for one that does neither).
PUBLIC_ENDPOINTS = frozenset({
    "HmisAuthDBView.login", "HmisAuthDBView.logout", "HmisSecurityApi.login",
    "HmisSecurityApi.refresh", "HmisSecurityApi.logout", "LocaleView.index",
    "HomeView.index", "UtilView.back",
})


def fab_permissions(role: str) -> set[tuple[str, str]]:
    """(permission, view_menu) pairs for a role, before menu entries are added."""
    # Everyone sees their own account, changes their own password and reads the API docs.
    pairs = {("can_" + USERINFO, "User"), ("can_get", "OpenApi"), ("can_show", "SwaggerView")}
    for resource, action in ROLE_PERMISSIONS[role].items():
        pairs.add(("can_" + READ, resource))
        if action == WRITE:
            pairs.add(("can_" + WRITE, resource))
    return pairs


def capability_rows():
    """(label, {role: mark}) rows for the README's role table."""
    rows = []
    for resource, label in RESOURCES.items():
        for action, verb in ((READ, "read"), (WRITE, "write")):
            marks = {}
            for role, perms in ROLE_PERMISSIONS.items():
                granted = perms.get(resource)
                marks[role] = "✓" if granted == WRITE or (granted == READ and action == READ) else ""
            rows.append((f"{label}: {verb}", marks))
    scope = {role: ("all" if role in ALL_FACILITY_ROLES else "own") for role in ROLE_PERMISSIONS}
    rows.append(("Facilities visible", scope))
    return rows


def roles_markdown() -> str:
    roles = list(ROLE_PERMISSIONS)
    lines = ["| capability | " + " | ".join(roles) + " |",
             "|---|" + "---|" * len(roles)]
    for label, marks in capability_rows():
        lines.append(f"| {label} | " + " | ".join(marks[r] for r in roles) + " |")
    return "\n".join(lines)
