"""A CSV attachment as the XML document a form reads through `instance('<id>')` (pure).

ODK Collect and Enketo read `<root><item><column>value</column>…</item></root>`; the web forms
hand this document to Enketo, which takes secondary instances as XML only.
"""

import csv
import io
import re
from xml.etree.ElementTree import Element, SubElement, tostring

# A column that is not an XML name cannot be read by a form's path either: it is left out.
_XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


def csv_as_instance(content: bytes) -> str:
    """The rows of a CSV file (with its header) as a secondary instance."""
    text = content.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    columns = [(index, name.strip()) for index, name in enumerate(header)]
    columns = [(index, name) for index, name in columns if _XML_NAME.match(name)]
    root = Element("root")
    for row in rows:
        item = SubElement(root, "item")
        for index, name in columns:
            SubElement(item, name).text = row[index] if index < len(row) else ""
    return tostring(root, encoding="unicode")


EMPTY_INSTANCE = "<root/>"
