"""What a check sees while it runs: the document, the pack, cached analyses."""

from __future__ import annotations

from functools import cached_property

from .document import Document
from .model import Finding
from .pack import Pack, Rule
from .parts import Parts, find_parts


class Context:
    """Shared, lazily computed facts about one document under one pack.

    Attributes:
        doc: the document being checked.
        pack: the resolved rule pack.
        year: the report's year (from the text, ``--year`` or config), or ``None``.
        year_reason: why that year was chosen, in Chinese.
    """

    def __init__(self, doc: Document, pack: Pack, year: int | None = None, year_reason: str | None = None):
        self.doc = doc
        self.pack = pack
        self.year = year
        self.year_reason = year_reason
        self.cache: dict = {}

    @cached_property
    def parts(self) -> Parts:
        """The report's parts (工作情况 / 存在的问题 / 下一步打算 …), found once."""
        return find_parts(self.doc, self.pack.parts)

    def part_title(self, kind: str) -> str:
        """Chinese name of a part kind, from the pack (``problems`` → 存在的问题)."""
        titles = self.cache.get("part_titles")
        if titles is None:
            titles = self.cache["part_titles"] = {}
            for spec in self.pack.parts:
                titles.setdefault(spec.kind, spec.title)  # the first spec of a kind, as before
        return titles.get(kind, kind)

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        fixable: bool = False,
        level: str | None = None,
    ) -> Finding:
        """A :class:`Finding` of ``rule`` over offsets ``[start, end)`` of the document text."""
        line, col, end_line, end_col = self.doc.locate(start, end)
        return Finding(
            rule=rule.id,
            level=level or rule.level,  # type: ignore[arg-type]
            message=message,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            match=self.doc.text[start:end],
            suggestion=suggestion,
            start=start,
            end=end,
            fixable=fixable,
        )

    def last_line(self) -> int:
        """Line of the last non-blank paragraph (where a missing final part belongs)."""
        body = self.doc.body_paragraphs
        return body[-1].line if body else 1
