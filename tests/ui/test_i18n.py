"""Every string the code asks for exists in both languages, and formats without error."""

import re
import string
from pathlib import Path

import pytest

from ui.i18n import EN, STRINGS, ZH, Translator

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
    "csv_separator_": ["comma", "semicolon", "tab", "bar", "space", "none"],
    "csv_dropped_": ["empty", "not_numbers", "not_finite"],
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
    assert Translator("zh").error(ValueError("not_a_number:abc")) == "“abc”不是数字。请用逗号或空格分隔数字。"
    assert Translator("en").error(ValueError("empty_text")).startswith("The sentence is empty")
    core = ValueError("x has 7 input feature(s) per timestep but this layer expects input_size = 10.")
    assert Translator("zh").error(core).startswith("无法使用该输入：x has 7")


@pytest.mark.parametrize("language", ["en", "zh", "fr"])
def test_unknown_language_falls_back_to_english(language):
    assert Translator(language)("page_home") == (ZH if language == "zh" else EN)["page_home"]
