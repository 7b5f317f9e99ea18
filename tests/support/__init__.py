"""What several test modules share, in one place (no test module imports another).

``support.images`` builds PNG/JPEG headers, ``support.sandbox_api`` drives the sandbox's vendor
APIs over HTTP, ``support.notebooks`` executes a notebook on this interpreter's kernel.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
NOTEBOOKS = ROOT / "notebooks"
