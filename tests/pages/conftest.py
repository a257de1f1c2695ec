import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.i18n import STRINGS
from ui.svg_template import SVG_NAMESPACE

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def app():
    """The whole app, first run done, on the home page."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    return at


def open_page(at, name):
    at.switch_page(str(APP.parent / "pages" / f"{name}.py")).run()
    assert not at.exception, at.exception
    return at


def open_gate(at, gate):
    """The weights lab with `gate`'s tab open: its tabs are lazy, so only the open gate's sliders,
    heatmaps and table exist (as a student clicks the tab)."""
    language = at.session_state["lang"] if "lang" in at.session_state else "en"
    at.session_state["weights_gate"] = STRINGS[language][f"gate_{gate}"]
    at.run()
    assert not at.exception, at.exception
    return at


def figures(at):
    """Every Plotly figure on the page, as the JSON the browser receives."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def diagrams(at):
    """Every cell diagram on the page (ui/svg_template.py's SVG, sent as markdown), parsed."""
    return [ET.fromstring(block.value) for block in at.markdown if 'class="lstm-diagram' in block.value]


def shown_values(at) -> dict[str, str]:
    """The numbers under the cell diagram (ui/value_grid.py), by value name, as the page writes them."""
    return {
        name: number
        for block in at.markdown
        for name, number in re.findall(r'data-value="(\w+)">.*?class="lstm-value-number">([^<]*)<', block.value)
    }


def diagram_texts(svg) -> str:
    """A diagram's texts as the student reads them, " | " between them."""
    return " | ".join("".join(text.itertext()) for text in svg.iter(f"{{{SVG_NAMESPACE}}}text"))


def part(svg, data_id: str):
    """The element of a diagram with this data-id."""
    return next(element for element in svg.iter() if element.get("data-id") == data_id)


def annotation_texts(figure):
    return " ".join(a.get("text", "") for a in figure["layout"].get("annotations", []))


def array(value):
    """A figure's data array as numpy: Plotly sends numpy arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return data.reshape([int(n) for n in str(shape).split(",")]) if shape else data
    return np.asarray(value)


def stepper_chart(at):
    """The stepper's heatmaps figure (ui/stepper_figure.py): six heatmaps, static."""
    from ui.stepper_figure import HEATMAPS_META

    return next(f for f in figures(at) if (f["layout"].get("meta") or {}).get("name") == HEATMAPS_META)


def stepper_panels(at):
    """The stepper's panels figure: the bars and the prediction, a frame per column."""
    from ui.stepper_figure import PANELS_META

    return next(f for f in figures(at) if (f["layout"].get("meta") or {}).get("name") == PANELS_META)


def component_data(at, name: str) -> dict:
    """The data the page gave its `st.components.v2` component whose name holds `name`."""
    import json

    for element in at.get("bidi_component"):
        proto = element.proto
        if name in proto.component_name:
            return json.loads(proto.json)
    raise AssertionError(f"no {name} component on the page")


def stepper_controls(at) -> dict:
    """The data the page gave its step controls (ui/step_sync.py): column labels, the first column."""
    return component_data(at, "step_sync")
