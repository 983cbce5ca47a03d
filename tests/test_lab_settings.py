"""The course's JupyterLab settings are installed where JupyterLab reads its defaults."""

import json
import sys
from pathlib import Path


def test_widget_comms_run_on_the_kernel_main_thread():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file(), f"{installed} is missing: install with pip install -r requirements.txt"
    settings = json.loads(installed.read_text())
    assert settings["@jupyterlab/apputils-extension:kernels-settings"]["commsOverSubshells"] == "disabled"
    # no "get notified about Jupyter news?" toast over the first notebook
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    shipped = json.loads((Path(__file__).parent.parent / "jupyter" / "overrides.json").read_text())
    assert settings == shipped
