"""Lesson: the tutorials' story in thirteen steps (ui/lesson.py). Each step says what it is about,
shows its equation, opens its live view in the state it needs, and asks a question the student
answers before the app reveals lstm_core's number. The step is kept in the session and the link
(`?lesson=5`), so a teacher can send a class to step 5.
"""

import streamlit as st

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY, Vocabulary
from ui import lesson, url_state
from ui import model as demo
from ui.input_widgets import text_input_key
from ui.language import tr
from ui.lesson_keys import key_moves
from ui.session import cached_text_input
from ui.shared_models import cached_base_model
from ui.shell import ensure_shell

ensure_shell()

PAGE_FILES = {step.page: f"pages/{step.page}.py" for step in lesson.STEPS}
STEPS = len(lesson.STEPS)

if target := st.session_state.pop("_lesson_open", None):
    st.switch_page(PAGE_FILES[target])  # the live view asked for in the last click

t = tr()
st.title(t("page_lesson"))
st.caption(t("lesson_intro"))


def go(delta: int) -> None:
    st.session_state["lesson"] = min(STEPS, max(1, st.session_state.get("lesson", 1) + delta))


def open_live_view(step: lesson.Step) -> None:
    """Put the live view's page in the step's state (its own controls at their defaults first),
    then, in the run this click starts, switch to it."""
    for param in url_state.PARAMS:
        if param.page == step.page:
            st.session_state[param.key] = param.default
    st.session_state.update(step.state)
    st.session_state["_lesson_open"] = step.page


def step_title(k: int) -> str:
    return f"{k}. {t(f'lesson_{lesson.STEPS[k - 1].name}_title')}"


for move in key_moves():
    go(move)  # before the step's selectbox is drawn: a widget's state can change only until then
number = st.selectbox(
    t("lesson_jump"),
    range(1, STEPS + 1),
    url_state.current("lesson") - 1,
    format_func=step_title,
    key="lesson",
    width=480,
    persist_state="session",
)
step = lesson.STEPS[number - 1]
answered = len(st.session_state.get("lesson_answered", ()))
st.progress(number / STEPS, text=t("lesson_progress", k=number, n=STEPS, answered=answered))

st.subheader(f"{number}. {t(f'lesson_{step.name}_title')}")
st.markdown(t.text(f"lesson_{step.name}_text"))
st.latex(step.equation)
st.button(
    t("lesson_open", page=t(f"page_{step.page}")),
    key="lesson_open",
    icon=":material/open_in_new:",
    on_click=open_live_view,
    args=(step,),
    help=t("lesson_open_help"),
)


def predicted_character() -> lesson.Answer:
    """The trained preset's prediction after 很, from the very model the stepper shows."""
    prepared = cached_text_input(CLASSIC_SENTENCE, CLASSIC_VOCABULARY)
    with st.spinner(t("lesson_training")):
        model = cached_base_model(
            demo.ModelSpec(preset="trained"), text_input_key(CLASSIC_SENTENCE, CLASSIC_VOCABULARY), prepared
        )
    predictions = demo.run_model(model, prepared).predictions
    return lesson.predicted_character(predictions, Vocabulary.from_text(CLASSIC_VOCABULARY))


def act(kind: str) -> None:
    """Check or Show, with the answer it was for: the verdict stays on the projector while the
    class discusses it, and goes when the answer changes (a callback, so the widget's value is
    already the one typed, also when typing and the click arrive in the same rerun)."""
    st.session_state["lesson_action"] = (kind, step.name, st.session_state.get(f"lesson_guess_{step.name}"))


def option_text(k: int) -> str:
    if step.name == "predict":
        return lesson.PREDICT_OPTIONS[k]
    return t.text(f"lesson_{step.name}_option_{k}")


with st.container(border=True, key="lesson_question"):
    st.markdown(f"**{t('lesson_question')}**")
    st.markdown(t.text(f"lesson_{step.name}_question", **step.question_facts()))
    guess_key = f"lesson_guess_{step.name}"
    if step.options:
        guess = st.radio(
            t("lesson_your_answer"),
            range(step.options),
            None,
            option_text,
            key=guess_key,
            horizontal=step.name == "predict",
            persist_state="session",
        )
    else:
        guess = st.number_input(
            t("lesson_your_answer"),
            value=None,
            step=0.01,
            format="%.3f",
            key=guess_key,
            width=220,
            persist_state="session",
        )
    check, show = st.columns(2, width=420)
    check.button(
        t("lesson_check"), key="lesson_check", icon=":material/check:", width="stretch", on_click=act, args=("check",)
    )
    show.button(
        t("lesson_show"), key="lesson_show", icon=":material/visibility:", width="stretch", on_click=act, args=("show",)
    )
    action = st.session_state.get("lesson_action")
    checked, shown = action == ("check", step.name, guess), action == ("show", step.name, guess)
    if checked and guess is None:
        st.info(t("lesson_pick_first"))
    elif checked or shown:
        answer = predicted_character() if step.name == "predict" else step.answer()
        reveal = t.text(f"lesson_{step.name}_reveal", **answer.facts)
        right = option_text(int(answer.value)) if step.options else f"{answer.value:.3f}".rstrip("0").rstrip(".")
        if shown:
            st.info(t("lesson_revealed", right=right, reveal=reveal))
        elif answer.accepts(guess):
            st.session_state.setdefault("lesson_answered", set()).add(step.name)
            st.success(t("lesson_result", verdict=t("lesson_right"), right=right, reveal=reveal))
        else:
            st.warning(t("lesson_result", verdict=t("lesson_wrong"), right=right, reveal=reveal))

back, forward = st.columns(2, width=420)
back.button(
    t("lesson_previous"),
    key="lesson_previous",
    icon=":material/arrow_back:",
    on_click=go,
    args=(-1,),
    disabled=number == 1,
    width="stretch",
)
forward.button(
    t("lesson_next"),
    key="lesson_next",
    icon=":material/arrow_forward:",
    on_click=go,
    args=(1,),
    disabled=number == STEPS,
    width="stretch",
)
if number == STEPS:
    st.success(t("lesson_end"))
