"""The analysis package stays free of Flask, SQLAlchemy and the database.

``improvement/__init__.py`` imports Flask for ``create_app``, so importing
``improvement.analysis`` normally drags Flask in. This test imports the analysis modules
in a fresh interpreter with the parent package replaced by a bare namespace, and fails
if any of them pulls in the web or database stack itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys, types
package = types.ModuleType("improvement")
package.__path__ = [sys.argv[1]]
sys.modules["improvement"] = package
import improvement.analysis.assessment
import improvement.analysis.caseworkers
import improvement.analysis.followup
import improvement.analysis.outcomes
import improvement.analysis.pdsa
import improvement.analysis.ratings
forbidden = ("flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "jinja2")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
if loaded:
    raise SystemExit("analysis imports " + ", ".join(loaded))
"""


def test_analysis_modules_import_without_flask_or_sqlalchemy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(ROOT / "improvement")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr or result.stdout
