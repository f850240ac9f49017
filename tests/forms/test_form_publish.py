import hashlib

import pytest
from django.core.files.storage import default_storage

from forms.errors import AttachmentUnknown, FormInvalid, FormTooLarge, FormVersionConflict
from forms.models import Form, FormAttachment, FormState, FormVersion
from forms.services import Upload, form_attach, form_publish, form_set_state
from tests.forms import mdforms


def md(text: str, name: str = "form.md") -> Upload:
    return Upload(name=name, content=text.encode("utf-8"))


def test_publishes_a_new_form_as_its_current_version(project, alice):
    result = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice)

    assert result.created
    form = Form.objects.get(project=project, xml_form_id="simple")
    assert form.title == "Simple form"
    assert form.state == FormState.OPEN
    assert form.current_version == result.version
    assert result.version.version == "1"
    assert result.version.published_by == alice
    assert result.version.source_name == "form.md"
    assert default_storage.open(result.version.source.name).read() == mdforms.SIMPLE.encode()


def test_md5_is_of_the_exact_bytes_served(project, alice):
    version = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice).version

    assert version.md5 == hashlib.md5(version.xform_bytes).hexdigest()
    assert b'id="simple"' in version.xform_bytes


def test_identical_republish_changes_nothing(project, alice):
    first = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice).version
    again = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice)

    assert not again.created
    assert again.version.pk == first.pk
    assert FormVersion.objects.count() == 1
    first.refresh_from_db()
    assert first.md5 == again.version.md5


def test_same_version_with_different_content_is_refused(project, alice):
    form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice)

    with pytest.raises(FormVersionConflict, match="already published with different content"):
        form_publish(project=project, source=md(mdforms.SIMPLE_V1_CHANGED), published_by=alice)

    assert FormVersion.objects.count() == 1


def test_new_version_becomes_current_and_old_bytes_stay(project, alice):
    v1 = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice).version
    v1_bytes, v1_md5 = v1.xform_bytes, v1.md5
    v2 = form_publish(project=project, source=md(mdforms.SIMPLE_V2), published_by=alice).version

    form = Form.objects.get(xml_form_id="simple")
    assert form.current_version == v2
    assert v2.md5 != v1_md5
    v1.refresh_from_db()
    assert (v1.xform_bytes, v1.md5) == (v1_bytes, v1_md5)


def test_unknown_question_type_names_sheet_and_row(project, alice):
    with pytest.raises(FormInvalid) as caught:
        form_publish(project=project, source=md(mdforms.UNKNOWN_TYPE), published_by=alice)

    assert "[row : 3]" in str(caught.value)
    assert "On the 'survey' sheet, unknown question type 'foo'" in str(caught.value)
    assert caught.value.code == "form.invalid"
    assert not Form.objects.exists()


def test_file_that_is_not_a_spreadsheet_is_refused(project, alice):
    with pytest.raises(FormInvalid, match=r"junk\.xlsx"):
        form_publish(
            project=project, source=Upload("junk.xlsx", b"\x00\x01 not a zip"), published_by=alice
        )


def test_unknown_extension_is_refused(project, alice):
    with pytest.raises(FormInvalid, match="not an XLSForm"):
        form_publish(project=project, source=Upload("form.docx", b"x"), published_by=alice)


def test_too_large_upload_is_refused_before_conversion(project, alice, settings):
    settings.FORMS_MAX_UPLOAD_BYTES = 100
    with pytest.raises(FormTooLarge):
        form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice)


def test_publishes_an_xform_as_uploaded(project, alice, xform_of):
    xml = xform_of(mdforms.SIMPLE)
    version = form_publish(
        project=project, source=Upload("simple.xml", xml.encode()), published_by=alice
    ).version

    assert version.xform == xml


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<h:html", "malformed XML"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><html/>', "DTDs"),
        (b"<html xmlns='http://www.w3.org/1999/xhtml'><head/></html>", "model"),
        ("\udcff".encode("utf-8", "surrogatepass"), "UTF-8"),
    ],
)
def test_broken_xform_is_refused_with_a_reason(project, alice, content, reason):
    with pytest.raises(FormInvalid, match=reason):
        form_publish(project=project, source=Upload("f.xml", content), published_by=alice)


def test_referenced_media_become_attachments_waiting_for_upload(project, alice):
    version = form_publish(
        project=project, source=md(mdforms.WITH_MEDIA), published_by=alice
    ).version

    attachments = {a.name: a for a in version.attachments.all()}
    assert set(attachments) == {"logo.png", "crops.csv"}
    assert attachments["logo.png"].kind == "image"
    assert attachments["crops.csv"].kind == "file"
    assert not any(a.is_present for a in attachments.values())


def test_attachments_uploaded_with_the_form_are_stored_with_md5(project, alice):
    version = form_publish(
        project=project,
        source=md(mdforms.WITH_MEDIA),
        published_by=alice,
        attachments=[Upload("crops.csv", b"name,label\nmaize,Maize\n")],
    ).version

    crops = version.attachments.get(name="crops.csv")
    assert crops.md5 == hashlib.md5(b"name,label\nmaize,Maize\n").hexdigest()
    assert crops.size == len(b"name,label\nmaize,Maize\n")
    assert default_storage.open(crops.file.name).read() == b"name,label\nmaize,Maize\n"


def test_attachment_not_referenced_by_the_form_is_refused(project, alice):
    with pytest.raises(AttachmentUnknown, match=r"does not reference a file named other\.csv"):
        form_publish(
            project=project,
            source=md(mdforms.WITH_MEDIA),
            published_by=alice,
            attachments=[Upload("other.csv", b"x")],
        )
    assert not FormVersion.objects.exists()


def test_new_version_carries_over_uploaded_media(project, alice):
    form_publish(
        project=project,
        source=md(mdforms.WITH_MEDIA),
        published_by=alice,
        attachments=[Upload("logo.png", b"png-bytes")],
    )
    v2 = form_publish(
        project=project,
        source=md(mdforms.WITH_MEDIA.replace("| 1       |", "| 2       |")),
        published_by=alice,
    ).version

    logo = v2.attachments.get(name="logo.png")
    assert logo.is_present
    assert default_storage.open(logo.file.name).read() == b"png-bytes"
    assert not v2.attachments.get(name="crops.csv").is_present


def test_form_attach_uploads_media_later(project, alice):
    version = form_publish(
        project=project, source=md(mdforms.WITH_MEDIA), published_by=alice
    ).version

    form_attach(version=version, uploads=[Upload("logo.png", b"png")])

    assert version.attachments.get(name="logo.png").is_present


def test_household_list_is_linked_not_uploaded(project, alice):
    version = form_publish(project=project, source=md(mdforms.VISIT), published_by=alice).version

    households = version.attachments.get(name="households.csv")
    assert households.entity_list == "households"
    assert households.is_present
    with pytest.raises(AttachmentUnknown, match="generated by the server"):
        form_attach(version=version, uploads=[Upload("households.csv", b"name,label\n")])


def test_entity_declarations_are_stored_on_the_version(project, alice):
    reg = form_publish(project=project, source=md(mdforms.REGISTRATION), published_by=alice)
    visit = form_publish(project=project, source=md(mdforms.VISIT), published_by=alice)

    assert reg.version.entities["spec_version"] == "2024.1.0"
    (decl,) = reg.version.entities["declarations"]
    assert decl["dataset"] == "households"
    assert (decl["create"], decl["update"]) == (True, False)
    assert decl["properties"] == {
        "/data/village": "village",
        "/data/hh_code": "hh_code",
        "/data/head": "head_name",
        "/data/size": "hh_size",
        "/data/location": "geometry",
    }
    (visit_decl,) = visit.version.entities["declarations"]
    assert (visit_decl["create"], visit_decl["update"]) == (False, True)
    assert visit_decl["properties"] == {
        "/data/size": "hh_size",
        "/data/income": "income_pc",
        "/data/grade": "house_grade",
    }


def test_external_choices_become_the_itemsets_attachment(project, alice):
    version = form_publish(
        project=project, source=md(mdforms.EXTERNAL_CHOICES), published_by=alice
    ).version

    itemsets = version.attachments.get(name="itemsets.csv")
    content = default_storage.open(itemsets.file.name).read().decode()
    assert "t1" in content
    assert content.splitlines()[0] == '"list_name","name","label","county"'


def test_form_without_settings_takes_its_id_from_the_file_name(project, alice):
    text = "| survey |\n| | type | name | label |\n| | text | q | Q |\n"
    version = form_publish(
        project=project, source=md(text, name="village water.md"), published_by=alice
    ).version

    assert version.form.xml_form_id == "village_water"
    assert version.version == ""


def test_form_state_changes(project, alice):
    version = form_publish(project=project, source=md(mdforms.SIMPLE), published_by=alice).version

    form_set_state(form=version.form, state=FormState.CLOSING)

    assert Form.objects.get().state == "closing"


def test_attachment_rows_are_unique_per_version(project, alice):
    version = form_publish(
        project=project, source=md(mdforms.WITH_MEDIA), published_by=alice
    ).version
    form_publish(project=project, source=md(mdforms.WITH_MEDIA), published_by=alice)

    assert FormAttachment.objects.filter(form_version=version).count() == 2
