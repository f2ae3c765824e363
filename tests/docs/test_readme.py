"""The README stays short and its map of the docs points at pages that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from procountor_export.demo import serve_command

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{\s*#([\w-]+)\s*\})?\s*$")


def anchors(page: Path) -> set[str]:
    """The anchors of a docs page: its headings' slugs and their explicit ``{ #id }``."""
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            title, explicit = match.groups()
            found.add(explicit or slugify(title.replace("`", ""), "-"))
    return found


def test_the_readme_is_at_most_250_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_the_readme_links_only_to_docs_pages_that_exist() -> None:
    links = LINK.findall(README.read_text(encoding="utf-8"))
    assert links, "the README's map of the docs has no links"
    wrong = []
    for target in links:
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        page = ROOT / path
        if (
            not path.startswith("docs/")
            or not path.endswith(".md")
            or not page.is_file()
            or (anchor and anchor not in anchors(page))
        ):
            wrong.append(target)
    assert wrong == []


def test_the_readme_maps_every_section_of_the_site() -> None:
    text = README.read_text(encoding="utf-8")
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = re.findall(r":\s+([\w/-]+\.md)\s*$", nav, flags=re.MULTILINE)
    assert pages
    assert [page for page in pages if f"(docs/{page}" not in text] == []


def test_the_quick_start_leads_to_the_browser_in_one_more_command() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Quick start")
    section = text[start : text.index("\n## ", start + 1)]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.splitlines()]
    venv = re.search(r"^VENV \?= (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert venv
    # the command make demo prints at its end (from the Makefile's virtualenv), right after it
    printed = shlex.split(serve_command(Path("demo")))
    assert commands == [["make", "demo"], [f"{venv.group(1)}/bin/python", *printed[1:]]]
    assert "http://127.0.0.1:8080/" in section
    assert "login" in section
