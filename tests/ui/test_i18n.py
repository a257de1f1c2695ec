"""Every string the code asks for exists in both languages, and formats without error."""

import re
import string
from pathlib import Path

import numpy as np
import pytest

from ui.i18n import EN, STRINGS, ZH, Translator
from ui.input_refusal import InputRefused
from ui.lesson import STEPS as LESSON_STEPS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
DYNAMIC = {  # keys built from f-strings in the code, listed out
    "cell_preset_": ["default", "remember", "overwrite", "silent"],
    "cell_source_": ["sliders", "model"],
    "edit_": ["w", "u", "b"],
    "gate_": ["f", "i", "c", "o"],
    "input_": ["text", "series"],
    "layout_": ["tutorial", "pytorch", "keras"],
    "notice_": ["text_cut", "series_cut", "vocabulary_extended"],
    "preset_": ["random", "trained", "session"],
    "q_": ["f", "i", "c_tilde", "o", "c", "h", "r", "z", "n"],
    "task_": ["next_character", "sine", "long_memory", "brackets"],
    "series_": ["sine", "step", "noise", "typed", "csv"],
    "code_tab_": ["pytorch", "keras", "numpy"],
    "code_about_": ["pytorch", "keras", "numpy"],
    "code_install_": ["pytorch", "keras", "numpy"],
    "export_weights_": ["pytorch", "keras", "numpy"],
    "csv_separator_": ["comma", "semicolon", "tab", "bar", "space", "none"],
    "csv_dropped_": ["empty", "not_numbers", "not_finite"],
    "lesson_": [  # pages/lesson.py: each step's words (tests/pages/test_lesson.py checks the options)
        f"{step.name}_{part}" for step in LESSON_STEPS for part in ("title", "text", "question", "reveal")
    ],
    "page_": ["lesson", "cell", "stepper", "gradients", "train"],
    "units_sort_": ["character", "position", "saturation"],
    "cell_kind_": ["lstm", "gru"],
    "gru_gate_": ["r", "z", "n"],
    "trained_not_shared_": ["not_lstm", "layers", "task", "diverged", "no_epoch"],
}


def used_keys():
    keys = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        keys.update(re.findall(r"\bt\(\s*[\"']([a-z_]+)[\"']", text))
        for prefix in re.findall(r"\bt\(\s*f[\"']([a-z_]+)\{", text):
            keys.update(prefix + suffix for suffix in DYNAMIC[prefix])
    return keys


def test_every_used_key_exists_in_both_languages():
    keys = used_keys()
    assert len(keys) > 80
    for language, table in STRINGS.items():
        assert not sorted(keys - set(table)), f"missing in {language}"


def test_both_languages_have_the_same_keys_and_placeholders():
    assert set(EN) == set(ZH)
    for key in EN:
        fields_en = {f for _, f, _, _ in string.Formatter().parse(EN[key]) if f}
        fields_zh = {f for _, f, _, _ in string.Formatter().parse(ZH[key]) if f}
        assert fields_en == fields_zh, key


def test_errors_from_the_input_checks_are_translated():
    assert Translator("zh").error(InputRefused("not_a_number", "abc")) == "“abc”不是数字。请用逗号或空格分隔数字。"
    assert Translator("en").error(InputRefused("empty_text")).startswith("The sentence is empty")
    assert str(InputRefused("not_a_number", "abc")) == "not_a_number: abc"  # a ValueError naming the problem


def test_every_refusal_the_ui_raises_has_a_sentence_in_both_languages():
    """Each InputRefused key in ui/ (found in the source) is a string in English and Chinese."""
    ui_folder = Path(__file__).resolve().parents[2] / "ui"
    source = "".join(path.read_text(encoding="utf-8") for path in ui_folder.glob("*.py"))
    keys = set(re.findall(r'InputRefused\("(\w+)"', source))
    assert len(keys) >= 15
    for key in keys:
        assert f"error_{key}" in EN and f"error_{key}" in ZH, key


def test_a_refusal_survives_streamlit_s_cache():
    import pickle

    error = pickle.loads(pickle.dumps(InputRefused("csv_too_many_columns", 250)))
    assert isinstance(error, InputRefused) and (error.key, error.detail) == ("csv_too_many_columns", "250")
    core = ValueError("x has 7 input feature(s) per timestep but this layer expects input_size = 10.")
    assert Translator("zh").error(core).startswith("无法使用该输入：x has 7")


@pytest.mark.parametrize("language", ["en", "zh", "fr"])
def test_unknown_language_falls_back_to_english(language):
    assert Translator(language)("page_home") == (ZH if language == "zh" else EN)["page_home"]


def _tutorial_npz(**changes) -> bytes:
    """The classic exercise's parameters dict (n_a = 5 hidden, n_x = n_y = 10), with `changes`."""
    import io

    rng = np.random.default_rng(0)
    arrays = {}
    for gate in "fico":
        arrays[f"W{gate}"], arrays[f"b{gate}"] = rng.normal(size=(5, 15)), rng.normal(size=(5, 1))
    arrays["Wy"], arrays["by"] = rng.normal(size=(10, 5)), rng.normal(size=(10, 1))
    arrays.update(changes)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "changes, english, chinese",
    [
        (
            {"Wi": np.zeros((5, 7))},
            "Wi has shape (5, 7) but shape (5, 15) was expected",
            "Wi 的形状是 (5, 7)，但应该是 (5, 15)",
        ),
        ({"bo": np.full((5, 1), np.nan)}, "contains 5 NaN or infinite value(s)", "中有 5 个 NaN 或无穷大的值"),
        (
            {"Wc": np.array(["a"] * 75).reshape(5, 15)},
            "'Wc' holds <U1 values, not numbers",
            "条目 'Wc' 中是 <U1 values，不是数字",
        ),
    ],
)
def test_the_core_s_complaints_about_a_file_reach_the_page_in_its_language(changes, english, chinese):
    """Not 此文件未被加载：Wi has shape …: the core's check comes as data and is said in Chinese."""
    import pickle

    from lstm_core.files import load_weights

    with pytest.raises(ValueError) as caught:
        load_weights(_tutorial_npz(**changes), "weights.npz", isolated=False)
    error = pickle.loads(pickle.dumps(caught.value))  # as Streamlit's cache keeps it
    assert english in Translator("en").error(error)
    said = Translator("zh").error(error)
    assert chinese in said and "has shape" not in said and "must" not in said and "expected" not in said


def test_an_unknown_activation_in_a_file_is_refused_in_the_page_s_language():
    import json

    from lstm_core.files import load_weights

    arrays = {
        f"{kind}{gate}": [[0.1] * (3 if kind == "W" else 1)] * 2 for kind in "Wb" for gate in "fico"
    }  # H = 2, I = 1
    data = json.dumps({**arrays, "recurrent_activation": "swish"}).encode()
    with pytest.raises(ValueError) as caught:
        load_weights(data, "weights.json", isolated=False)
    assert "recurrent_activation 'swish'" in Translator("en").error(caught.value)
    said = Translator("zh").error(caught.value)
    assert "'swish'，本应用不计算这种函数" in said and "Unknown" not in said
