import re

import lstm_core

from .conftest import figures


def test_first_load_shows_the_cell_of_the_classic_sentence_already_computed(app):
    assert app.title[0].value == "LSTM Gate Lab"
    assert not app.error and not app.warning
    assert not figures(app)  # the diagram is a picture drawn on the server: no Plotly on the front door
    (svg,) = [block.value for block in app.markdown if block.value.startswith("<svg")]
    vocabulary = lstm_core.Vocabulary.from_tokens(lstm_core.CLASSIC_VOCABULARY)
    trace = lstm_core.LSTM.init(10, 8, seed=0).forward(vocabulary.one_hot("公主很漂亮"))
    text = re.sub(r"<[^>]+>", "", svg)  # the words the picture shows
    assert f"f = {trace.f[-1, 0]:.3f}" in text
    assert f"ht = {trace.h[-1, 0]:.3f}" in text
    assert "xt = 亮" in text


def test_language_switch_changes_labels_and_page_titles(app):
    app.button_group(key="lang").set_value("zh").run()
    assert app.title[0].value == "LSTM 门控实验室"
    assert "打开了 LSTM 的“黑箱”" in app.markdown[0].value
    assert not app.exception


def test_bad_input_in_the_sidebar_shows_a_message_not_a_traceback(app):
    app.text_input(key="text").set_value("   ").run()
    assert not app.exception
    assert any("empty" in e.value for e in app.error)
    assert any("Fix the input" in w.value for w in app.warning)
    app.text_input(key="text").set_value("hello").run()
    assert not app.error


def test_a_link_opens_the_same_view_and_junk_falls_back_with_a_notice():
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"lang": "zh", "hidden": "4", "text": "你好", "seed": "-1", "act": "<script>", "zzz": "1"})
    at.run()
    assert not at.exception
    assert at.title[0].value == "LSTM 门控实验室"
    assert at.session_state["hidden"] == 4 and at.session_state["text"] == "你好"
    assert at.session_state["seed"] == 0 and at.session_state["act"] == "tanh"
    (notice,) = at.warning
    assert "seed" in notice.value and "act" in notice.value and "zzz" in notice.value
