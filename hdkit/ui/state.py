"""The one place the workbench's state lives: the current :class:`~hdkit.model.Template`.

Forms never keep their own copy of the template. A field edit names the *path* of the value it
changed (``("auth", "custom_fields", 0, "name")``) and :meth:`Store.edit` rebuilds the template
along that path with ``hdkit.model.replace``, so the model checks every edit exactly as it
checks a file: a wrong type or a 6th custom field raises, and the store keeps the template it had
and hands the message back. Every accepted edit re-validates (``problems``) and then bumps
``revision``, the trait views observe. A view that rebuilds widgets for an edit (a list's Add)
makes the edit inside ``hold_trait_notifications()``, so observers see the new widgets.
"""

from __future__ import annotations

from typing import Any

import traitlets

from hdkit.errors import HdkitError, Location
from hdkit.model import Template, field_info
from hdkit.model import replace as model_replace
from hdkit.problems import Problem
from hdkit.validate import validate

__all__ = ["Path", "Store", "get_at", "replace_at"]

Path = tuple[str | int, ...]


def get_at(obj: Any, path: Path) -> Any:
    """The value at ``path`` (attribute names and tuple indexes) inside ``obj``."""
    for step in path:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


def replace_at(obj: Any, path: Path, value: Any) -> Any:
    """A copy of ``obj`` with ``value`` at ``path``; every level is rebuilt, so the model checks it.

    Each level is rebuilt with :func:`hdkit.model.replace`, so a view along the path (a journal's
    URL, the Contact Field Mapping) writes the requests it reads, and nothing else.
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(obj)
        items[head] = replace_at(items[head], rest, value)
        return tuple(items)
    return model_replace(obj, **{head: replace_at(getattr(obj, head), rest, value)})


class Store(traitlets.HasTraits):
    """Holds the current template and its problems; ``edit`` is the only way to change it.

    ``refusals`` are values a person typed that the model refused (``"abc"`` for a number):
    the box keeps showing what was typed, so until it is fixed (or the field is edited back)
    the refusal is an error like any other, in :attr:`all_problems`, the Problems panel, the
    tab's count, and what blocks Export and Try: the template does not hold what the form shows.
    """

    template = traitlets.Instance(Template)
    problems: traitlets.List[Any] = traitlets.List()
    refusals: traitlets.Dict[Any, Any] = traitlets.Dict(help="path -> the Problem saying what typed value was refused and why")
    revision = traitlets.Int(0, help="Bumped after every accepted edit, once problems are current.")

    def __init__(self, template: Template) -> None:
        super().__init__(template=template, problems=validate(template))

    @traitlets.observe("template")
    def _revalidate(self, change: dict[str, Any]) -> None:
        self.problems = validate(change["new"])

    def load(self, template: Template) -> None:
        """Replace the whole template (a sample or a file was opened)."""
        self.refusals = {}
        self.template = template
        self.revision += 1

    def get(self, path: Path) -> Any:
        return get_at(self.template, path)

    def edit(self, path: Path, value: Any) -> HdkitError | None:
        """Set ``value`` at ``path``; the model's refusal is returned (the template is unchanged).

        An accepted edit clears the refusals at and below ``path`` (the value there is the
        template's again). An edit of a list (items added, removed or moved) drops the opened
        file's line numbers of its section: item n would point where another item stood.
        """
        try:
            template = replace_at(self.template, path, value)
        except HdkitError as err:
            return err
        if template.file is not None and path and isinstance(value, tuple):  # items added, removed, moved
            template = model_replace(template, file=template.file.edited(field_info(Template, str(path[0])).title))
        self.template = template
        if self.refusals:
            self.refusals = {p: r for p, r in self.refusals.items() if p[: len(path)] != path}
        self.revision += 1
        return None

    def refuse(self, path: Path, location: Location, typed: Any, reason: str) -> None:
        """Record that ``typed``, shown in the box at ``path``, was refused for ``reason``."""
        current = self.get(path)
        kept = "nothing" if current in (None, "") else repr(getattr(current, "label", current))
        problem = Problem("error", f"{typed!r} is not applied ({reason}); the template still holds {kept}",
                          location, fix="correct the value, or put back what the template holds",
                          code="refused")
        self.refusals = {**self.refusals, path: problem}
        self.revision += 1

    @property
    def all_problems(self) -> list[Problem]:
        """Refused values first, then every validation problem."""
        return [*self.refusals.values(), *self.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.all_problems if p.is_error]
