"""hdkit's JupyterLab workbench: ipywidgets forms as thin views over the template model.

The only package that imports ipywidgets. ``Workbench`` is the whole (section tabs, Try it,
Export, live problems); the pieces are usable alone: ``Store`` (the one place state lives),
``SectionTab``/``Form``/``ListForm`` (forms built from the model's fields), ``InputsForm``
(custom field values, kept apart from the template) and ``TryPanel`` (engine buttons and
result DataFrames).
"""

from hdkit.ui.forms import Form, ListForm, SectionTab
from hdkit.ui.inputs import InputsForm
from hdkit.ui.state import Store
from hdkit.ui.tryit import TryPanel
from hdkit.ui.workbench import Workbench

__all__ = ["Form", "InputsForm", "ListForm", "SectionTab", "Store", "TryPanel", "Workbench"]
