"""The template library: 10 templates at most, nothing lost on the 11th, persistence by key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hdkit.errors import LimitError, ModelError
from hdkit.library import TemplateLibrary
from hdkit.model import General, Template


def template(key: str, name: str = "Desk") -> Template:
    return Template(general=General(name=name, key=key))


@pytest.mark.parametrize("persist", [False, True], ids=["memory", "directory"])
def test_ten_fit_and_the_eleventh_is_refused_without_loss(tmp_path: Path, persist: bool) -> None:
    library = TemplateLibrary(tmp_path / "lib" if persist else None)
    for i in range(10):
        library.add(template(f"t{i}"))
    with pytest.raises(LimitError) as info:
        library.add(template("t10"))
    assert "at most 10" in str(info.value) and "t10" in str(info.value)
    assert library.keys() == [f"t{i}" for i in range(10)]
    assert all(library.get(f"t{i}") == template(f"t{i}") for i in range(10))
    if persist:
        assert sorted(p.stem for p in (tmp_path / "lib").glob("*.xml")) == sorted(library.keys())
        assert not list((tmp_path / "lib").glob(".*tmp"))


def test_replace_and_remove_free_a_place(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path)
    for i in range(10):
        library.add(template(f"t{i}"))
    library.replace(template("t3", name="Renamed"))
    assert library.get("t3").general.name == "Renamed" and len(library) == 10
    library.remove("t0")
    library.add(template("t10"))
    reopened = TemplateLibrary(tmp_path)
    assert set(reopened.keys()) == {f"t{i}" for i in range(1, 11)}
    assert reopened.get("t3").general.name == "Renamed"


@pytest.mark.parametrize(
    "action, words",
    [
        pytest.param(lambda lib: lib.add(template("a")), ["already in the library"], id="duplicate-key"),
        pytest.param(lambda lib: lib.replace(template("zz")), ["no template with key 'zz'"], id="replace-missing"),
        pytest.param(lambda lib: lib.get("zz"), ["no template with key 'zz'"], id="get-missing"),
        pytest.param(lambda lib: lib.remove("zz"), ["no template with key 'zz'"], id="remove-missing"),
        pytest.param(lambda lib: lib.add(template("../evil")), ["letters, digits"], id="unsafe-key"),
        pytest.param(lambda lib: lib.add(template("")), ["key ''"], id="empty-key"),
    ],
)
def test_bad_library_operations(action, words) -> None:
    library = TemplateLibrary()
    library.add(template("a"))
    with pytest.raises(ModelError) as info:
        action(library)
    for word in words:
        assert word in str(info.value)
    assert library.keys() == ["a"] and library.get("a") == template("a")


def test_edited_template_persists_through_a_reopen(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path)
    original = library.add(template("desk"))
    edited = dataclasses.replace(original, general=dataclasses.replace(original.general, remark="x & <y>"))
    library.replace(edited)
    assert TemplateLibrary(tmp_path).get("desk") == edited


def test_a_renamed_file_is_replaced_and_removed_in_place(tmp_path: Path) -> None:
    TemplateLibrary(tmp_path).add(template("desk"))
    (tmp_path / "desk.xml").rename(tmp_path / "My Desk (copy).xml")
    library = TemplateLibrary(tmp_path)
    library.replace(template("desk", name="Edited"))
    assert [p.name for p in tmp_path.glob("*.xml")] == ["My Desk (copy).xml"]
    assert TemplateLibrary(tmp_path).get("desk").general.name == "Edited"
    library.remove("desk")
    assert list(tmp_path.glob("*.xml")) == [] and len(TemplateLibrary(tmp_path)) == 0


@pytest.mark.parametrize(
    "count, error, words",
    [
        pytest.param(11, LimitError, ["at most 10", "'t10'"], id="eleven-files"),
        pytest.param(2, ModelError, ["'t0' is already in the library"], id="same-key-twice"),
    ],
)
def test_a_directory_the_library_cannot_hold_names_the_file(tmp_path: Path, count: int, error: type,
                                                            words: list[str]) -> None:
    keys = [f"t{i}" for i in range(count)] if count > 2 else ["t0", "t0"]
    for i, key in enumerate(keys):
        (tmp_path / f"{i:02}.xml").write_text(f'<Information Name="D" Key="{key}"/>', encoding="utf-8")
    with pytest.raises(error) as info:
        TemplateLibrary(tmp_path)
    assert info.value.location.source == str(tmp_path / f"{count - 1:02}.xml")
    for word in words:
        assert word in str(info.value)
    assert len(list(tmp_path.glob("*.xml"))) == count  # nothing was deleted
