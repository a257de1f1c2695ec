"""Train: watch an LSTM (or GRU, or vanilla RNN) learn a task, live, and compare the three.

Training runs inside the script run that the Train button starts, drawing a progress bar every
step and the loss curve every epoch. Stop interrupts that run; the run object lives in session
state from the first step on, so what was learned until then is kept.
"""

import time

import streamlit as st

from lstm_core.tasks import Dataset
from ui import charts, labels, url_state
from ui.chart_config import chart_config
from ui.language import tr
from ui.session import SharedModel, trained_model, use_trained_model
from ui.shell import ensure_shell
from ui.training import (
    BATCH_SIZES,
    CLIP_NORMS,
    KINDS,
    LEARNING_RATES,
    MAX_TRAIN_TEXT,
    TASKS,
    TrainConfig,
    TrainingRun,
    gate_quantities,
    make_dataset,
    next_character_windows,
    seconds_left,
    share_refusal,
)
from ui.training_worker import train_in_worker
from ui.what_it_learned import written_and_units

ensure_shell()

t = tr()
st.title(t("page_train"))
st.caption(t("train_intro"))

task = st.selectbox(
    t("task"),
    TASKS,
    url_state.index_of("train_task", TASKS),
    format_func=lambda k: t(f"task_{k}"),
    key="train_task",
    persist_state="session",
)
help_area = st.empty()  # the task's description, filled in once the text is known
text, distance = url_state.current("train_text"), 10
if task == "next_character":
    text = st.text_area(
        t("train_text"),
        url_state.current("train_text"),
        key="train_text",
        max_chars=100_000,
        height=90,
        help=t("train_text_help", limit=MAX_TRAIN_TEXT),
    )
window, windows = next_character_windows(text)
help_area.caption(t(f"task_{task}_help", limit=MAX_TRAIN_TEXT, window=window, windows=windows))
if task == "long_memory":
    distance = st.slider(
        t("distance"),
        1,
        100,
        url_state.current("train_distance"),
        key="train_distance",
        persist_state="session",
        help=t("distance_help"),
    )

left, middle, right = st.columns(3)
kind = left.segmented_control(
    t("model_kind"),
    KINDS,
    format_func=str.upper,
    default=url_state.current("train_kind"),
    key="train_kind",
    required=True,
    persist_state="session",
)
hidden = left.slider(
    t("hidden_size"), 1, 64, url_state.current("train_hidden"), key="train_hidden", persist_state="session"
)
layers = left.slider(t("layers"), 1, 3, url_state.current("train_layers"), key="train_layers", persist_state="session")
optimizer = middle.segmented_control(
    t("optimizer"),
    ("adam", "sgd"),
    format_func=lambda k: "Adam" if k == "adam" else "SGD",
    default=url_state.current("train_optimizer"),
    key="train_optimizer",
    required=True,
    persist_state="session",
)
lr = middle.select_slider(
    t("learning_rate"), LEARNING_RATES, value=url_state.current("train_lr"), key="train_lr", persist_state="session"
)
epochs = middle.slider(
    t("epochs"), 1, 300, url_state.current("train_epochs"), key="train_epochs", persist_state="session"
)
batch_size = right.select_slider(
    t("batch_size"), BATCH_SIZES, value=url_state.current("train_batch"), key="train_batch", persist_state="session"
)
clip = right.select_slider(
    t("clip"),
    CLIP_NORMS,
    value=url_state.current("train_clip"),
    key="train_clip",
    persist_state="session",
    format_func=lambda c: t("clip_off") if c == 0 else f"‖g‖ ≤ {c:g}",
    help=t("clip_help"),
)
seed = right.number_input(
    t("seed"), 0, 2**31 - 1, url_state.current("train_seed"), key="train_seed", persist_state="session"
)

config = TrainConfig(task, text, distance, kind, hidden, layers, optimizer, lr, epochs, batch_size, clip, int(seed))
try:
    dataset: Dataset | None = make_dataset(config)
except ValueError as error:
    st.error(t.error(error))
    dataset = None


def request(kinds: tuple[str, ...]) -> None:
    st.session_state["train_request"] = kinds
    st.session_state.pop("snapshot_epoch", None)  # the new run's snapshots start at its last epoch


buttons = st.columns([1, 1.2, 1, 2])  # room for 'Compare' with its icon at 1024 px
buttons[0].button(
    t("train"),
    type="primary",
    key="train_button",
    disabled=dataset is None,
    on_click=request,
    args=((config.kind,),),
    icon=":material/play_arrow:",
    width="stretch",
)
buttons[1].button(
    t("compare"),
    key="compare_button",
    disabled=dataset is None,
    on_click=request,
    args=(KINDS,),
    icon=":material/compare_arrows:",
    width="stretch",
    help=t("compare_help"),
)
# Stop needs no code: any click makes Streamlit stop the running script at its next UI call.
buttons[2].button(t("stop"), key="stop_button", icon=":material/stop:", width="stretch", help=t("stop_help"))

progress_area = st.empty()
chart_area = st.empty()


def live_view(runs: dict[str, TrainingRun]) -> None:
    """Redraw the loss curves of the runs so far (all of them, for a comparison)."""
    losses = {run.kind.upper(): run.losses for run in runs.values()}
    log_scale = not dataset.is_classification
    chart_area.plotly_chart(
        charts.curves(
            losses,
            t("loss_title", loss=t("loss_cross_entropy" if dataset.is_classification else "loss_mse")),
            t("epoch"),
            t("loss"),
            log_y=log_scale,
        ),
        key=f"live_{time.monotonic_ns()}",
        config=chart_config("training_live"),
    )


def train_kinds(kinds: tuple[str, ...]) -> None:
    runs: dict[str, TrainingRun] = {}
    st.session_state["train_runs"] = runs  # kept even if Stop interrupts us
    st.session_state["train_dataset"] = dataset
    last_bar, last_chart = [0.0], [0.0]
    for number, model_kind in enumerate(kinds):
        bar = progress_area.progress(0.0, text=t("training_starting", kind=model_kind.upper(), epochs=config.epochs))

        started = time.monotonic()

        def on_event(run, event, model_kind=model_kind, number=number, bar=bar, started=started):
            runs[model_kind] = run
            now = time.monotonic()  # redraw at most 4×/s (bar) and 2×/s (chart): feedback, not flooding
            if now - last_bar[0] > 0.25 or event.epoch == event.epochs:
                done = (event.epoch - 1 + event.step / event.steps_per_epoch) / event.epochs
                left = seconds_left(now - started, done)
                bar.progress(
                    min(1.0, done),
                    text=t(
                        "training_progress" if left is None else "training_progress_left",
                        kind=model_kind.upper(),
                        epoch=event.epoch,
                        epochs=event.epochs,
                        loss=event.loss,
                        seconds=left,
                    ),
                )
                last_bar[0] = now
            if event.phase == "epoch" and (now - last_chart[0] > 0.5 or event.epoch == event.epochs):
                live_view(runs)
                last_chart[0] = now

        def on_wait(waiting, bar=bar):
            bar.progress(0.0, text=t("training_waiting", waiting=waiting))

        train_in_worker(config, dataset, model_kind, on_event=on_event, on_wait=on_wait)
    progress_area.empty()


def share(run: TrainingRun, trained_on: Dataset) -> None:
    """Offer the run's LSTM to the other pages (finished, or stopped after at least one epoch)."""
    if share_refusal(run) is None and run.epochs_done >= 1:
        st.session_state["trained_model"] = SharedModel(
            model=run.model,
            vocabulary=tuple(trained_on.input_labels) if trained_on.is_classification else None,
            task=run.config.task,
            epochs=run.epochs_done,
            text=run.config.text if run.config.task == "next_character" else None,
        )


if st.session_state.pop("open_in_stepper", False):
    st.switch_page("pages/stepper.py")

if requested := st.session_state.pop("train_request", None):
    if dataset is not None:
        train_kinds(requested)
        final = st.session_state["train_runs"].get("lstm")
        if final is not None and final.status == "finished":
            share(final, dataset)
            st.rerun()  # so the sidebar offers the new model at once

runs: dict[str, TrainingRun] = st.session_state.get("train_runs", {})
trained_on: Dataset | None = st.session_state.get("train_dataset")
if not runs:
    st.info(t("train_nothing_yet"))
    st.stop()

for run in runs.values():
    if run.status == "running":  # Stop ended the script run that trained it
        run.status = "stopped"
        st.warning(t("train_stopped", kind=run.kind.upper(), epoch=run.epochs_done))
        if run.kind == "lstm":
            share(run, trained_on)
    elif run.status == "diverged":
        st.error(t("train_diverged", kind=run.kind.upper(), epoch=run.epochs_done + 1))

live_view(runs)
summary = st.columns(len(runs))
for column, run in zip(summary, runs.values()):
    last = run.losses[-1] if run.losses else float("nan")
    column.metric(
        t("final_loss", kind=run.kind.upper()),
        f"{last:.4f}",
        delta=f"{last - run.losses[0]:+.4f}" if len(run.losses) > 1 else None,
        delta_color="inverse",
    )
    if run.accuracies:
        column.metric(t("final_accuracy", kind=run.kind.upper()), f"{run.accuracies[-1]:.0%}")
if any(run.accuracies for run in runs.values()):
    st.plotly_chart(
        charts.curves(
            {r.kind.upper(): r.accuracies for r in runs.values() if r.accuracies},
            t("accuracy_title"),
            t("epoch"),
            t("accuracy"),
        ),
        key="accuracy_curves",
        config=chart_config("accuracy_curves"),
    )

st.subheader(t("snapshots_title"))
st.caption(t("snapshots_caption"))
shown = (
    runs[
        st.segmented_control(
            t("model_kind"),
            list(runs),
            format_func=str.upper,
            default=list(runs)[0],
            key="snapshot_kind",
            required=True,
        )
    ]
    if len(runs) > 1
    else next(iter(runs.values()))
)
epochs_kept = sorted(shown.snapshots)
pick_epoch, pick_sequence = st.columns([3, 1])
epoch = pick_epoch.select_slider(t("snapshot_epoch"), epochs_kept, value=epochs_kept[-1], key="snapshot_epoch")
sequence = pick_sequence.number_input(
    t("snapshot_sequence"), 0, trained_on.inputs.shape[1] - 1, 0, key="snapshot_sequence"
)
inputs = trained_on.inputs[:, int(sequence)]
tokens = (
    [trained_on.input_labels[k] for k in inputs.argmax(-1)]
    if len(trained_on.input_labels) > 1
    else [f"{v:.2f}" for v in inputs[:, 0]]
)
quantities = gate_quantities(shown.snapshots[epoch], inputs)
st.plotly_chart(
    charts.gate_heatmaps(quantities, tokens, labels.quantity_titles(t), labels.axis_labels(t)),
    key="snapshot_heatmaps",
    config=chart_config("snapshot_heatmaps", tools=True),
)

if trained_on.name == "next_character" and shown.config.task == "next_character":
    written_and_units(shown.snapshots[epoch], shown.config.text, trained_on.input_labels, epoch)

shared = trained_model()
if shared is not None and any(run.model is shared.model for run in runs.values()):
    message, button = st.columns([1.8, 1.2], vertical_alignment="center")  # the button whole at 1024 px
    message.success(t("trained_shared", epochs=shared.epochs))
    button.button(
        t("open_in_stepper"),
        key="open_in_stepper_button",
        type="primary",
        icon=":material/slow_motion_video:",
        on_click=use_trained_model,
        args=(shared,),
        width="stretch",
    )
else:
    lstm_run = runs.get("lstm")
    reason = share_refusal(lstm_run) if lstm_run is not None else "not_lstm"
    st.caption(t(f"trained_not_shared_{reason or 'no_epoch'}", layers=config.layers))
