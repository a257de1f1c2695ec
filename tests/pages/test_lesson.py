"""The lesson page: every step in both languages, its question checked against lstm_core, its live
view opened in the state the step describes, and the step kept in the link."""

import pytest

from ui import lesson
from ui.i18n import STRINGS, Translator

from .conftest import APP, open_page, shown_values

NUMBER_STEPS = [step.name for step in lesson.STEPS if not step.options]
CHOICE_STEPS = [step.name for step in lesson.STEPS if step.options and step.name != "predict"]


def go_to(at, number: int):
    at.selectbox(key="lesson").set_value(number).run()
    assert not at.exception, at.exception
    return at


def messages(at) -> str:
    return " ".join(m.value for kind in ("success", "warning", "info") for m in at.get(kind))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_step_draws_its_title_equation_question_and_live_view_button(app, language):
    at = open_page(app, "lesson")
    at.button_group(key="lang").set_value(language).run()
    t = Translator(language)
    for number, step in enumerate(lesson.STEPS, start=1):
        go_to(at, number)
        assert at.subheader[0].value == f"{number}. {t(f'lesson_{step.name}_title')}"
        assert step.equation in at.latex[0].value
        markdown = " ".join(m.value for m in at.markdown)
        assert t.text(f"lesson_{step.name}_question", **step.question_facts()) in markdown
        assert at.button(key="lesson_open").label == t("lesson_open", page=t(f"page_{step.page}"))
        assert at.button(key="lesson_previous").disabled == (number == 1)
        assert at.button(key="lesson_next").disabled == (number == len(lesson.STEPS))


@pytest.mark.parametrize("name", NUMBER_STEPS)
def test_a_number_question_accepts_lstm_core_s_answer_and_refuses_another(app, name):
    number = [s.name for s in lesson.STEPS].index(name) + 1
    answer = lesson.BY_NAME[name].answer()
    at = go_to(open_page(app, "lesson"), number)
    at.number_input(key=f"lesson_guess_{name}").set_value(round(float(answer.value), 3)).run()
    at.button(key="lesson_check").click().run()
    assert not at.exception
    assert [m.value for m in at.success] and Translator("en")("lesson_right") in at.success[0].value
    at.run()  # the progress bar, drawn above the question, counts it from the next run on
    assert (
        Translator("en")("lesson_progress", k=number, n=len(lesson.STEPS), answered=1)
        in at.get("progress")[0].proto.text
    )
    at.number_input(key=f"lesson_guess_{name}").set_value(round(float(answer.value), 3) + 1.0).run()
    at.button(key="lesson_check").click().run()
    assert at.warning and Translator("en")("lesson_wrong") in at.warning[0].value


@pytest.mark.parametrize("name", CHOICE_STEPS)
def test_a_choice_question_marks_exactly_the_computed_option_right(app, name):
    step = lesson.BY_NAME[name]
    number = list(lesson.STEPS).index(step) + 1
    right = step.answer().value
    at = go_to(open_page(app, "lesson"), number)
    for option in range(step.options):
        at.radio(key=f"lesson_guess_{name}").set_value(option).run()
        at.button(key="lesson_check").click().run()
        assert (Translator("en")("lesson_right") in messages(at)) == (option == right), (option, messages(at))


def test_checking_without_an_answer_asks_for_one_and_show_reveals_it(app):
    at = go_to(open_page(app, "lesson"), 3)  # the forget gate
    at.button(key="lesson_check").click().run()
    assert Translator("en")("lesson_pick_first") in messages(at)
    at.button(key="lesson_show").click().run()
    assert "0.8" in messages(at) and not at.success


def test_the_predict_step_s_answer_is_what_the_trained_stepper_shows(app):
    """The trained preset's prediction after 很, as the stepper computes it."""
    number = [s.name for s in lesson.STEPS].index("predict") + 1
    at = go_to(open_page(app, "lesson"), number)
    at.button(key="lesson_show").click().run(timeout=180)
    assert not at.exception
    revealed = messages(at)
    assert "漂" in revealed.split(".")[0], revealed  # the answer comes first: 漂, the next character


def test_next_previous_and_the_link_keep_the_step(app):
    at = open_page(app, "lesson")
    at.button(key="lesson_next").click().run()
    at.button(key="lesson_next").click().run()
    assert at.selectbox(key="lesson").value == 3
    assert at.query_params.get("lesson") in ("3", ["3"])
    at.button(key="lesson_previous").click().run()
    assert at.selectbox(key="lesson").value == 2


def test_a_link_to_step_5_opens_step_5_and_a_junk_step_is_reported():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lesson"] = "5"
    at.switch_page(str(APP.parent / "pages" / "lesson.py")).run()
    assert at.selectbox(key="lesson").value == 5
    junk = AppTest.from_file(str(APP), default_timeout=60)
    junk.query_params["lesson"] = "99"
    junk.switch_page(str(APP.parent / "pages" / "lesson.py")).run()
    assert junk.selectbox(key="lesson").value == 1
    assert "lesson" in " ".join(w.value for w in junk.warning)


@pytest.mark.parametrize("name", ["forget", "highway", "one_hot"])
def test_open_live_view_switches_to_the_page_in_the_step_s_state(app, name):
    step = lesson.BY_NAME[name]
    number = list(lesson.STEPS).index(step) + 1
    at = go_to(open_page(app, "lesson"), number)
    at.button(key="lesson_open").click().run()
    assert not at.exception, at.exception
    for key, value in step.state.items():
        assert at.session_state[key] == value, key
    assert at.title[0].value == Translator("en")(f"page_{step.page}")


def test_the_cell_page_opened_by_the_forget_step_draws_the_lesson_s_answer(app):
    from ui import lesson as lesson_module

    at = go_to(open_page(app, "lesson"), 3)
    at.button(key="lesson_open").click().run()
    values = " ".join(shown_values(at).values())
    assert f"{lesson_module.cell_answer(lesson_module.FORGET_STATE)['c']:.3f}" in values


def test_every_step_has_its_words_in_both_languages_and_they_format_with_the_answers():
    for step in lesson.STEPS:
        keys = [f"lesson_{step.name}_{part}" for part in ("title", "text", "question", "reveal")]
        keys += [f"lesson_{step.name}_option_{k}" for k in range(step.options) if step.name != "predict"]
        for language, table in STRINGS.items():
            assert not [k for k in keys if k not in table], language
            if step.name != "predict":
                Translator(language).text(f"lesson_{step.name}_reveal", **step.answer().facts)
            Translator(language).text(f"lesson_{step.name}_question", **step.question_facts())


def test_a_cell_step_s_answer_holds_whatever_activations_the_sidebar_had(app):
    """The cell page draws with the sidebar model's activations: the step sets σ and tanh, with
    which its answer is computed."""
    app.selectbox(key="ract").set_value("hard_sigmoid").run()
    assert app.session_state["ract"] == "hard_sigmoid"
    at = go_to(open_page(app, "lesson"), 7)  # long memory: f and i clamped, o = σ(…) sets h_t
    at.button(key="lesson_open").click().run()
    assert (at.session_state["ract"], at.session_state["act"]) == ("sigmoid", "tanh")
    values = " ".join(shown_values(at).values())
    assert f"{lesson.cell_answer(lesson.LONG_STATE)['h']:.3f}" in values
