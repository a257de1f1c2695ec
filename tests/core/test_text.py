import numpy as np

from lstm_core import CLASSIC_SENTENCE, CLASSIC_VOCABULARY, Vocabulary, next_character_pairs


def test_the_classic_sentence_is_a_5_by_10_one_hot_matrix():
    vocabulary = Vocabulary.from_tokens(CLASSIC_VOCABULARY)
    assert vocabulary.size == 10 and CLASSIC_SENTENCE == "公主很漂亮"
    encoded = vocabulary.one_hot(CLASSIC_SENTENCE)
    assert encoded.shape == (5, 10)
    np.testing.assert_array_equal(encoded.sum(axis=1), np.ones(5))
    np.testing.assert_array_equal(encoded.argmax(axis=1), [0, 1, 2, 3, 4])
    assert vocabulary.decode(encoded.argmax(axis=1)) == CLASSIC_SENTENCE


def test_any_unicode_including_emoji_and_mixed_scripts():
    text = "héllo, 世界 🙂 Привет"
    vocabulary = Vocabulary.from_text(text)
    assert vocabulary.decode(vocabulary.encode(text)) == text
    assert "🙂" in vocabulary.tokens


def test_composed_and_decomposed_accents_are_one_token():
    assert Vocabulary.from_text("e\u0301\u00e9").size == 1


def test_next_character_pairs():
    vocabulary = Vocabulary.from_text("abca")
    x, y = next_character_pairs("abca", vocabulary)
    assert x.shape == (3, 3)
    np.testing.assert_array_equal(y, [1, 2, 0])
