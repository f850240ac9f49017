from datetime import datetime
from typing import Any

from ninja import Schema

from forms.models import Form, FormAttachment, FormVersion


class AttachmentOut(Schema):
    name: str
    kind: str
    present: bool
    md5: str
    size: int | None
    entity_list: str
    generated: str  # a list the server writes itself, e.g. "villages" for villages.csv

    @staticmethod
    def of(attachment: FormAttachment) -> "AttachmentOut":
        return AttachmentOut(
            name=attachment.name,
            kind=attachment.kind,
            present=attachment.is_present,
            md5=attachment.md5,
            size=attachment.size,
            entity_list=attachment.entity_list,
            generated=attachment.generated,
        )


class FormVersionOut(Schema):
    form_id: str
    version: str
    md5: str
    source_name: str
    warnings: list[str]
    entities: dict[str, Any]
    published_at: datetime
    published_by: str | None
    attachments: list[AttachmentOut]

    @staticmethod
    def of(version: FormVersion) -> "FormVersionOut":
        return FormVersionOut(
            form_id=version.form.xml_form_id,
            version=version.version,
            md5=version.md5,
            source_name=version.source_name,
            warnings=version.warnings,
            entities=version.entities,
            published_at=version.created_at,
            published_by=version.published_by.username if version.published_by else None,
            attachments=[AttachmentOut.of(a) for a in version.attachments.all()],
        )


class PublishOut(FormVersionOut):
    created: bool


class FormOut(Schema):
    form_id: str
    title: str
    state: str
    current_version: FormVersionOut | None

    @staticmethod
    def of(form: Form) -> "FormOut":
        current = form.current_version
        return FormOut(
            form_id=form.xml_form_id,
            title=form.title,
            state=form.state,
            current_version=FormVersionOut.of(current) if current else None,
        )


class FormStateIn(Schema):
    state: str


class FormVersionDetailOut(FormVersionOut):
    # Each question's path and type (string, int, decimal, geopoint, image, repeat...),
    # for reading the `fields` of this version's submissions.
    fields: dict[str, str]
    submissions: int
