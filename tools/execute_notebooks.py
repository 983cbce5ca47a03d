"""Run notebooks top to bottom in a fresh kernel and store them as the course keeps them.

    python tools/execute_notebooks.py notebooks/05_backpropagation.ipynb [more.ipynb ...]

For each notebook: execute every cell in a fresh "python3" kernel (cells run in order, so the
execution counts are 1, 2, 3, ...), record the kernelspec the course's environment provides (so
opening the notebook in JupyterLab does not mark it as changed), strip widget state and volatile
metadata (nbstripout --keep-output --keep-count), and print the run time. Then regenerate the
learner edition (tools/learner_edition.py) and run the hygiene check beside the repository.
"""

import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # seconds per cell; turns a rare kernel hang on a widget cell into an error to rerun


def kernelspec():
    """The metadata.kernelspec JupyterLab writes for this environment's python3 kernel."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def execute(path):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nb.metadata["kernelspec"] = kernelspec()
    nbformat.write(nb, path)
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(path)], check=True)
    return seconds


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    for name in paths:
        path = Path(name).resolve()
        print(f"{path.name}: executed in {execute(path):.1f} s", flush=True)
    subprocess.run([sys.executable, str(ROOT / "tools" / "learner_edition.py")], check=True)
    nbcheck = ROOT.parent / "shared" / "tools" / "nbcheck.py"
    if nbcheck.exists():
        return subprocess.run([sys.executable, str(nbcheck), *paths]).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
