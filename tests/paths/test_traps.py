"""Paths that work on the PBX but mean something surprising: found, located, with the fix.

Each trap's claim is checked against Go's answer (recorded from the oracle), so the warning
says what the PBX really does.
"""

from __future__ import annotations


import pytest

from hdkit.model import ContactFields, ContactSearch, ContactType, FieldMapping, FollowUpRequest, General, Popup, Template
from hdkit.paths import gjson_get, path_traps
from hdkit.validate import validate

DOC = '{"data":[{"id":1,"phone":"1","name":"Ann"},{"id":2,"phone":"1","name":"Bob"},{"id":3,"phone":"2","name":"Cy"}]}'


@pytest.mark.parametrize(
    ("path", "records", "code", "column", "fix"),
    [
        pytest.param('data.#(phone=="1").id', True, "first-match", 6, '#(phone=="1")#', id="first-match"),
        pytest.param("data.#.name|@reverse", True, "reshaped-list", 13, "remove '@reverse'", id="reverse-column"),
        pytest.param("data.#.id|@tostr", True, "reshaped-list", 11, "remove '@tostr'", id="tostr-column"),
        pytest.param("data.0.@pretty", False, "pretty", 8, "@ugly", id="pretty"),
        pytest.param("data.0.@revers", False, "key-not-modifier", 8, "\\@revers", id="misspelt-modifier"),
        pytest.param("data.0.!true", False, "key-not-literal", 8, "'|!true'", id="literal-after-dot"),
        pytest.param('data.#(phone=="1"', False, "unclosed", 7, "close the '('", id="unclosed-query"),
        pytest.param('data.#(phone=="2")x', False, "unclosed", 19, "insert a '.'", id="text-after-query"),
        pytest.param("{data.0.id,total", False, "unclosed", 1, "close the '{'", id="unclosed-multipath"),
    ],
)
def test_trap_is_found_with_column_and_fix(path: str, records: bool, code: str, column: int, fix: str) -> None:
    (trap,) = path_traps(path, records=records)
    assert (trap.code, trap.line, trap.column) == (code, 1, column)
    assert fix in trap.fix and trap.message


@pytest.mark.parametrize(
    ("path", "exists", "string"),
    [
        pytest.param('data.#(phone=="1").id', True, "1", id="first-match-gives-one"),
        pytest.param('data.#(phone=="1")#.id', True, "[1,2]", id="projection-gives-all"),
        pytest.param("data.#.name|@reverse", True, '["Cy","Bob","Ann"]', id="reversed-column"),
        pytest.param("data.#.id|@tostr", True, "[1,2,3]", id="one-string"),
        pytest.param("data.0.@pretty", True, '{\n  "id": 1,\n  "phone": "1",\n  "name": "Ann"\n}\n', id="newlines"),
        pytest.param("data.0.@revers", False, "", id="misspelt-is-a-key"),
        pytest.param("data.0.!true", False, "", id="literal-is-a-key"),
        pytest.param('data.#(phone=="1"', False, "", id="unclosed-finds-nothing"),
        pytest.param('data.#(phone=="2")x', True, '{"id":3,"phone":"2","name":"Cy"}', id="tail-ignored"),
    ],
)
def test_what_the_warnings_claim_is_what_go_answers(path: str, exists: bool, string: str) -> None:
    """Recorded from the Go oracle (gjson 1.14.4)."""
    got = gjson_get(DOC, path)
    assert (got.exists, got.string) == (exists, string)


@pytest.mark.parametrize(
    ("path", "records"),
    [
        pytest.param("data.#.id", True, id="projection"),
        pytest.param('data.#(phone=="{{.Phone}}")#.id', True, id="templated-query"),
        pytest.param('data.#(phone=="1").id', False, id="first-match-for-one-value"),
        pytest.param("data.#.name|@reverse", False, id="reverse-for-one-value"),
        pytest.param("data.0|@ugly", True, id="ugly"),
        pytest.param("data|!true", False, id="literal-after-pipe"),
        pytest.param("{id:data.0.id,n:data.0.name}", False, id="multipath"),
        pytest.param("\\@keys", False, id="escaped-at-key"),
    ],
)
def test_ordinary_paths_have_no_trap(path: str, records: bool) -> None:
    assert path_traps(path, records=records) == []


def _template(contact_id: str, follow_up_path: str) -> Template:
    return Template(
        general=General(name="Desk", key="desk"),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", "https://h/c?phone={{UrlEncode .Phone}}", next="Notes"),),
            popup=Popup(url_format="https://h/c/{{.ContactId}}"),
            fields=ContactFields(contact_id=FieldMapping(True, contact_id),
                                 business_number=FieldMapping(True, "data.#.phone")),
        ),
        follow_ups=(FollowUpRequest("Notes", None, url="https://h/n", response_paths=follow_up_path,
                                    target_variables="NoteId"),),
    )


def test_validate_warns_with_the_fix_where_records_are_mapped_only() -> None:
    """Contact fields map several records: a first-match query there is a trap. A follow-up
    output is one value: the same query there is what was meant."""
    query = 'data.#(phone=="{{.Phone}}").id'
    problems = [p for p in validate(_template(query, query)) if p.code.startswith("path-")]
    assert [(p.severity, p.code, p.location.section, p.location.field, p.location.column) for p in problems] == [
        ("warning", "path-first-match", "Contact Search", "Contact ID", 6)
    ]
    assert "#(phone==\"{{.Phone}}\")#" in problems[0].fix
