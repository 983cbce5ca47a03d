"""The running JupyterLab really applies the course's settings (jupyter/overrides.json)."""

import os

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(bool(os.environ.get("E2E_COMMS_OVER_SUBSHELLS")), reason="overridden on purpose")
def test_widget_comms_are_not_sent_to_subshells(lab_server):
    setting = lab_server.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:kernels-settings")
    # overrides.json changes the schema's default; no user setting changes it back
    assert setting["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"
    assert setting["settings"].get("commsOverSubshells", "disabled") == "disabled"


def test_no_news_or_update_toast(lab_server):
    setting = lab_server.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    properties = setting["schema"]["properties"]
    assert properties["fetchNews"]["default"] == "false" and properties["checkForUpdates"]["default"] is False
