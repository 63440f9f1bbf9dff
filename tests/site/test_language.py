"""The language gate: pages in French, Spanish, Arabic, Chinese and Russian are in that language,
and every English text left on them is marked as English (tests/langgate.py is the detector)."""

from __future__ import annotations

from pathlib import Path

import pytest

import langgate

OTHER = ("fr", "es", "ar", "zh", "ru")


def totals(site: Path, lang: str) -> langgate.Count:
    total = langgate.Count()
    for path in langgate.pages(site, lang):
        assert path.is_file(), path
        c = langgate.count(path.read_text(encoding="utf-8"), lang)
        total.words += c.words
        total.english += c.english
        total.marked += c.marked
        total.runs += [f"{path.relative_to(site)}: {run}" for run in c.runs]
    return total


def test_the_detector_finds_the_english_of_the_english_pages(real_site: Path) -> None:
    total = totals(real_site, "en")
    assert total.words > 5000
    assert total.english / total.words >= 0.95, f"{total.english} of {total.words}"


def test_the_detector_tells_english_from_french_and_from_arabic() -> None:
    html = "<main><p>Le gouvernement du Kenya publie sa stratégie nationale.</p><p>The government of Kenya</p></main>"
    fr = langgate.count(html, "fr")
    assert (fr.words, fr.english, fr.runs) == (12, 3, ["The government of"])  # "Kenya": both languages
    marked = langgate.count(html.replace("<p>The", '<p lang="en">The'), "fr")
    assert (marked.english, marked.marked, marked.runs) == (0, 3, [])
    ar = langgate.count('<main><p>حكومة كينيا</p><p>index EGDI 0.64 <span lang="en">World</span></p></main>', "ar")
    assert (ar.words, ar.english, ar.marked) == (4, 1, 1)  # "index" counts, EGDI and 0.64 are no words


@pytest.mark.parametrize("lang", OTHER)
def test_pages_in_other_languages_are_in_their_language(real_site: Path, lang: str) -> None:
    total = totals(real_site, lang)
    assert total.words > 5000
    assert total.share <= 0.05, f"{100 * total.share:.1f}% of {total.words} words are unmarked English"
    assert total.runs == [], "English text outside an element marked lang=en"
