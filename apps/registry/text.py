"""Text folding shared by aliases and (later) the tag matcher."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Typographic apostrophes and dashes are spelled many ways in wire copy; fold them to ASCII.
_PUNCT = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form: "Goïta" and "GOITA" both fold to "goita"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
