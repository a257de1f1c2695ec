"""Export: take the numbers out. The current trace as CSV (long and wide), the weights as the
one file each of PyTorch, Keras and NumPy loads (with the Code page's code that loads it) and as
JSON, the charts as PNG or SVG, and the stepper as one HTML file that opens without the app.

Files are built when a button is pressed (a callable `data`, on Streamlit's own thread) and
cached on (weights, input), so a page visit costs nothing and a second click is instant.
"""

import streamlit as st

from lstm_core.saving import lstm_layer, to_json
from ui import exports, labels
from ui.chart_config import IMAGE_FORMATS
from ui.code_comments import in_language
from ui.code_view import FRAMEWORKS, WEIGHTS_FILES, shared_snippet, shared_weights_file
from ui.display_grid import display_grid
from ui.language import tr
from ui.model import QUANTITIES, fingerprint
from ui.session import required_demo, run
from ui.shared_cache import FILES, is_heavy
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


heavy = is_heavy(T, H)  # T = 2000, H = 256: one file at a time per server, the class keeps its sliders


def long_csv() -> bytes:
    return FILES.get(("long.csv", key), lambda: exports.to_csv_bytes(exports.trace_long(result, tokens)), heavy)


def wide_csv(gate: str) -> bytes:
    build = lambda: exports.to_csv_bytes(exports.trace_wide(result, tokens, gate))
    return FILES.get(("wide.csv", key, gate), build, heavy)


def wide_zip() -> bytes:
    return FILES.get(("wide.zip", key), lambda: exports.wide_zip(result, tokens), heavy)


def json_file(layout: str) -> str:
    return FILES.get(("json", key, layout), lambda: to_json(model, layout))


def stepper_html(heading: str, caption: str) -> str:
    """The stepper as one HTML file, in the page's language (the texts are part of the key)."""

    def build() -> str:
        grid = display_grid(prepared.length, result.trace.h.shape[1])
        heatmaps, panels = stepper_specs(result, prepared, labels.stepper_texts(t, grid, prepared.kind), grid=grid)
        controls = controls_data("export", 0, column_labels(grid, prepared.tokens), labels.stepper_control_texts(t))
        return exports.standalone_html(heatmaps, panels, controls, heading, caption, t.language)

    return FILES.get(("stepper.html", key, t.language, heading, caption), build, heavy)


tokens = tuple(prepared.tokens)

# ---- the trace -------------------------------------------------------------------------------
st.subheader(t("export_trace_title"))
st.caption(t("export_trace_caption", T=T, H=H, rows=T * H * len(QUANTITIES)))
st.download_button(
    t("export_long_csv"),
    long_csv,
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
    lambda: wide_csv(gate),
    f"lstm_gate_lab_{gate}.csv",
    "text/csv",
    key="download_wide_csv",
    on_click="ignore",
)
all_six.download_button(
    t("export_wide_zip"),
    wide_zip,
    "lstm_gate_lab_trace_wide.zip",
    "application/zip",
    key="download_wide_zip",
    on_click="ignore",
)
with st.expander(t("export_preview")):
    # a plain table: a data grid's script would load on every first visit, the section closed or not
    st.table(exports.trace_long(result, tokens[:3]).head(18), hide_index=True)

# ---- the weights -----------------------------------------------------------------------------
# One file per framework, the same file and code as the Code page: the code beside each download
# loads exactly that file and prints the stepper's h_t and predictions.
st.subheader(t("export_weights_title"))
st.caption(t("export_weights_caption"))


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
        lambda framework=framework: shared_weights_file(key, model, framework),
        framework,
    )
    steps.caption(t("code_steps", file=WEIGHTS_FILES[framework], install=t(f"code_install_{framework}")))
    with st.expander(t("export_loading_code", file=WEIGHTS_FILES[framework])):  # full width: the code's lines whole
        st.code(in_language(shared_snippet(key, model, prepared, framework), t.language), language="python")
download, note = st.columns([1.4, 2], vertical_alignment="center")
json_name = f"lstm_gate_lab_{demo.layout}.json"
weights_button(download, "JSON", json_name, lambda: json_file(demo.layout), "json")
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
        t("export_html_heading"),
        t("export_html_page_caption", text="".join(tokens) if prepared.kind == "text" else t("series"), T=T, H=H),
    ),
    "lstm_gate_lab_stepper.html",
    "text/html",
    key="download_html",
    icon=":material/web:",
    on_click="ignore",
)
