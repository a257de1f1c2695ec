"""Models: bring your own LSTM. Upload weights saved by PyTorch, Keras or NumPy, see what the file
holds, pick a layer, and make it the model every page shows. A file that fails to load changes
nothing: the current model stays.
"""

import pandas as pd
import streamlit as st

from lstm_core import LSTM, LinearHead, Model, SoftmaxHead
from lstm_core.files import EXTENSIONS, MAX_BYTES, load_weights
from ui.language import tr
from ui.session import SharedModel, current_demo, trained_model, use_trained_model
from ui.shell import ensure_shell

ensure_shell()

t = tr()
st.title(t("page_models"))
st.caption(t("models_intro", limit=MAX_BYTES // 2**20))

upload = st.file_uploader(
    t("models_upload"),
    type=[ext.rsplit(".", 1)[-1] for ext in EXTENSIONS],
    key="model_file",
    help=t("models_upload_help", limit=MAX_BYTES // 2**20),
)
if upload is None:
    st.info(t("models_waiting"))
    st.stop()


def read(upload) -> tuple:
    """Parse once per uploaded file (in a worker process, see lstm_core.isolation) and keep the
    result in this session only: one parsed file per session, freed with it (a server-wide
    cache of parsed uploads held hundreds of MB after a class's large files)."""
    kept = st.session_state.get("_model_parse")
    if kept is None or kept[0] != upload.file_id:
        with st.spinner(t("models_reading")):
            try:
                kept = (upload.file_id, load_weights(upload.getvalue(), upload.name), None)
            except ValueError as error:
                kept = (upload.file_id, None, error)
        st.session_state["_model_parse"] = kept
    return kept[1], kept[2]


loaded, problem = read(upload)
if problem is not None:
    st.error(t("models_refused", problem=t.error(problem)))
    st.caption(t("models_unchanged"))
    st.stop()

st.success(t("models_found", format=loaded.file_format, layers=len(loaded.layers), layout=t(f"layout_{loaded.layout}")))
st.dataframe(pd.DataFrame(loaded.summary()), hide_index=True, key="model_summary")
if loaded.head is not None:
    st.caption(t("models_head", outputs=loaded.head.output_size, hidden=loaded.head.hidden_size))
if loaded.embedding is not None:
    name, tokens, width = loaded.embedding
    st.caption(t("models_embedding", name=name, V=tokens, D=width))

lstm_layers = [k for k, layer in enumerate(loaded.layers) if isinstance(layer, LSTM)]
if not lstm_layers:
    st.warning(t("models_no_lstm"))
    st.stop()
chosen = st.selectbox(t("models_layer"), lstm_layers, key="model_layer", help=t("models_layer_help"))
layer = loaded.layers[chosen]
is_top = chosen == len(loaded.layers) - 1
if chosen > 0:  # shown on its own, it cannot read what it reads inside the stack
    st.warning(t("models_upper_layer", k=chosen, below=chosen - 1, I=layer.input_size))

if layer.input_size == 1:
    vocabulary = None
    st.caption(t("models_series"))
else:
    sidebar = current_demo()
    if (
        "model_vocabulary" not in st.session_state
        and sidebar is not None
        and sidebar.prepared.kind == "text"
        and sidebar.prepared.vocabulary.size == layer.input_size
    ):  # the sidebar's, when it fits
        st.session_state["model_vocabulary"] = "".join(sidebar.prepared.vocabulary.tokens)
    typed = st.text_area(
        t("models_vocabulary", size=layer.input_size),
        key="model_vocabulary",
        height=80,
        help=t("models_vocabulary_help"),
    )
    tokens = [line for line in typed.split("\n") if line] if "\n" in typed.strip() else list(typed.strip())
    vocabulary = tuple(tokens)
    if not vocabulary:
        st.info(t("models_vocabulary_needed", size=layer.input_size))
        st.stop()
    if len(vocabulary) != layer.input_size or len(set(vocabulary)) != len(vocabulary):
        st.warning(t("models_vocabulary_wrong", size=layer.input_size, given=len(vocabulary)))
        st.stop()

head = (
    loaded.head
    if is_top and loaded.head is not None and (vocabulary is None or loaded.head.output_size == len(vocabulary))
    else None
)
if head is None:
    outputs = 1 if vocabulary is None else len(vocabulary)
    head = (
        SoftmaxHead.init(layer.hidden_size, outputs)
        if vocabulary is not None
        else LinearHead.init(layer.hidden_size, 1)
    )
    st.caption(t("models_new_head"))


def use(model: Model, vocabulary: tuple[str, ...] | None) -> None:
    """Runs before the next script run, so the sidebar's preset and input can still be set."""
    use_trained_model(SharedModel(model, vocabulary, task="import"), open_stepper=False)


st.button(
    t("models_use"),
    type="primary",
    key="model_use",
    icon=":material/check:",
    on_click=use,
    args=(Model(layer.copy(), head), vocabulary),
)

shared = trained_model()
if shared is not None and shared.task == "import":
    st.success(t("models_in_use"))
