"""The HMIS report as the files a data officer keys into the portal from: the header of the
monthly format (state, district, facility, type, beds, month, financial year), then each
section's items with their official numbers and names, the figure "in facility", and
"Not recorded here" where this system cannot count an item. English, as the portal is.
The state roll-up has a column per facility, per district and the state's total."""
import io

from flask import Response

from app.core.exports import XLSX, spreadsheet_response

from .hmis import HEAD_COUNT, ITEMS

NOT_RECORDED = "Not recorded here"
OCCUPANCY = "Bed occupancy % (derived: 14.10 ÷ (beds × days) × 100)"


def _financial_year(month) -> str:
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _columns(report, state: bool) -> list[tuple[str, list | None]]:
    """(heading, facility ids) of the figure columns."""
    if not state:
        return [("In facility", None)]
    return ([(f.code, [f.id]) for f in report.facilities]
            + [(district.name_en, ids) for district, ids in report.districts()]
            + [("State total", None)])


def rows(report, state: bool) -> tuple[list, list]:
    """(header rows, table rows); a section heading is a row of one cell."""
    month = report.month
    if state:
        header = [["State roll-up", ", ".join(sorted({f.state.name_en for f in report.facilities
                                                      if f.state}))],
                  ["Facilities", str(len(report.facilities))]]
    else:
        f = report.facilities[0]
        header = [["State", f.state.name_en if f.state else ""],
                  ["District", f.district.name_en if f.district else ""],
                  ["Facility", f"{f.name_en} ({f.code})"], ["Facility type", f.facility_type],
                  ["HFR ID", f.hfr_id or ""], ["Number of beds", report.beds.get(f.id, 0)]]
    header += [["Reporting month", f"{month:%B %Y}"],
               ["Financial year", _financial_year(month)],
               ["Days counted", f"{report.first:%d-%m-%Y} to {report.last:%d-%m-%Y}"]]
    columns = _columns(report, state)
    table = [["Item No.", "Data item"] + [c for c, _ in columns] + ["Remarks"]]
    section = None
    for item in ITEMS:
        if item.section_en != section:
            section = item.section_en
            table.append([section])
        values = [report.value(item.number, ids) for _, ids in columns]
        recorded = values[0] is not None
        table.append([item.number, item.name_en] + [v if recorded else "" for v in values]
                     + ["" if recorded else NOT_RECORDED])
        if item.number == HEAD_COUNT:
            table.append(["", OCCUPANCY] + [report.occupancy(ids) for _, ids in columns] + [""])
    return header, table


def response(report, fmt: str, state: bool) -> Response:
    header, table = rows(report, state)
    where = "state" if state else report.facilities[0].code
    filename = f"hmis-{where}-{report.month:%Y-%m}.{fmt}"
    if fmt == "csv":
        return spreadsheet_response(header + [[]] + table, filename, "csv", "HMIS")
    return Response(_xlsx(header, table), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _xlsx(header, table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    book = Workbook()
    sheet = book.active
    sheet.title = "HMIS"
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    sheet.append(["Health Management Information System (HMIS): monthly facility report"])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in header:
        sheet.append(row)
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([])
    for n, row in enumerate(table):
        sheet.append(row)
        if n == 0 or len(row) == 1:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
                cell.fill = shade
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
    sheet.freeze_panes = sheet.cell(len(header) + 4, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
