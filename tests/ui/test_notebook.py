"""The workbench notebook, executed headlessly with nbclient against its own sandbox: it must
run, show what a user would see (users, the matched contact, the call trace, the export), and
leak no secret into any output or the saved widget state."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest
from support import notebooks as nbrun

from hdkit.sandbox.accounts import AGENT_COUNT, DEMO
import support

NOTEBOOK = support.NOTEBOOKS / "01-workbench.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    cwd = tmp_path_factory.mktemp("notebook")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbrun.execute(nb, cwd, timeout=45, store_widget_state=True)
    return nb, cwd


def _outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Each code cell's outputs as one text (streams, plain text and HTML reprs)."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for out in cell.outputs:
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/html", "")]
        texts.append("\n".join(parts))
    return texts


def test_notebook_shows_the_workbench_and_each_result(executed) -> None:
    nb, cwd = executed
    outs = _outputs(nb)
    widget_views = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widget_views, "the workbench widget was displayed"
    assert ("General (1) | error: freshdesk.xml: General > Helpdesk Name: line 2, column 1: Helpdesk Name is required"
            in outs[1])  # located at the line of the file the sample came from
    assert "at most 5 custom fields are allowed" in outs[2] and "Add disabled: False" in outs[2]
    assert f"<UsersResult {AGENT_COUNT} users" in outs[3] and "UserUniqueId" in outs[3]
    assert "<table" in outs[3]  # the users DataFrame rendered as a table
    assert "Ada Lovelace" in outs[4] and "PopupUrl" in outs[4]
    assert "Search Contacts" in outs[5] and "200" in outs[5]
    assert "+14155550123" in outs[6] and "Contacts" in outs[6]  # the format matrix
    assert "Create Contacts" in outs[7] and "CallJournal" in outs[7]
    assert "exported to freshdesk-edited.xml" in outs[8] and outs[8].rstrip().endswith("True")
    assert "Freshdesk (edited in the workbench)" in (cwd / "freshdesk-edited.xml").read_text(encoding="utf-8")
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_no_secret_in_outputs_or_widget_state(executed) -> None:
    nb, cwd = executed
    key = DEMO["freshdesk"]["api_key"]
    forms = [key, base64.b64encode(f"{key}:X".encode()).decode()]
    saved = json.dumps(nb)  # every output and the stored widget state
    assert "widgets" in nb.metadata and "Ada Lovelace" in saved
    assert not [f for f in forms if f in saved]
    assert not [f for f in forms if f in (cwd / "freshdesk-edited.xml").read_text(encoding="utf-8")]
