"""Weights lab: every weight block per gate, editable, named in three layouts, with its effect
on the current sequence shown as a difference heatmap (edited − original)."""

import numpy as np
import pandas as pd
import streamlit as st

from ui import charts, colors, labels, url_state
from ui.chart_config import chart_config
from ui.language import tr
from ui.layout_names import PARTS, block_names
from ui.model import EDIT_RANGES, GATES, QUANTITIES, Edits, GateEdit, forget_edits
from ui.session import required_demo, run
from ui.shell import ensure_shell

ensure_shell()

t = tr()
st.title(t("page_weights"))
st.caption(t("weights_intro"))
demo = required_demo(t)

layer = demo.current.recurrent
# The table editor shows the model's weights with every edit (a link's typed weights included);
# it starts afresh when its data changes, so the typed weights are kept in `Edits.cells`, merged.
H, I = layer.hidden_size, layer.input_size
input_names = list(demo.prepared.vocabulary.tokens) if demo.prepared.kind == "text" else ["x"]
column_names = {"W": input_names, "U": [f"h{j}" for j in range(H)], "b": ["b"]}


def store_gate_edit(gate: str) -> None:
    edits = st.session_state.get("edits", Edits())
    gates = dict(edits.gates)
    gates[gate] = GateEdit(*(float(st.session_state[f"edit_{gate}_{part}"]) for part in "wub"))
    st.session_state["edits"] = Edits(gates, dict(edits.cells))


def store_cell_edits(gate: str, part: str) -> None:
    """Add the data editor's changed cells, as absolute weight values, to the ones typed before
    (also those a link brought, which the editor's own state does not hold)."""
    edits = st.session_state.get("edits", Edits())
    cells = dict(edits.cells)
    columns = column_names[part]
    changed = st.session_state[f"editor_{gate}_{part}"].get("edited_rows", {})
    for row, entries in changed.items():
        for column, value in entries.items():
            if value is None or column not in columns:
                continue
            cells[(gate, part, int(row), columns.index(column))] = float(value)
    st.session_state["edits"] = Edits(dict(edits.gates), cells)


def reset_edits() -> None:
    forget_edits(st.session_state)
    for gate in GATES:
        for part in PARTS:
            st.session_state.pop(f"editor_{gate}_{part}", None)


top_left, top_right = st.columns([3, 1], vertical_alignment="bottom")
top_left.caption(t("weights_settings_hint"))
top_right.button(
    t("reset_edits"), on_click=reset_edits, key="reset_edits", width="stretch", disabled=not demo.is_edited
)

# Lazy tabs: only the open gate's charts, sliders and table are sent. Built all at once, the four
# gates' twelve heatmaps and four data grids held the browser's main thread for over a second on
# every visit. The open gate is remembered by name, so it stays open across a language switch and
# when the student comes back to this page (Streamlit forgets an unrendered tab's state); a first
# visit opens the first gate a link edited.
gate_labels = [t(f"gate_{gate}") for gate in GATES]
if st.session_state.get("weights_gate") not in gate_labels:
    edited_gates = set(demo.edits.gates) | {cell[0] for cell in demo.edits.cells}
    first_gate = next((gate for gate in GATES if gate in edited_gates), GATES[0])
    st.session_state["weights_gate"] = gate_labels[GATES.index(st.session_state.get("weights_open_gate", first_gate))]
tabs = st.tabs(gate_labels, key="weights_gate", on_change="rerun")
for gate, tab in zip(GATES, tabs):
    if not tab.open:
        continue
    st.session_state["weights_open_gate"] = gate
    with tab:
        names = block_names(gate, H)[demo.layout]
        sliders = st.columns(3)
        for column, (part, (low, high, _)) in zip(sliders, EDIT_RANGES.items()):
            column.slider(
                t(f"edit_{part}", gate=gate),
                low,
                high,
                url_state.current(f"edit_{gate}_{part}"),
                0.05,
                key=f"edit_{gate}_{part}",
                on_change=store_gate_edit,
                args=(gate,),
                persist_state="session",
            )
        weights = layer.gate(gate)
        blocks = {"W": weights.W, "U": weights.U, "b": weights.b[:, None]}
        bound = max(1e-9, max(float(np.abs(block).max()) for block in blocks.values()))
        # A Plotly chart is never drawn narrower than 150 px, and a narrower column cut the b block's
        # numbers at 1024 px: each block gets that much, and W and U share the rest by their widths.
        share = I / (I + H)
        columns = st.columns([160 + 60 * share, 160 + 60 * (1 - share), 170])
        for column, part in zip(columns, PARTS):
            with column:
                st.markdown(f"**{part}<sub>{gate}</sub>** = `{names[part]}`", unsafe_allow_html=True)
                st.plotly_chart(
                    charts.weight_heatmap(
                        blocks[part],
                        t("unit"),
                        column_names[part],
                        bound,
                        show_scale=part == "b",  # beside the one column of numbers, where there is room
                        show_row_title=part == "W",
                    ),
                    key=f"heat_{gate}_{part}",
                    config=chart_config(f"weights_{gate}_{part}"),
                    width=160 if part == "b" else "stretch",  # one column of numbers: no wider on a wide screen
                )
        numbers = st.expander(t("edit_numbers", gate=gate), key=f"edit_numbers_{gate}", on_change="rerun")
        if not numbers.open:  # a data grid is a canvas that costs its drawing even when closed
            continue
        with numbers:
            part = st.radio(
                t("edit_block"),
                PARTS,
                key=f"edit_part_{gate}",
                horizontal=True,
                format_func=lambda p, names=names: f"{p} ({names[p]})",
            )
            shown = layer.gate(gate)  # with every edit, also the typed weights a link brought
            editable = {"W": shown.W, "U": shown.U, "b": shown.b[:, None]}[part]
            st.data_editor(
                pd.DataFrame(np.round(editable, 6), columns=column_names[part]),
                key=f"editor_{gate}_{part}",
                on_change=store_cell_edits,
                args=(gate, part),
                column_config={
                    name: st.column_config.NumberColumn(name, min_value=-1000.0, max_value=1000.0, format="%.4f")
                    for name in column_names[part]
                },
            )
            st.caption(t("edit_numbers_help"))

st.subheader(t("layouts_title"))
rows = []
for gate in GATES:
    names = block_names(gate, H)
    for part in PARTS:
        rows.append(
            {
                t("block"): f"{part}_{gate}",
                t("layout_tutorial"): names["tutorial"][part],
                t("layout_pytorch"): names["pytorch"][part],
                t("layout_keras"): names["keras"][part],
            }
        )
# A plain table: twelve rows of names need no data grid, whose script a first visit would load.
st.table(pd.DataFrame(rows), hide_index=True)

st.subheader(t("effect_title"))
if not demo.is_edited:
    st.info(t("effect_none"))
else:
    before, after = run(demo.base, demo), run(demo.current, demo)
    differences = {name: after.quantity(name) - before.quantity(name) for name in QUANTITIES}
    largest = max(float(np.abs(d).max()) for d in differences.values())
    st.metric(t("effect_largest"), f"{largest:.4f}")
    bound = max(largest, 1e-6)
    titles = {name: f"Δ {title}" for name, title in labels.quantity_titles(t).items()}
    st.plotly_chart(
        charts.gate_heatmaps(
            differences,
            demo.prepared.tokens,
            titles,
            labels.axis_labels(t),
            ranges={name: (-bound, bound) for name in QUANTITIES},
            scales={name: colors.SIGNED_SCALE for name in QUANTITIES},
        ),
        key="difference",
        config=chart_config("difference", tools=True),
    )
