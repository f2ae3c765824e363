"""The documentation site says what the code does: settings, sample problems, the journal."""

from __future__ import annotations

from docs_hooks import DOCS, ROOT, load_hook  # type: ignore[import-not-found]
from procountor_export.samples.generator import PROBLEM_CASES
from procountor_export.settings import Settings
from procountor_export.store.models import JournalState


def test_every_environment_variable_is_on_the_configuration_page() -> None:
    page = (DOCS / "operations" / "configuration.md").read_text(encoding="utf-8")
    names = [str(field.validation_alias) for field in Settings.model_fields.values()]
    assert names
    assert [name for name in names if f"`{name}`" not in page] == []


def test_every_sample_problem_case_is_on_the_sample_data_page() -> None:
    page = (DOCS / "user-guide" / "sample-data.md").read_text(encoding="utf-8")
    missing = [
        name
        for name, case in PROBLEM_CASES.items()
        if f"| `{name}` | {case.invoice_number} | {case.message} |" not in page
    ]
    assert missing == []


def test_the_journal_states_come_from_the_journal_module() -> None:
    hook = load_hook("module_index")
    text = hook.journal_states_markdown()
    assert "PENDING" in text
    assert "```text" in text  # the drawing of the module's docstring
    assert [state.value for state in JournalState if f"| `{state.value}` |" not in text] == []
    assert "nothing (final)" in text  # EXPORTED


def test_the_module_index_lists_every_module() -> None:
    hook = load_hook("module_index")
    text = hook.module_index_markdown()
    package = ROOT / "src" / "procountor_export"
    modules = [p for p in package.rglob("*.py") if "migrations" not in p.parts]
    assert [p.name for p in modules if f"| `{p.name}` |" not in text] == []


def test_the_generated_pages_keep_their_markers() -> None:
    hook = load_hook("module_index")
    page = (DOCS / hook.PAGE).read_text(encoding="utf-8")
    assert hook.MARKER in page
    assert hook.JOURNAL_MARKER in page
