"""The learner edition (exercises/): generated from notebooks/, committed, and runnable as is.

A learner opens exercises/NN_*.ipynb and runs every cell before writing anything: each check must
then say "not attempted yet", and nothing else may fail (cells after an exercise use the
course_utils reference, never the learner's function).
"""

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import learner_edition  # noqa: E402  (tools/ is not a package)

LEARNER_NOTEBOOKS = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = "check("


def test_the_learner_edition_is_what_the_generator_writes(capsys):
    assert learner_edition.main(["--check"]) == 0, capsys.readouterr().out
    instructor = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [p.name for p in LEARNER_NOTEBOOKS] == instructor


def test_solution_regions_become_stubs():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    y = 2 * x\n    ### END SOLUTION\n    return y"
    stub = learner_edition.strip_solutions(source, "5.2", "test")
    assert stub == 'def f(x):\n    raise NotImplementedError("Exercise 5.2: your code here")\n    return y'
    with pytest.raises(ValueError, match="without"):
        learner_edition.strip_solutions("### BEGIN SOLUTION\nx = 1", "5.2", "test")


@pytest.mark.parametrize("path", LEARNER_NOTEBOOKS, ids=[p.stem for p in LEARNER_NOTEBOOKS])
def test_a_learner_notebook_runs_and_every_check_says_not_attempted(path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "outputs must be cleared"
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    problems = []
    stubs = sum(c.source.count("NotImplementedError(\"Exercise") for c in nb.cells if c.cell_type == "code")
    checks = sum(c.source.lstrip().startswith(CHECK_CALL) for c in nb.cells if c.cell_type == "code")
    if checks != stubs:
        problems.append(f"{stubs} exercise stubs but {checks} check cells: every exercise needs its check")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            problems.append(f"cell {index} raised {errors[0].ename}: {errors[0].evalue}")
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        if cell.source.lstrip().startswith(CHECK_CALL) and "not attempted yet" not in text:
            problems.append(f"cell {index} ({cell.source.strip()[:60]}) does not say 'not attempted yet': {text!r}")
    assert not problems, "\n".join(problems)
