"""A table of rows as the file an office opens: CSV (UTF-8 with the mark Excel needs to
read Hindi) or Excel, answered as a download. The caller audits the export and makes the
cells spreadsheet-safe."""
import csv
import io

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(rows: list[list], filename: str, fmt: str, title: str) -> Response:
    """fmt: "csv" or "xlsx"; `title` names the Excel sheet."""
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        data, mime = buffer.getvalue().encode("utf-8-sig"), "text/csv"
    else:
        from openpyxl import Workbook
        book = Workbook()
        sheet = book.active
        sheet.title = title
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        data, mime = out.getvalue(), XLSX
    return Response(data, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
