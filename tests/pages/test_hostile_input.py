"""What a class will type, paste and link: every page answers with a message, never a traceback.

Each hostile value goes through the sidebar (or the URL) and then every page that draws the
demo; the page must show no exception, say what is wrong in the reader's language, and keep
the previous good state (weights edits, the sentence once fixed). Generated inputs
(hypothesis) go through the same preparation code the sidebar uses.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import lstm_core
from ui import inputs, series_file
from ui import model as demo

from .conftest import APP, array, figures, open_page, stepper_chart, stepper_controls, stepper_panels

DEMO_PAGES = ("stepper", "cell", "weights", "export", "code")
CJK = lambda text: any("\u4e00" <= ch <= "\u9fff" for ch in text)  # noqa: E731


def finite_charts(at):
    """No NaN or inf reaches a heatmap unannounced."""
    for figure in figures(at):
        for trace in figure["data"]:
            if trace.get("type") == "heatmap":
                assert np.isfinite(array(trace["z"]).astype(float)).all()


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "🙂👍🏽 mixed 中文 العربية e\u0301 ZWJ:👩‍💻",
        "<script>alert(1)</script>\x00\x1b[31m%s{0}",
        "公主很漂亮" * 20_000,  # 100,000 characters
    ],
    ids=["one-char", "emoji-mixed-scripts", "markup-and-control-codes", "100000-chars"],
)
def test_odd_texts_draw_on_every_page(app, text):
    at = open_page(app, "stepper")
    at.text_input(key="text").set_value(text).run()
    for page in DEMO_PAGES:
        open_page(at, page)
        assert not at.exception and not at.error, page
        finite_charts(at)
    open_page(at, "stepper")
    T = stepper_controls(at)["labels"]
    assert 1 <= len(T) <= inputs.MAX_TEXT_CHARACTERS
    if len(text) > inputs.MAX_TEXT_CHARACTERS:
        assert any(str(inputs.MAX_TEXT_CHARACTERS) in i.value for i in at.info)  # cut, and said so


@pytest.mark.parametrize("language,text", [("en", ""), ("zh", ""), ("en", "   \n\t "), ("zh", "\u200b\u3000")])
def test_blank_text_is_refused_in_the_reader_s_language_and_edits_survive(app, language, text):
    at = open_page(app, "weights")
    at.session_state["lang"] = language
    at.slider(key="edit_f_b").set_value(1.0).run()
    at.text_input(key="text").set_value(text).run()
    for page in DEMO_PAGES:
        open_page(at, page)
        assert not at.exception, page
        assert at.error and (CJK(at.error[0].value) if language == "zh" else not CJK(at.error[0].value))
    at.text_input(key="text").set_value("公主很漂亮").run()
    open_page(at, "stepper")
    assert not at.error and any(i.value for i in at.info)  # "these are the weights you edited"
    assert at.session_state["edit_f_b"] == 1.0


@pytest.mark.parametrize(
    "typed,fragment",
    [
        ("nan", "NaN"),
        ("inf, 1", "NaN"),
        ("1e308 1e308 -1e308", "million"),
        ("1, 2, x", "is not a number"),
        ("", "no numbers"),
        ("1e309", "NaN"),
        (",,,;;;", "no numbers"),
    ],
)
def test_hostile_numbers_get_a_message_on_every_page(app, typed, fragment):
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.selectbox(key="series").set_value("typed").run()
    at.text_area(key="typed").set_value(typed).run()
    for page in DEMO_PAGES:
        open_page(at, page)
        assert not at.exception, page
        assert any(fragment in e.value for e in at.error), (page, [e.value for e in at.error])


def test_a_ten_thousand_step_series_is_cut_with_a_notice(app):
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.selectbox(key="series").set_value("typed").run()
    at.text_area(key="typed").set_value(" ".join(f"{np.sin(k / 7):.4f}" for k in range(10_000))).run()
    assert not at.exception and not at.error
    assert any(str(inputs.MAX_SERIES_LENGTH) in i.value for i in at.info)
    figure = stepper_chart(at)
    assert len(stepper_panels(at)["frames"]) == 400  # 2000 steps drawn as 400 columns, and the chart says so
    assert "5 timesteps per column" in " ".join(a["text"] for a in figure["layout"]["annotations"])


@pytest.mark.parametrize(
    "query",
    [
        {"hidden": "0"},
        {"hidden": "100000"},
        {"hidden": "nan"},
        {"length": "-5"},
        {"length": "1e9"},
        {"t": "-3"},
        {"t": "99999"},
        {"lang": "xx"},
        {"series": "../../etc/passwd"},
        {"input": "series", "length": "2"},
        {"text": "x" * 10_000},
        {"act": "__import__('os')"},
        {"page": "%00"},
    ],
    ids=lambda query: "&".join(f"{key}={value[:20]}" for key, value in query.items()),
)
def test_junk_in_the_link_falls_back_with_a_notice(query):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    open_page(at, "stepper")
    assert not at.exception
    finite_charts(at)
    assert 1 <= at.session_state["hidden"] <= demo.MAX_HIDDEN_SIZE


def test_rapid_train_clicks_with_a_huge_learning_rate_end_in_a_message_not_a_crash(app):
    at = open_page(app, "train")
    at.select_slider(key="train_lr").set_value(10.0).run()
    at.select_slider(key="train_clip").set_value(0.0).run()
    at.slider(key="train_epochs").set_value(5).run()
    for _ in range(3):
        at.button(key="train_button").click()
    at.run()
    at.button(key="train_button").click().run()
    assert not at.exception
    run = at.session_state["train_runs"]["lstm"]
    assert np.isfinite(run.losses).all() or any(w.value for w in at.warning + at.error)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"",
        b"   \n",
        b"a,b\nx,y\n",
        "值\n一\n二".encode("gbk"),
        b"=cmd|' /C calc'!A0\n=1+2\n=A1",
        b"x\n" + b"1e308\n" * 5 + b"nan\n",
    ],
)
def test_csv_uploads_that_are_not_numbers_raise_a_clear_value_error(data):
    with pytest.raises(ValueError, match=r"^(csv_|column_not_numeric|series_|not_a_number|empty_series)"):
        table = series_file.read_series_file(data)
        inputs.prepare_series(series_file.column_values(table, 0)[0])


def test_a_formula_as_a_column_name_is_only_a_name():
    table = series_file.read_series_file(b"=cmd|' /C calc'!A0\n1\n2")
    assert table.columns == ("=cmd|' /C calc'!A0",)
    np.testing.assert_array_equal(series_file.column_values(table, 0)[0], [1.0, 2.0])


def test_weights_of_a_million_saturate_the_gates_without_nan():
    prepared = inputs.prepare_text("公主很漂亮")
    model = demo.build_model(demo.ModelSpec(), prepared)
    layer = model.recurrent
    for name in ("W", "U", "b"):
        array_ = getattr(layer, name)
        array_[...] = np.where(np.arange(array_.size).reshape(array_.shape) % 2, 1e6, -1e6)
    run = demo.run_model(model, prepared)
    for name in demo.QUANTITIES:
        assert np.isfinite(run.quantity(name)).all()
    assert np.isfinite(run.predictions).all()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=700))
def test_any_text_is_prepared_or_refused_with_a_known_reason(text):
    try:
        prepared = inputs.prepare_text(text, lstm_core.CLASSIC_VOCABULARY)
    except ValueError as error:
        assert str(error).split(":")[0] in {"empty_text", "vocabulary_too_large"}
        return
    assert 1 <= prepared.length <= inputs.MAX_TEXT_CHARACTERS
    np.testing.assert_array_equal(prepared.x.sum(axis=1), 1.0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=200))
def test_any_typed_numbers_are_parsed_or_refused_with_a_known_reason(typed):
    try:
        prepared = inputs.prepare_series(inputs.parse_numbers(typed))
    except ValueError as error:
        assert str(error).split(":")[0] in {
            "not_a_number",
            "empty_series",
            "series_not_finite",
            "series_too_large",
            "series_too_short",
        }
        return
    assert np.isfinite(prepared.x).all()
