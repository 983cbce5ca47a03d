"""Make the learner edition, exercises/, from the instructor edition, notebooks/.

    python tools/learner_edition.py           # (re)write exercises/*.ipynb
    python tools/learner_edition.py --check   # exit 1 if exercises/ is not what this would write

In each notebook, every solution region of a code cell,

        ### BEGIN SOLUTION
        ...
        ### END SOLUTION

becomes one line at the marker's indentation,

        raise NotImplementedError("Exercise 5.2: your code here")

where 5.2 comes from the nearest Markdown heading above that names the exercise
("### Exercise 5.2: write linear_backward").
Outputs and execution counts are cleared; everything else is left exactly as it is.
"""

import argparse
import difflib
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE, TARGET = ROOT / "notebooks", ROOT / "exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE_ID = re.compile(r"^#+ .*\bExercise (\d+\.\d+)", re.MULTILINE)


def strip_solutions(source, exercise_id, where):
    """The cell's source with each solution region replaced by a NotImplementedError stub."""
    lines, out, inside = source.split("\n"), [], False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"{where}, line {number}: {BEGIN} inside a solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("Exercise {exercise_id}: your code here")')
        elif stripped == END:
            if not inside:
                raise ValueError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def learner_notebook(path):
    """The learner edition of one notebook, as a NotebookNode, and the exercise IDs it holds."""
    nb = nbformat.read(path, as_version=4)
    exercise_id, ids = None, []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found = EXERCISE_ID.findall(cell.source)
            exercise_id = found[-1] if found else exercise_id
            continue
        if cell.cell_type != "code":
            continue
        if BEGIN in cell.source:
            where = f"{path.name}, cell {index}"
            if exercise_id is None:
                raise ValueError(f"{where}: a solution region with no heading 'Exercise N.k' in a Markdown cell "
                                 "above it")
            if exercise_id in ids:
                raise ValueError(f"{where}: exercise {exercise_id} has two solution cells; give each its own heading")
            cell.source = strip_solutions(cell.source, exercise_id, where)
            ids.append(exercise_id)
        cell.outputs = []
        cell.execution_count = None
    return nb, ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare with what exercises/ holds")
    args = parser.parse_args(argv)
    stale = []
    TARGET.mkdir(exist_ok=True)
    sources = sorted(SOURCE.glob("[0-9][0-9]_*.ipynb"))
    expected_names = {path.name for path in sources}
    for path in sources:
        nb, ids = learner_notebook(path)
        text = nbformat.writes(nb) + "\n"
        target = TARGET / path.name
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if text != current:
            stale.append(path.name)
            if args.check:
                diff = difflib.unified_diff(current.splitlines(), text.splitlines(), f"exercises/{path.name}",
                                            "regenerated", n=1, lineterm="")
                print("\n".join(list(diff)[:40]))
            else:
                target.write_text(text, encoding="utf-8")
        print(f"{path.name}: {len(ids)} exercise(s) {', '.join(ids)}" + (" (stale)" if path.name in stale else ""))
    extra = sorted({p.name for p in TARGET.glob("*.ipynb")} - expected_names)
    if extra:
        print(f"exercises/ holds notebooks with no instructor edition: {', '.join(extra)}")
        stale += extra
        if not args.check:
            for name in extra:
                (TARGET / name).unlink()
    if args.check and stale:
        print(f"\nthe learner edition is stale: {', '.join(stale)}. Run: python tools/learner_edition.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
