"""Every ``procountor-export`` command of the docs' examples works after ``make demo``.

The demo leaves a folder that is a working directory of the service with default settings
(``procountor-export.sqlite``, ``procountor-export.key``, the emulator's state file): the docs
promise that ``cd demo`` and their commands work there, reaching Procountor through the demo's
emulator on its default address. This test builds that folder once, then runs the examples of
each page in the page's order, in a copy of it (so that one page's ``remove`` does not change
the next page), through the real Typer app in this process, against the emulator served from the
copy's state file over HTTP.

An example is a command line of a fenced ``sh``/``console`` block that starts with
``procountor-export`` (in ``console`` blocks after a ``$`` prompt; a trailing ``\\`` continues
it). A command passes when it exits 0, or when it fails with the error its ``console`` block
shows as its output (an error the page documents). :data:`NOT_RUN` lists, with the reason, the
few that cannot run here.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.demo import run_demo
from procountor_export.demo_folder import state_path
from procountor_export.emulator import create_app as create_emulator
from procountor_export.emulator.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELLS = {"sh", "console", "shell", "bash"}
PROGRAM = "procountor-export"
FENCE = re.compile(r"^(\s*)```(\w*)")
# What a prompt asks for (the API key of `exports set --password`, a password of `users add`):
# the demo company's API key, which is also long enough to be a web user's password.
ANSWERS = "demo-api-key\ndemo-api-key\n"

# Commands (their words after the program name, as a prefix) that are not run, and why.
NOT_RUN: dict[tuple[str, ...], str] = {
    ("serve",): "serves until stopped; tests/web covers it",
    ("worker",): "works until stopped; tests/jobs covers it",
    ("emulator",): "serves until stopped; this test runs the same emulator itself",
    ("import", "bad.json"): "documents the rejection of a broken document the page shows",
    ("import", "hostile.json"): "documents the rejection of a hostile document",
}
# Commands not run when these are all their words (with more words they are run).
NOT_RUN_EXACTLY: dict[tuple[str, ...], str] = {
    ("procountor", "ping"): "takes the key from PROCOUNTOR_API_KEY, which a real installation "
    "sets (the demo keeps its key in its export: 'ping --export' is run)",
}


@dataclass(frozen=True)
class Example:
    """One documented command: where it is, its words, and the output the page shows."""

    page: str
    line: int
    words: tuple[str, ...]
    shown: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {shlex.join((PROGRAM, *self.words))}"


def examples(page: Path) -> list[Example]:
    """The commands of ``page``'s shell blocks, in order (see the module doc)."""
    found: list[Example] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    name = str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name
    kind: str | None = None
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        index += 1
        if fence:
            kind = None if kind is not None else fence.group(2)
            continue
        if kind not in SHELLS:
            continue
        text = lines[index - 1].strip()
        start = index
        if kind == "console":
            if not text.startswith("$ "):
                continue
            text = text[2:]
        while text.endswith("\\") and index < len(lines):
            text = text[:-1] + " " + lines[index].strip()
            index += 1
        words = shlex.split(text, comments=True)
        if not words or words[0] != PROGRAM:
            continue
        shown = []
        while kind == "console" and index < len(lines):
            following = lines[index]
            if following.startswith(("$ ", "```")):
                break
            shown.append(following)
            index += 1
        found.append(Example(name, start, tuple(words[1:]), "\n".join(shown)))
    return found


def reason_not_run(example: Example) -> str | None:
    """Why ``example`` is not run, or ``None`` when it is."""
    if example.words in NOT_RUN_EXACTLY:
        return NOT_RUN_EXACTLY[example.words]
    for prefix, reason in NOT_RUN.items():
        if example.words[: len(prefix)] == prefix:
            return reason
    return None


PAGE_EXAMPLES = {page: examples(page) for page in PAGES}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder ``make demo`` makes (unpaced, so that the test need not wait for the limit)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    assert run_demo(folder, unpaced=True) == 0
    return folder


@pytest.fixture
def page_folder(
    demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the demo folder as the working directory, its emulator served from the copy's
    state file; nothing but the emulator's address set (the folder's defaults do the rest)."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_folder, folder)
    monkeypatch.chdir(folder)
    emulator = create_emulator(state_file=state_path(folder), rate_limit=None)
    with BackgroundServer(emulator) as server:
        monkeypatch.setenv("PROCOUNTOR_BASE_URL", server.base_url)
        monkeypatch.setenv("PROCOUNTOR_RATE_LIMIT", "1000")
        yield folder


def test_the_docs_have_examples_to_run() -> None:
    everything = [example for found in PAGE_EXAMPLES.values() for example in found]
    run = [example for example in everything if reason_not_run(example) is None]
    assert len(run) >= 40, [str(example) for example in everything]
    # the blocks are found however the page writes them: sh lines and console prompts
    assert {"README.md", "docs/user-guide/exporting.md", "docs/user-guide/importing.md"} <= {
        example.page for example in run
    }


def test_a_command_is_read_with_its_continuation_and_its_shown_output(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ procountor-export export --invoice 100001 \\\n    --dry-run  # why\n"
        "Error: what it says\n$ ls\n```\n\n```sh\nprocountor-export status --all\n```\n"
        "```text\nprocountor-export init\n```\n",
        encoding="utf-8",
    )
    found = examples(page)
    assert [(example.words, example.shown) for example in found] == [
        (("export", "--invoice", "100001", "--dry-run"), "Error: what it says"),
        (("status", "--all"), ""),
    ]


def test_a_failure_passes_only_when_the_page_shows_that_error() -> None:
    shown = Example("page.md", 1, ("import", "bad.json"), "Error: No such file: bad.json")
    assert _documented_failure(shown, "\nError: No such file: bad.json\n")
    assert not _documented_failure(shown, "Error: Unknown invoice period: 2026-03-A")
    assert not _documented_failure(Example("page.md", 1, ("status",), ""), "Error: x")


def _documented_failure(example: Example, output: str) -> bool:
    """Whether the command failed the way its page shows (the error's first line is shown)."""
    first = next((line.strip() for line in output.splitlines() if line.strip()), "")
    return bool(first) and first in example.shown


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if PAGE_EXAMPLES[page]],
    ids=lambda page: str(page.relative_to(ROOT)),
)
def test_every_command_of_the_page_works_after_make_demo(page: Path, page_folder: Path) -> None:
    failed = []
    for example in PAGE_EXAMPLES[page]:
        if reason_not_run(example) is not None:
            continue
        words = list(example.words)
        target = words[words.index(">") + 1] if ">" in words else None
        result = CliRunner().invoke(
            app, words[: words.index(">")] if target else words, input=ANSWERS
        )
        if target and result.exit_code == 0:  # what the shell would do with "> FILE"
            Path(target).write_text(result.stdout, encoding="utf-8")
        if result.exit_code != 0 and not _documented_failure(example, result.output):
            failed.append(f"{example} -> exit {result.exit_code}: {result.output.strip()[-600:]}")
    assert not failed, "\n".join(failed)
