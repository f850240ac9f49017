"""XLSForm to XForm through pyxform: the only module in the project that imports pyxform."""

import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePath

import xlrd
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pyxform.errors import PyXFormError, PyXFormReadError
from pyxform.validators.odk_validate import ODKValidateError, check_xform
from pyxform.xls2json_backends import (
    Definition,
    SupportedFileTypes,
    get_xlsform,
    md_table_to_workbook,
)
from pyxform.xls2xform import convert

logger = logging.getLogger(__name__)

XLSFORM_SUFFIXES = frozenset(t.value for t in SupportedFileTypes)
_FORM_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
# pyxform raises these without a row number or sheet; the admin needs to know where to look.
_UNKNOWN_TYPE = re.compile(r"^Unknown question type '(?P<type>.*)'\.$")
_DUPLICATE_HEADER = re.compile(r"^Duplicate column header: (?P<header>.*)$")
# The first bytes of an Excel 97-2003 workbook (an OLE2 compound file) and of a zip (.xlsx).
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
# pyxform's words for a file none of its readers could open.
_NOT_RECOGNISED = "Argument 'definition' was not recognized"
_JAVA_OBJECT = re.compile(r",?\s*Bad node: org\.javarosa\.\S+@[0-9a-f]+")


class ConversionError(Exception):
    """pyxform (or ODK Validate) refused the form; `str()` is the message for the user."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        # The raw reason for the record (e.g. the exception pyxform raised), when it differs.
        self.detail = detail or message


@dataclass(frozen=True)
class Conversion:
    xform: str
    warnings: list[str] = field(default_factory=list)
    # CSV text of the `external_choices` sheet, served to Collect as itemsets.csv.
    itemsets: str | None = None


def convert_xlsform(content: bytes, *, filename: str) -> Conversion:
    """Convert an XLSForm (.xlsx, .xlsm, .xls, .csv, .md) to an XForm."""
    name = PurePath(filename)
    suffix = name.suffix.lower()
    if suffix not in XLSFORM_SUFFIXES:
        raise ConversionError(
            f"{filename}: not an XLSForm (expected one of .xlsx, .xls, .csv, .md)"
        )
    # The file name is the fallback form id when the settings sheet gives none, as in Central.
    stem = _FORM_ID_CHARS.sub("_", name.stem).strip("_") or "form"
    file_type = workbook_type(suffix, content)
    definition = Definition(data=BytesIO(content), file_type=file_type, file_path_stem=stem)
    try:
        result = convert(xlsform=definition, warnings=[])
    except PyXFormError as exc:
        message = str(exc).strip()
        if isinstance(exc, PyXFormReadError) or message.startswith(_NOT_RECOGNISED):
            raise ConversionError(_not_opened(file_type)) from None
        located = _with_row(message, content, file_type) or _with_sheet(message, content, file_type)
        raise ConversionError(located or message) from None
    except Exception:
        # Not a refusal pyxform meant ("unhashable type: 'dict'"): the admin gets plain words,
        # the log keeps the exception for whoever looks into the converter.
        if not _opens(content, file_type):
            raise ConversionError(_not_opened(file_type)) from None
        logger.warning("pyxform failed on %s", filename, exc_info=True)
        raise ConversionError(_not_converted()) from None
    warnings = list(result.warnings)
    if file_type.value != suffix:
        warnings.insert(0, _renamed_warning(filename, file_type))
    return Conversion(xform=result.xform, warnings=warnings, itemsets=result.itemsets)


def workbook_type(suffix: str, content: bytes) -> SupportedFileTypes:
    """The spreadsheet format by the file's first bytes where the name says otherwise: an old
    Excel 97-2003 workbook saved under a .xlsx name (or the reverse) is read as what it is."""
    if suffix in (".xlsx", ".xlsm") and content.startswith(_OLE2_SIGNATURE):
        return SupportedFileTypes.xls
    if suffix == ".xls" and content.startswith(_ZIP_SIGNATURE):
        return SupportedFileTypes.xlsx
    return SupportedFileTypes(suffix)


def _renamed_warning(filename: str, file_type: SupportedFileTypes) -> str:
    if file_type is SupportedFileTypes.xls:
        return _(
            "%(file)s is an old Excel 97-2003 workbook (.xls) under a .xlsx name; it was read "
            "as .xls. Save it as an Excel workbook (.xlsx) to avoid surprises."
        ) % {"file": filename}
    return _("%(file)s is an Excel workbook (.xlsx) under a .xls name; it was read as .xlsx.") % {
        "file": filename
    }


def _opens(content: bytes, file_type: SupportedFileTypes) -> bool:
    """Whether pyxform's reader opens the file as a workbook (whatever its sheets hold)."""
    try:
        get_xlsform(Definition(BytesIO(content), file_type, None))
    except Exception:  # the spreadsheet reader's own failure, of whatever kind
        return False
    return True


def _not_opened(file_type: SupportedFileTypes) -> str:
    return _(
        "the file could not be opened as a %(kind)s file: it may be damaged, or another "
        "kind of file under this name."
    ) % {"kind": file_type.value}


def _not_converted() -> str:
    return _(
        "the form could not be converted: the converter (pyxform) stopped on something in it "
        "that it does not handle, without saying where. Check the rows changed last (an "
        "unusual column, a cell holding a formula or a list) and publish again."
    )


def markdown_workbook(markdown: str) -> bytes:
    """The sheets of a Markdown XLSForm as an .xlsx workbook, read by pyxform's own table
    reader, so the workbook holds exactly the cells pyxform converts from the Markdown."""
    buffer = BytesIO()
    md_table_to_workbook(markdown).save(buffer)
    return buffer.getvalue()


def _with_row(message: str, content: bytes, file_type: SupportedFileTypes) -> str | None:
    """pyxform's "unknown question type" message with the survey row, which it lacks."""
    match = _UNKNOWN_TYPE.match(message)
    if match is None:
        return None
    try:
        workbook = get_xlsform(Definition(BytesIO(content), file_type, None))
    except PyXFormError:
        return None
    for index, row in enumerate(workbook.survey or []):
        row_type = next((v for k, v in row.items() if k.strip().lower() == "type"), "")
        if str(row_type).strip() == match.group("type"):
            # pyxform's convention: row 1 is the header row.
            return f"[row : {index + 2}] On the 'survey' sheet, {message[0].lower()}{message[1:]}"
    return None


def _with_sheet(message: str, content: bytes, file_type: SupportedFileTypes) -> str | None:
    """pyxform's "duplicate column header" message with the sheet and columns, which it lacks."""
    match = _DUPLICATE_HEADER.match(message)
    if match is None:
        return None
    header = match.group("header")
    for sheet, headers in header_rows(content, file_type):
        columns = [_column_letter(i) for i, h in enumerate(headers) if h == header]
        if len(columns) > 1:
            # pyxform's own way to say where, which the pages read (forms/problems.py).
            return f"[row : 1] On the '{sheet}' sheet, " + _(
                "the column %(header)s appears more than once (columns %(columns)s). Rename or "
                "remove all but one."
            ) % {"header": header, "columns": ", ".join(columns)}
    return None


def header_rows(content: bytes, file_type: SupportedFileTypes) -> list[tuple[str, list[str]]]:
    """Each sheet's name and first row, as text, of an .xlsx/.xlsm or .xls workbook (an empty
    list for other formats or an unreadable file)."""
    try:
        if file_type is SupportedFileTypes.xls:
            book = xlrd.open_workbook(file_contents=content, on_demand=True)
            return [
                (sheet.name, [str(v).strip() for v in sheet.row_values(0)] if sheet.nrows else [])
                for sheet in book.sheets()
            ]
        if file_type in (SupportedFileTypes.xlsx, SupportedFileTypes.xlsm):
            workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
            return [
                (
                    sheet.title,
                    [
                        str(v or "").strip()
                        for v in next(sheet.iter_rows(max_row=1, values_only=True), ())
                    ],
                )
                for sheet in workbook.worksheets
            ]
    except Exception:  # an unreadable file: the message stays as pyxform wrote it
        return []
    return []


def _column_letter(index: int) -> str:
    """A spreadsheet's column name: 0 is A, 25 is Z, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def java_available() -> bool:
    """Whether ODK Validate can run here (it is a Java program bundled with pyxform)."""
    return shutil.which("java") is not None


def odk_validate(xform: str, *, filename: str = "form.xml") -> list[str]:
    """Run ODK Validate on an XForm; return its warnings or raise ConversionError.

    Its messages name the uploaded file: pyxform's cleaner turns the temporary file's path
    into `${form}.xml`, which the admin never wrote.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xml"
        path.write_text(xform, encoding="utf-8")
        try:
            return [_named(str(w), filename) for w in check_xform(str(path))]
        except ODKValidateError as exc:
            raise ConversionError(_named(str(exc).strip(), filename)) from None


def _named(message: str, filename: str) -> str:
    # JavaRosa's object ids (ASTNodeAbstractExpr@6e1567f1) say nothing to the admin.
    message = _JAVA_OBJECT.sub("", message)
    return message.replace("${form}.xml", filename)
