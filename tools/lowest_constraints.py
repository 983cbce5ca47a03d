"""Print pip constraints pinning each direct dependency of course_utils to its lowest allowed version.

    python tools/lowest_constraints.py > /tmp/lowest.txt
    pip install -c /tmp/lowest.txt -e ".[test]"

Reads [project].dependencies of pyproject.toml; a bound "numpy>=1.24" becomes "numpy==1.24". CI
installs these into a second environment and runs the tests there, so the lower bounds that
pyproject.toml declares are versions the course is known to work with.
"""

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,.*)?$")


def lowest_constraints(pyproject=PYPROJECT):
    """['numpy==1.24', ...] for every dependency with a '>=' lower bound."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        match = LOWER_BOUND.match(requirement)
        if not match:
            raise ValueError(f"dependency {requirement!r} has no '>=' lower bound to test")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


if __name__ == "__main__":
    print("\n".join(lowest_constraints()))
    sys.exit(0)
