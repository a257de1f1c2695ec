"""Every widget keyed to a link parameter is sent with the session's value as its default.

A browser that mounts a widget only after a later run's message arrived (a click during the
first run, on a loaded server) starts the widget from the default it is sent and returns that
value with the next rerun. With no default, the sidebar's sentence came back empty and the
stepper showed "Fix the input" (found by the SVG-export browser test under load). These tests
read the default in the message the browser receives.
"""

from ui.cell_presets import DEFAULTS as CELL_DEFAULTS

from .conftest import APP, open_page

FROM_THE_LINK = {
    "lang": "zh",
    "text": "你好啊",
    "vocab": "你好啊",
    "hidden": "5",
    "seed": "3",
    "init": "zeros",
    "ract": "hard_sigmoid",
    "act": "relu",
    "ufb": "0",
    "preset": "trained",
    "layout": "keras",
}
SERIES_LINK = {"input": "series", "series": "step", "length": "30"}


def falls_back_to_its_value(widget) -> bool:
    """The default the browser would fall back to is the widget's (the session's) value."""
    proto = widget.proto
    if type(widget).__name__ in ("Selectbox", "Radio"):
        return proto.default == widget.index
    return sent_default(widget) == widget.value


def sent_default(widget):
    """The default the browser falls back to, as the widget's value type."""
    proto = widget.proto
    kind = type(widget).__name__
    if kind == "Slider":
        return type(widget.value)(proto.default[0])
    if kind == "NumberInput":
        return type(widget.value)(proto.default)
    return proto.default


def widget(at, key):
    for kind in ("text_input", "slider", "number_input", "selectbox", "radio", "checkbox"):
        found = [w for w in at.get(kind) if w.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no widget keyed {key}")


def open_link(query: dict, page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return open_page(at, page) if page else at


def test_the_sidebar_s_widgets_fall_back_to_the_link_s_values():
    at = open_link(FROM_THE_LINK)
    for key in FROM_THE_LINK.keys() - {"lang"}:
        assert widget(at, key).value == at.session_state[key] and falls_back_to_its_value(widget(at, key)), key
    (switch,) = at.get("button_group")
    assert switch.proto.options[switch.proto.default[0]].content.endswith("中文")
    at = open_link(SERIES_LINK)
    for key in SERIES_LINK:
        assert falls_back_to_its_value(widget(at, key)), key


def test_after_a_change_the_fallback_is_the_new_value_not_the_link_s():
    at = open_link(FROM_THE_LINK)
    at.text_input(key="text").set_value("你好").run()
    at.slider(key="hidden").set_value(7).run()
    assert sent_default(widget(at, "text")) == "你好"
    assert sent_default(widget(at, "hidden")) == 7


def test_the_cell_page_s_sliders_and_preset_fall_back_to_the_link_s_values():
    query = {"cell_preset": "remember", "cell_x": "0.35", "cell_Wf": "-1.5", "cell_peephole": "1", "cell_pf": "2.0"}
    at = open_link(query, "cell")
    assert widget(at, "cell_preset").value == "remember" and falls_back_to_its_value(widget(at, "cell_preset"))
    assert widget(at, "cell_peephole").value is True and falls_back_to_its_value(widget(at, "cell_peephole"))
    assert widget(at, "cell_pf").value == 2.0
    for key in CELL_DEFAULTS:
        assert falls_back_to_its_value(widget(at, f"cell_{key}")), key
    assert widget(at, "cell_x").value == 0.35
