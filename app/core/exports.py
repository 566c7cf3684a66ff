"""A table of rows as the file an office opens: CSV (UTF-8 with the mark Excel needs to
read Hindi) or Excel, answered as a download: from a list, or streamed from an iterator for
files of any size. The caller audits the export and makes the cells spreadsheet-safe."""
import csv
import io
import itertools
import tempfile

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file

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


def streamed_spreadsheet(header: list, make_rows, filename: str, fmt: str, title: str
                         ) -> Response:
    """As spreadsheet_response, for any number of rows, holding none of them: CSV goes out
    row by row as `make_rows()` yields them; Excel is written row by row by openpyxl's
    write-only workbook into a temporary file, which is then sent in chunks. A CSV's rows
    are read after the view has returned, in a new application context (and database
    session): `make_rows` is called there, so it must query afresh."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        def lines():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")
            for row in itertools.chain([header], make_rows()):
                writer.writerow(row)
                if buffer.tell() > 64 * 1024:
                    yield buffer.getvalue().encode("utf-8")
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue().encode("utf-8")
        return Response(stream_with_context(lines()), mimetype="text/csv", headers=headers)
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in itertools.chain([header], make_rows()):
        sheet.append(row)
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return Response(wrap_file(request.environ, out), mimetype=XLSX, headers=headers,
                    direct_passthrough=True)
