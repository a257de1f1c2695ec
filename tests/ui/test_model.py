"""The demo's input preparation, model building and edits, without Streamlit."""

import numpy as np
import pytest

import lstm_core
from ui import inputs, series_file
from ui import model as demo


def test_classic_sentence_with_its_10_character_vocabulary():
    prepared = inputs.prepare_text("公主很漂亮", lstm_core.CLASSIC_VOCABULARY)
    assert prepared.x.shape == (5, 10) and prepared.tokens == tuple("公主很漂亮")
    np.testing.assert_array_equal(prepared.targets[:4], [1, 2, 3, 4])
    assert list(prepared.has_target) == [True] * 4 + [False]


def test_new_characters_extend_the_vocabulary_with_a_notice():
    prepared = inputs.prepare_text("公主很美", "公主很")
    assert prepared.vocabulary.tokens == tuple("公主很美")
    assert prepared.notices == ("vocabulary_extended",)


def test_huge_text_is_cut_and_blank_text_refused():
    assert inputs.prepare_text("ab" * 50_000).length == inputs.MAX_TEXT_CHARACTERS
    assert "text_cut" in inputs.prepare_text("ab" * 50_000).notices
    for blank in ("", "   \n\t"):
        with pytest.raises(ValueError, match="empty_text"):
            inputs.prepare_text(blank)


def test_typed_numbers_and_their_errors():
    np.testing.assert_array_equal(inputs.parse_numbers("1, 2.5;3\n-4e-1"), [1, 2.5, 3, -0.4])
    with pytest.raises(ValueError, match="not_a_number: abc"):
        inputs.parse_numbers("1, abc")
    for bad, key in (([np.nan], "series_not_finite"), ([1e308], "series_too_large"), ([], "empty_series")):
        with pytest.raises(ValueError, match=key):
            inputs.prepare_series(np.array(bad))


def test_csv_upload_reading():
    table = series_file.read_series_file(b"t,value,label\n0,0.5,a\n1,0.7,b\n")
    assert table.columns == ("t", "value", "label") and table.header and table.separator == ","
    np.testing.assert_array_equal(series_file.column_values(table, 1)[0], [0.5, 0.7])
    with pytest.raises(ValueError, match="column_not_numeric"):
        series_file.column_values(table, 2)
    for junk in (b"", b"\x00\xff\xfe\x89PNG\r\n", b"   \n"):
        with pytest.raises(ValueError, match="csv_"):
            series_file.read_series_file(junk)


def test_model_is_reproducible_from_its_spec_and_matches_the_core():
    prepared = inputs.prepare_text("公主很漂亮", lstm_core.CLASSIC_VOCABULARY)
    spec = demo.ModelSpec(hidden_size=4, seed=3)
    a, b = demo.build_model(spec, prepared), demo.build_model(spec, prepared)
    assert demo.fingerprint(a) == demo.fingerprint(b)
    run = demo.run_model(a, prepared)
    reference = lstm_core.LSTM.init(10, 4, seed=3).forward(prepared.x)
    np.testing.assert_allclose(run.trace.h, reference.h)
    assert run.predictions.shape == (5, 10)


def test_trained_preset_learns_the_sentence():
    prepared = inputs.prepare_text("公主很漂亮", lstm_core.CLASSIC_VOCABULARY)
    run = demo.run_model(demo.build_model(demo.ModelSpec(preset="trained"), prepared), prepared)
    assert prepared.vocabulary.decode(run.predictions[:4].argmax(-1)) == "主很漂亮"


def test_edits_scale_shift_and_set_single_weights_without_touching_the_base():
    prepared = inputs.prepare_text("abc")
    base = demo.build_model(demo.ModelSpec(hidden_size=2), prepared)
    edits = demo.Edits(
        gates={"f": demo.GateEdit(w_scale=2.0, u_scale=0.0, b_shift=1.5)},
        cells={("o", "W", 1, 2): 7.0, ("i", "b", 0, 0): -3.0},
    )
    edited = demo.apply_edits(base, edits).recurrent
    f_base, f_edited = base.recurrent.gate("f"), edited.gate("f")
    np.testing.assert_allclose(f_edited.W, 2 * f_base.W)
    np.testing.assert_array_equal(f_edited.U, 0 * f_base.U)
    np.testing.assert_allclose(f_edited.b, f_base.b + 1.5)
    assert edited.gate("o").W[1, 2] == 7.0 and edited.gate("i").b[0] == -3.0
    assert demo.fingerprint(base) != demo.fingerprint(demo.apply_edits(base, edits))
    with pytest.raises(ValueError, match="weight_out_of_range"):
        demo.apply_edits(base, demo.Edits(cells={("o", "W", 0, 0): float("nan")}))


def test_saturation_shares():
    below, above = demo.saturation(np.array([[0.05, 0.5], [0.95, 0.99], [0.5, 0.01]]))
    np.testing.assert_allclose(below, [1 / 3, 1 / 3])
    np.testing.assert_allclose(above, [1 / 3, 1 / 3])
