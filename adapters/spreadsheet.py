"""Tables written as an XLSX workbook (openpyxl): one sheet per table, its title and note above
the header row. The workbook holds aggregates only, so it stays small whatever the case count."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from models.statistics import Table

_BOLD = Font(bold=True)
_INVALID = str.maketrans(dict.fromkeys("[]:*?/\\", " "))  # not allowed in a sheet name


def sheet_name(key: str) -> str:
    return key.translate(_INVALID)[:31]


def xlsx_bytes(tables: Iterable[Table], *, title: str) -> bytes:
    """The workbook: sheet per table; row 1 title, row 2 note, row 3 headers, rows from 4."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.key))
        sheet.append([table.title])
        sheet["A1"].font = _BOLD
        sheet.append([table.note])
        sheet.append(list(table.headers))
        for cell in sheet[3]:
            cell.font = _BOLD
        for row in table.rows:
            sheet.append(list(row))
        sheet.column_dimensions["A"].width = max(
            [len(str(r[0])) for r in table.rows if r and r[0] is not None]
            + [len(table.headers[0]), 12]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
