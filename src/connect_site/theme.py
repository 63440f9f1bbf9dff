"""The theme: the Jinja environment, its filters, and the fingerprinted stylesheet and icon.

Templates live in templates/ and styles in assets/ at the top of the repository (a wheel
carries them inside the package). Jinja runs with autoescape and StrictUndefined, so a
typo in a template fails the build instead of printing nothing. Number, date and label
formatting is explicit: no process locale is ever consulted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import charts
from .schema import Unit


def _theme_root() -> Path:
    """Where templates/ and assets/ are: inside the installed package (a wheel puts them
    there, see pyproject.toml), or at the top of the source tree (a checkout, `pip install -e`)."""
    here = Path(__file__).resolve().parent
    for root in (here, here.parent.parent):
        if (root / "templates" / "base.html").is_file():
            return root
    return here


THEME = _theme_root()

UNIT_LABELS = {
    Unit.PERCENT: "%",
    Unit.PER_100: "per 100 people",
    Unit.COUNT: "",
    Unit.SCORE: "score",
    Unit.INDEX: "index",
    Unit.KG_PER_CAPITA: "kg per person",
    Unit.TONNES: "tonnes",
    Unit.YES_NO: "",
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


def load_theme(root: Path = THEME) -> Theme:
    env = Environment(
        loader=FileSystemLoader(root / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["num"] = fmt_value
    env.filters["date"] = fmt_date
    env.filters["label"] = label
    env.globals["unit_label"] = unit_label
    parts = [(root / "assets" / name).read_text(encoding="utf-8") for name in ("style.css", "charts.css")]
    css = _minify_css("\n".join(parts)).encode("utf-8")
    icon = (root / "assets" / "favicon.svg").read_bytes()
    return Theme(env, _fingerprint("assets/site", css, "css"), _fingerprint("assets/icon", icon, "svg"))


def _fingerprint(stem: str, data: bytes, ext: str) -> Asset:
    return Asset(f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}", data)


def _minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{}:;,>])\s*", r"\1", text)
    return text.replace(";}", "}").strip() + "\n"


def fmt_value(value: Union[float, bool], unit: Union[Unit, str] = "") -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return charts.format_value(float(value), str(unit))


def unit_label(unit: Union[Unit, str]) -> str:
    """The words after a number: "%" sticks to it, anything else follows a space."""
    label = UNIT_LABELS.get(Unit(unit), "")
    return label if label in ("", "%") else " " + label


_LABELS = {
    "member-state": "Member State",
    "sector-member": "Sector Member",
    "un-entity": "UN entity",
    "on-track": "On track",
    "off-track": "Off track",
}


def label(value: object) -> str:
    """An enum value as words: "law-or-regulation" -> "Law or regulation", "un-entity" -> "UN entity"."""
    text = str(getattr(value, "value", value))
    return _LABELS.get(text) or text.replace("-", " ").capitalize()


_MONTHS = ("January February March April May June July August September October November December").split()


def fmt_date(value: Optional[str]) -> str:
    """ "2022", "March 2022" or "5 March 2022": no locale, no guessing."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
