"""The workbench's store of the template: file line numbers follow the file only while they can."""

from __future__ import annotations

from pathlib import Path

from hdkit import samples
from hdkit.model import replace
from hdkit.ui.state import Store
from hdkit.yeastar_xml import load


def _opened(tmp_path: Path) -> Store:
    """The freshdesk sample with a broken journal body and a contact type with no name, from a file."""
    text = samples.text("freshdesk")
    done = ', &quot;private&quot;: true}"'
    assert text.count(done) == 1
    text = text.replace(done, ', &quot;private&quot;: true"')
    path = tmp_path / "opened.xml"
    path.write_text(text, encoding="utf-8")
    return Store(load(path))


def _lines(store: Store, section: str) -> list[int | None]:
    return [p.location.line for p in store.problems if p.location.section == section and p.is_error]


def test_an_edited_section_drops_its_stale_file_lines_and_the_others_keep_theirs(tmp_path: Path) -> None:
    store = _opened(tmp_path)
    journal = _lines(store, "Call Journal")
    assert journal and all(journal), "a problem of the opened file is located at its line"

    # Two contact types, then the first removed: the second is renumbered "Contact Type 1", and
    # the old line of "Contact Type 1" would now point at a request that is gone.
    types = store.template.contact_search.contact_types
    assert store.edit(("contact_search", "contact_types"), (*types, types[0])) is None
    first = store.template.contact_search.contact_types[0]
    broken = replace(first, url="")
    assert store.edit(("contact_search", "contact_types"), (broken,)) is None
    search = [p for p in store.problems if p.location.section == "Contact Search" and p.code == "required"]
    assert [p.location.field for p in search] == ["Contact Type 1 > Contact Match Query URL"]
    assert search[0].location.line is None, "no line of the opened file, where another request stood"
    assert _lines(store, "Call Journal") == journal, "untouched sections keep their file lines"
    assert store.template.file is not None and store.template.file.source == str(tmp_path / "opened.xml")


def test_a_field_edit_keeps_the_file_lines_of_its_section(tmp_path: Path) -> None:
    """Editing a value moves nothing in the opened file: its problems keep their file line."""
    store = _opened(tmp_path)
    assert store.edit(("general", "name"), "") is None
    (said,) = [p for p in store.problems if p.code == "required" and p.location.section == "General"]
    assert said.location.line == 2 and said.location.source == str(tmp_path / "opened.xml")
