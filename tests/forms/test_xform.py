"""The pure XForm reader: no database."""

import pytest

from forms.xform import XFormError, read_xform
from tests.forms import mdforms

MULTI_ENTITY = """
| survey |
|        | type         | name    | label  | save_to              |
|        | text         | head    | Head   | households#head_name |
|        | begin_repeat | members | Members |                     |
|        | text         | m_name  | Name   | members#m_name       |
|        | end_repeat   | members |        |                      |
| entities |
|          | list_name  | label       | repeat    |
|          | households | ${head}     |           |
|          | members    | ${m_name}   | ${members} |
"""


def test_reads_id_version_and_title(xform_of):
    info = read_xform(xform_of(mdforms.SIMPLE).encode())

    assert (info.form_id, info.version, info.title) == ("simple", "1", "Simple form")
    assert info.entities == []
    assert info.entities_version is None
    assert not info.encrypted


def test_reads_media_references(xform_of):
    info = read_xform(xform_of(mdforms.WITH_MEDIA).encode())

    assert [(m.name, m.kind) for m in info.media] == [("crops.csv", "file"), ("logo.png", "image")]


def test_multiple_declarations_assign_save_to_by_nearest_container(xform_of):
    info = read_xform(xform_of(MULTI_ENTITY).encode())

    assert info.entities_version == "2025.1.0"
    by_list = {d.dataset: d for d in info.entities}
    assert by_list["households"].path == "/data"
    assert by_list["households"].properties == {"/data/head": "head_name"}
    assert by_list["members"].path == "/data/members"
    assert by_list["members"].properties == {"/data/members/m_name": "m_name"}
    assert info.entity_lists == {"households", "members"}


def test_update_declaration_has_update_action(xform_of):
    (decl,) = read_xform(xform_of(mdforms.VISIT).encode()).entities

    assert (decl.create, decl.update) == (False, True)


def test_newer_entities_spec_is_refused(xform_of):
    xml = xform_of(mdforms.REGISTRATION).replace(
        'entities-version="2024.1.0"', 'entities-version="2099.1.0"'
    )

    with pytest.raises(XFormError, match=r"2099\.1\.0 is not supported"):
        read_xform(xml.encode())


def test_encrypted_form_is_recognised(xform_of):
    md = mdforms.SIMPLE.replace(
        "| form_id | version | form_title  |", "| form_id | version | form_title  | public_key |"
    ).replace(
        "| simple  | 1       | Simple form |", "| simple  | 1       | Simple form | MIIBIjAN |"
    )

    assert read_xform(xform_of(md).encode()).encrypted


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"not xml", "malformed XML"),
        (b"<data/>", "root element must be <h:html>"),
        (b'<?xml version="1.0"?><!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]><h/>', "DTD"),
        (
            b'<h:html xmlns:h="http://www.w3.org/1999/xhtml" xmlns="http://www.w3.org/2002/xforms">'
            b"<h:head><model><instance><data/></instance></model></h:head></h:html>",
            "no id attribute",
        ),
        (
            b'<h:html xmlns:h="http://www.w3.org/1999/xhtml" xmlns="http://www.w3.org/2002/xforms">'
            b"<h:head><model/></h:head></h:html>",
            "no primary <instance>",
        ),
    ],
)
def test_rejects_what_is_not_a_usable_xform(xml, reason):
    with pytest.raises(XFormError, match=reason):
        read_xform(xml)


def test_billion_laughs_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><h>&b;</h>'
    )

    with pytest.raises(XFormError):
        read_xform(bomb)


PRIMARY_WITH_ID = b"""<h:html xmlns:h="http://www.w3.org/1999/xhtml" xmlns="http://www.w3.org/2002/xforms">
<h:head><h:title>T</h:title><model>
<instance id="primary"><data id="real_form" version="3"/></instance>
<instance><other id="not_the_form"/></instance>
</model></h:head></h:html>"""


def test_primary_instance_is_the_first_even_with_an_id():
    info = read_xform(PRIMARY_WITH_ID)

    assert (info.form_id, info.version) == ("real_form", "3")


@pytest.mark.parametrize("version", ["2025.10.0", "2024.15.3", "2022.1x", "2026.1.0", "2021.1.0"])
def test_only_known_entities_spec_versions_are_accepted(xform_of, version):
    xml = xform_of(mdforms.REGISTRATION).replace("2024.1.0", version)

    with pytest.raises(XFormError, match="not supported"):
        read_xform(xml.encode())


@pytest.mark.parametrize("version", ["2022.1.0", "2023.1.0", "2024.1.2", "2025.1.0", "2025.1"])
def test_known_entities_spec_versions_are_accepted(xform_of, version):
    xml = xform_of(mdforms.REGISTRATION).replace("2024.1.0", version)

    assert read_xform(xml.encode()).entities_version == version
