"""The Export and Code pages: every download is offered, the chart format reaches every chart,
and the code shown is generated from the model the sidebar describes."""

import json
import xml.etree.ElementTree as ET

from ui import inputs
from ui import model as demo
from ui.code_view import FRAMEWORKS, SNIPPETS, WEIGHTS_FILES

from .conftest import open_page

DOWNLOADS = [
    "Long CSV (one value per row)",
    "Wide CSV of f",
    "All six wide CSVs (ZIP)",
    "PyTorch · .safetensors",
    "Keras · .weights.h5",
    "NumPy · .npz",
    "JSON",
    "Stepper as HTML",
]


def labels(at):
    return [button.proto.label for button in at.get("download_button")]


def test_export_offers_every_file(app):
    at = open_page(app, "export")
    assert labels(at) == DOWNLOADS
    assert all(button.proto.deferred_file_id for button in at.get("download_button"))  # built on click
    assert "5 timesteps × 8 units × 6 quantities" in " ".join(c.value for c in at.caption)
    at.selectbox(key="export_quantity").set_value("c_tilde").run()
    assert "Wide CSV of c_tilde" in labels(at)


def test_export_shows_beside_each_weights_file_the_code_pages_snippet_that_loads_it(app):
    """One file per framework on both pages, and the same code beside it (a hard_sigmoid model:
    nn.LSTM cannot run it, so the PyTorch code is the written-out loop on the same file)."""
    app.slider(key="hidden").set_value(5).run()
    app.selectbox(key="ract").set_value("hard_sigmoid").run()
    at = open_page(app, "export")
    expanders = [e.label for e in at.expander if e.label.startswith("Code that loads")]
    assert expanders == [f"Code that loads {WEIGHTS_FILES[f]}" for f in FRAMEWORKS]
    export_code = [c.value for c in at.code]
    at = open_page(at, "code")
    assert export_code == [c.value for c in at.code]
    assert labels(at) == [WEIGHTS_FILES[f] for f in FRAMEWORKS]
    assert "for x_t in x[:, 0]" in export_code[0]


def test_the_image_format_reaches_every_chart_on_other_pages(app):
    at = open_page(app, "export")
    at.segmented_control(key="image_format").set_value("svg").run()
    for page in ("stepper", "gradients", "weights"):
        at = open_page(at, page)
        configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
        assert configs and all(c["toImageButtonOptions"]["format"] == "svg" for c in configs), page
        assert all(c["toImageButtonOptions"]["filename"].startswith("lstm_gate_lab_") for c in configs)


def test_the_cell_diagram_downloads_as_the_drawing_it_shows(app):
    from ui.diagram_view import standalone

    at = open_page(app, "cell")
    (markup,) = [block.value for block in at.markdown if 'class="lstm-diagram' in block.value]
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Download the diagram (SVG)"]
    drawing = ET.fromstring(standalone(markup))
    assert drawing.get("width") == "900" and drawing.get("height") == "500"
    assert [e.get("data-id") for e in drawing.iter()] == [e.get("data-id") for e in ET.fromstring(markup).iter()]


def test_a_long_series_goes_into_the_web_page_whole(app):
    app.radio(key="input").set_value("series").run()
    app.slider(key="length").set_value(2000).run()
    at = open_page(app, "export")
    assert not at.warning and not at.error and not at.exception  # block means, no cut (ui/display_grid.py)


def test_code_follows_the_sidebar_model_in_three_frameworks(app):
    app.slider(key="hidden").set_value(5).run()
    app.selectbox(key="ract").set_value("hard_sigmoid").run()
    at = open_page(app, "code")
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
    model = demo.build_model(demo.ModelSpec(hidden_size=5, recurrent_activation="hard_sigmoid"), prepared)
    expected = [SNIPPETS[name](model, prepared).strip() for name in ("pytorch", "keras", "numpy")]
    assert [code.value.strip() for code in at.code] == expected
    assert labels(at) == ["lstm_gate_lab.safetensors", "lstm_gate_lab.weights.h5", "lstm_gate_lab_tutorial.npz"]
    assert any("writes the cell's loop out" in c.value for c in at.caption)


def test_export_and_code_speak_chinese(app):
    app.button_group(key="lang").set_value("zh").run()
    at = open_page(app, "export")
    assert at.title[0].value == "导出" and "长表 CSV（每行一个数值）" in labels(at)
    at = open_page(at, "code")
    assert at.title[0].value == "代码" and not at.exception


def test_every_activation_choice_draws_every_page(app):
    """A hard_sigmoid model once failed to enter Streamlit's cache (its closures did not pickle)."""
    for key, name in [("ract", "hard_sigmoid"), ("ract", "hard_sigmoid_keras2"), ("act", "relu"), ("act", "linear")]:
        app.selectbox(key=key).set_value(name).run()
        for page in ("stepper", "cell", "weights", "export", "code"):
            at = open_page(app, page)
            assert not at.error, (name, page)
