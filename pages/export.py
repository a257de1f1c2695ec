"""Export: take the numbers out. The current trace as CSV (long and wide), the weights as the
one file each of PyTorch, Keras and NumPy loads (with the Code page's code that loads it) and as
JSON, the charts as PNG or SVG, and the stepper as one HTML file that opens without the app.

Files are built when a button is pressed (a callable `data`, on Streamlit's own thread) and
cached on (weights, input), so a page visit costs nothing and a second click is instant.
"""

import streamlit as st

from lstm_core.saving import lstm_layer, to_json
from ui import code_view, exports, labels
from ui.chart_config import IMAGE_FORMATS
from ui.code_comments import in_language
from ui.code_view import FRAMEWORKS, SNIPPETS, WEIGHTS_FILES
from ui.display_grid import display_grid
from ui.language import tr
from ui.model import QUANTITIES, fingerprint
from ui.session import required_demo, run
from ui.shell import ensure_shell
from ui.step_sync import controls_data
from ui.stepper_figure import column_labels, stepper_specs

ensure_shell()

t = tr()
st.title(t("page_export"))
st.caption(t("export_intro"))
demo = required_demo(t)

prepared, model = demo.prepared, demo.current
result = run(model, demo)
T, H = prepared.length, lstm_layer(model).hidden_size
key = (fingerprint(model), demo.input_key)
titles = labels.quantity_titles(t)
if demo.is_edited:
    st.info(t("using_edited_weights"))


@st.cache_data(max_entries=16, show_spinner=False)
def long_csv(key: tuple[str, str], _result, tokens: tuple[str, ...]) -> bytes:
    return exports.to_csv_bytes(exports.trace_long(_result, tokens))


@st.cache_data(max_entries=32, show_spinner=False)
def wide_csv(key: tuple[str, str], _result, tokens: tuple[str, ...], gate: str) -> bytes:
    return exports.to_csv_bytes(exports.trace_wide(_result, tokens, gate))


@st.cache_data(max_entries=16, show_spinner=False)
def wide_zip(key: tuple[str, str], _result, tokens: tuple[str, ...]) -> bytes:
    return exports.wide_zip(_result, tokens)


@st.cache_data(max_entries=32, show_spinner=False)
def weights_file(key: tuple[str, str], _model, kind: str, layout: str) -> bytes:
    """`kind`: a framework of the Code page (its one file), or "json" in the sidebar's `layout`."""
    return to_json(_model, layout) if kind == "json" else code_view.weights_file(_model, kind)


@st.cache_data(max_entries=8, show_spinner=False)
def stepper_html(key: tuple[str, str], _result, _prepared, language: str, heading: str, caption: str) -> str:
    grid = display_grid(_prepared.length, _result.trace.h.shape[1])
    heatmaps, panels = stepper_specs(_result, _prepared, labels.stepper_texts(t, grid, _prepared.kind), grid=grid)
    controls = controls_data("export", 0, column_labels(grid, _prepared.tokens), labels.stepper_control_texts(t))
    return exports.standalone_html(heatmaps, panels, controls, heading, caption, language)


tokens = tuple(prepared.tokens)

# ---- the trace -------------------------------------------------------------------------------
st.subheader(t("export_trace_title"))
st.caption(t("export_trace_caption", T=T, H=H, rows=T * H * len(QUANTITIES)))
st.download_button(
    t("export_long_csv"),
    lambda: long_csv(key, result, tokens),
    "lstm_gate_lab_trace_long.csv",
    "text/csv",
    key="download_long_csv",
    icon=":material/table_rows:",
    on_click="ignore",
)
pick, one, all_six = st.columns([1.6, 2, 2.4], vertical_alignment="bottom")
gate = pick.selectbox(t("quantity"), QUANTITIES, format_func=titles.get, key="export_quantity")
one.download_button(
    t("export_wide_csv", name=gate),
    lambda: wide_csv(key, result, tokens, gate),
    f"lstm_gate_lab_{gate}.csv",
    "text/csv",
    key="download_wide_csv",
    on_click="ignore",
)
all_six.download_button(
    t("export_wide_zip"),
    lambda: wide_zip(key, result, tokens),
    "lstm_gate_lab_trace_wide.zip",
    "application/zip",
    key="download_wide_zip",
    on_click="ignore",
)
with st.expander(t("export_preview")):
    st.dataframe(exports.trace_long(result, tokens[:3]).head(18), hide_index=True, key="export_preview_table")

# ---- the weights -----------------------------------------------------------------------------
# One file per framework, the same file and code as the Code page: the code beside each download
# loads exactly that file and prints the stepper's h_t and predictions.
st.subheader(t("export_weights_title"))
st.caption(t("export_weights_caption"))


@st.cache_data(max_entries=16, show_spinner=False)
def loading_code(key: tuple[str, str], _model, _prepared, framework: str, language: str) -> str:
    return in_language(SNIPPETS[framework](_model, _prepared), language)


def weights_button(column, label: str, filename: str, build, name: str) -> None:
    """A download of the model's weights, built only when pressed."""
    column.download_button(
        label,
        build,
        filename,
        "application/json" if filename.endswith(".json") else "application/octet-stream",
        key=f"download_{name}",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


for framework in FRAMEWORKS:
    download, steps = st.columns([1.4, 2], vertical_alignment="center")  # the labels whole at 1024 px
    weights_button(
        download,
        t(f"export_weights_{framework}"),
        WEIGHTS_FILES[framework],
        lambda framework=framework: weights_file(key, model, framework, demo.layout),
        framework,
    )
    steps.caption(t("code_steps", file=WEIGHTS_FILES[framework], install=t(f"code_install_{framework}")))
    with st.expander(t("export_loading_code", file=WEIGHTS_FILES[framework])):  # full width: the code's lines whole
        st.code(loading_code(key, model, prepared, framework, t.language), language="python")
download, note = st.columns([1.4, 2], vertical_alignment="center")
json_name = f"lstm_gate_lab_{demo.layout}.json"
weights_button(download, "JSON", json_name, lambda: weights_file(key, model, "json", demo.layout), "json")
note.caption(t("export_json_caption", layout=t(f"layout_{demo.layout}")))

# ---- the charts ------------------------------------------------------------------------------
st.subheader(t("export_charts_title"))
st.segmented_control(
    t("export_image_format"),
    IMAGE_FORMATS,
    format_func=str.upper,
    default="png",
    key="image_format",
    required=True,
    persist_state="session",
)
st.caption(t("export_charts_caption"))

# ---- the stepper as a page -------------------------------------------------------------------
st.subheader(t("export_html_title"))
st.caption(t("export_html_caption"))
st.download_button(
    t("export_html"),
    lambda: stepper_html(
        key,
        result,
        prepared,
        t.language,
        t("export_html_heading"),
        t("export_html_page_caption", text="".join(tokens) if prepared.kind == "text" else t("series"), T=T, H=H),
    ),
    "lstm_gate_lab_stepper.html",
    "text/html",
    key="download_html",
    icon=":material/web:",
    on_click="ignore",
)
