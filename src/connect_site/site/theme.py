"""The theme: the Jinja environment, its filters, and the fingerprinted stylesheet and icon.

Templates live in templates/ and styles in assets/ at the top of the repository (a wheel
carries them inside the package). Jinja runs with autoescape and StrictUndefined, so a
typo in a template fails the build instead of printing nothing. Number, date and label
formatting is explicit: no process locale is ever consulted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from connect_site.content.fields import Unit
from connect_site.content.schema import Indicator
from connect_site.site import charts, i18n
from connect_site.site.i18n import N_, _
from connect_site.site.translated import in_page, lang_of, official_missing


def _theme_root() -> Path:
    """Where templates/ and assets/ are: inside the installed package (a wheel puts them
    there, see pyproject.toml), or at the top of the source tree (a checkout, `pip install -e`)."""
    here = Path(__file__).resolve().parent
    for root in (here.parent, here.parent.parent.parent):
        if (root / "templates" / "base.html").is_file():
            return root
    return here.parent


THEME = _theme_root()

UNIT_LABELS = {
    Unit.PERCENT: "%",
    Unit.PER_100: N_("per 100 people"),
    Unit.COUNT: "",
    Unit.SCORE: "",
    Unit.INDEX: "",
    Unit.KG_PER_CAPITA: N_("kg per person"),
    Unit.TONNES: N_("tonnes"),
    Unit.YES_NO: "",
    Unit.CATEGORY: "",
}


@dataclass(frozen=True)
class Asset:
    path: str
    data: bytes


@dataclass
class Theme:
    env: Environment
    css: Asset
    favicon: Asset
    scripts: dict[str, Asset]  # assets/<name>.js by name: each loaded only by the pages that use it
    root: Path  # the folder with templates/ and assets/


def load_theme(root: Path = THEME) -> Theme:
    env = Environment(
        loader=FileSystemLoader(root / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks are one line of text, whatever their layout
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = fmt_value
    env.filters["date"] = fmt_date
    env.filters["label"] = label
    env.filters["count"] = fmt_count
    env.filters["share"] = fmt_share
    env.filters["listed"] = fmt_list
    env.filters["category_counts"] = category_counts
    env.filters["t"] = in_page
    env.globals["lang_of"] = lang_of
    env.globals["official_missing"] = official_missing
    env.filters["size"] = fmt_size
    env.filters["collate"] = collate
    env.globals["unit_label"] = unit_label
    env.globals["shown"] = shown
    env.globals["sort_value"] = sort_value
    env.globals["region"] = i18n.region_name
    parts = [(root / "assets" / name).read_text(encoding="utf-8") for name in ("style.css", "charts.css")]
    css = _minify_css("\n".join(parts)).encode("utf-8")
    icon = (root / "assets" / "favicon.svg").read_bytes()
    scripts = {  # search.js is not one of them: it is served inside the search bundle (search.py)
        p.stem: _fingerprint(f"assets/{p.stem}", p.read_bytes(), "js")
        for p in sorted((root / "assets").glob("*.js"))
        if p.stem != "search"
    }
    return Theme(env, _fingerprint("assets/site", css, "css"), _fingerprint("assets/icon", icon, "svg"), scripts, root)


def _fingerprint(stem: str, data: bytes, ext: str) -> Asset:
    return Asset(f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}", data)


def _minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>])\s*", r"\1", text)
    text = re.sub(r":\s+", ":", text)  # never the space before ":": ".a :focus" is not ".a:focus"
    return text.replace(";}", "}").strip() + "\n"


def fmt_value(value: Union[float, bool, str], unit: Union[Unit, str] = "") -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        return value  # a category code; templates add its label
    return charts.format_value(float(value), str(unit))


def shown(value: Union[float, bool, str], indicator: Indicator) -> str:
    """A value as readers see it, with its unit: "71%", "120 per 100 people", "81.7 of 100", "B: Significant…"."""
    if isinstance(value, str):
        names = {c.code: c.label for c in indicator.categories}
        return f"{value}: {names[value]}" if value in names else value
    text = fmt_value(value, indicator.unit)
    if indicator.unit is Unit.SCORE:
        top = indicator.maximum if indicator.maximum is not None else 100.0
        return _("{value} of {maximum}").format(value=text, maximum=fmt_value(top, Unit.SCORE))
    return text + (unit_label(indicator.unit) if indicator.unit is not Unit.YES_NO else "")


def sort_value(value: Union[float, bool, str]) -> Markup:
    """A table cell's data-v attribute, by which assets/sort.js sorts a column of numbers (the text
    shows them in the reader's language: "0,799", "٠٫٧٩٩"); a yes is 1 and a no 0. A category sorts
    by its text, so it has none."""
    if isinstance(value, bool):
        return Markup(f' data-v="{int(value)}"')
    if isinstance(value, (int, float)):
        return Markup(f' data-v="{float(value)!r}"')
    return Markup("")


def fmt_share(value: float) -> str:
    """A share (0..1) as a whole percentage in the active language: 0.914 -> "91%" ("91 %" in French)."""
    return _("{n}%").format(n=i18n.number(round(value * 100), 0))


def fmt_list(items: Iterable[str]) -> Markup:
    """Items joined with the active language's separator: "A: 79, B: 42" ("A: 79، B: 42" in Arabic,
    "A: 79、B: 42" in Chinese). Items are escaped unless they are markup already."""
    # Translators: joins two items of a list, e.g. "A: 79, B: 42"; Arabic uses "،", Chinese "、".
    pattern = _("{first}, {second}")
    out: Optional[Markup] = None
    for item in items:
        out = escape(item) if out is None else Markup(pattern).format(first=out, second=item)
    return out if out is not None else Markup("")


def category_counts(categories: Iterable[tuple[str, str, int]]) -> Markup:
    """How many countries are in each category, `(code, name, n)`: "A: 79, B: 42, C: 48, D: 28"."""
    return fmt_list(f"{code}: {fmt_count(n)}" for code, _name, n in categories)


def fmt_count(n: int) -> str:
    """A whole number with the active language's digit grouping: 12,345 / 12 345 / 12.345."""
    return i18n.number(n, 0)


def fmt_size(n: int) -> str:
    """A file size for readers: "12 KB", "1.4 MB", in the active language's words and digits."""
    if n < 1000 * 1024:
        return _("{n} KB").format(n=i18n.number(max(1, round(n / 1024)), 0))
    return _("{n} MB").format(n=i18n.number(n / 1024 / 1024, 1))


def collate(rows: list[Any], names: dict[str, str]) -> list[Any]:
    """Rows with a `key` (a country code), in the order of their names in the active language."""
    return sorted(rows, key=lambda r: (i18n.sort_key(names.get(r.key.upper(), r.label)), r.key))


def unit_label(unit: Union[Unit, str]) -> str:
    """The words after a number: "%" sticks to it, anything else follows a space."""
    label = UNIT_LABELS.get(Unit(unit), "")
    return label if label in ("", "%") else " " + _(label)


# Every enum value a reader sees, as words. The keys are the values contributors type.
_LABELS = {
    # kinds of initiatives
    "strategy": N_("Strategy"),
    "policy": N_("Policy"),
    "law-or-regulation": N_("Law or regulation"),
    "programme": N_("Programme"),
    "project": N_("Project"),
    "plan": N_("Plan"),
    "platform": N_("Platform"),
    # status of initiatives
    "planned": N_("Planned"),
    "ongoing": N_("Ongoing"),
    "completed": N_("Completed"),
    # kinds of practices
    "challenge": N_("Challenge"),
    "lesson-learned": N_("Lesson learned"),
    "expertise": N_("Expertise"),
    "guideline": N_("Guideline"),
    "success-story": N_("Success story"),
    "case-study": N_("Case study"),
    "good-practice": N_("Good practice"),
    "solution": N_("Solution"),
    "publication": N_("Publication"),
    # contributors
    "member-state": N_("Member State"),
    "sector-member": N_("Sector Member"),
    "associate": N_("Associate"),
    "academia": N_("Academia"),
    "un-entity": N_("UN entity"),
    "civil-society": N_("Civil society"),
    "private-sector": N_("Private sector"),
    "other": N_("Other"),
    # self-reported status towards a target
    "achieved": N_("Achieved"),
    "on-track": N_("On track"),
    "off-track": N_("Off track"),
    "in-progress": N_("In progress"),
    "not-started": N_("Not started"),
    # units of indicators
    "percent": N_("per cent"),
    "per-100": N_("per 100 people"),
    "count": N_("number"),
    "score": N_("score"),
    "index": N_("index"),
    "kg-per-capita": N_("kg per person"),
    "tonnes": N_("tonnes"),
    "yes-no": N_("yes or no"),
    "category": N_("category"),
    # how an indicator relates to its target
    "measures": N_("Measures the target"),
    "proxy": N_("Proxy"),
    # the two kinds of entries
    "initiative": N_("Initiative"),
    "practice": N_("Practice"),
}


def label(value: object) -> str:
    """An enum value as words in the active language: "law-or-regulation" -> "Law or regulation"."""
    text = str(getattr(value, "value", value))
    known = _LABELS.get(text)
    return _(known) if known else text.replace("-", " ").capitalize()


def fmt_date(value: Optional[str]) -> str:
    """ "2022", "March 2022" or "5 March 2022", in the active language's words and order."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    return i18n.month_year(parts[0], parts[1], parts[2] if len(parts) == 3 else None)
