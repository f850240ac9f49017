"""A phone that gets its forms and lists from the server, fills them with JavaRosa and sends
them back: the OpenRosa round trip ODK Collect makes, with the engine Collect runs."""

from collections.abc import Callable
from dataclasses import dataclass

from tests.forms.javarosa.engine import Engine, Filled
from tests.forms.javarosa.paths import CLOCK
from tests.sync.conftest import body
from tests.sync.submissions import jpeg, multipart
from tests.sync.test_manifest_media import listed, media_files, path

# Answers that are files: photos and signatures, sent as parts next to the instance.
MEDIA_SUFFIXES = (".jpg", ".png")


@dataclass
class Phone:
    collect: Callable[..., object]  # tests/sync/conftest.py: Bob's phone
    engine: Engine

    def fill(
        self, form_id: str, answers: dict[str, str], repeats: dict[str, int] | None = None
    ) -> Filled:
        """Download the form and its media as Collect does, then fill it."""
        entry = listed(self.collect, form_id)
        xform = body(self.collect("get", path(entry["downloadUrl"]))).decode("utf-8")
        files = media_files(self.collect("get", path(entry["manifestUrl"])))
        media = {name: self.download(f["downloadUrl"]) for name, f in files.items()}
        return self.engine.fill(
            xform, answers=answers, set_values=CLOCK, repeats=repeats, media=media
        )

    def download(self, url: str) -> bytes:
        return body(self.collect("get", path(url)))

    def send(self, filled: Filled) -> int:
        """Post the finished instance and the photos it names; the response status."""
        assert filled.errors == [], filled.errors
        names = {e.text for e in filled.root.iter() if (e.text or "").endswith(MEDIA_SUFFIXES)}
        parts = [(name, jpeg()) for name in sorted(names)]
        response = self.collect("post", "submission", data=multipart(filled.instance, *parts))
        return response.status_code
