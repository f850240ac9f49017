"""XLSForm to XForm through pyxform: the only module in the project that imports pyxform."""

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePath

from pyxform.errors import PyXFormError
from pyxform.validators.odk_validate import ODKValidateError, check_xform
from pyxform.xls2json_backends import (
    Definition,
    SupportedFileTypes,
    get_xlsform,
    md_table_to_workbook,
)
from pyxform.xls2xform import convert

XLSFORM_SUFFIXES = frozenset(t.value for t in SupportedFileTypes)
_FORM_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
# pyxform raises this one without a row number; the admin needs to know where to look.
_UNKNOWN_TYPE = re.compile(r"^Unknown question type '(?P<type>.*)'\.$")


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
    file_type = SupportedFileTypes(suffix)
    definition = Definition(data=BytesIO(content), file_type=file_type, file_path_stem=stem)
    try:
        result = convert(xlsform=definition, warnings=[])
    except PyXFormError as exc:
        raise ConversionError(_with_row(str(exc).strip(), content, file_type)) from None
    except Exception as exc:
        raise ConversionError(
            f"{filename}: the file could not be read as an XLSForm ({type(exc).__name__}: {exc})"
        ) from None
    return Conversion(xform=result.xform, warnings=list(result.warnings), itemsets=result.itemsets)


def markdown_workbook(markdown: str) -> bytes:
    """The sheets of a Markdown XLSForm as an .xlsx workbook, read by pyxform's own table
    reader, so the workbook holds exactly the cells pyxform converts from the Markdown."""
    buffer = BytesIO()
    md_table_to_workbook(markdown).save(buffer)
    return buffer.getvalue()


def _with_row(message: str, content: bytes, file_type: SupportedFileTypes) -> str:
    """Add the survey row to pyxform messages that lack one."""
    match = _UNKNOWN_TYPE.match(message)
    if match is None:
        return message
    try:
        workbook = get_xlsform(Definition(BytesIO(content), file_type, None))
    except PyXFormError:
        return message
    for index, row in enumerate(workbook.survey or []):
        row_type = next((v for k, v in row.items() if k.strip().lower() == "type"), "")
        if str(row_type).strip() == match.group("type"):
            # pyxform's convention: row 1 is the header row.
            return f"[row : {index + 2}] On the 'survey' sheet, {message[0].lower()}{message[1:]}"
    return message


def java_available() -> bool:
    """Whether ODK Validate can run here (it is a Java program bundled with pyxform)."""
    return shutil.which("java") is not None


def odk_validate(xform: str) -> list[str]:
    """Run ODK Validate on an XForm; return its warnings or raise ConversionError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xml"
        path.write_text(xform, encoding="utf-8")
        try:
            return [str(w) for w in check_xform(str(path))]
        except ODKValidateError as exc:
            raise ConversionError(str(exc).strip()) from None
