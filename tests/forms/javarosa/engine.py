"""Fill XForms with JavaRosa, the engine in ODK Collect, through FillForm.java.

JavaRosa ships inside pyxform's ODK Validate jar, so the harness compiles against that jar at
test time (`javac`) and runs each fill in its own JVM: one form, one scripted path, one JSON
answer (see FillForm.java for the script and the answer).

The scripts set the phone's clock fields (`today`, `start`, `end`) to the tests' fixed time, so
ages, `last_visit` and the instance do not depend on the day the tests run. JavaRosa's `today()`
itself reads the machine's clock and cannot be set: the scripts' dates lie before FIXED_NOW, so
constraints such as "not in the future" hold on any later day.
"""

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pyxform

JAR = Path(pyxform.__file__).parent / "validators/odk_validate/bin/ODK_Validate.jar"
SOURCE = Path(__file__).with_name("FillForm.java")
# The language the scripts read error messages in; the forms default to Chinese.
ENGLISH = "English (en)"


class HarnessError(RuntimeError):
    """The harness itself failed (Java exception, bad script): not a finding about the form."""


@dataclass(frozen=True)
class Filled:
    """What the engine made of one scripted path."""

    errors: list[dict[str, str]]
    shown: list[str]
    instance: bytes
    root: ElementTree.Element = field(repr=False)

    def errors_at(self, path: str) -> list[str]:
        """The kinds of error reported at a question (empty when it passed)."""
        return [e["kind"] for e in self.errors if e["path"] == path]

    def value(self, path: str) -> str | None:
        """The text at /data/... in the finished instance; None when absent (not relevant)."""
        element = self.root
        for step in path.strip("/").split("/")[1:]:
            name, _, index = step.partition("[")
            found = element.findall(name)
            position = int(index.rstrip("]")) - 1 if index else 0
            if position >= len(found):
                return None
            element = found[position]
        return element.text or ""

    def count(self, path: str) -> int:
        """How many entries of the repeat at /data/... the instance holds."""
        *parents, name = path.strip("/").split("/")[1:]
        element = self.root
        for step in parents:
            element = element.find(step)
            if element is None:
                return 0
        return len(element.findall(name))


class Engine:
    """The compiled harness; `fill` runs one scripted path through one form."""

    def __init__(self, classes: Path) -> None:
        self.classes = classes

    def java(self) -> list[str]:
        """The command line before the class name: a phone in the field (China's time zone,
        whatever the machine's), and a JVM tuned to start fast for one short fill."""
        fast = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
        return ["java", *fast, "-Duser.timezone=Asia/Shanghai", "-cp", f"{JAR}:{self.classes}"]

    @classmethod
    def compile(cls, into: Path) -> "Engine":
        """Compile FillForm.java against ODK Validate's JavaRosa into `into`."""
        command = ["javac", "-nowarn", "-cp", str(JAR), "-d", str(into), str(SOURCE)]
        _run(command)
        return cls(into)

    def fill(
        self,
        xform: str,
        *,
        answers: dict[str, str],
        set_values: dict[str, str] | None = None,
        repeats: dict[str, int] | None = None,
        media: dict[str, bytes] | None = None,
    ) -> Filled:
        """Walk the form answering `answers` (path → text; selects by choice code)."""
        script = {
            "language": ENGLISH,
            "set": set_values or {},
            "answers": answers,
            "repeats": repeats or {},
        }
        with tempfile.TemporaryDirectory(prefix="fillform-") as folder:
            work = Path(folder)
            (work / "form.xml").write_text(xform, encoding="utf-8")
            (work / "script.json").write_text(json.dumps(script), encoding="utf-8")
            for name, content in (media or {}).items():
                (work / name).write_bytes(content)
            output = _run([*self.java(), "FillForm", "form.xml", "script.json", "."], work)
        result = json.loads(output.strip().splitlines()[-1])  # JavaRosa may log before it
        instance = result["instance"].encode("utf-8")
        return Filled(
            errors=result["errors"],
            shown=result["shown"],
            instance=instance,
            root=ElementTree.fromstring(instance),
        )


def _run(command: list[str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=180, check=False
    )
    if done.returncode != 0:
        raise HarnessError(f"{command[0]} exited {done.returncode}: {done.stderr[-3000:]}")
    return done.stdout
