"""Contributor Markdown to safe HTML, each body rendered once per build.

Bodies are GitHub-flavoured Markdown, rendered by cmark-gfm (`cmarkgfm`, GitHub's own
parser), so the site shows what the preview of GitHub's web editor shows: tables,
~~strikethrough~~, bare links, and lists nested by two spaces. Contributor Markdown is
untrusted: raw HTML is shown as the text that was typed, never passed through (every `<`
reaches cmark as a stand-in character, `_escape_html`), and the result is sanitized against
an explicit allowlist by nh3. Headings are renumbered from <h2> (see
`_headings`), so that a contributor's `#` never competes with the page's <h1>. The
bodies were bounded by `content.bounds` before any of this runs.

A `Markdown` keeps what it rendered by content address (`body_key`): the six languages
of a page that share an untranslated body render it once, and a build hands the bodies
it used to the persistent cache, which gives them back to the next build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import cmarkgfm
import nh3
from markupsafe import Markup

from connect_site.site.store import digest

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")
_NO_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? ?/?>')
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
    alt = m.group(2) or "image"
    return f'<a href="{m.group(1)}">{alt} (image)</a>'


def _filter(tag: str, attr: str, value: str) -> str | None:
    """Keep a link only when it is http(s), mailto, or a path with no scheme in any spelling."""
    if attr != "href":
        return value
    bare = _CONTROL.sub("", value)
    if not bare:
        return None  # cmark empties an address it will not link (javascript:, data:): plain text
    if _ABSOLUTE_URL.match(bare):
        return value
    relative = ":" not in bare and "&" not in bare and bare.count("#") <= 1
    return value if relative else None


# GitHub's extensions but two: footnotes need ids that the sanitizer removes, and task-list
# checkboxes are form controls; "[ ] task" stays the text that was typed.
_EXTENSIONS = ("table", "strikethrough", "autolink", "tagfilter")
# Every '<' of a body reaches cmark as this noncharacter, so that no raw HTML is ever parsed,
# and becomes '&lt;' in the HTML: in text and in code alike, what was typed is what is shown.
_LT = "\ufdd0"
# ... but for an autolink in angle brackets, which is a link in CommonMark and on GitHub.
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]*)>", re.IGNORECASE)


def _escape_html(body: str) -> str:
    """The body with every '<' but those of angle-bracket autolinks replaced by `_LT` (a typed
    `_LT`, a noncharacter, is dropped)."""
    body = body.replace(_LT, "")
    parts, pos = [], 0
    for m in _AUTOLINK.finditer(body):
        parts += [body[pos : m.start()].replace("<", _LT), m.group()]
        pos = m.end()
    parts.append(body[pos:].replace("<", _LT))
    return "".join(parts)


@lru_cache(maxsize=1)
def _salt() -> str:
    """A digest of what, besides the body, decides the HTML: this module's source (renderer,
    extensions, sanitizer policy) and the versions of cmark-gfm and nh3. Hashed once,
    so that each body's key hashes 64 characters more, not this whole file."""
    return digest(version("cmarkgfm"), version("nh3"), Path(__file__).read_bytes())


def body_key(body: str) -> str:
    """The content address of a body's HTML."""
    return digest(_salt(), body)


MEMO_LIMIT = 200_000  # a long `serve` session forgets everything past this many bodies


class Markdown:
    """Renders bodies and keeps them: `known` (from the cache) are reused, `new` were rendered
    here, `used` are the keys of every body asked for (what the cache should keep)."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self.memo: dict[str, str] = dict(known or {})
        self.new: dict[str, str] = {}
        self.used: set[str] = set()

    def render(self, body: str) -> Markup:
        key = body_key(body)
        self.used.add(key)
        html = self.memo.get(key)
        if html is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            html = self.memo[key] = self.new[key] = render_html(body)
        return Markup(html)

    def take_new(self) -> dict[str, str]:
        """The bodies rendered since the last call, by key; they are not handed over twice."""
        new, self.new = self.new, {}
        return new

    def adopt(self, new: Mapping[str, str], used: set[str]) -> None:
        """Take in what another process (a build worker) rendered and used, as if this one had."""
        self.memo.update(new)
        self.used.update(used)

    def rows(self, keys: set[str]) -> dict[str, str]:
        """The rendered bodies with these keys, from memory."""
        return {key: self.memo[key] for key in keys if key in self.memo}

    def begin(self) -> None:
        """Start counting anew (serve: each rebuild keeps what earlier ones rendered)."""
        self.new.clear()
        self.used.clear()


def render_html(body: str) -> str:
    rendered = cmarkgfm.markdown_to_html_with_extensions(_escape_html(body), extensions=list(_EXTENSIONS))
    html = _IMAGE.sub(_image_as_link, _headings(rendered.rstrip("\n").replace(_LT, "&lt;")))
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
