"""English number words: cardinals, ordinals, fractions and approximate magnitudes.

A small parser of our own: English only, closed vocabulary (text2num would add a compiled dependency for
twenty lines of table). Other languages are matched with num2words/Babel forms, see eval/locale_forms.py.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}
# "tens of thousands" -> lower bound of the magnitude it names.
APPROX_MULTIPLES = {"tens": 10, "dozens": 12, "hundreds": 100, "several": 2}
APPROX_SCALES = {"thousands": 1000, "millions": 10**6, "billions": 10**9, "hundreds": 100, "dozens": 12}

# Alternation strings for the extraction regex (longest first).
CARDINAL_WORDS = sorted([*UNITS, *TENS], key=len, reverse=True)
SCALE_WORDS = sorted(SCALES, key=len, reverse=True)
ORDINAL_WORDS = sorted(ORDINALS, key=len, reverse=True)


def words_to_number(words: str) -> int | None:
    """'two hundred thousand' -> 200000, 'twenty-five' -> 25, 'a million' -> 1000000; None if not a number."""
    tokens = words.lower().replace("-", " ").replace(" and ", " ").split()
    if not tokens:
        return None
    if tokens[0] == "a":
        tokens[0] = "one"
    total = 0
    current = 0
    seen = False
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in SCALES:
            total += max(current, 1) * SCALES[token]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None
