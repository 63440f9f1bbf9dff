"""XSS payloads a contributor could type, as data, and a valid content folder that holds them all.

Each case is `(name, field, payload)`. `field` says where a contributor would put it:
"body" (the Markdown of an initiative), "title", "summary", "lead" (initiative fields),
"contributor_name" (a practice's contributor) or "note" (a footnote on a statistic of
countries/FRA.yaml). A payload that manages to run calls `__pwned('<name>')` or `alert('<name>')`,
so `gates.scripts_that_ran` names the case that got through. The site must show every
payload as inert text: no script runs, and no dangerous markup survives in the live DOM.

`corpus_site(base, tiny)` writes the tiny fixture plus one entry per case to base/content;
`connect-site check` accepts it (warnings only).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

import yaml

Case = tuple[str, str, str]

FIELDS: Final = ("body", "title", "summary", "lead", "contributor_name", "note")


def _p(name: str) -> str:
    """The call a payload makes when it runs."""
    return f"__pwned('{name}')"


# fmt: off
CASES: Final[list[Case]] = [
    # --- script tags ----------------------------------------------------------------------
    ("script-basic", "body", f"<script>{_p('script-basic')}</script>"),
    ("script-upper", "body", f"<SCRIPT>{_p('script-upper')}</SCRIPT>"),
    ("script-mixed-case", "body", f"Text <ScRiPt>{_p('script-mixed-case')}</sCrIpT> more text."),
    ("script-split-lines", "body", f"<script\ntype=\"text/javascript\"\n>\n{_p('script-split-lines')}\n</script\n>"),
    ("script-nested", "body", f"<scr<script>ipt>{_p('script-nested')}</scr</script>ipt>"),
    ("script-unclosed", "body", f"Some text\n\n<script>{_p('script-unclosed')}"),
    ("script-src-data", "body", f"<script src=\"data:text/javascript,{_p('script-src-data')}\"></script>"),
    ("script-in-fenced-code", "body", f"```html\n<script>{_p('script-in-fenced-code')}</script>\n```"),
    ("script-in-code-span", "body", f"Use `<script>{_p('script-in-code-span')}</script>` never."),
    ("script-alert", "body", "<script>alert('script-alert')</script>"),
    # --- event handlers -------------------------------------------------------------------
    ("img-onerror", "body", f"<img src=x onerror=\"{_p('img-onerror')}\">"),
    ("img-onerror-alert", "body", "<img src=x onerror=alert('img-onerror-alert')>"),
    ("img-onerror-slashes", "body", f"<img/src=\"x\"/onerror=\"{_p('img-onerror-slashes')}\">"),
    ("img-onerror-case", "body", f"<IMG SRC=x OnErRoR=\"{_p('img-onerror-case')}\">"),
    ("svg-onload", "body", f"<svg onload=\"{_p('svg-onload')}\"></svg>"),
    ("body-onload", "body", f"<body onload=\"{_p('body-onload')}\">"),
    ("details-ontoggle", "body", f"<details open ontoggle=\"{_p('details-ontoggle')}\"><summary>x</summary></details>"),
    ("input-autofocus", "body", f"<input autofocus onfocus=\"{_p('input-autofocus')}\">"),
    ("video-source-onerror", "body", f"<video><source onerror=\"{_p('video-source-onerror')}\"></video>"),
    ("a-onmouseover", "body", f"<a href=\"#\" onmouseover=\"{_p('a-onmouseover')}\">hover</a>"),
    ("inline-html-in-paragraph", "body", f"Plain *text* with <b onclick=\"{_p('inline-html-in-paragraph')}\">bold</b>."),
    # --- javascript: in Markdown links, every spelling -----------------------------------
    ("md-link-js", "body", f"[click](javascript:{_p('md-link-js')})"),
    ("md-link-js-case", "body", f"[click](JaVaScRiPt:{_p('md-link-js-case')})"),
    ("md-link-js-leading-space", "body", f"[click](<  javascript:{_p('md-link-js-leading-space')}>)"),
    ("md-link-js-tab", "body", f"[click](java\tscript:{_p('md-link-js-tab')})"),
    ("md-link-js-newline", "body", f"[click](<java\nscript:{_p('md-link-js-newline')}>)"),
    ("md-link-js-entity-dec", "body", f"[click](&#106;avascript:{_p('md-link-js-entity-dec')})"),
    ("md-link-js-entity-hex", "body", f"[click](&#x6A;avascript:{_p('md-link-js-entity-hex')})"),
    ("md-link-js-entity-padded", "body", f"[click](&#0000106&#0000097vascript:{_p('md-link-js-entity-padded')})"),
    ("md-link-js-colon-entity", "body", f"[click](javascript&colon;{_p('md-link-js-colon-entity')})"),
    ("md-link-js-percent", "body", f"[click](%6Aavascript:{_p('md-link-js-percent')})"),
    ("md-link-js-nul-entity", "body", f"[click](java&#0;script:{_p('md-link-js-nul-entity')})"),
    # a raw NUL inside the scheme ("java\x00script:") is refused by check itself (tests/content/test_controls.py)
    ("md-link-js-backslash", "body", f"[click](javascript\\:{_p('md-link-js-backslash')})"),
    ("md-link-js-angle", "body", f"[click](<javascript:{_p('md-link-js-angle')}>)"),
    ("md-link-js-title", "body", f"[click](javascript:{_p('md-link-js-title')} \"a title\")"),
    ("md-image-js", "body", f"![picture](javascript:{_p('md-image-js')})"),
    ("md-image-onerror-alt", "body", f"![\" onerror=\"{_p('md-image-onerror-alt')}](https://example.org/x.png)"),
    ("md-ref-link-js", "body", f"See [the plan][plan].\n\n[plan]: javascript:{_p('md-ref-link-js')}"),
    ("md-ref-link-js-case", "body", f"See [plan].\n\n[plan]: JAVASCRIPT:{_p('md-ref-link-js-case')}"),
    ("md-ref-image-js", "body", f"![logo][img]\n\n[img]: javascript:{_p('md-ref-image-js')}"),
    ("md-autolink-js", "body", f"<javascript:{_p('md-autolink-js')}>"),
    ("md-link-title-breakout", "body", f"[x](https://example.org \"a\\\" onmouseover=\\\"{_p('md-link-title-breakout')}\")"),
    ("md-link-data-html", "body",
     "[click](data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCdtZC1saW5rLWRhdGEtaHRtbCcpPC9zY3JpcHQ+)"),
    ("md-link-data-svg", "body", f"[click](data:image/svg+xml,<svg onload={_p('md-link-data-svg')}>)"),
    ("md-link-vbscript", "body", "[click](vbscript:msgbox(\"md-link-vbscript\"))"),
    ("html-a-js", "body", f"<a href=\"javascript:{_p('html-a-js')}\">click</a>"),
    ("html-a-js-tab-entity", "body", f"<a href=\"jav&#x09;ascript:{_p('html-a-js-tab-entity')}\">click</a>"),
    # --- attr_list and md_in_html ---------------------------------------------------------
    ("attrlist-onclick", "body", f"[x](https://example.org){{: onclick=\"{_p('attrlist-onclick')}\"}}"),
    ("attrlist-href", "body", f"[x](https://example.org){{: href=\"javascript:{_p('attrlist-href')}\"}}"),
    ("attrlist-heading", "body", f"## A heading {{: onmouseover=\"{_p('attrlist-heading')}\" }}"),
    ("attrlist-style", "body",
     f"A paragraph.\n{{: style=\"background:url(javascript:{_p('attrlist-style')})\" }}"),
    ("md-in-html", "body", f"<div markdown=\"1\" onmouseover=\"{_p('md-in-html')}\">\n*emphasis*\n</div>"),
    ("md-in-html-script", "body", f"<div markdown=\"1\">\n<script>{_p('md-in-html-script')}</script>\n</div>"),
    # --- SVG and MathML ---------------------------------------------------------------------
    ("svg-script", "body", f"<svg><script>{_p('svg-script')}</script></svg>"),
    ("svg-a-xlink", "body",
     f"<svg><a xlink:href=\"javascript:{_p('svg-a-xlink')}\"><text x=\"20\" y=\"20\">click</text></a></svg>"),
    ("svg-animate-onbegin", "body",
     f"<svg><animate onbegin=\"{_p('svg-animate-onbegin')}\" attributeName=\"x\" dur=\"1s\"/></svg>"),
    ("svg-set-href", "body",
     f"<svg><a><set attributeName=\"href\" to=\"javascript:{_p('svg-set-href')}\"/><text y=\"20\">x</text></a></svg>"),
    ("svg-foreignobject", "body",
     f"<svg><foreignObject><img src=x onerror=\"{_p('svg-foreignobject')}\"></foreignObject></svg>"),
    ("math-href", "body", f"<math href=\"javascript:{_p('math-href')}\"><mtext>click</mtext></math>"),
    # --- frames, plugins, forms, base, refresh ------------------------------------------
    ("iframe-js", "body", f"<iframe src=\"javascript:{_p('iframe-js')}\"></iframe>"),
    ("iframe-srcdoc", "body", "<iframe srcdoc=\"<script>parent.__pwned('iframe-srcdoc')</script>\"></iframe>"),
    ("object-data", "body", f"<object data=\"javascript:{_p('object-data')}\"></object>"),
    ("embed-src", "body", f"<embed src=\"javascript:{_p('embed-src')}\">"),
    ("form-action", "body",
     f"<form action=\"javascript:{_p('form-action')}\"><input type=\"submit\" value=\"go\"></form>"),
    ("button-formaction", "body",
     f"<form><button formaction=\"javascript:{_p('button-formaction')}\">go</button></form>"),
    ("base-href", "body", f"<base href=\"javascript:{_p('base-href')}//\">"),
    ("meta-refresh", "body", f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{_p('meta-refresh')}\">"),
    ("link-import", "body", f"<link rel=\"stylesheet\" href=\"javascript:{_p('link-import')}\">"),
    # --- CSS ---------------------------------------------------------------------------------
    ("style-expression", "body", f"<div style=\"width: expression({_p('style-expression')})\">x</div>"),
    ("style-url-js", "body", f"<p style=\"background:url('javascript:{_p('style-url-js')}')\">x</p>"),
    ("style-tag-import", "body", "<style>@import 'https://example.org/evil.css';</style>"),
    ("style-tag-expression", "body", f"<style>body {{ width: expression({_p('style-tag-expression')}); }}</style>"),
    # --- mutation XSS -----------------------------------------------------------------------
    ("mxss-noscript", "body", f"<noscript><p title=\"</noscript><img src=x onerror={_p('mxss-noscript')}>\">"),
    ("mxss-mathml-style", "body",
     f"<math><mtext><table><mglyph><style><img src=x onerror={_p('mxss-mathml-style')}>"),
    ("mxss-svg-style", "body", f"<svg></p><style><a id=\"</style><img src=1 onerror={_p('mxss-svg-style')}>\">"),
    ("mxss-title", "body", f"<title><a title=\"</title><img src=x onerror={_p('mxss-title')}>\"></a></title>"),
    ("mxss-textarea", "body", f"<textarea><p title=\"</textarea><img src=x onerror={_p('mxss-textarea')}>\">"),
    # --- comments and CDATA ---------------------------------------------------------------
    ("comment-breakout", "body", f"<!--><img src=x onerror={_p('comment-breakout')}>-->"),
    ("comment-dashes", "body", f"<!-- x --!><img src=x onerror={_p('comment-dashes')}>"),
    ("comment-conditional", "body", f"<!--[if gte IE 4]><script>{_p('comment-conditional')}</script><![endif]-->"),
    ("cdata", "body", f"<![CDATA[><img src=x onerror={_p('cdata')}>]]>"),
    ("svg-cdata-script", "body", f"<svg><script><![CDATA[{_p('svg-cdata-script')}]]></script></svg>"),
    # --- template injection: must appear literally -----------------------------------------
    ("template-expression", "body", "Seven sevens: {{ 7*7 }} and {{ config }}."),
    ("template-raw", "body", "{% raw %}{{ 7*7 }}{% endraw %} and {% if true %}yes{% endif %}"),
    ("template-title", "title", "Plan {{ 7*7 }} {% raw %}x{% endraw %}"),
    ("template-summary", "summary", "{{ self.__init__.__globals__ }} {# comment #}"),
    ("template-lead", "lead", "${7*7} #{7*7} <%= 7*7 %> {{7*7}}"),
    # --- plain-text fields (YAML-level tricks) -------------------------------------------
    ("title-attr-breakout", "title", f"\"><script>{_p('title-attr-breakout')}</script>"),
    ("title-single-quote", "title", f"'><img src=x onerror={_p('title-single-quote')}>"),
    ("title-tag-breakout", "title", f"</title><script>{_p('title-tag-breakout')}</script>"),
    ("title-script-breakout", "title", f"</script><script>{_p('title-script-breakout')}</script>"),
    ("title-cdata-breakout", "title", f"]]></title><script>{_p('title-cdata-breakout')}</script>"),
    ("title-yaml-chars", "title", f"a: b # not a comment - [x] {{y}} & <b onclick=\"{_p('title-yaml-chars')}\">"),
    # line and paragraph separators (U+2028/2029) are refused by check itself (tests/content/test_controls.py)
    ("summary-attr-breakout", "summary", f"\" onmouseover=\"{_p('summary-attr-breakout')}\" x=\""),
    ("summary-svg", "summary", f"\"><svg onload={_p('summary-svg')}>"),
    ("summary-markdown-link", "summary", f"[click](javascript:{_p('summary-markdown-link')})"),
    ("lead-img", "lead", f"<img src=x onerror={_p('lead-img')}>"),
    ("lead-entities", "lead", "Ministry &amp; <b>ICT</b> &lt;script&gt; &#60;i&#62;"),
    ("contributor-script", "contributor_name", f"<script>{_p('contributor-script')}</script>"),
    ("contributor-attr", "contributor_name", f"\" autofocus onfocus=\"{_p('contributor-attr')}"),
    ("contributor-js-link", "contributor_name", f"[ITU](javascript:{_p('contributor-js-link')})"),
    ("note-script", "note", f"<script>{_p('note-script')}</script>"),
    ("note-img", "note", f"<img src=x onerror={_p('note-img')}>"),
    ("note-md-link", "note", f"[source](javascript:{_p('note-md-link')})"),
    ("note-attr-breakout", "note", f"' onmouseover='{_p('note-attr-breakout')}' x='"),
]
# fmt: on

# Cases whose text must appear literally in the rendered page (never evaluated by a template engine).
LITERAL_TEXT: Final[dict[str, str]] = {
    "template-expression": "{{ 7*7 }}",
    "template-raw": "{% raw %}{{ 7*7 }}{% endraw %}",
    "template-title": "Plan {{ 7*7 }} {% raw %}x{% endraw %}",
    "template-summary": "{{ self.__init__.__globals__ }} {# comment #}",
    "template-lead": "${7*7} #{7*7} <%= 7*7 %> {{7*7}}",
    "lead-entities": "Ministry &amp; <b>ICT</b> &lt;script&gt; &#60;i&#62;",
}

COUNTRY: Final = "FRA"  # the country whose page carries the "note" cases (a file the tiny site lacks)
_NOTE_INDICATOR: Final = "internet-users"
_NOTE_FIRST_YEAR: Final = 2018


def slug(name: str) -> str:
    """The file name (without extension) of a case's entry: initiatives/<slug>.md or practices/<slug>.md."""
    return f"xss-{name}"


def entry_kind(field: str) -> str:
    """Where a case lands: "initiative", "practice" or "country" (the KEN country page)."""
    return {"contributor_name": "practice", "note": "country"}.get(field, "initiative")


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`, on one line."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff" or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04X}")
        elif code > 0xFFFF:
            out.append(f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _needs_yaml_body(body: str) -> bool:
    """A body a file cannot hold as raw Markdown text (NUL and other controls): write it as a YAML string."""
    return any((ord(c) < 0x20 and c not in "\t\n") or c in "\x7f\u2028\u2029" for c in body)


def _front(fields: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def _entry(name: str, field: str, payload: str) -> tuple[str, str]:
    """(relative path, file text) of the entry that carries one case."""
    q = yaml_quote
    body = payload if field == "body" else f"This entry carries the XSS test case `{name}` in its {field}."
    if entry_kind(field) == "practice":
        front = (
            f"title: {q('XSS case ' + name)}\nkind: case-study\ncontributor:\n  name: {q(payload)}\n  type: other\n"
            f'targets: ["1.4"]\nurl: {q("https://example.org/xss")}\nsummary: {q("Contributor name test.")}\n'
        )
        folder = "practices"
    else:
        fields = {
            "title": q(payload if field == "title" else f"XSS case {name}"),
            "countries": "[KEN]",
            "targets": '["1.4"]',
            "kind": "project",
            "status": "ongoing",
            "start": "2024",
            "lead": q(payload if field == "lead" else "Test ministry"),
            "url": q("https://example.org/xss"),
            "summary": q(payload if field == "summary" else f"Summary of {name}."),
        }
        front = _front(fields)
        folder = "initiatives"
    if _needs_yaml_body(body):
        return f"{folder}/{slug(name)}.yaml", front + f"body: {q(body)}\n"
    return f"{folder}/{slug(name)}.md", f"---\n{front}---\n{body}\n"


def _check_round_trip(path: Path, expected: dict[str, str]) -> None:
    """The file reads back with each payload intact: the YAML escaping is right."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
        data["body"] = body[:-1]
    else:
        data = yaml.safe_load(text)
    for key, value in expected.items():
        node = data
        for part in key.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        if node != value:
            raise AssertionError(f"{path}: {key} reads back as {node!r}, not {value!r}")


def corpus_site(base: Path, tiny: Path) -> Path:
    """Copy the tiny content folder to base/content and add one entry per case; returns the folder.

    Body, title, summary and lead cases are initiatives (initiatives/xss-<name>.md, or
    .yaml when the body holds a control character); contributor_name cases are practices;
    note cases are notes on internet-users statistics (years 2018 onwards) in a new
    countries/FRA.yaml, all on the FRA country page.
    """
    content = base / "content"
    shutil.copytree(tiny, content)
    notes: list[str] = []
    for name, field, payload in CASES:
        if field not in FIELDS:
            raise ValueError(f"{name}: unknown field {field!r}")
        if field == "note":
            year = _NOTE_FIRST_YEAR + len(notes)
            notes.append(
                f"  - indicator: {_NOTE_INDICATOR}\n    year: {year}\n    value: {len(notes) + 1}\n"
                f"    note: {yaml_quote(payload)}\n"
            )
            continue
        rel, text = _entry(name, field, payload)
        path = content / rel
        path.write_text(text, encoding="utf-8", newline="\n")
        key = {"contributor_name": "contributor.name"}.get(field, field)
        _check_round_trip(path, {key: payload})
    country = content / "countries" / f"{COUNTRY}.yaml"
    if country.exists():
        raise AssertionError(f"{country} exists already: pick another COUNTRY for the note cases")
    country.write_text("statistics:\n" + "".join(notes), encoding="utf-8", newline="\n")
    data = yaml.safe_load(country.read_text(encoding="utf-8"))
    for stat, (_, _, payload) in zip(data["statistics"], (c for c in CASES if c[1] == "note"), strict=True):
        if stat["note"] != payload:
            raise AssertionError(f"{country}: a note reads back as {stat['note']!r}, not {payload!r}")
    _structural_fields(content)
    return content


# Every other text a contributor can write (goals, targets, indicators, sources, country
# files) gets a payload too: these reach headings, captions, tables and the SVG titles of
# maps and charts, not just entry pages.
STRUCTURAL_FIELDS: Final = (
    "goal.title", "goal.statement", "goal.note", "goal.body",
    "target.title", "target.text", "target.note", "target.body",
    "indicator.title", "indicator.description",
    "source.publisher", "source.title", "source.license", "source.edition", "source.note",
    "country.name", "country.summary", "country.body", "evidence.title", "status.note",
)  # fmt: skip


def structural_payload(field: str) -> str:
    return f'<img src=x onerror={_p(field)}>"><script>{_p(field)}</script><svg onload={_p(field)}> {{{{ 7*7 }}}}'


def _structural_fields(content: Path) -> None:
    q = {field: yaml_quote(structural_payload(field)) for field in STRUCTURAL_FIELDS}
    (content / "goals" / "1.yaml").write_text(
        f"id: 1\ntitle: {q['goal.title']}\nstatement: {q['goal.statement']}\nsource: test-src\n"
        f"note: {q['goal.note']}\nbody: {q['goal.body']}\n",
        encoding="utf-8",
    )
    target = (content / "targets" / "1.4.yaml").read_text(encoding="utf-8")
    target = target.replace('title: "Digital strategy"', f"title: {q['target.title']}\nnote: {q['target.note']}")
    target = target.replace(
        'text: "By 2023, all countries adopt a digital agenda/strategy"',
        f"text: {q['target.text']}\nbody: {q['target.body']}",
    )
    target = target.replace(
        'title: "Individuals using the Internet"',
        f"title: {q['indicator.title']}\n    description: {q['indicator.description']}",
    )
    (content / "targets" / "1.4.yaml").write_text(target, encoding="utf-8")
    (content / "sources.yaml").write_text(
        f"test-src:\n  publisher: {q['source.publisher']}\n  title: {q['source.title']}\n"
        f'  url: "https://example.org/data"\n  license: {q["source.license"]}\n  edition: {q["source.edition"]}\n'
        f"  note: {q['source.note']}\n",
        encoding="utf-8",
    )
    (content / "countries" / "KEN.yaml").write_text(
        f"name: {q['country.name']}\nsummary: {q['country.summary']}\nbody: {q['country.body']}\n"
        "statistics:\n  - indicator: digital-strategy\n    year: 2022\n    value: true\n    evidence:\n"
        f'      title: {q["evidence.title"]}\n      url: "https://example.org/ken-plan.pdf"\n'
        "  - indicator: internet-users\n    year: 2023\n    value: 40.8\n"
        f'statuses:\n  - target: "1.4"\n    status: on-track\n    year: 2024\n    note: {q["status.note"]}\n',
        encoding="utf-8",
    )
    for field in STRUCTURAL_FIELDS:  # each replacement above must have landed
        if not any(q[field] in p.read_text(encoding="utf-8") for p in content.rglob("*.yaml")):
            raise AssertionError(f"the {field} payload was not written")


__all__ = [
    "CASES",
    "COUNTRY",
    "FIELDS",
    "LITERAL_TEXT",
    "STRUCTURAL_FIELDS",
    "structural_payload",
    "Case",
    "corpus_site",
    "entry_kind",
    "slug",
    "yaml_quote",
]
