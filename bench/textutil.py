"""Small text helpers shared by the benchmark scripts (standard library only).

Nothing here depends on newsdedup: these functions exist so that the
generator, the evaluator and the report agree on how an article is split into
headline, paragraphs and sentences, and how its word 5-gram set is built for
the generator's own distinctness check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that a scraper may leave inside words; the distinctness check
# removes them before comparing articles.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

WORD_RE = re.compile(r"\w+")

# A sentence ends at . ! or ? (optionally followed by closing quotes or
# brackets), then whitespace, then something that can start a sentence.
SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


@dataclass
class Article:
    """One real article as read from the source corpus."""

    corpus: str          # short corpus name, used as the output sub-folder
    source: str          # file name inside the corpus folder
    text: str            # the file's text, verbatim
    headline: str
    paragraphs: list[str]
    style: str           # "blank" (blank-line paragraphs) or "indent" (wire style)
    words: int = 0
    shingles: frozenset = field(default_factory=frozenset)


def parse_article(text: str) -> tuple[str, list[str], str]:
    """Split a corpus file into (headline, body paragraphs, layout style).

    The headline is the first non-empty line. Paragraphs are separated by
    blank lines; in wire-style text (indented paragraph starts, as in the
    Reuters files) an indented line also starts a new paragraph. The lines of
    one paragraph are joined with single spaces, keeping their inner spacing.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    headline = lines[i].strip() if i < len(lines) else ""
    rest = lines[i + 1:]
    body_lines = [ln for ln in rest if ln.strip()]
    indented = sum(1 for ln in body_lines if ln[:1] in (" ", "\t"))
    blanks_inside = sum(1 for a, b in zip(rest, rest[1:]) if not b.strip() and a.strip())
    style = "indent" if indented >= 1 and indented >= blanks_inside else "blank"
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for ln in rest:
        if not ln.strip():
            flush()
            continue
        if style == "indent" and ln[:1] in (" ", "\t"):
            flush()
        current.append(ln.strip())
    flush()
    return headline, paragraphs, style


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences with a simple punctuation rule."""
    out = []
    start = 0
    for m in SENTENCE_END_RE.finditer(paragraph):
        end = m.end()
        piece = paragraph[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def normalized_words(text: str) -> list[str]:
    """Lower-cased NFKC word tokens with invisible characters removed."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).lower()
    return WORD_RE.findall(text)


class ShingleHasher:
    """Turns word lists into sets of word 5-gram ids.

    Words are mapped to small integers in first-seen order and a 5-gram is
    the hash of a tuple of those integers. Integer and tuple hashing in
    CPython does not depend on PYTHONHASHSEED, so the ids are reproducible
    for a given input order.
    """

    def __init__(self, n: int = 5):
        self.n = n
        self.vocab: dict[str, int] = {}

    def shingles(self, words: list[str]) -> frozenset:
        vocab = self.vocab
        ids = [vocab.setdefault(w, len(vocab)) for w in words]
        if len(ids) < self.n:
            return frozenset([hash(tuple(ids))]) if ids else frozenset()
        cols = [ids[k:] for k in range(self.n)]
        return frozenset(map(hash, zip(*cols)))
