"""Bounds on contributor Markdown, checked before any renderer sees it.

Python-Markdown is quadratic in the number of `[` in one block (20,000 of them take
35 s) and recursive in list and quote nesting. These limits keep every body cheap and
safe to render, and are reported as ordinary located diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from connect_site.output.cache import digest

MAX_BRACKETS_PER_BODY = 1000
MAX_BRACKETS_PER_BLOCK = 300
MAX_INDENT = 64
MAX_QUOTE_DEPTH = 16


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 0-based, relative to the body
    col: int  # 1-based
    code: str
    message: str
    hint: str


def check_body(body: str) -> list[MarkupProblem]:
    problems: list[MarkupProblem] = []
    total = 0
    block_count = 0
    block_start = 0
    block_reported = False
    for i, line in enumerate(body.splitlines()):
        if not line.strip():
            block_count = 0
            block_start = i + 1
            block_reported = False
            continue
        n = line.count("[")
        total += n
        block_count += n
        if block_count > MAX_BRACKETS_PER_BLOCK and not block_reported:
            problems.append(
                MarkupProblem(
                    block_start,
                    1,
                    "markdown-too-complex",
                    f"this paragraph has more than {MAX_BRACKETS_PER_BLOCK} '[' characters",
                    "Split it into paragraphs with blank lines, or write \\[ for a literal bracket.",
                )
            )
            block_reported = True
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if indent > MAX_INDENT:
            problems.append(
                MarkupProblem(
                    i,
                    1,
                    "markdown-too-deep",
                    f"this line is indented by {indent} characters",
                    f"Lists and quotes may nest only a few levels; keep indentation under {MAX_INDENT}.",
                )
            )
        depth = 0
        for ch in stripped:
            if ch == ">":
                depth += 1
            elif ch not in " \t":
                break
        if depth > MAX_QUOTE_DEPTH:
            problems.append(
                MarkupProblem(
                    i,
                    indent + 1,
                    "markdown-too-deep",
                    f"quotes are nested {depth} levels deep",
                    f"Use at most {MAX_QUOTE_DEPTH} levels of '>'.",
                )
            )
        if len(problems) > 20:
            break
    if total > MAX_BRACKETS_PER_BODY:
        problems.append(
            MarkupProblem(
                0,
                1,
                "markdown-too-complex",
                f"the text has {total} '[' characters (at most {MAX_BRACKETS_PER_BODY})",
                "Shorten the text or write \\[ for literal brackets.",
            )
        )
    return problems


# Rendering. Contributor Markdown is untrusted: raw HTML is escaped (never passed
# through), `attr_list` and `md_in_html` stay off (they allow arbitrary attributes), and
# the result is sanitized against an explicit allowlist. Headings are renumbered from <h2>
# (see `_headings`), so that a contributor's `#` never competes with the page's <h1>.

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")
_NO_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


_IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]*)"(?: title="[^"]*")? ?/?>')
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_ABSOLUTE_URL = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)


def _headings(html: str) -> str:
    """Contributor headings from h2 down, without gaps: the levels used, in order, become 2, 3, 4...

    The page's <h1> is the entry's title, so a contributor's `#` must not be another h1,
    and a first `###` must not skip levels (both confuse screen-reader navigation).
    """
    levels = sorted({int(level) for level in re.findall(r"<h([1-6])>", html)})
    new = {level: min(2 + i, 6) for i, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{new[int(m.group(2))]}>", html)


def _image_as_link(m: re.Match[str]) -> str:
    """Images would make readers' browsers fetch from other hosts: link to them instead."""
    alt = m.group(1) or "image"
    return f'<a href="{m.group(2)}">{alt} (image)</a>'


def _filter(tag: str, attr: str, value: str) -> str | None:
    """Keep a link only when it is http(s), mailto, or a path with no scheme in any spelling."""
    if attr != "href":
        return value
    bare = _CONTROL.sub("", value)
    if _ABSOLUTE_URL.match(bare):
        return value
    relative = ":" not in bare and "&" not in bare and bare.count("#") <= 1
    return value if relative else None


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks become escaped text
    md.inlinePatterns.deregister("html")  # and so do inline tags
    return md


# Rendered bodies, by `body_key`. Filled from the persistent cache (cache.py) before a
# build, and by every body rendered in this process; `take_new` hands the new ones over
# (worker processes return them to the parent, which stores them).
_MEMO: dict[str, str] = {}
_NEW: dict[str, str] = {}
_USED: set[str] = set()
_MEMO_LIMIT = 200_000  # a long `serve` session forgets everything past this many bodies


@lru_cache(maxsize=1)
def _salt() -> str:
    """A digest of what, besides the body, decides the HTML: this module's source (renderer,
    extensions, sanitizer policy) and the versions of Python-Markdown and nh3. Hashed once,
    so that each body's key hashes 64 characters more, not this whole file."""
    return digest(markdown.__version__, version("nh3"), Path(__file__).read_bytes())


def body_key(body: str) -> str:
    """The content address of a body's HTML."""
    return digest(_salt(), body)


def render_markdown(body: str) -> Markup:
    """Contributor Markdown to safe HTML. The body was bounded by `check_body` first.

    The result depends on the text alone, so it is kept by content address: the six
    languages of a page that share an untranslated body render it once, and a body
    rendered by an earlier build comes from the persistent cache.
    """
    key = body_key(body)
    _USED.add(key)
    html = _MEMO.get(key)
    if html is None:
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        html = _MEMO[key] = _NEW[key] = _render(body)
    return Markup(html)


def _render(body: str) -> str:
    md = _renderer()
    md.reset()
    html = _IMAGE.sub(_image_as_link, _headings(md.convert(body)))
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        attribute_filter=_filter,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
    return _NO_HREF.sub(r"\1", clean)  # a link whose address was removed is plain text


def preload(rows: dict[str, str]) -> None:
    """Bodies rendered by earlier builds (cache.Cache.markdown), usable from now on."""
    _MEMO.update(rows)


def begin() -> None:
    """Start counting the bodies a build uses and renders (see `take_new`, `used`)."""
    _NEW.clear()
    _USED.clear()


def take_new() -> dict[str, str]:
    """The bodies rendered since `begin` or the last call, by key; they are not reported again."""
    new = dict(_NEW)
    _NEW.clear()
    return new


def rows(keys: set[str]) -> dict[str, str]:
    """The rendered bodies with these keys, from memory."""
    return {key: _MEMO[key] for key in keys if key in _MEMO}


def used() -> set[str]:
    """The keys of every body rendered or reused since `begin`."""
    return set(_USED)


def adopt(new: dict[str, str], used_keys: set[str]) -> None:
    """Take in what a worker process rendered and used, as if this process had."""
    _MEMO.update(new)
    _USED.update(used_keys)


def forget() -> None:
    """Drop every rendered body in memory (tests, and `serve` when the code changes)."""
    _MEMO.clear()
    begin()
