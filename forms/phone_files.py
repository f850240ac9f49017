"""What phones download of a form version, read once per version and process.

A version's XForm and its uploaded files never change under its hash; the rows that say which
files it has change only through the form services, which bump the project's forms generation
(forms/services.py::_forms_changed). So the bytes of form.xml and the list of a version's files
are read from the database once, kept in this process under a key that carries the generation,
and every later download of that version costs no query at all.
"""

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.utils.translation import gettext_lazy as _

from backend.core.cache import generation
from backend.core.errors import NotFound
from backend.core.storage import stored_name
from backend.projects.models import Project
from forms.models import FormVersion
from forms.selectors import forms_scope

# Versions a process keeps: phones download the few current ones of a handful of projects.
_KEPT = 256


@dataclass(frozen=True)
class PhoneFile:
    """A file of a version that a phone can download now."""

    name: str
    md5: str  # of the uploaded bytes; empty for lists the server writes
    storage_name: str  # empty for lists the server writes
    entity_list: str
    generated: str


@dataclass(frozen=True)
class PhoneVersion:
    form_id: str
    md5: str
    xform: bytes
    files: tuple[PhoneFile, ...]

    def file(self, name: str) -> PhoneFile:
        found = next((f for f in self.files if f.name == name), None)
        if found is None:
            raise NotFound(_("File not found."))
        return found


_versions: "OrderedDict[tuple[int, str, str, str], PhoneVersion]" = OrderedDict()
_lock = Lock()  # granian runs several threads per process


def phone_version(*, project: Project, form_id: str, md5: str) -> PhoneVersion:
    """The version of a form with these exact bytes (download URLs carry the hash), with its
    present files; NotFound for none. Unknown hashes are not remembered."""
    key = (project.pk, generation(forms_scope(project.pk)), form_id, md5)
    with _lock:
        found = _versions.get(key)
        if found is not None:
            _versions.move_to_end(key)
            return found
    found = _read(project, form_id, md5)
    with _lock:
        _versions[key] = found
        while len(_versions) > _KEPT:
            _versions.popitem(last=False)
    return found


def forget_phone_versions() -> None:
    """Drop what this process keeps (tests clear the cache between cases)."""
    with _lock:
        _versions.clear()


def _read(project: Project, form_id: str, md5: str) -> PhoneVersion:
    version = (
        FormVersion.objects.prefetch_related("attachments")
        .filter(form__project=project, form__xml_form_id=form_id, md5=md5)
        .only("md5", "xform")
        .first()
    )
    if version is None:
        raise NotFound(_("Form not found."))
    files = tuple(
        PhoneFile(
            name=a.name,
            md5=a.md5,
            storage_name=stored_name(a.file) if a.file else "",
            entity_list=a.entity_list,
            generated=a.generated,
        )
        for a in version.attachments.all()
        if a.is_present
    )
    return PhoneVersion(form_id=form_id, md5=version.md5, xform=version.xform_bytes, files=files)
