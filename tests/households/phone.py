import csv
import io
from xml.etree import ElementTree

from tests.sync.conftest import body

LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"


def household_codes(collect) -> list[str]:
    """The codes of the households in the phone's households.csv (through formList and the
    manifest), read from their labels: the test visit form reads no property."""
    forms = ElementTree.fromstring(collect("get", "formList?formID=visit").content)
    manifest_url = forms[0].find(f"{LIST}manifestUrl").text.removeprefix("http://testserver")
    (media,) = ElementTree.fromstring(collect("get", manifest_url).content)
    url = media.find(f"{MANIFEST}downloadUrl").text.removeprefix("http://testserver")
    rows = csv.DictReader(io.StringIO(body(collect("get", url)).decode()))
    return sorted(row["label"].split()[0] for row in rows)
