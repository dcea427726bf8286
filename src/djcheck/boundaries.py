"""Whether a match stands on word boundaries, by word segmentation of its context (for safe fixes).

A wrong → right replacement is safe to apply only where the wrong form is a word (or words) of the
sentence as a reader cuts it: ``习总书记`` in ``跟进学习总书记`` starts inside ``学习`` (学习|总书记), so it
is not the wrong form at all; a typo glued inside a longer word is left to the reader.
"""

from __future__ import annotations

#: Characters of context cut on each side of a match.
WINDOW = 12

ON_BOUNDARIES = "ok"
INSIDE_WORD = "inside"
ACROSS_WORDS = "across"


def word_fit(text: str, start: int, end: int) -> str:
    """How ``text[start:end]`` fits the words of its context.

    Returns:
        ``"ok"`` when both ends fall on word boundaries; ``"across"`` when a word of the context
        starts before the match and ends inside it (or starts inside it and ends after it), so the
        match cuts a word in two; ``"inside"`` when the match lies within one longer word.
        Offsets are characters (0-based, ``end`` exclusive).
    """
    from .segment import cut_spans

    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    s, e = start - lo, end - lo
    tokens = cut_spans(text[lo:hi])
    bounds = {0, hi - lo}
    for _, a, b in tokens:
        bounds.add(a)
        bounds.add(b)
    if s in bounds and e in bounds:
        return ON_BOUNDARIES
    for _, a, b in tokens:
        if (a < s < b <= e) or (s <= a < e < b):
            return ACROSS_WORDS
    return INSIDE_WORD
