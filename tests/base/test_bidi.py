"""A value people typed, isolated inside a sentence of ours shown as plain text."""

import unicodedata

from podium.base.bidi import isolated


def test_a_right_to_left_title_is_isolated_from_the_sentence_around_it():
    title = "מה חדש ב-Python 3.13?"

    sentence = f"“{isolated(title)}” is off the schedule."

    opening, closing = (
        sentence.index("\N{FIRST STRONG ISOLATE}"),
        sentence.index("\N{POP DIRECTIONAL ISOLATE}"),
    )
    assert sentence[opening + 1 : closing] == title
    assert unicodedata.bidirectional(sentence[opening]) == "FSI"
    assert unicodedata.bidirectional(sentence[closing]) == "PDI"


def test_an_empty_value_is_still_a_closed_pair():
    assert isolated("") == "\N{FIRST STRONG ISOLATE}\N{POP DIRECTIONAL ISOLATE}"
