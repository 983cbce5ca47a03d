"""Every explorer stores a static preview of its starting state (shown where no kernel runs)."""

import importlib
import pkgutil

import pytest

import course_utils.widgets as widget_package
from course_utils.widgets import _show, show_widget


def _makers():
    """(module, name) of every make_* function defined (not imported) in a widget module, except data makers."""
    found = []
    for module in pkgutil.iter_modules(widget_package.__path__):
        if module.name.startswith("_"):
            continue
        full = f"course_utils.widgets.{module.name}"
        for name, value in vars(importlib.import_module(full)).items():
            if name.startswith("make_") and getattr(value, "__module__", None) == full and "data" not in name:
                found.append((module.name, name))
    return sorted(found)


MAKERS = _makers()


@pytest.mark.parametrize("module,maker", MAKERS, ids=[f"{m}.{n}" for m, n in MAKERS])
def test_each_explorer_has_a_png_preview_and_a_note(module, maker, monkeypatch):
    w = getattr(importlib.import_module(f"course_utils.widgets.{module}"), maker)()
    png = _show.preview_png(w)
    assert png is not None and png.startswith(b"\x89PNG"), f"{maker}: its function must return its figure"
    shown = []
    monkeypatch.setattr(_show, "display", lambda bundle, raw: shown.append(bundle))
    show_widget(w)
    (bundle,) = shown
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    assert bundle["text/plain"] == _show.NOTE and "interactive(" not in bundle["text/plain"]
