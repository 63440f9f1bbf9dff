"""How much of a page's visible text is English, and whether it is marked as English.

The detector: a Latin-script word is English on a page in language L when English uses it
(wordfreq's Zipf frequency at least `EN_MIN`) and clearly more than L does (at least `MARGIN`
more; for Arabic, Chinese and Russian pages, any English word in Latin letters). Words that
both languages share ("international", "Kenya") do not count, acronyms of index names (EGDI,
GCI) neither. Only the visible text of `<main>` is read: not the `<title>`/`<desc>` of charts,
not scripts, not hidden parts. A word is *marked* when an element around it carries a `lang`
other than the page's, or is the `<cite>` of a document's title (which stays as published).

    python tests/langgate.py _site            # the English-share table of every language
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from wordfreq import zipf_frequency

EN_MIN = 2.5
MARGIN = 1.0
RUN = 3  # this many English words in a row outside a marked element are English text
NON_LATIN = {"ar", "zh", "ru"}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PART = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_CODE = re.compile(r"[\d/\\_=@#]|\w\.\w")  # numbers, paths, addresses, ids: not words
_LATIN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?\Z")
_SKIP = {"script", "style", "title", "desc", "template", "noscript"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track", "use", "path"}


def words(text: str) -> list[str]:
    """The words of a text: each Chinese character is one; numbers, codes, addresses, acronyms
    (EGDI, CSV: two or more capitals) and lone capitals (group "A") are not words."""
    out: list[str] = []
    for raw in text.split():
        if _CODE.search(raw):
            continue
        for part in _PART.findall(raw):
            han = _HAN.findall(part)
            if han:
                out += han
            elif not part.isupper():
                out.append(part)
    return out


def is_english(word: str, lang: str) -> bool:
    """Whether a word on a page in `lang` is English."""
    if not _LATIN.match(word):
        return False
    w = word.lower()
    en = zipf_frequency(w, "en")
    if en < EN_MIN:
        return False
    if lang == "en" or lang in NON_LATIN:
        return True
    return en >= zipf_frequency(w, lang) + MARGIN


@dataclass
class Count:
    words: int = 0  # every visible word of <main>
    english: int = 0  # English words outside marked elements
    marked: int = 0  # English words inside an element marked with another language
    runs: list[str] = field(default_factory=list)  # English text (RUN words or more) outside marked elements

    @property
    def share(self) -> float:
        return self.english / self.words if self.words else 0.0


class _Reader(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, marked)
        self.in_main = 0
        self.count = Count()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "main":
            self.in_main += 1
        skipped = tag in _SKIP or "hidden" in a or a.get("aria-hidden") == "true"
        # a <cite> is the title of a document (a national strategy), kept in the document's language
        marked = tag == "cite" or (bool(a.get("lang")) and (a.get("lang") or "").split("-")[0] != self.lang)
        if self.stack:
            skipped = skipped or self.stack[-1][1]
            marked = marked or self.stack[-1][2]
        if tag not in _VOID:
            self.stack.append((tag, skipped, marked))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main -= 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.in_main or (self.stack and self.stack[-1][1]):
            return
        marked = bool(self.stack) and self.stack[-1][2]
        run: list[str] = []
        for token in words(data):
            self.count.words += 1
            english = is_english(token, self.lang)
            if english and marked:
                self.count.marked += 1
            elif english:
                self.count.english += 1
                run.append(token)
                if len(run) == RUN:
                    self.count.runs.append(" ".join(run))
                continue
            run = []


def count(html: str, lang: str) -> Count:
    reader = _Reader(lang)
    reader.feed(html)
    return reader.count


def pages(site: Path, lang: str, countries: tuple[str, ...] = ("ken", "bra", "ind")) -> list[Path]:
    """The pages of the language gate: home, the focus targets' pages, the targets list, three countries."""
    root = site if lang == "en" else site / lang
    focus = ("1.4", "1.7", "3.1", "3.5", "4.1", "5.1")
    paths = [root / "index.html", root / "targets" / "index.html"]
    paths += [root / "targets" / t / "index.html" for t in focus]
    paths += [root / "countries" / c / "index.html" for c in countries]
    return paths


def table(site: Path) -> str:
    lines = [
        "| language | words | English, unmarked | share | English, marked | English runs unmarked |",
        "|---|---|---|---|---|---|",
    ]
    for lang in ("en", "fr", "es", "ar", "zh", "ru"):
        total = Count()
        for path in pages(site, lang):
            if not path.exists():
                continue
            c = count(path.read_text(encoding="utf-8"), lang)
            total.words += c.words
            total.english += c.english
            total.marked += c.marked
            total.runs += c.runs
        share = f"{100 * total.share:.1f} %"
        lines.append(
            f"| {lang} | {total.words:,} | {total.english:,} | {share} | {total.marked:,} | {len(total.runs)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1])))
