"""The PBX's words are written once (hdkit.vocabulary); these pin that every user agrees."""

from __future__ import annotations

import dataclasses

import pytest

from hdkit import vocabulary
from hdkit.errors import Location, ModelError
from hdkit.model import (
    ContactFields,
    ContactSearch,
    ContactType,
    CreationType,
    CustomField,
    FollowUpRequest,
    Header,
    Output,
    Template,
    UserFields,
    field_info,
)
from hdkit.validate import validate


def test_contact_and_user_variables_cover_the_mapping_fields_in_form_order() -> None:
    assert list(vocabulary.CONTACT_VARIABLES) == [f.name for f in dataclasses.fields(ContactFields)]
    assert list(vocabulary.USER_VARIABLES) == [f.name for f in dataclasses.fields(UserFields)]
    assert vocabulary.CONTACT_VARIABLES["contact_id"] == vocabulary.CONTACT_ID_ALIASES[0]


def test_the_templates_sections_are_the_vocabularys_in_form_order() -> None:
    titles = [field_info(Template, f.name).title for f in dataclasses.fields(Template) if f.name != "file"]
    assert sorted(titles) == sorted(vocabulary.SECTIONS)
    assert set(vocabulary.PREDEFINED_VARIABLES) <= set(vocabulary.SECTIONS)


def test_the_refresh_token_is_known_to_the_refresh_request_only() -> None:
    assert "RefreshToken" in vocabulary.PREDEFINED_VARIABLES[vocabulary.AUTHENTICATION]
    assert vocabulary.AUTH_VARIABLES < vocabulary.REFRESH_VARIABLES
    others = {s: v for s, v in vocabulary.PREDEFINED_VARIABLES.items() if s != vocabulary.AUTHENTICATION}
    assert all("RefreshToken" not in names and vocabulary.AUTH_VARIABLES <= names for names in others.values())


@pytest.mark.parametrize(("cls", "label"), [
    (ContactType, "Contact Type 2"), (CreationType, "Contact Type 2"), (FollowUpRequest, "Request 2"),
    (CustomField, "Custom Field 2"), (Header, "Header 2"), (Output, "Output 2"),
])
def test_list_items_are_labelled_by_their_class(cls: type, label: str) -> None:
    assert cls.label(2) == label  # type: ignore[attr-defined]


def test_validation_and_the_model_label_a_list_item_alike() -> None:
    """A second contact type with no name: validation and a model error name the same item."""
    template = Template(contact_search=ContactSearch(contact_types=(ContactType("A", "https://a"), ContactType())))
    fields = {p.location.field for p in validate(template) if p.location.section == vocabulary.CONTACT_SEARCH}
    assert "Contact Type 2 > Contact Type" in fields
    with pytest.raises(ModelError) as info:
        Template(follow_ups=({"name": "a"}, {"name": 3}))  # type: ignore[arg-type]
    assert info.value.location == Location(vocabulary.FOLLOW_UPS, "Request 2 > Name")
