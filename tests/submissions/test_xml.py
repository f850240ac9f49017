"""parse_instance reads what the server needs from a submission, whatever prefixes it uses."""

import pytest

from backend.submissions.xml import InstanceError, parse_instance

ORX = 'xmlns:orx="http://openrosa.org/xforms"'


def test_reads_id_version_and_unprefixed_meta():
    instance = parse_instance(
        b'<data id="simple" version="3"><name>Ann</name>'
        b"<meta><instanceID>uuid:1</instanceID><instanceName>Ann's visit</instanceName>"
        b"<deviceID>collect:ABC</deviceID></meta></data>"
    )

    assert instance.form_id == "simple"
    assert instance.version == "3"
    assert instance.instance_id == "uuid:1"
    assert instance.instance_name == "Ann's visit"
    assert instance.device_id == "collect:ABC"
    assert instance.deprecated_id == ""
    assert instance.encrypted is False


def test_reads_prefixed_orx_meta():
    instance = parse_instance(
        f'<data {ORX} id="simple" version="1"><orx:meta>'
        "<orx:instanceID>uuid:new</orx:instanceID>"
        "<orx:deprecatedID>uuid:old</orx:deprecatedID>"
        "<orx:instanceName> Visit 7 </orx:instanceName>"
        "</orx:meta></data>".encode()
    )

    assert instance.instance_id == "uuid:new"
    assert instance.deprecated_id == "uuid:old"
    assert instance.instance_name == "Visit 7"


def test_meta_in_the_root_namespace_is_read_too():
    instance = parse_instance(
        b'<data xmlns="http://example.org/f" id="f"><meta><instanceID>uuid:ns</instanceID>'
        b"</meta></data>"
    )

    assert instance.instance_id == "uuid:ns"
    assert instance.version == ""


def test_falls_back_to_a_root_level_instance_id():
    instance = parse_instance(b'<data id="f"><instanceID> uuid:root </instanceID></data>')

    assert instance.instance_id == "uuid:root"


def test_meta_instance_id_wins_over_the_root_level_one():
    instance = parse_instance(
        b'<data id="f"><instanceID>uuid:root</instanceID>'
        b"<meta><instanceID>uuid:meta</instanceID></meta></data>"
    )

    assert instance.instance_id == "uuid:meta"


def test_an_empty_meta_instance_id_falls_back_to_the_root_one():
    instance = parse_instance(
        b'<data id="f"><meta><instanceID> </instanceID></meta>'
        b"<instanceID>uuid:root</instanceID></data>"
    )

    assert instance.instance_id == "uuid:root"


def test_the_instance_name_is_cut_to_the_column_length():
    name = "名" * 300
    instance = parse_instance(
        f'<data id="f"><meta><instanceID>u</instanceID><instanceName>{name}</instanceName>'
        "</meta></data>".encode()
    )

    assert instance.instance_name == "名" * 255


@pytest.mark.parametrize(
    "xml",
    [
        b"<data><meta><instanceID>uuid:1</instanceID></meta></data>",
        b'<data id=""><meta><instanceID>uuid:1</instanceID></meta></data>',
        b'<data id="   "><meta><instanceID>uuid:1</instanceID></meta></data>',
    ],
)
def test_a_missing_form_id_is_refused(xml):
    with pytest.raises(InstanceError, match="id attribute"):
        parse_instance(xml)


@pytest.mark.parametrize(
    "xml",
    [
        b'<data id="f"><name>Ann</name></data>',
        b'<data id="f"><meta><instanceName>x</instanceName></meta></data>',
        b'<data id="f"><meta><instanceID/></meta></data>',
        b'<data id="f"><group><meta><instanceID>uuid:deep</instanceID></meta></group></data>',
    ],
)
def test_a_missing_instance_id_is_read_as_empty(xml):
    # The receiving service decides: it assigns one for a form that declares none, and refuses
    # the submission of a form that does (backend/submissions/instance_ids.py).
    assert parse_instance(xml).instance_id == ""


def test_an_edit_without_its_own_instance_id_is_refused():
    xml = b'<data id="f"><meta><deprecatedID>uuid:old</deprecatedID></meta></data>'

    with pytest.raises(InstanceError, match="instanceID"):
        parse_instance(xml)


@pytest.mark.parametrize(
    "xml",
    [
        b'<!DOCTYPE data [<!ENTITY x "boom">]><data id="f"><meta><instanceID>&x;</instanceID>'
        b"</meta></data>",
        b'<!DOCTYPE data SYSTEM "http://example.org/evil.dtd"><data id="f"/>',
        b'<!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]><data id="f">&x;</data>',
        b'<!DOCTYPE data><data id="f"><meta><instanceID>u</instanceID></meta></data>',
    ],
)
def test_dtds_and_entities_are_refused(xml):
    with pytest.raises(InstanceError, match="DTD"):
        parse_instance(xml)


@pytest.mark.parametrize("xml", [b"", b"<test", b"not xml", b"<a id='f'></b>", b"\xff\xfe<"])
def test_malformed_xml_is_refused(xml):
    with pytest.raises(InstanceError, match="malformed"):
        parse_instance(xml)


ENCRYPTED = b"""<data xmlns="http://opendatakit.org/submissions" id="f" version="2" encrypted="yes">
  <base64EncryptedKey>a2V5</base64EncryptedKey>
  <meta xmlns="http://openrosa.org/xforms"><instanceID>uuid:x</instanceID></meta>
  <media><file>a.jpg.enc</file></media>
  <encryptedXmlFile>submission.xml.enc</encryptedXmlFile>
  <base64EncryptedElementSignature>c2ln</base64EncryptedElementSignature>
</data>"""


def test_reads_an_encrypted_manifest():
    instance = parse_instance(ENCRYPTED)

    assert instance.encrypted is True
    assert instance.form_id == "f"
    assert instance.version == "2"
    assert instance.instance_id == "uuid:x"
    assert instance.encrypted_files() == ["submission.xml.enc", "a.jpg.enc"]


def test_the_encrypted_namespace_alone_marks_a_manifest_encrypted():
    instance = parse_instance(ENCRYPTED.replace(b' encrypted="yes"', b""))

    assert instance.encrypted is True


def test_encrypted_yes_alone_marks_a_manifest_encrypted():
    instance = parse_instance(
        b'<data id="f" encrypted="yes"><meta><instanceID>u</instanceID></meta>'
        b"<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        b"<media><file>b.m4a.enc</file><file> </file></media></data>"
    )

    assert instance.encrypted is True
    assert instance.encrypted_files() == ["submission.xml.enc", "b.m4a.enc"]


def test_a_plain_instance_is_not_encrypted():
    instance = parse_instance(
        b'<data id="f" encrypted="no"><meta><instanceID>u</instanceID></meta></data>'
    )

    assert instance.encrypted is False


REPEATS = f"""<data {ORX} id="photos" version="1">
  <name>Ann</name>
  <photo>front.jpg</photo>
  <rooms><room_photo>k.jpg</room_photo><size>3</size></rooms>
  <rooms><room_photo> </room_photo><size>4</size></rooms>
  <rooms><room_photo>b.jpg</room_photo></rooms>
  <orx:meta><orx:instanceID>uuid:r</orx:instanceID></orx:meta>
</data>""".encode()


def test_texts_at_reads_every_repeat():
    instance = parse_instance(REPEATS)

    assert instance.texts_at("/data/rooms/room_photo") == ["k.jpg", "", "b.jpg"]
    assert instance.texts_at("/data/rooms/size") == ["3", "4"]
    assert instance.texts_at("/data/photo") == ["front.jpg"]
    assert instance.texts_at("/data/meta/instanceID") == ["uuid:r"]


def test_texts_at_a_path_that_is_not_there_is_empty():
    instance = parse_instance(REPEATS)

    assert instance.texts_at("/data/nothing") == []
    assert instance.texts_at("/other/photo") == []
    assert instance.texts_at("") == []
    assert instance.texts_at("/data") == [""]


@pytest.mark.parametrize(
    "paths",
    [
        ["/data/rooms/room_photo", "/data/photo"],
        ["/data/photo", "/data/rooms/room_photo", "/data/rooms/size"],
        ["/data/nothing", "/other/photo", "/data/rooms/nothing"],
        ["/data/meta/instanceID"],
        [],
    ],
)
def test_texts_under_reads_what_texts_at_reads_for_each_path(paths):
    instance = parse_instance(REPEATS)

    expected = [text for path in paths for text in instance.texts_at(path)]
    assert sorted(instance.texts_under(paths)) == sorted(expected)


def test_texts_at_matches_local_names_in_a_default_namespace():
    instance = parse_instance(
        b'<data xmlns="http://example.org/f" id="f"><g><q>1</q></g><g><q>2</q></g>'
        b"<meta><instanceID>u</instanceID></meta></data>"
    )

    assert instance.texts_at("/data/g/q") == ["1", "2"]


def test_non_ascii_text_survives():
    instance = parse_instance(
        '<data id="户访"><meta><instanceID>uuid:名</instanceID>'
        "<instanceName>张三 家</instanceName></meta></data>".encode()
    )

    assert (instance.form_id, instance.instance_id, instance.instance_name) == (
        "户访",
        "uuid:名",
        "张三 家",
    )


def test_a_latin1_declaration_is_read():
    instance = parse_instance(
        '<?xml version="1.0" encoding="ISO-8859-1"?><data id="f"><meta><instanceID>u</instanceID>'
        "<instanceName>Café</instanceName></meta></data>".encode("latin-1")
    )

    assert instance.instance_name == "Café"


@pytest.mark.parametrize("encoding", ["gbk", "GB2312", "shift_jis", "utf-7", "x-nope", "rot13"])
def test_an_unreadable_encoding_declaration_is_an_instance_error(encoding):
    """Expat only decodes single-byte charsets itself; anything else must still be a clean 400."""
    xml = f'<?xml version="1.0" encoding="{encoding}"?><data id="f"/>'.encode()

    with pytest.raises(InstanceError):
        parse_instance(xml)
