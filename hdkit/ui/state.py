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

from hdkit.errors import HdkitError
from hdkit.model import Template
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
    """Holds the current template and its problems; ``edit`` is the only way to change it."""

    template = traitlets.Instance(Template)
    problems = traitlets.List()
    revision = traitlets.Int(0, help="Bumped after every accepted edit, once problems are current.")

    def __init__(self, template: Template) -> None:
        super().__init__(template=template, problems=validate(template))

    @traitlets.observe("template")
    def _revalidate(self, change: dict[str, Any]) -> None:
        self.problems = validate(change["new"])

    def load(self, template: Template) -> None:
        """Replace the whole template (a sample or a file was opened)."""
        self.template = template
        self.revision += 1

    def get(self, path: Path) -> Any:
        return get_at(self.template, path)

    def edit(self, path: Path, value: Any) -> HdkitError | None:
        """Set ``value`` at ``path``; the model's refusal is returned (the template is unchanged)."""
        try:
            self.template = replace_at(self.template, path, value)
        except HdkitError as err:
            return err
        self.revision += 1
        return None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]
