"""Opening a notebook in JupyterLab must not change it (so a later git pull never refuses to run).

JupyterLab rewrites metadata.kernelspec to the kernel it starts; stored notebooks therefore carry
exactly what the course's environment provides (jupyter kernelspec list --json).
"""

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb")) + sorted(ROOT.glob("exercises/[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_stored_kernelspec_is_the_one_the_environment_provides(path):
    spec = KernelSpecManager().get_kernel_spec("python3")
    stored = nbformat.read(path, as_version=4).metadata.get("kernelspec", {})
    assert stored == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
