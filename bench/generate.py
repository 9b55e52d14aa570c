#!/usr/bin/env python3
"""Build labeled near-duplicate test sets for newsdedup from real news text.

Two modes (standard library only):

* labeled (default): reads one or more folders of real articles, keeps only
  base articles that are clearly distinct from each other, then writes the
  bases, planted near-duplicate copies (each made with one or two named
  artefact kinds) and hard negatives, together with the ground truth.

      python3 bench/generate.py --corpora ../shared/corpora --out bench/out/labeled

  Documents go to OUT/<corpus>/NNNNNN.txt; the truth goes to a sibling folder
  (default OUT-truth/): truth.jsonl, negatives.jsonl, manifest.json and
  source_duplicates.jsonl (pairs of real articles the distinctness check set
  aside because they already were near-duplicates in the source corpus).

* scale: writes about N synthetic ~1 KB articles recombined from real
  sentences, in nested folders of at most 1,000 files, with planted
  duplicates at a known rate.

      python3 bench/generate.py --corpora ../shared/corpora --scale 100000 --out /tmp/newsdedup-scale/100k

  Documents go to OUT/docs/...; OUT/truth.tsv lists each planted copy with
  its original and artefact; OUT/manifest.json has the counts.

The same arguments and seed always give byte-identical output.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import sys
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textutil import (  # noqa: E402
    Article,
    ShingleHasher,
    normalized_words,
    parse_article,
    split_sentences,
)

GENERATOR_VERSION = 2
# Scale mode has its own version: its output did not change when the
# labeled set's artefacts did (version 2), so existing scale corpora stay valid.
SCALE_VERSION = 1
DEFAULT_SEED = 20050303

# --------------------------------------------------------------------------
# Reading corpora and the distinctness check
# --------------------------------------------------------------------------


def corpus_name(folder: Path) -> str:
    """Name a corpus after its folder ('docs' folders take their parent's name)."""
    folder = folder.resolve()
    name = folder.parent.name if folder.name == "docs" else folder.name
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name) or "corpus"


def load_corpus(folder: Path, name: str, hasher: ShingleHasher) -> list[Article]:
    """Read every *.txt file of a folder (sorted by name) as an Article."""
    out = []
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(".txt"):
            continue
        with open(folder / entry, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        headline, paragraphs, style = parse_article(text)
        words = normalized_words(text)
        art = Article(corpus=name, source=entry, text=text, headline=headline,
                      paragraphs=paragraphs, style=style, words=len(words))
        art.shingles = hasher.shingles(words)
        out.append(art)
    return out


@dataclass
class DistinctReport:
    read: int = 0
    too_short: int = 0
    dropped: list = field(default_factory=list)   # (dropped, kept, jaccard, containment)


def select_distinct(articles: list[Article], jaccard_max: float, containment_max: float,
                    min_words: int, report: DistinctReport) -> list[Article]:
    """Keep articles whose 5-gram sets are not near-duplicates of a kept one.

    Articles are visited in the given order. An inverted index maps each
    5-gram id to the kept articles that contain it, so the exact size of the
    intersection with every kept article that shares anything is counted in
    one pass over the new article's 5-grams (no all-pairs comparison). An
    article is dropped when, against some kept article, Jaccard >=
    jaccard_max or containment (intersection over the smaller set) >=
    containment_max.
    """
    # 5-grams that occur in one article only cannot be shared; leaving them
    # out of the index makes it several times smaller.
    df: Counter = Counter()
    for art in articles:
        df.update(art.shingles)
    repeated = frozenset(s for s, c in df.items() if c > 1)
    del df
    postings: dict[int, list[int]] = defaultdict(list)
    kept: list[Article] = []
    min_kept = 1 << 30
    for art in articles:
        report.read += 1
        if art.words < min_words or not art.shingles:
            report.too_short += 1
            continue
        shared = art.shingles & repeated
        counts: Counter = Counter()
        for s in shared:
            plist = postings.get(s)
            if plist:
                counts.update(plist)
        size = len(art.shingles)
        conflict = None
        # Both limits need an intersection of at least `floor` 5-grams with
        # any kept article, so candidates are visited by decreasing shared
        # count and the scan stops below that floor.
        floor = min(containment_max, jaccard_max / (1 + jaccard_max) * 2) * min(size, min_kept)
        for k, inter in counts.most_common():
            if inter < floor:
                break
            other = len(kept[k].shingles)
            jac = inter / (size + other - inter)
            con = inter / min(size, other)
            if jac >= jaccard_max or con >= containment_max:
                if conflict is None or (jac, con) > conflict[1:]:
                    conflict = (k, jac, con)
        if conflict is not None:
            k, jac, con = conflict
            report.dropped.append((art, kept[k], jac, con))
            continue
        idx = len(kept)
        kept.append(art)
        min_kept = min(min_kept, size)
        for s in shared:
            postings[s].append(idx)
    return kept


# Headline patterns of templated wire reports: distinct stories whose wording
# is shared. Each article goes to the first pattern that matches.
TEMPLATES = [
    ("qtr net", re.compile(r"\bQTR\b.*\b(NET|LOSS|PROFIT)\b")),
    ("year net", re.compile(r"\b(YEAR|YR)\b.*\b(NET|LOSS|PROFIT)\b")),
    ("sets dividend", re.compile(r"\bDIV(IDEND)?S?\b")),
    ("prices", re.compile(r"\bPRICES?\b")),
    ("raises", re.compile(r"\bRAISES?\b")),
    ("cuts", re.compile(r"\bCUTS?\b")),
    ("stake", re.compile(r"\bSTAKE\b")),
]


def template_of(headline: str) -> str | None:
    up = headline.upper()
    for name, pat in TEMPLATES:
        if pat.search(up):
            return name
    return None


# --------------------------------------------------------------------------
# Artefacts
# --------------------------------------------------------------------------

FIRST_NAMES = ["Jane", "John", "Alex", "Sam", "Priya", "Chris", "Anna", "Ben", "Maria", "Tom",
               "Leila", "Owen", "Grace", "Ravi", "Nina", "Paul"]
LAST_NAMES = ["Doe", "Roe", "Smith", "Taylor", "Patel", "Jones", "Novak", "Clarke", "Lopez",
              "Baker", "Hughes", "Evans", "Okafor", "Murray", "Fischer", "Walsh"]
ROLES = ["Staff Reporter", "Business Correspondent", "Political Editor", "Technology Reporter",
         "Sports Writer", "Arts Correspondent", "Economics Editor", "Staff Writer"]
CITIES = ["LONDON", "NEW YORK", "WASHINGTON", "TOKYO", "PARIS", "FRANKFURT", "BRUSSELS",
          "CHICAGO", "SYDNEY", "HONG KONG", "TORONTO", "MADRID"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_SHORT = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
                "Nov", "Dec"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DOMAINS = ["news.example.co.uk", "www.example-news.com", "example.org", "wire.example.net",
           "www.dailyexample.co.uk"]
FOOTERS = [
    "\u00a9 2005 Example News. All rights reserved.",
    "Copyright 2005 Example Media Group. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Share this article",
    "Share: Facebook | Twitter | Email | Print",
    "Advertisement",
    "E-mail this story to a friend",
    "Printable version",
    "Related stories",
]

# Site templates: the same navigation, cookie and newsletter text wrapped
# around many different articles, the way one news site's pages look.
SITE_TEMPLATES = {
    "daily_example": (
        [
            "Skip to main content",
            "The Daily Example | Home | News | Business | Sport | Culture | Technology | "
            "Opinion | Weather",
            "We use cookies to give you the best experience on our website. By continuing "
            "to browse the site you agree to our use of cookies. Find out more | Accept and close",
            "Sign in | Subscribe from one pound a week",
        ],
        [
            "Sign up to our morning briefing: the day's top stories delivered to your inbox "
            "every weekday. Enter your email address. Subscribe. You can unsubscribe at any time.",
            "Most read",
            "1. Council approves plans for new riverside footbridge",
            "2. Heavy rain expected across the north this weekend",
            "3. Ten simple ways to save money on your energy bills",
            "4. Local bakery wins national award for its sourdough loaf",
            "5. Commuters face delays as rail engineering works begin",
            "About us | Contact us | Advertise with us | Terms and conditions | Privacy policy "
            "| Cookie settings | Accessibility",
            "\u00a9 The Daily Example Ltd. Registered in England and Wales. All rights reserved.",
        ],
    ),
    "metro_wire": (
        [
            "MENU | SEARCH | LOG IN",
            "Metro Wire Online > News > Latest headlines",
            "This site uses cookies and similar technologies to personalise content and ads, "
            "to provide social media features and to analyse our traffic. Manage preferences "
            "| I agree",
            "Breaking: Follow our live coverage throughout the day",
        ],
        [
            "Get the Metro Wire newsletter. The biggest stories, expert analysis and exclusive "
            "offers, straight to your inbox. Enter your email address and press sign up.",
            "More from Metro Wire",
            "- Five things to watch in the markets this week",
            "- Readers share their favourite walks in the countryside",
            "- What the new parking rules mean for drivers",
            "- The best films to stream this weekend",
            "Follow us on social media | Download our app | Contact the newsroom",
            "Metro Wire Online is not responsible for the content of external sites. "
            "Copyright Metro Wire Media. All rights reserved.",
        ],
    ),
    "global_post": (
        [
            "Global Example Post",
            "World | Politics | Economy | Markets | Science | Health | Travel | Video | Podcasts",
            "Your privacy matters to us. We and our partners store and access information on "
            "your device, such as cookies, to measure audiences and improve our services. "
            "Accept all | Reject all | Customise",
            "Advertisement",
        ],
        [
            "Advertisement",
            "Enjoyed this story? Become a member for unlimited access to independent journalism, "
            "our daily newsletter and the weekend edition. Join today.",
            "Trending now",
            "Scientists map the oldest known forest floor",
            "How one small town rebuilt its high street",
            "Why ferry prices are rising this summer",
            "Global Example Post | Company information | Work for us | Help centre | "
            "Terms of service | Privacy notice | Do not sell my personal information",
        ],
    ),
}

ARTEFACT_KINDS = [
    "reflow", "hardwrap", "crlf", "url_lines", "byline", "dateline", "footer", "drop_headline",
    "sentences_dropped", "sentences_added", "numbers_updated", "typography", "html_entities",
    "zero_width", "teaser", "site_chrome",
]

# Pairs that cannot be combined in one copy.
INCOMPATIBLE = {
    frozenset(["reflow", "hardwrap"]),
    frozenset(["teaser", "drop_headline"]),
    frozenset(["teaser", "sentences_dropped"]),
}


@dataclass
class Draft:
    """A copy being built: structure first, then layout, then character edits."""

    article: Article
    headline: str | None
    paragraphs: list[str]
    top: list[str] = field(default_factory=list)          # lines before the headline
    under_head: list[str] = field(default_factory=list)   # lines between headline and body
    tail: list[str] = field(default_factory=list)         # lines after the body
    layout: str = "native"                                # native | reflow | hardwrap
    wrap_width: int = 70
    chrome: str | None = None
    typography: bool = False
    entities: bool = False
    zero_width: bool = False
    crlf: bool = False


@dataclass
class Context:
    """What an artefact may need besides the draft and its random source."""

    donors: list[Article]
    section: str
    agency: str


def _sentences(d: Draft) -> list[tuple[int, int, str]]:
    """(paragraph index, sentence index, sentence) for every body sentence."""
    out = []
    for pi, p in enumerate(d.paragraphs):
        for si, s in enumerate(split_sentences(p)):
            out.append((pi, si, s))
    return out


def _body_words(d: Draft) -> int:
    return sum(len(p.split()) for p in d.paragraphs)


def art_reflow(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """reflow: the whole body becomes one long line (paragraph breaks lost)."""
    if len(d.paragraphs) < 2 and d.article.style == "blank":
        return False
    d.layout = "reflow"
    return True


def art_hardwrap(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """hardwrap: body lines are wrapped at a fixed width between 60 and 76 columns."""
    d.layout = "hardwrap"
    d.wrap_width = rng.randint(60, 76)
    return True


def art_crlf(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """crlf: every line ends with CR LF instead of LF."""
    d.crlf = True
    return True


def art_url_lines(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """url_lines: a source URL line and/or a bare domain path line, above or below."""
    dom = rng.choice(DOMAINS)
    num = rng.randint(3_000_000, 4_999_999)
    path = f"{dom}/2/hi/{ctx.section}/{num}.stm"
    variants = [
        [f"Source: https://{path}"],
        [path],
        ["Story from EXAMPLE NEWS:", f"http://{dom}/go/pr/fr/-/2/hi/{ctx.section}/{num}.stm"],
        [f"https://{path}", f"Published at {dom}"],
    ]
    lines = rng.choice(variants)
    if rng.random() < 0.5:
        d.top = lines + d.top
    else:
        d.tail = d.tail + lines
    return True


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def art_byline(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """byline: an author line under the headline or a wire-style credit at the end."""
    choice = rng.randrange(4)
    if choice == 0:
        d.under_head.append(f"By {_name(rng)}, {rng.choice(ROLES)}")
    elif choice == 1:
        d.under_head.append(f"By {_name(rng).upper()}")
    elif choice == 2:
        d.tail.insert(0, f"Reporting by {_name(rng)}; Editing by {_name(rng)}")
    else:
        d.tail.insert(0, f"(Reporting by {_name(rng)}; Writing by {_name(rng)}; "
                         f"Editing by {_name(rng)})")
    return True


def art_dateline(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """dateline: a 'CITY, Month D (Agency) -' prefix on the first paragraph, or a date line."""
    day = rng.randint(1, 28)
    mon = rng.randrange(12)
    year = rng.choice([1987, 2004, 2005])
    if d.paragraphs and rng.random() < 0.5:
        dash = rng.choice(["-", "--", "\u2014"])
        d.paragraphs[0] = (f"{rng.choice(CITIES)}, {MONTHS_SHORT[mon]} {day} ({ctx.agency}) "
                           f"{dash} {d.paragraphs[0]}")
    else:
        line = rng.choice([
            f"Published: {day} {MONTHS[mon]} {year}",
            f"Last updated: {rng.choice(DAYS)}, {day} {MONTHS[mon]} {year}, "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT",
            f"Posted {mon + 1}/{day}/{year} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} "
            f"{rng.choice(['AM', 'PM'])}",
        ])
        d.under_head.append(line)
    return True


def art_footer(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """footer: one to three boilerplate lines (copyright, share, advertisement) at the end;
    sometimes an 'Advertisement' line between two paragraphs too."""
    for line in rng.sample(FOOTERS, rng.randint(1, 3)):
        d.tail.append(line)
    if len(d.paragraphs) >= 3 and rng.random() < 0.4:
        at = rng.randint(1, len(d.paragraphs) - 1)
        d.paragraphs.insert(at, "Advertisement")
    return True


def _looks_like_subhead(p: str) -> bool:
    return len(p.split()) <= 7 and not p.rstrip().endswith((".", "!", "?", '"', ":", "'"))


def _is_prose(p: str) -> bool:
    return len(p.split()) >= 8 and p.rstrip().endswith((".", "!", "?", '"', "'"))


def art_drop_headline(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """drop_headline: the headline line and short subhead lines are removed.

    A subhead is a short unpunctuated paragraph followed by prose: the rows
    of a table (a Reuters earnings note is little else) are content, and a
    scraper that loses subheads keeps them. Nothing is dropped but the
    headline if that would take away half the body.
    """
    if d.headline is None:
        return False
    d.headline = None
    paras = d.paragraphs
    kept = [
        p for i, p in enumerate(paras)
        if not (_looks_like_subhead(p) and i + 1 < len(paras) and _is_prose(paras[i + 1]))
    ]
    if kept and 2 * sum(len(p.split()) for p in kept) >= _body_words(d):
        d.paragraphs = kept
    return True


def _rebuild(d: Draft, drop: set[tuple[int, int]], add: dict[tuple[int, int], list[str]]) -> None:
    """Rebuild paragraphs after removing or inserting sentences."""
    new = []
    for pi, p in enumerate(d.paragraphs):
        sents = split_sentences(p)
        out = []
        for si, s in enumerate(sents):
            if (pi, si) not in drop:
                out.append(s)
            out.extend(add.get((pi, si), []))
        if out:
            new.append(" ".join(out))
    d.paragraphs = new


def art_sentences_dropped(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """sentences_dropped: one or two body sentences are removed."""
    sents = _sentences(d)
    if len(sents) < 4:
        return False
    k = 1 if len(sents) < 8 else rng.randint(1, 2)
    chosen = rng.sample(range(len(sents)), k)
    _rebuild(d, {(sents[i][0], sents[i][1]) for i in chosen}, {})
    return True


def art_sentences_added(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """sentences_added: one or two sentences from another article are inserted.

    An edit adds sentences between sentences, not inside a table row, and
    stays light: the added words are at most half the body's, so a brief is
    not turned into a longer story that merely quotes it.
    """
    sents = [x for x in _sentences(d) if x[2].rstrip().endswith((".", "!", "?", '"', "'"))]
    if not sents:
        return False
    budget = _body_words(d) // 2
    extra = []
    for _ in range(20):
        donor = rng.choice(ctx.donors)
        if donor is d.article:
            continue
        pool = [s for p in donor.paragraphs for s in split_sentences(p)
                if 5 <= len(s.split()) <= min(40, budget - sum(len(e.split()) for e in extra))]
        if pool:
            extra.append(rng.choice(pool))
            if len(extra) >= rng.randint(1, 2):
                break
    if not extra:
        return False
    add: dict[tuple[int, int], list[str]] = defaultdict(list)
    for s in extra:
        pi, si, _ = sents[rng.randrange(len(sents))]
        add[(pi, si)].append(s)
    _rebuild(d, set(), add)
    return True


NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")


def _change_number(num: str, rng: random.Random) -> str:
    digits = [i for i, c in enumerate(num) if c.isdigit()]
    pos = digits[-1] if len(digits) > 1 else digits[0]
    old = num[pos]
    choices = [c for c in "0123456789" if c != old and not (pos == 0 and c == "0")]
    return num[:pos] + rng.choice(choices) + num[pos + 1:]


def art_numbers_updated(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """numbers_updated: one to three numbers in the body get a different digit
    (a corrected figure in a re-sent story)."""
    spots = [(pi, m.start(), m.end()) for pi, p in enumerate(d.paragraphs)
             for m in NUMBER_RE.finditer(p)]
    if not spots:
        return False
    k = 1 if _body_words(d) < 60 else rng.randint(1, 3)
    chosen = sorted(rng.sample(spots, min(k, len(spots))), key=lambda t: (t[0], -t[1]))
    for pi, a, b in chosen:
        p = d.paragraphs[pi]
        d.paragraphs[pi] = p[:a] + _change_number(p[a:b], rng) + p[b:]
    return True


def art_typography(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """typography: straight quotes become curly quotes, spaced or double hyphens
    become en or em dashes, number ranges get an en dash and '...' an ellipsis."""
    d.typography = True
    return True


def art_html_entities(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """html_entities: characters are written as HTML entities (&amp; &nbsp; &#8217; ...)."""
    d.entities = True
    return True


def art_zero_width(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """zero_width: U+200B, U+00AD or U+FEFF inserted inside some words."""
    d.zero_width = True
    return True


def art_teaser(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """teaser: only the first 60-70% of the body (whole sentences), headline kept."""
    sents = _sentences(d)
    if len(sents) < 3 or _body_words(d) < 40 or d.headline is None:
        return False
    total = sum(len(s.split()) for _, _, s in sents)
    target = total * rng.uniform(0.60, 0.70)
    acc = 0
    keep = 0
    for i, (_, _, s) in enumerate(sents):
        n = len(s.split())
        if acc + n > target and i > 0:
            # take the sentence that lands closer to the target
            if target - acc > acc + n - target:
                keep = i + 1
            break
        acc += n
        keep = i + 1
    keep = max(1, min(keep, len(sents) - 1))
    drop = {(pi, si) for pi, si, _ in sents[keep:]}
    _rebuild(d, drop, {})
    return True


def art_site_chrome(d: Draft, rng: random.Random, ctx: Context) -> bool:
    """site_chrome: the article is wrapped in one site template's navigation,
    cookie banner, newsletter box and link lists (shared by many files)."""
    d.chrome = rng.choice(sorted(SITE_TEMPLATES))
    return True


ARTEFACTS = {
    "reflow": art_reflow,
    "hardwrap": art_hardwrap,
    "crlf": art_crlf,
    "url_lines": art_url_lines,
    "byline": art_byline,
    "dateline": art_dateline,
    "footer": art_footer,
    "drop_headline": art_drop_headline,
    "sentences_dropped": art_sentences_dropped,
    "sentences_added": art_sentences_added,
    "numbers_updated": art_numbers_updated,
    "typography": art_typography,
    "html_entities": art_html_entities,
    "zero_width": art_zero_width,
    "teaser": art_teaser,
    "site_chrome": art_site_chrome,
}
assert sorted(ARTEFACTS) == sorted(ARTEFACT_KINDS)

# Character-level transforms, applied to the rendered text.

DQ_RE = re.compile(r'"')
SQ_RE = re.compile(r"'")


def to_typographic(text: str) -> str:
    """Curly quotes, dashes and ellipses in place of their ASCII stand-ins."""
    text = text.replace("...", "\u2026")
    text = re.sub(r"(?<=\S) -- (?=\S)", " \u2014 ", text)
    text = text.replace("--", "\u2014")
    text = re.sub(r"(?<=\S) - (?=\S)", " \u2013 ", text)
    text = re.sub(r"(?<=\d)-(?=\d)", "\u2013", text)

    def dq(m: re.Match) -> str:
        i = m.start()
        prev = text[i - 1] if i else " "
        return "\u201c" if prev.isspace() or prev in "([{\u2014\u2013" else "\u201d"

    def sq(m: re.Match) -> str:
        i = m.start()
        prev = text[i - 1] if i else " "
        return "\u2018" if prev.isspace() or prev in "([{\u201c" else "\u2019"

    text = DQ_RE.sub(dq, text)
    text = SQ_RE.sub(sq, text)
    return text


ENTITY_CHOICES = {
    "'": ["&#39;", "&#8217;", "&rsquo;"],
    "\u2019": ["&#8217;", "&rsquo;"],
    "\u2018": ["&#8216;", "&lsquo;"],
    "\u201c": ["&#8220;", "&ldquo;"],
    "\u201d": ["&#8221;", "&rdquo;"],
    '"': ["&quot;", "&#34;"],
    "\u00a3": ["&pound;", "&#163;"],
    "\u2014": ["&mdash;", "&#8212;"],
    "\u2013": ["&ndash;", "&#8211;"],
    "\u2026": ["&hellip;", "&#8230;"],
    "\u00a9": ["&copy;"],
}


def to_entities(text: str, rng: random.Random) -> str:
    """Escape '&', write quotes and symbols as entities and some spaces as &nbsp;."""
    table = {ch: rng.choice(opts) for ch, opts in sorted(ENTITY_CHOICES.items())}
    nbsp_rate = rng.uniform(0.05, 0.15)
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch in table:
            out.append(table[ch])
        elif ch == " " and rng.random() < nbsp_rate:
            out.append("&nbsp;")
        elif ord(ch) > 127 and ch.isalpha() and rng.random() < 0.5:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


WORD_SPAN_RE = re.compile(r"[A-Za-z]{4,}")
ZW_CHARS = ["\u200b", "\u00ad", "\ufeff"]


def insert_zero_width(text: str, rng: random.Random) -> str:
    """Insert an invisible character inside 5-15% of the words of 4+ letters."""
    rate = rng.uniform(0.05, 0.15)
    ch = rng.choice(ZW_CHARS)
    mixed = rng.random() < 0.3

    def put(m: re.Match) -> str:
        w = m.group(0)
        if rng.random() >= rate:
            return w
        at = rng.randint(1, len(w) - 1)
        return w[:at] + (rng.choice(ZW_CHARS) if mixed else ch) + w[at:]

    return WORD_SPAN_RE.sub(put, text)


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

WIRE_WIDTH = 68


def _wrap(p: str, width: int, indent: str = "") -> str:
    if len(indent) + len(p) <= width:
        return indent + p
    return textwrap.fill(p, width=width, initial_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def render(d: Draft, rng: random.Random) -> str:
    """Lay the draft out as text: structure, then layout, then character edits."""
    style = d.article.style
    head_lines: list[str] = []
    if d.chrome:
        head_lines.extend(SITE_TEMPLATES[d.chrome][0])
    head_lines.extend(d.top)
    if d.headline is not None:
        head_lines.append(d.headline)
    head_lines.extend(d.under_head)
    tail_lines = list(d.tail)
    if d.chrome:
        tail_lines.extend(SITE_TEMPLATES[d.chrome][1])

    if d.layout == "reflow":
        body = " ".join(d.paragraphs)
    elif d.layout == "hardwrap":
        if style == "indent":
            body = "\n".join(_wrap(p, d.wrap_width, "    " if i else "")
                             for i, p in enumerate(d.paragraphs))
        else:
            body = "\n\n".join(_wrap(p, d.wrap_width) for p in d.paragraphs)
    elif style == "indent":
        body = "\n".join(_wrap(p, WIRE_WIDTH, "    " if i else "")
                         for i, p in enumerate(d.paragraphs))
    else:
        body = "\n\n".join(d.paragraphs)

    if style == "indent":
        # wire copy: header lines one per line, then a blank line, then the body
        parts = ["\n".join(head_lines), body, "\n".join(tail_lines)]
    else:
        parts = ["\n\n".join(head_lines), body, "\n\n".join(tail_lines)]
    text = "\n\n".join(p for p in parts if p) + "\n"

    if d.typography:
        text = to_typographic(text)
    if d.zero_width:
        text = insert_zero_width(text, rng)
    if d.entities:
        text = to_entities(text, rng)
    if d.crlf:
        text = text.replace("\n", "\r\n")
    return text


# --------------------------------------------------------------------------
# Labeled set
# --------------------------------------------------------------------------

STOPWORDS = set("""
about above after again against also among been before being below between both
could does doing down during each from further have having here into itself just
more most other over said same should some such than that their them then there
these they this those through under until very were what when where which while
will with would year years your first last last told people
""".split())


def content_words(art: Article) -> set[str]:
    return {w for w in normalized_words(art.text) if len(w) > 3 and not w.isdigit()
            and w not in STOPWORDS}


def same_event_pairs(bases: list[Article], count: int) -> list[tuple[Article, Article, float]]:
    """Pairs of different articles from the same section with the most words in
    common (a stand-in for 'same event, different story'). Each article is
    used in at most one pair."""
    by_section: dict[str, list[tuple[Article, frozenset]]] = defaultdict(list)
    for a in bases:
        section = a.source.split("_", 1)[0] if "_" in a.source else ""
        by_section[section].append((a, frozenset(content_words(a))))
    scored = []
    for section in sorted(by_section):
        items = by_section[section]
        for i in range(len(items)):
            a, wa = items[i]
            for j in range(i + 1, len(items)):
                b, wb = items[j]
                inter = len(wa & wb)
                if inter < 10:
                    continue
                scored.append((inter / (len(wa) + len(wb) - inter), a.source, b.source, a, b))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used: set[str] = set()
    out = []
    for score, sa, sb, a, b in scored:
        if sa in used or sb in used:
            continue
        used.add(sa)
        used.add(sb)
        out.append((a, b, score))
        if len(out) >= count:
            break
    return out


@dataclass
class OutFile:
    corpus: str
    role: str                    # base | copy | negative
    article: Article
    text: str
    cluster: int | None = None
    artefacts: list[str] = field(default_factory=list)
    note: str = ""
    path: str = ""


def make_copy(base: Article, kinds: list[str], rng: random.Random, ctx: Context) -> tuple[str, list[str]] | None:
    """Apply artefact kinds in order; returns the text and the kinds that applied."""
    d = Draft(article=base, headline=base.headline, paragraphs=list(base.paragraphs))
    applied = []
    for k in kinds:
        if ARTEFACTS[k](d, rng, ctx):
            applied.append(k)
    if not applied:
        return None
    text = render(d, rng)
    if text == base.text:
        return None
    return text, applied


class KindDeck:
    """Deals artefact kinds so that every kind is used about equally often."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cards: list[str] = []

    def draw(self, exclude: set[str]) -> str:
        for _ in range(3):
            if not self.cards:
                self.cards = list(ARTEFACT_KINDS)
                self.rng.shuffle(self.cards)
            for i in range(len(self.cards) - 1, -1, -1):
                k = self.cards[i]
                if k not in exclude:
                    return self.cards.pop(i)
            self.cards = []
        return self.rng.choice([k for k in ARTEFACT_KINDS if k not in exclude])


def compatible(kind: str, chosen: list[str]) -> bool:
    return all(frozenset([kind, c]) not in INCOMPATIBLE and kind != c for c in chosen)


def agency_for(corpus: str) -> str:
    return "Reuters" if corpus.lower().startswith("reuters") else "Example News"


def section_for(art: Article, rng: random.Random) -> str:
    if "_" in art.source and not art.source.startswith("reut"):
        return art.source.split("_", 1)[0]
    return rng.choice(["business", "world", "uk", "americas", "markets"])


def parse_corpus_spec(spec: str) -> tuple[Path, int | None]:
    """'DIR' or 'DIR:N' (N articles at most, 'all' for every one)."""
    m = re.match(r"^(.*?):(\d+|all)$", spec)
    if m:
        return Path(m.group(1)), (None if m.group(2) == "all" else int(m.group(2)))
    return Path(spec), None


def default_corpora(root: Path, reuters: int) -> list[str]:
    return [f"{root / 'bbc' / 'docs'}:all", f"{root / 'reuters21578' / 'docs'}:{reuters}"]


def safe_clear(out: Path, meta: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not (meta / "manifest.json").exists() and not force:
            sys.exit(f"generate.py: {out} is not empty and was not made by this script "
                     f"(no {meta}/manifest.json); use --force to replace it")
        shutil.rmtree(out)
    if meta.exists():
        shutil.rmtree(meta)


def labeled_main(args: argparse.Namespace) -> None:
    t0 = time.time()
    seed = args.seed
    rng = random.Random(f"labeled:{seed}")
    specs = args.corpus or default_corpora(Path(args.corpora), args.reuters)
    out = Path(args.out)
    meta = Path(args.truth_dir) if args.truth_dir else out.parent / (out.name + "-truth")

    hasher = ShingleHasher(5)
    corpora: list[tuple[str, list[Article], int | None]] = []
    distinct_reports: dict[str, DistinctReport] = {}
    for spec in specs:
        folder, limit = parse_corpus_spec(spec)
        if not folder.is_dir():
            sys.exit(f"generate.py: corpus folder not found: {folder}")
        name = corpus_name(folder)
        arts = load_corpus(folder, name, hasher)
        rep = DistinctReport()
        kept = select_distinct(arts, args.max_jaccard, args.max_containment, args.min_words, rep)
        distinct_reports[name] = rep
        corpora.append((name, kept, limit))
        log(f"{name}: read {rep.read}, too short {rep.too_short}, "
            f"near-duplicates set aside {len(rep.dropped)}, distinct {len(kept)}")

    # Across corpora too: an article must not duplicate one from another corpus.
    # (Cheap: corpora are checked one after another against a shared index.)
    all_kept = [a for _, kept, _ in corpora for a in kept]
    cross = DistinctReport()
    survivors = {id(a) for a in select_distinct(all_kept, args.max_jaccard,
                                                 args.max_containment, 0, cross)}
    if cross.dropped:
        log(f"cross-corpus near-duplicates set aside: {len(cross.dropped)}")
    corpora = [(n, [a for a in kept if id(a) in survivors], lim) for n, kept, lim in corpora]

    files: list[OutFile] = []
    negatives: list[dict] = []

    # 1. Split every corpus into chrome negatives, bases and the unused rest.
    chrome_names = sorted(SITE_TEMPLATES)
    per_template = args.chrome_negatives
    n_corpora = len(corpora)
    bases_by_corpus: dict[str, list[Article]] = {}
    chrome_pool: list[Article] = []
    templated_groups: dict[str, list[Article]] = defaultdict(list)
    for ci, (name, kept, limit) in enumerate(corpora):
        order = list(kept)
        random.Random(f"order:{seed}:{name}").shuffle(order)
        share = (per_template * len(chrome_names)) // n_corpora + (
            1 if ci < (per_template * len(chrome_names)) % n_corpora else 0)
        templ = [a for a in order if template_of(a.headline)]
        plain = [a for a in order if not template_of(a.headline)]
        # chrome negatives come from articles that match no headline template
        chrome_pool.extend(plain[:share])
        plain = plain[share:]
        want = len(templ) + len(plain) if limit is None else limit
        n_templ = min(len(templ), int(want * args.templated_share)) if limit is not None else len(templ)
        chosen = templ[:n_templ] + plain[:max(0, want - n_templ)]
        if limit is not None and len(chosen) < want:
            chosen += templ[n_templ:n_templ + want - len(chosen)]
        chosen.sort(key=lambda a: a.source)
        bases_by_corpus[name] = chosen
        for a in chosen:
            t = template_of(a.headline)
            if t and a.style == "indent":
                templated_groups[t].append(a)

    # 2. Bases and their copies.
    cluster_of: dict[int, int] = {}
    next_cluster = 1
    copy_counts = Counter()
    deck = KindDeck(random.Random(f"deck:{seed}"))
    for name, bases in bases_by_corpus.items():
        donors = bases
        for a in bases:
            cid = next_cluster
            next_cluster += 1
            cluster_of[id(a)] = cid
            files.append(OutFile(name, "base", a, a.text if a.text.endswith("\n") else a.text + "\n",
                                 cluster=cid))
        pick = random.Random(f"copies:{seed}:{name}")
        for a in bases:
            if a.words < args.min_copy_words or pick.random() >= args.copy_fraction:
                continue
            n = pick.choices([1, 2, 3], weights=[60, 30, 10])[0]
            for k in range(n):
                crng = random.Random(f"copy:{seed}:{name}:{a.source}:{k}")
                ctx = Context(donors=donors, section=section_for(a, crng), agency=agency_for(name))
                made = None
                for _attempt in range(8):
                    kinds = [deck.draw(set())]
                    if crng.random() < args.second_artefact:
                        second = deck.draw({x for x in ARTEFACT_KINDS if not compatible(x, kinds)})
                        kinds.append(second)
                    made = make_copy(a, kinds, crng, ctx)
                    if made and len(made[1]) == len(kinds):
                        break
                    made = None
                if made is None:
                    continue
                text, applied = made
                copy_counts.update(applied)
                files.append(OutFile(name, "copy", a, text, cluster=cluster_of[id(a)],
                                     artefacts=applied))

    # 3. Different articles wrapped in identical site chrome.
    crng = random.Random(f"chrome:{seed}")
    crng.shuffle(chrome_pool)
    chrome_groups: dict[str, list[OutFile]] = defaultdict(list)
    for i, a in enumerate(chrome_pool):
        tname = chrome_names[i % len(chrome_names)]
        d = Draft(article=a, headline=a.headline, paragraphs=list(a.paragraphs), chrome=tname)
        f = OutFile(a.corpus, "negative", a, render(d, crng), note=tname)
        files.append(f)
        chrome_groups[tname].append(f)

    # 4. Output names: shuffled within each corpus folder so neighbours say nothing.
    by_corpus: dict[str, list[OutFile]] = defaultdict(list)
    for f in files:
        by_corpus[f.corpus].append(f)
    for name in sorted(by_corpus):
        group = by_corpus[name]
        random.Random(f"names:{seed}:{name}").shuffle(group)
        for i, f in enumerate(group):
            f.path = f"{name}/{i:06d}.txt"
    path_of_base = {id(f.article): f.path for f in files if f.role == "base"}

    # 5. Hard negative groups.
    for tname in sorted(chrome_groups):
        negatives.append({"kind": "shared_chrome", "template": tname,
                          "files": sorted(f.path for f in chrome_groups[tname])})
    for tname, _ in TEMPLATES:
        group = templated_groups.get(tname, [])
        if len(group) >= 2:
            negatives.append({"kind": "templated", "template": tname,
                              "files": sorted(path_of_base[id(a)] for a in group)})
    for corpus_of_pairs in args.same_event_corpus:
        bases = bases_by_corpus.get(corpus_of_pairs, [])
        for a, b, score in same_event_pairs(bases, args.same_event_pairs):
            negatives.append({"kind": "same_event", "template": None,
                              "files": sorted([path_of_base[id(a)], path_of_base[id(b)]]),
                              "score": round(score, 4)})

    # 6. Write everything.
    safe_clear(out, meta, args.force)
    out.mkdir(parents=True, exist_ok=True)
    meta.mkdir(parents=True, exist_ok=True)
    files.sort(key=lambda f: f.path)
    total_bytes = 0
    for name in sorted(by_corpus):
        (out / name).mkdir(parents=True, exist_ok=True)
    for f in files:
        data = f.text.encode("utf-8")
        total_bytes += len(data)
        with open(out / f.path, "wb") as fh:
            fh.write(data)
    with open(meta / "truth.jsonl", "w", encoding="utf-8") as fh:
        for f in files:
            fh.write(json.dumps({"file": f.path, "cluster": f.cluster, "artefacts": f.artefacts,
                                 "role": f.role, "source": f"{f.article.corpus}/{f.article.source}"},
                                ensure_ascii=False) + "\n")
    with open(meta / "negatives.jsonl", "w", encoding="utf-8") as fh:
        for n in negatives:
            fh.write(json.dumps(n, ensure_ascii=False) + "\n")
    with open(meta / "source_duplicates.jsonl", "w", encoding="utf-8") as fh:
        for name in sorted(distinct_reports):
            for dropped, kept, jac, con in distinct_reports[name].dropped:
                fh.write(json.dumps({"dropped": f"{dropped.corpus}/{dropped.source}",
                                     "kept": f"{kept.corpus}/{kept.source}",
                                     "jaccard": round(jac, 4), "containment": round(con, 4)}) + "\n")
        for dropped, kept, jac, con in cross.dropped:
            fh.write(json.dumps({"dropped": f"{dropped.corpus}/{dropped.source}",
                                 "kept": f"{kept.corpus}/{kept.source}",
                                 "jaccard": round(jac, 4), "containment": round(con, 4)}) + "\n")

    roles = Counter((f.corpus, f.role) for f in files)
    def pairs(n: int) -> int:
        return n * (n - 1) // 2
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "mode": "labeled",
        "seed": seed,
        "corpora": specs,
        "parameters": {k: getattr(args, k) for k in
                       ["max_jaccard", "max_containment", "min_words", "min_copy_words",
                        "copy_fraction", "second_artefact", "chrome_negatives",
                        "templated_share", "same_event_pairs"]},
        "files": len(files),
        "bytes": total_bytes,
        "by_corpus_and_role": {f"{c}/{r}": n for (c, r), n in sorted(roles.items())},
        "clusters_with_copies": len({f.cluster for f in files if f.role == "copy"}),
        "copies_per_artefact": dict(sorted(copy_counts.items())),
        "negative_groups": {kind: {"groups": sum(1 for n in negatives if n["kind"] == kind),
                                   "pairs": sum(pairs(len(n["files"])) for n in negatives
                                                if n["kind"] == kind)}
                            for kind in ["shared_chrome", "templated", "same_event"]},
        "source_check": {name: {"read": r.read, "too_short": r.too_short,
                                "near_duplicates_set_aside": len(r.dropped)}
                         for name, r in sorted(distinct_reports.items())},
        "cross_corpus_set_aside": len(cross.dropped),
    }
    with open(meta / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    log(f"wrote {len(files)} files ({total_bytes / 1e6:.1f} MB) to {out}, truth in {meta} "
        f"in {time.time() - t0:.1f}s")
    log("  " + ", ".join(f"{k}={v}" for k, v in manifest["by_corpus_and_role"].items()))


# --------------------------------------------------------------------------
# Scale mode
# --------------------------------------------------------------------------

SCALE_KINDS = ["hardwrap", "crlf", "footer", "sentence_dropped", "url_line", "typography"]


class ScalePool:
    """Sentences, headlines and words of the real corpora, as plain lists."""

    def __init__(self, folders: list[Path]):
        self.sentences: list[str] = []
        self.headlines: list[str] = []
        words: set[str] = set()
        for folder in folders:
            for entry in sorted(os.listdir(folder)):
                if not entry.endswith(".txt"):
                    continue
                with open(folder / entry, encoding="utf-8", errors="replace") as fh:
                    headline, paragraphs, _ = parse_article(fh.read())
                if headline and 3 <= len(headline.split()) <= 16:
                    self.headlines.append(headline)
                for p in paragraphs:
                    for s in split_sentences(p):
                        n = len(s.split())
                        if 6 <= n <= 45 and "  " not in s:
                            self.sentences.append(s)
                            if len(words) < 60000:
                                words.update(w for w in s.split() if w.isalpha() and w.islower())
        self.words = sorted(words)
        if not self.sentences or not self.headlines:
            sys.exit("generate.py: no usable sentences in the corpora for --scale")


def scale_doc(pool: ScalePool, seed: int, i: int) -> str:
    """The synthetic article number i: a headline and 700-1300 bytes of real
    sentences drawn from many articles, with a few neighbouring words swapped
    and a few words replaced, so no two are alike by chance."""
    rng = random.Random(seed * 1_000_003 + i)
    sents = pool.sentences
    words = pool.words
    target = rng.randint(700, 1300)
    headline = rng.choice(pool.headlines)
    size = len(headline) + 2
    paras: list[str] = []
    cur: list[str] = []
    per_para = rng.randint(2, 4)
    while size < target:
        toks = rng.choice(sents).split()
        n = len(toks)
        for _ in range(max(1, n // 12)):
            j = rng.randrange(n - 1)
            if rng.random() < 0.5:
                toks[j], toks[j + 1] = toks[j + 1], toks[j]
            else:
                toks[j] = rng.choice(words)
        s = " ".join(toks)
        cur.append(s)
        size += len(s) + 1
        if len(cur) >= per_para:
            paras.append(" ".join(cur))
            cur = []
            per_para = rng.randint(2, 4)
    if cur:
        paras.append(" ".join(cur))
    return headline + "\n\n" + "\n\n".join(paras) + "\n"


def scale_is_copy(seed: int, i: int, rate: float) -> bool:
    if i == 0:
        return False
    return random.Random(seed * 7_000_003 + i).random() < rate


def scale_copy(pool: ScalePool, seed: int, i: int, rate: float) -> tuple[str, int, str]:
    """Planted copy number i: (text, index of its original, artefact kind)."""
    rng = random.Random(seed * 9_000_011 + i)
    while True:
        j = rng.randrange(i)
        if not scale_is_copy(seed, j, rate):
            break
    text = scale_doc(pool, seed, j)
    kind = rng.choice(SCALE_KINDS)
    head, _, body = text.partition("\n\n")
    paras = body.rstrip("\n").split("\n\n")
    if kind == "hardwrap":
        w = rng.randint(60, 76)
        text = head + "\n\n" + "\n\n".join(textwrap.fill(p, w) for p in paras) + "\n"
    elif kind == "crlf":
        text = text.replace("\n", "\r\n")
    elif kind == "footer":
        text = text + "\n" + "\n\n".join(rng.sample(FOOTERS, 2)) + "\n"
    elif kind == "sentence_dropped":
        sents = [(pi, s) for pi, p in enumerate(paras) for s in split_sentences(p)]
        if len(sents) > 3:
            drop = rng.randrange(len(sents))
            keep: dict[int, list[str]] = defaultdict(list)
            for k, (pi, s) in enumerate(sents):
                if k != drop:
                    keep[pi].append(s)
            paras = [" ".join(keep[pi]) for pi in sorted(keep)]
        text = head + "\n\n" + "\n\n".join(paras) + "\n"
    elif kind == "url_line":
        text = f"https://{rng.choice(DOMAINS)}/news/{rng.randint(10**6, 10**7)}.html\n" + text
    else:
        text = to_typographic(text)
    return text, j, kind


def scale_rel(i: int) -> str:
    return f"d{i // 1000:04d}/{i:07d}.txt"


def scale_chunk(pool: ScalePool, seed: int, rate: float, docs: Path, start: int,
                stop: int) -> tuple[int, list[str]]:
    """Write files start..stop-1 (one folder); returns bytes written and truth lines."""
    total = 0
    truth = []
    os.makedirs(docs / f"d{start // 1000:04d}", exist_ok=True)
    for i in range(start, stop):
        if scale_is_copy(seed, i, rate):
            text, j, kind = scale_copy(pool, seed, i, rate)
            truth.append(f"{scale_rel(i)}\t{scale_rel(j)}\t{kind}\n")
        else:
            text = scale_doc(pool, seed, i)
        data = text.encode("utf-8")
        fd = os.open(docs / scale_rel(i), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        total += len(data)
    return total, truth


_POOL: ScalePool | None = None


def _scale_worker(job: tuple) -> tuple[int, list[str]]:
    seed, rate, docs, start, stop = job
    assert _POOL is not None
    return scale_chunk(_POOL, seed, rate, Path(docs), start, stop)


def scale_main(args: argparse.Namespace) -> None:
    global _POOL
    t0 = time.time()
    n = args.scale
    out = Path(args.out)
    folders = ([parse_corpus_spec(s)[0] for s in args.corpus] if args.corpus else
               [Path(args.corpora) / "bbc" / "docs", Path(args.corpora) / "reuters21578" / "docs"])
    for f in folders:
        if not f.is_dir():
            sys.exit(f"generate.py: corpus folder not found: {f}")
    _POOL = ScalePool(folders)
    log(f"scale: {len(_POOL.sentences)} sentences, {len(_POOL.headlines)} headlines "
        f"({time.time() - t0:.1f}s)")
    docs = out / "docs"
    made = out / "manifest.json"
    if made.exists() and not args.force:
        # The same corpus again (same version, seed, size and rate) is
        # reused: making a million files takes minutes.
        old = json.loads(made.read_text(encoding="utf-8"))
        want = {"generator_version": SCALE_VERSION, "mode": "scale", "seed": args.seed,
                "files": n, "dup_rate": args.dup_rate}
        if all(old.get(k) == v for k, v in want.items()):
            log(f"scale: {out} already holds this corpus ({n} files); reusing it")
            return
    if out.exists():
        if any(out.iterdir()) and not (out / "manifest.json").exists() and not args.force:
            sys.exit(f"generate.py: {out} is not empty and was not made by this script; "
                     f"use --force")
        shutil.rmtree(out)
    docs.mkdir(parents=True)
    jobs = [(args.seed, args.dup_rate, str(docs), s, min(s + 1000, n)) for s in range(0, n, 1000)]
    total = 0
    truth_lines: list[str] = []
    if args.jobs > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork")
        with ctx.Pool(args.jobs) as p:
            for b, t in p.imap(_scale_worker, jobs, chunksize=4):
                total += b
                truth_lines.extend(t)
    else:
        for k, job in enumerate(jobs):
            b, t = _scale_worker(job)
            total += b
            truth_lines.extend(t)
            if k % 100 == 99:
                log(f"  {job[4]} files, {time.time() - t0:.0f}s")
    with open(out / "truth.tsv", "w", encoding="utf-8") as fh:
        fh.write("copy\toriginal\tartefact\n")
        fh.writelines(truth_lines)
    manifest = {"generator_version": SCALE_VERSION, "mode": "scale", "seed": args.seed,
                "files": n, "bytes": total, "planted_copies": len(truth_lines),
                "dup_rate": args.dup_rate, "docs_dir": "docs",
                "seconds": round(time.time() - t0, 1)}
    with open(out / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    log(f"scale: wrote {n} files ({total / 1e6:.1f} MB, {len(truth_lines)} planted copies) "
        f"to {docs} in {time.time() - t0:.1f}s")


# --------------------------------------------------------------------------


def log(msg: str) -> None:
    print(f"[generate] {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default=os.environ.get("CORPORA", str(here.parent.parent / "shared" / "corpora")),
                    help="folder holding bbc/docs and reuters21578/docs (default: $CORPORA or "
                         "../shared/corpora beside the repository)")
    ap.add_argument("--corpus", action="append", metavar="DIR[:N]",
                    help="an article folder, optionally with a limit of N base articles "
                         "('all' for no limit); repeatable; replaces the --corpora default")
    ap.add_argument("--reuters", type=int, default=2500,
                    help="Reuters base articles in the default labeled set (default 2500)")
    ap.add_argument("--out", default=str(here / "out" / "labeled"), help="output folder")
    ap.add_argument("--truth-dir", help="truth folder (default: OUT-truth beside OUT)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--force", action="store_true", help="replace a non-empty output folder")
    g = ap.add_argument_group("labeled set")
    g.add_argument("--max-jaccard", type=float, default=0.3,
                   help="bases must have 5-gram Jaccard below this with each other (0.3)")
    g.add_argument("--max-containment", type=float, default=0.5,
                   help="... and containment below this (0.5)")
    g.add_argument("--min-words", type=int, default=20, help="shortest usable article (20 words)")
    g.add_argument("--min-copy-words", type=int, default=30,
                   help="shortest article that gets planted copies (30 words)")
    g.add_argument("--copy-fraction", type=float, default=0.4,
                   help="share of bases that get 1-3 copies (0.4)")
    g.add_argument("--second-artefact", type=float, default=0.4,
                   help="chance that a copy gets a second artefact kind (0.4)")
    g.add_argument("--chrome-negatives", type=int, default=40,
                   help="distinct articles wrapped in each site template as negatives (40)")
    g.add_argument("--templated-share", type=float, default=0.4,
                   help="share of a limited corpus sample taken from templated headlines (0.4)")
    g.add_argument("--same-event-pairs", type=int, default=150,
                   help="same-section high-overlap article pairs listed as negatives (150)")
    g.add_argument("--same-event-corpus", action="append", default=None,
                   help="corpus whose sections give same-event pairs (default: bbc)")
    g = ap.add_argument_group("scale mode")
    g.add_argument("--scale", type=int, metavar="N", help="write N synthetic articles instead")
    g.add_argument("--dup-rate", type=float, default=0.05,
                   help="share of scale files that are planted copies (0.05)")
    g.add_argument("--jobs", type=int, default=1, help="worker processes for --scale (1)")
    args = ap.parse_args(argv)
    if args.same_event_corpus is None:
        args.same_event_corpus = ["bbc"]
    if args.scale:
        scale_main(args)
    else:
        labeled_main(args)


if __name__ == "__main__":
    main()
