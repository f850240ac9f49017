"""The JavaRosa harness (slow lane: it compiles and runs Java) and the library forms it fills."""

import shutil

import pytest
from pyxform.xls2xform import convert

from forms.library import LIBRARY_DIR
from tests.forms.javarosa.engine import Engine
from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas

FORM_IDS = ("hh_registration", "hh_visit", "housing_inspection")


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("the JavaRosa harness needs a JDK (javac and java)")
    return Engine.compile(tmp_path_factory.mktemp("fillform"))


@pytest.fixture(scope="session")
def xforms() -> dict[str, str]:
    """The library forms as pyxform converts them (what publishing stores)."""
    return {name: convert(xlsform=LIBRARY_DIR / f"{name}.md").xform for name in FORM_IDS}
