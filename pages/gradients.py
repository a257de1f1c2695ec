"""Gradient flow: vanishing and exploding gradients, computed by lstm_core's backward pass.

The loss sits on the last step only, L_T = w·h_T; the chart shows how much of its gradient
reaches each earlier step, for an LSTM (through h and through the cell state C), a GRU and a
vanilla RNN with the same input, size and seed.
"""

from dataclasses import replace

import numpy as np
import streamlit as st

from lstm_core import ACTIVATIONS
from ui import charts, url_state
from ui.chart_config import chart_config
from ui.gradient_flow import HIDDEN_SIZE, shared_flows
from ui.language import tr
from ui.shell import ensure_shell
from ui.training import TrainConfig, TrainingRun, make_dataset, make_model, run_training

ensure_shell()

t = tr()
st.title(t("page_gradients"))
st.caption(t("gradients_intro"))

length, scale, forget_bias, update_bias, seed = st.columns(5)
T = length.slider(
    t("sequence_length"), 5, 200, url_state.current("flow_length"), key="flow_length", persist_state="session"
)
recurrent_scale = scale.slider(
    t("recurrent_scale"),
    0.1,
    3.0,
    url_state.current("flow_scale"),
    0.05,
    key="flow_scale",
    persist_state="session",
    help=t("recurrent_scale_help"),
)
bias_f = forget_bias.slider(
    t("forget_bias"),
    -3.0,
    6.0,
    url_state.current("flow_forget_bias"),
    0.25,
    key="flow_forget_bias",
    persist_state="session",
    help=t("forget_bias_help"),
)
bias_z = update_bias.slider(
    t("update_bias"),
    -3.0,
    6.0,
    url_state.current("flow_update_bias"),
    0.25,
    key="flow_update_bias",
    persist_state="session",
    help=t("update_bias_help"),
)
flow_seed = seed.number_input(
    t("seed"), 0, 2**31 - 1, url_state.current("flow_seed"), key="flow_seed", persist_state="session"
)


flow = shared_flows(T, recurrent_scale, bias_f, bias_z, int(flow_seed))
norms = flow["norms"]
names = {"LSTM ‖dL/dC‖ f": t("flow_direct"), "LSTM ‖dL/dC‖": t("flow_total_c")}
st.plotly_chart(
    charts.gradient_norms(norms, t("flow_title", last=T - 1), {"time": t("time"), "norm": t("gradient_norm")}, names),
    key="flow_chart",
    config=chart_config("flow_chart", tools=True),
)
first = {name.split()[0]: values[0] for name, values in norms.items() if "dh" in name}
metrics = st.columns(4)
for column, (name, value) in zip(metrics, first.items()):
    column.metric(t("gradient_at_start", name=name), f"{value:.2e}", help=t("gradient_at_start_help"))
orders = np.log10(max(first["LSTM"], 1e-300) / max(first["RNN"], 1e-300))
metrics[3].metric(t("orders_of_magnitude"), f"{orders:+.1f}", help=t("orders_help"))
rnn = norms["RNN ‖dL/dh‖"]
total = max(rnn[0], 1e-300) / rnn[-1]
factor = total ** (1 / max(T - 1, 1))  # geometric mean per step back
verdict = "flow_vanishes" if total < 0.1 else "flow_explodes" if total > 10 else "flow_holds"
st.caption(t("flow_rnn_caption", factor=factor, total=total, steps=T - 1, verdict=t(verdict)))
st.caption(t("flow_lstm_caption", direct=norms["LSTM ‖dL/dC‖ f"][0], total=norms["LSTM ‖dL/dC‖"][0], f=flow["mean_f"]))
st.caption(
    t.sentences(
        t("flow_gru_caption", z=flow["mean_z"], steps=T - 1, product=flow["z_product"]),
        t("flow_gru_below") if first["GRU"] < first["RNN"] else "",
    )
)
with st.expander(t("gru_equations_title")):
    st.markdown(t("gru_equations"))

st.subheader(t("clipping_title"))
st.caption(t("clipping_intro"))
clip_on, threshold, run_column = st.columns([1, 2, 1], vertical_alignment="bottom")
clipping = clip_on.toggle(
    t("clipping"), value=url_state.current("flow_clipping"), key="flow_clipping", persist_state="session"
)
clip_norm = threshold.select_slider(
    t("clip_threshold"),
    (0.1, 0.5, 1.0, 2.0, 5.0, 10.0),
    value=url_state.current("flow_clip"),
    key="flow_clip",
    persist_state="session",
    disabled=not clipping,
)
run_column.button(
    t("clipping_run"),
    key="clipping_run",
    icon=":material/play_arrow:",
    width="stretch",
    on_click=lambda: st.session_state.update(clipping_request=True),
)
if st.session_state.pop("clipping_request", False):
    config = TrainConfig(
        task="sine",
        kind="rnn",
        hidden_size=HIDDEN_SIZE,
        optimizer="sgd",
        lr=0.1,
        epochs=30,
        batch_size=16,
        clip=0.0,
        seed=int(flow_seed),
    )
    dataset = make_dataset(config)
    variants = {t("without_clipping"): config}
    if clipping:
        variants[t("with_clipping", c=clip_norm)] = replace(config, clip=clip_norm)
    results = {}
    bar = st.progress(0.0, text=t("clipping_running"))
    for k, (label, variant) in enumerate(variants.items()):
        model = make_model(variant, dataset, "rnn")
        model.recurrent.U *= recurrent_scale  # the same start for both runs
        results[label] = run_training(variant, dataset, "rnn", run=TrainingRun(variant, "rnn", model))
        bar.progress((k + 1) / len(variants), text=t("clipping_running"))
    bar.empty()
    st.session_state["clipping_results"] = (recurrent_scale, results)

if "clipping_results" in st.session_state:
    used_scale, results = st.session_state["clipping_results"]
    st.plotly_chart(
        charts.curves(
            {label: run.losses for label, run in results.items()},
            t("clipping_chart_title", scale=used_scale),
            t("epoch"),
            t("loss"),
            log_y=True,
        ),
        key="clipping_chart",
        config=chart_config("clipping_chart"),
    )
    for column, (label, run) in zip(st.columns(len(results)), results.items()):
        column.metric(t("final_loss_of", label=label), f"{run.losses[-1]:.4g}" if run.losses else "—")
        column.caption(t("largest_gradient", label=label, g=max(run.grad_norms, default=0.0)))
        if run.status == "diverged":
            column.error(t("train_diverged", kind=label, epoch=run.epochs_done + 1))

st.subheader(t("activations_title"))
st.caption(t("activations_intro"))
z = np.linspace(-6, 6, 601)
functions = {}
for name in ("sigmoid", "tanh", "hard_sigmoid", "hard_sigmoid_keras2"):
    activation = ACTIVATIONS[name]
    values = activation(z)
    functions[name] = (values, activation.derivative(z, values), activation.derivative_max)
st.plotly_chart(
    charts.activation_functions(functions, z, {"functions": t("functions"), "derivatives": t("derivatives")}),
    key="activation_chart",
    config=chart_config("activation_chart"),
)
steps = st.slider(
    t("product_steps"),
    1,
    100,
    url_state.current("flow_product_steps"),
    key="flow_product_steps",
    persist_state="session",
)
st.plotly_chart(
    charts.derivative_products(
        {name: top for name, (_, _, top) in functions.items()},
        steps,
        {"title": t("product_title"), "steps": t("product_axis"), "product": t("product")},
    ),
    key="product_chart",
    config=chart_config("product_chart"),
)
st.caption(t("product_caption", p=0.25**steps, steps=steps, kept=0.95**steps))
