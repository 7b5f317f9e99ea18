"""The file's own unit: a request, with every parameter and output it holds.

A template file's ``<Request>`` is the one home of everything the PBX sends and reads: method,
URL, body, every other ``<Parameter>`` (request headers, anything else) in file order with all
its attributes, every ``<Output>`` with all its attributes, ``Next``, and any other attribute
(``Weight``, ``RequestEncoding``). The body is a field of its own rather than one of the
parameters: it is what forms, samples and the engine use, and the file's name for it
(``Data``) and its place among the parameters are spelling, which the XML adapter keeps.

Each scenario has its own request class only because its form titles the fields differently
and shows different ones (a contact type's outputs are the Contact Field Mapping's business;
a creation type shows its own); the fields and their meaning are the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, ClassVar

from hdkit.model.base import (
    Part,
    Unrecognized,
    check_attrs,
    fld,
    model,
    split_list,
    view,
)
from hdkit.model.enums import FollowUpEvent
from hdkit.vocabulary import (
    CONTACT_CREATION,
    CONTACT_SEARCH,
    FOLLOW_UPS,
)

__all__ = ["Attrs", "ContactType", "CreationType", "FollowUpRequest", "Output", "Param", "Request",
           "with_paths"]

Attrs = tuple[tuple[str, str], ...]
JSON = "application/json"


def _attrs() -> Any:
    return fld("Other Attributes", (), hidden=True,
               help="Attributes of the element hdkit has no field for, in file order (Weight, Type...).")


@model
class Param(Part):
    """One ``<Parameter>`` of a request other than its body: a header, or whatever else it is."""

    ITEM: ClassVar[str] = "Parameter"
    name: str = fld("Name", "", required=True, example="X-Api-Version")
    value: str = fld("Value", "")
    type: str = fld("Type", "", help="Header is sent as a request header; other types are kept as written.")
    attrs: Attrs = _attrs()

    def _check(self) -> None:
        check_attrs(self.attrs, ("Name", "Value", "Type"), self._where("attrs"))


@model
class Output(Part):
    """A response value kept as variable ``name``, picked with a GJSON path."""

    ITEM: ClassVar[str] = "Output"
    name: str = fld("Variable", "", required=True)
    path: str = fld("Path", "")
    attrs: Attrs = _attrs()

    def _check(self) -> None:
        check_attrs(self.attrs, ("Name", "Path"), self._where("attrs"))


def with_paths(outputs: tuple[Output, ...], paths: Mapping[str, str],
               aliases: Mapping[str, tuple[str, ...]] | None = None) -> tuple[Output, ...]:
    """``outputs`` with each variable's path set: the output that holds it is edited in place
    (the last one, as reading lets the last win), a new one is added only for a non-empty path,
    and no output is removed (a cleared mapping is an empty ``Path``, "not mapped")."""
    out = list(outputs)
    for variable, path in paths.items():
        names = (aliases or {}).get(variable, (variable,))
        found = [i for i, o in enumerate(out) if o.name in names]
        if found:
            if out[found[-1]].path != path:
                out[found[-1]] = dataclasses.replace(out[found[-1]], path=path)
        elif path:
            out.append(Output(variable, path))
    return tuple(out)


class _Request(Part):
    """What every request class shares: its headers and outputs as the engine uses them."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields every request class declares
        name: str
        url: str
        method: str
        body: str
        params: tuple[Param, ...]
        outputs: tuple[Output, ...]
        next: str
        response_type: str
        attrs: Attrs

    def header_params(self) -> list[tuple[str, str]]:
        """Request-level headers (``<Parameter Type="Header">``), in file order."""
        return [(p.name, p.value) for p in self.params if p.type.lower() == "header"]

    def other_params(self) -> list[Param]:
        """Parameters that are neither a header nor the body: kept, but nothing sends them."""
        return [p for p in self.params if p.type.lower() != "header"]

    def pairs(self) -> list[tuple[str, str]]:
        """(variable, path) of every output that names both, in order."""
        return [(o.name, o.path) for o in self.outputs if o.name and o.path]

    def mapping(self) -> dict[str, str]:
        """Variable -> path of every named output (an empty path is "not mapped"); the last wins."""
        return {o.name: o.path for o in self.outputs if o.name}

    def _check(self) -> None:
        check_attrs(self.attrs, ("Name", "Method", "URLFormat", "ResponseType"), self._where("attrs"))


def _params() -> Any:
    return fld("Parameters", (), hidden=True,
               help="Every <Parameter> of the request but its body, in file order (Type=Header is sent).")


def _response_type() -> Any:
    return fld("Response Type", JSON, hidden=True)


def method_help(default: str) -> str:
    """The Request Method of a scenario's request, explained as the product explains it."""
    return (f"The HTTP method of the request. The product's form sends {default}; another method is set here, "
            "as by editing the template.")


def _method(default: str) -> Any:
    return fld("Request Method", default, example=default, help=method_help(default))


@model
class Request(_Request):
    """A request of a scenario, as the file has it (a journal's, a ticket's, the user list's)."""

    ITEM: ClassVar[str] = "Request"
    name: str = fld("Name", "", example="CallJournal")
    url: str = fld("URL", "", required=True)
    method: str = _method("GET")
    body: str = fld("Request Body", "")
    params: tuple[Param, ...] = _params()
    outputs: tuple[Output, ...] = fld("Outputs", ())
    next: str = fld("Next Request", "")
    response_type: str = _response_type()
    attrs: Attrs = _attrs()


@model
class ContactType(_Request):
    """A contact search request: one per contact type, each with its own outputs."""

    SECTION: ClassVar[str] = CONTACT_SEARCH
    ITEM: ClassVar[str] = "Contact Type"
    name: str = fld("Contact Type", "", required=True, example="Contacts",
                    help="The name of the contact type; it is offered for automatic contact synchronization "
                         "when users configure the integration.")
    url: str = fld("Contact Match Query URL", "", required=True,
                   example="https://www.api.example.com/v1/contacts?phone={{UrlEncode .Phone}}",
                   help="The Helpdesk API request URL used to search for contacts: {{.Phone}} is the number of the "
                        "call (or the one entered for searching); the integration's inputs can be used too.")
    method: str = _method("GET")
    next: str = fld("Next Request", "", help="A follow-up to run once per matched contact.")
    body: str = fld("Request Body", "", help="Not offered by the product form; sent as written.")
    params: tuple[Param, ...] = _params()
    outputs: tuple[Output, ...] = fld("Outputs", (), hidden=True,
                                      help="Shown and edited as the Contact Field Mapping.")
    response_type: str = _response_type()
    attrs: Attrs = _attrs()


@model
class CreationType(_Request):
    """A contact creation request: one per contact type that can be created."""

    SECTION: ClassVar[str] = CONTACT_CREATION
    ITEM: ClassVar[str] = "Contact Type"
    name: str = fld("Contact Type", "", required=True, example="Contacts",
                    help="The type of the contact, offered to users when they configure the integration.")
    url: str = fld("Contact Creation URL (POST)", "", required=True, example="https://www.api.example.com/v1/Contacts",
                   help="The Helpdesk API request URL used to create a new contact.")
    body: str = fld("Contact Creation Request Body", "",
                    example='{ "data": [ { "Last_Name": "{{.LastName}}", "First_Name": "{{.FirstName}}", '
                            '"Phone": "{{.BusinessNumber}}" } ] }',
                    help="The request body (JSON) passing the contact information: {{.LastName}}, {{.FirstName}} "
                         "and {{.BusinessNumber}} are required; the integration's inputs can be used too.")
    method: str = _method("POST")
    outputs: tuple[Output, ...] = fld("Outputs", (), help="Response values kept, e.g. ContactId.")
    params: tuple[Param, ...] = _params()
    next: str = fld("Next Request", "", hidden=True)
    response_type: str = _response_type()
    attrs: Attrs = _attrs()


@model
class FollowUpRequest(_Request):
    """A request fired by a system event, or reached by name through another request's ``next``.

    Its Response Field Path and Target Variable Name are views of its outputs (paired in order;
    an unpaired path or variable is an output with an empty name or path).
    """

    SECTION: ClassVar[str] = FOLLOW_UPS
    ITEM: ClassVar[str] = "Request"
    name: str = fld("Name", "", required=True, example="GetIdentities")
    event: FollowUpEvent | Unrecognized | None = fld(
        "Triggered Event", None, example="Call Ended",
        help="The system event that triggers this request (none: it only runs as another request's next step).")
    method: str = fld("Request Method", "GET", example="POST", help="The HTTP method of the API request.")
    url: str = fld("URL", "", required=True, example="https://api.example.com/rest-services/login",
                   help="The endpoint URL of the subsequent operation.")
    headers: str = fld("Headers", "", example='{"Content-Type":"application/json", "X-Custom-Header": "{{.DynamicValue}}"}',
                       help="The HTTP headers of the request as a JSON object; {{.varname}} inserts dynamic values.")
    body: str = fld("Request Body", "",
                    example='{"lastName":"{{.LastName}}","ownerId":"{{.Id}}","phone":"{{.BusinessNumber}}"}',
                    help="The data payload of the request as a JSON object; {{.varname}} inserts dynamic values.")
    response_paths: str = view(
        "Response Field Path", example="$.data.access_token, $.tokens[0].value",
        help="The JSON paths extracting data from the response of this request, separated by commas.")
    target_variables: str = view(
        "Target Variable Name", example="token,refresh",
        help="The variables that store the extracted values, separated by commas, in the order of the paths.")
    next: str = fld("Next Request", "", help="A follow-up to run once per matched record.")
    params: tuple[Param, ...] = _params()
    outputs: tuple[Output, ...] = fld("Outputs", (), hidden=True)
    response_type: str = _response_type()
    attrs: Attrs = _attrs()

    def _get_response_paths(self) -> str:
        return ",".join(o.path for o in self.outputs if o.path)

    def _get_target_variables(self) -> str:
        return ",".join(o.name for o in self.outputs if o.name)

    def _put_response_paths(self, text: str) -> None:
        from hdkit.extract import split_paths  # GJSON-aware: commas inside a filter do not split

        self._pair([o.name for o in self.outputs if o.name], split_paths(text))

    def _put_target_variables(self, text: str) -> None:
        self._pair(split_list(text), [o.path for o in self.outputs if o.path])

    def _pair(self, names: list[str], paths: list[str]) -> None:
        """Outputs from names and paths paired in order, each keeping its old attributes."""
        old = self.outputs
        self._set(outputs=tuple(
            Output(name or "", path or "", old[i].attrs if i < len(old) else ())
            for i, (name, path) in enumerate(zip_longest(names, paths))
        ))

    def paths(self) -> list[str]:
        """The response field paths, in order."""
        return [o.path for o in self.outputs if o.path]

    def variables(self) -> list[str]:
        """The target variable names, in order."""
        return [o.name for o in self.outputs if o.name]
