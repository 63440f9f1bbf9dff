"""Property-based fuzzing: whatever a contributor commits, `check` never ends in a traceback.

Every problem must come back as a located `Diagnostic` (line >= 1, col >= 1, a path under
the content folder); `yamlload.load` may raise only `YamlProblem`; the CLI exits 0 or 1.

The settings are deterministic (derandomize=True) and small enough for CI. The named
`test_regression_*` tests pin inputs that once escaped as exceptions.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional, Union

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import TESTS
from connect_site.cli import main
from connect_site.content import schema, yamlload
from connect_site.errors import Diagnostic, Severity
from connect_site.pipeline import CheckResult, check

TINY = TESTS / "fixtures" / "tiny" / "content"

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


@contextmanager
def tiny_site(files: dict[str, Union[str, bytes]]) -> Iterator[Path]:
    """A fresh copy of the tiny site with `files` replaced (text is written as UTF-8)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(TINY, content)
        for rel, data in files.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_bytes(data.encode("utf-8", "surrogatepass"))
        yield content


def assert_located(diagnostics: list[Diagnostic], root: str) -> None:
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.line >= 1 and d.col >= 1, d.format()
        assert d.path == root or d.path.startswith(root.rstrip("/") + "/"), d.format()
        assert isinstance(d.severity, Severity)
        assert d.code and d.message, d.format()


def check_ok(content: Path) -> CheckResult:
    """Run the pipeline; it must return, with every diagnostic located."""
    root = content.as_posix()
    result = check(content, display_root=root, year=2026)
    assert_located(result.diagnostics, root)
    assert result.errors == sum(d.severity is Severity.ERROR for d in result.diagnostics)
    return result


def run_cli(content: Path, fmt: str = "json", strict: bool = False, charset: str = "utf-8") -> None:
    """Run `connect-site check`; exit 0 or 1, no exception; with json, every diagnostic located."""
    args = ["check", "--content", str(content), "--format", fmt] + (["--strict"] if strict else [])
    with tempfile.TemporaryDirectory() as tmp:
        summary = Path(tmp) / "summary.md"
        res = CliRunner(charset=charset).invoke(main, args, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
        assert res.exit_code in (0, 1), (res.exit_code, res.output)
        if fmt == "github":
            assert summary.read_text(encoding="utf-8").startswith("## connect-site check")
    if fmt != "json":
        return
    report = json.loads(res.stdout)
    root = content.as_posix()
    for d in report["diagnostics"]:
        assert d["line"] >= 1 and d["col"] >= 1, d
        assert d["path"].startswith(root + "/"), d
    assert (res.exit_code == 0) == report["ok"]
    if strict:
        assert res.exit_code == (1 if report["diagnostics"] else 0)


# ---------------------------------------------------------------------------------------
# Strategies: YAML-ish text
# ---------------------------------------------------------------------------------------


def _models() -> list[type[schema.Strict]]:
    return [m for m in vars(schema).values() if isinstance(m, type) and issubclass(m, schema.Strict)]


# Every field of every model, plus typos and YAML oddities: kept in step with the schema.
FIELD_NAMES = sorted({name for model in _models() for name in model.model_fields}) + [
    "test-src",
    "<<",
    "Title",
    "titel",
    "",
]

TRICKY_STRINGS = [
    "3.10",
    "3.1",
    "1.4",
    "2.10",
    "2.1.a",
    "2.1.A",
    "1.40",
    "0.5",
    "10.1",
    "NO",
    "no",
    "yes",
    "Yes",
    "on",
    "off",
    "y",
    "n",
    "1:30",
    "0755",
    "0x1F",
    "0o17",
    "1e3",
    "1_000",
    ".5",
    "5.",
    "-0",
    "+1",
    "2024-02-30",
    "2024-02-29",
    "2023-02-29",
    "2024-13",
    "2024-00-10",
    "0000-02-29",
    "9999-12-31",
    "2024",
    "24",
    "javascript:alert(1)",
    "http://",
    "https://",
    "https://example.org/x",
    "http://[::1",
    "https://exa mple.org",
    "ftp://example.org",
    "//example.org",
    "mailto:a@b.c",
    "null",
    "Null",
    "~",
    "",
    " ",
    "true",
    "False",
    "TRUE",
    ".nan",
    ".inf",
    "-.inf",
    "nan",
    "inf",
    "Infinity",
    "KEN",
    "ken",
    "NOR",
    "XXX",
    "XK",
    "KE",
    "Kenya",
    "kenya-plan",
    "test-src",
    "Test-Src",
    "strategy",
    "ongoing",
    "completed",
    "planned",
    "guideline",
    "un-entity",
    "increase",
    "percent",
    "yes-no",
    "count",
    "en",
    "EN",
    "fr-CA",
    "e",
    "x" * 201,
    "y" * 2001,
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!str",
    "!x",
    "|",
    ">",
    "#",
    "%",
    "@",
    "`",
    "'",
    '"',
    "- ",
    ": ",
    "a: b",
    "\t",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\U0001f600",
    "²",
    "٢٠٢٢",
    "１２",
    "9" * 40,
    "9" * 4301,
    "1" + "0" * 400 + ".5",
]

# Number-like text, including digit runs longer than Python's int-string limit (4300).
numberish = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.tuples(
        st.sampled_from([1, 2, 3, 4, 17, 20, 309, 400, 4300, 4301, 6000]),
        st.sampled_from(["{}", "-{}", "{}.5", "0.{}", "{}e3"]),
    ).map(lambda t: t[1].format("9" * t[0])),
)

scalar_text = st.one_of(
    st.sampled_from(TRICKY_STRINGS),
    st.text(max_size=20),
    st.text(alphabet="0123456789.-:e+_ ", max_size=12),
    numberish,
)

key_text = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8))


def _chance(draw: st.DrawFn, n: int) -> bool:
    """True about once in `n` draws (st.integers would favour its lower bound)."""
    return draw(st.sampled_from([False] * (n - 1) + [True]))


def _indent_unit(draw: st.DrawFn) -> str:
    if _chance(draw, 20):
        return draw(st.sampled_from(["\t", " \t", " "]))
    return draw(st.sampled_from(["  ", "    "]))


_PLAIN_SAFE = re.compile(r"[A-Za-z0-9_.+~/()][A-Za-z0-9_.+~/()@ :-]*\Z")


def _quote(draw: st.DrawFn, text: str) -> str:
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "plain" and not (_PLAIN_SAFE.match(text) and ": " not in text and not text.endswith((" ", ":"))):
        style = "plain" if _chance(draw, 5) else "double"  # mostly keep the document valid
    if style == "single" and not _NON_PRINTABLE.search(text):
        return "'" + text.replace("'", "''") + "'"
    if style != "plain":
        return _double_quoted(text)
    return text


# Characters YAML does not allow raw in a document (they must be escaped in "...").
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif _NON_PRINTABLE.match(ch) or ch in "\t\r":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _decorate(draw: st.DrawFn, rendered: str) -> str:
    """Sometimes add an anchor, a tag, or replace the value by an alias."""
    if not _chance(draw, 40):
        return rendered
    choice = draw(st.sampled_from(["anchor", "alias", "tag", "tag2"]))
    if choice == "anchor":
        return f"&a {rendered}"
    if choice == "alias":
        return "*a"
    if choice == "tag":
        return f"!!str {rendered}"
    if choice == "tag2":
        return f"!x {rendered}"
    return rendered


# A YAML value tree: scalars are strings (rendered with a random quoting), containers are
# ("map", [(key, value), ...]) or ("seq", [value, ...]).
yaml_tree = st.recursive(
    scalar_text,
    lambda children: st.one_of(
        st.tuples(st.just("map"), st.lists(st.tuples(key_text, children), max_size=5)),
        st.tuples(st.just("seq"), st.lists(children, max_size=5)),
    ),
    max_leaves=25,
)


def _render_flow(draw: st.DrawFn, node: Any) -> str:
    if isinstance(node, str):
        return _decorate(draw, _quote(draw, node))
    kind, items = node
    if kind == "map":
        parts = [f"{_quote(draw, k)}: {_render_flow(draw, v)}" for k, v in items]
        return _decorate(draw, "{" + ", ".join(parts) + "}")
    return _decorate(draw, "[" + ", ".join(_render_flow(draw, v) for v in items) + "]")


def _render_block(draw: st.DrawFn, node: Any, indent: str) -> list[str]:
    """Lines of a block rendering of a container node at `indent`."""
    kind, items = node
    lines: list[str] = []
    unit = _indent_unit(draw)
    if kind == "map" and not items:
        return [indent + "{}"]
    if kind == "seq" and not items:
        return [indent + "[]"]
    pairs = items if kind == "map" else [(None, v) for v in items]
    for key, value in pairs:
        lead = indent + (f"{_quote(draw, key)}:" if kind == "map" else "-")
        if isinstance(value, str) or _chance(draw, 5):
            lines.append(f"{lead} {_render_flow(draw, value)}")
        else:
            decoration = draw(st.sampled_from([" &a", " !!map", " !!seq"])) if _chance(draw, 30) else ""
            lines.append(lead + decoration)
            lines.extend(_render_block(draw, value, indent + unit))
    return lines


@st.composite
def yaml_documents(draw: st.DrawFn, keys: Optional[list[str]] = None) -> str:
    """A YAML-ish document: mostly well formed, sometimes broken on purpose."""
    if keys is not None:
        pairs = draw(st.lists(st.tuples(st.sampled_from(keys) | key_text, yaml_tree), max_size=8))
        tree: Any = ("map", pairs)
    else:
        tree = draw(yaml_tree)
    if isinstance(tree, str) or _chance(draw, 6):
        text = _render_flow(draw, tree)
    else:
        text = "\n".join(_render_block(draw, tree, ""))
    if _chance(draw, 6):  # break it somewhere
        pos = draw(st.integers(0, len(text)))
        junk = draw(
            st.sampled_from(
                [
                    "\t",
                    ":",
                    "- ",
                    "\n",
                    "\n---\n",
                    "'",
                    '"',
                    "[",
                    "{",
                    "&a ",
                    "*a",
                    "\x0b",
                    "\r",
                    "\n  ",
                    "#",
                    "%YAML 1.2\n",
                    "!!",
                    "\ufeff",
                ]
            )
        )
        text = text[:pos] + junk + text[pos:]
    if _chance(draw, 10):
        text = draw(st.sampled_from(["%YAML 1.1\n---\n", "--- ", "---\n", "# c\n"])) + text
    if _chance(draw, 10):
        text += draw(st.sampled_from(["\n...\n", "\n---\nx: 1\n", "\n...\nrest", "\n"]))
    return text


arbitrary_text = st.one_of(
    st.text(max_size=200),  # includes control characters
    st.lists(st.sampled_from(list(":-[]{},&*!|>'\"#%@`?\t\n \r\\~.") + ["a", "1", "ab", "---", "- "]), max_size=60).map(
        "".join
    ),
)

yaml_text = st.one_of(yaml_documents(), arbitrary_text)

# ---------------------------------------------------------------------------------------
# 1. yamlload.load
# ---------------------------------------------------------------------------------------


@FUZZ
@given(text=yaml_text, offset=st.sampled_from([0, 1, 7]))
@example(text="a: 1\na: 2\n", offset=0)
@example(text="a: &x [1]\nb: *x\n", offset=0)
@example(text="a:\n\t- b\n", offset=1)
@example(text="[" * 200 + "]" * 200, offset=0)
@example(text="summary: " + "9" * 4301, offset=0)
@example(text="- \x85\u2028x: \ufeff", offset=1)
def test_yamlload_raises_only_yamlproblem(text: str, offset: int) -> None:
    try:
        doc = yamlload.load(text, line_offset=offset)
    except yamlload.YamlProblem as p:
        assert p.line >= 1 + offset and p.col >= 1, p
        assert p.code and p.message
        return
    for line, col in list(doc.positions.values()) + list(doc.key_positions.values()):
        assert line >= 1 + offset and col >= 1
    assert doc.where(("no", "such", 3)) >= (1, 1)


# ---------------------------------------------------------------------------------------
# 2. Front matter and body of an initiative
# ---------------------------------------------------------------------------------------

INITIATIVE_FIELDS = list(schema.Initiative.model_fields)

py_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(TRICKY_STRINGS),
    st.text(max_size=30),
    numberish,
)
py_value = st.recursive(
    py_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children, max_size=4),
    ),
    max_leaves=12,
)


def _py_to_yaml(draw: st.DrawFn, value: Any) -> str:
    """A one-line (flow) YAML rendering of a Python value, plain where it can be."""
    if value is None:
        return draw(st.sampled_from(["", "~", "null", "Null"]))
    if isinstance(value, bool):
        return draw(st.sampled_from(["true", "false"] if value else ["false", "False"]))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            repr(value)
            if value == value and abs(value) != float("inf")
            else draw(st.sampled_from([".nan", ".inf", "-.inf", "nan"]))
        )
    if isinstance(value, str):
        return _quote(draw, value)
    if isinstance(value, list):
        return "[" + ", ".join(_py_to_yaml(draw, v) for v in value) + "]"
    return "{" + ", ".join(f"{_quote(draw, str(k))}: {_py_to_yaml(draw, v)}" for k, v in value.items()) + "}"


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    fields = draw(
        st.dictionaries(st.sampled_from(INITIATIVE_FIELDS) | st.sampled_from(FIELD_NAMES), py_value, max_size=10)
    )
    if draw(st.booleans()):  # start from the valid initiative and override some fields
        base = {
            "title": '"Kenya digital plan"',
            "countries": "[ken]",
            "targets": '[1.4, "2.10"]',
            "kind": "strategy",
            "status": "ongoing",
            "start": "2022",
            "lead": '"Ministry of ICT"',
            "url": '"https://example.org/ken"',
        }
    else:
        base = {}
    rendered = dict(base)
    for key, value in fields.items():
        if isinstance(value, list) and draw(st.booleans()):  # block style list
            unit = _indent_unit(draw)
            rendered[key] = "".join(f"\n{unit}- {_py_to_yaml(draw, v)}" for v in value) or "[]"
        else:
            rendered[key] = _py_to_yaml(draw, value)
    lines = [f"{k}: {v}".rstrip() if not v.startswith("\n") else f"{k}:{v}" for k, v in rendered.items()]
    if _chance(draw, 6) and lines:  # a duplicate key
        lines.append(draw(st.sampled_from(lines)))
    return "\n".join(lines)


markdown_body = st.one_of(
    st.just(""),
    st.text(max_size=200),
    st.lists(st.sampled_from(["[", "]", "(", ")", ">", " ", "\t", "\n", "-", "*", "#", "---", "a"]), max_size=400).map(
        "".join
    ),
    st.sampled_from(
        [
            "[" * 1500,
            "[" * 301 + "\n\n" + "x",
            ">" * 40 + " quote",
            " " * 100 + "deep",
            "---\ntitle: again\n---\n",
            "text\r\nmore\r\n",
        ]
    ),
)


@st.composite
def markdown_files(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["fenced", "fenced", "fenced", "fenced", "generic-yaml", "raw", "unclosed"]))
    if shape == "raw":
        return draw(arbitrary_text)
    fm = draw(front_matter()) if shape != "generic-yaml" else draw(yaml_text)
    opening = draw(st.sampled_from(["---\n", "---\n", "--- \n", "---\r\n", "\ufeff---\n", " ---\n"]))
    if shape == "unclosed":
        return opening + fm + "\n"
    closing = draw(st.sampled_from(["\n---\n", "\n---\n", "\n...\n", "\n--- \n", "\n---"]))
    return opening + fm + closing + draw(markdown_body)


@FUZZ
@given(text=markdown_files())
@example(
    text="---\ntitle: x\ncountries: [ken]\ntargets: [3.10]\nkind: NO\nstatus: 1:30\nstart: 2024-02-30\n"
    "lead: 0755\nurl: javascript:alert(1)\n---\nbody\n"
)
@example(text="---\ncountries: {a: [1, {b: null}]}\ntargets: [true, ~, 1.40, '2.1.a']\n---\n")
@example(text="---\nbody: x\n---\nalso a body\n")
def test_initiative_front_matter_never_raises(text: str) -> None:
    with tiny_site({"initiatives/x.md": text}) as content:
        check_ok(content)


# ---------------------------------------------------------------------------------------
# 3. CSV tables
# ---------------------------------------------------------------------------------------

CSV_COLUMNS = ["country", "year", "value", "source", "note", "evidence_title", "evidence_url"]

CELLS_BY_COLUMN: dict[str, list[str]] = {
    "country": ["KEN", "ken", " KEN ", "NOR", "NOR", "KEN", "XXX", "Kenya", "KE", "", "kEn", "ＫＥＮ"],
    "year": [
        "2022",
        "2023",
        "1989",
        "3000",
        "-1",
        "",
        " 2022 ",
        "²",
        "³",
        "①",
        "¹⁹⁹⁹",
        "٢٠٢٢",
        "１２",
        "2022.0",
        "1e3",
        "0x7e6",
        "2_022",
        "0" * 3996 + "2022",
        "9" * 3999,
    ],
    "value": [
        "35.5",
        "0",
        "100",
        "101",
        "-0.5",
        "",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1e309",
        "1,5",
        "1_000",
        "١٢",
        "true",
        "false",
        "TRUE",
        "yes",
        "0x10",
        "9" * 3999,
        "1e-400",
    ],
    "source": ["test-src", "", "nope", "Test-Src", " test-src "],
    "note": ["", "a note", "a, b", 'say "hi"', "x" * 3999],
    "evidence_title": ["", "A document", " ", "t" * 201, "t" * 200, "x" * 3999],
    "evidence_url": [
        "",
        "https://example.org/e",
        "javascript:alert(1)",
        "http://[::1",
        "https://exa mple.org",
        "https://example.org/" + "e" * 2000,
    ],
}
ANY_CELL = [c for cells in CELLS_BY_COLUMN.values() for c in cells] + [
    '"',
    '""',
    "a,b",
    "a\nb",
    "\r",
    "\ufeff",
    "\x00",
    "x" * 4001,
]


def csv_cell(column: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(CELLS_BY_COLUMN.get(column) or ANY_CELL),
        st.sampled_from(CELLS_BY_COLUMN.get(column) or ANY_CELL),
        st.sampled_from(ANY_CELL),
        st.text(max_size=12),
    )


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    if _chance(draw, 8):
        return draw(st.one_of(arbitrary_text, st.text(alphabet='",\n\r ab1\x00\ufeff', max_size=60)))
    shape = draw(st.sampled_from(["valid", "valid", "known", "random"]))
    if shape == "random":
        header = draw(st.lists(st.sampled_from(CSV_COLUMNS) | st.text(max_size=6), max_size=8))
    else:
        header = draw(st.lists(st.sampled_from(CSV_COLUMNS), min_size=3, max_size=7, unique=True))
        if shape == "valid":
            header = ["country", "year", "value"] + [c for c in header if c not in ("country", "year", "value")]
    rows = []
    for _ in range(draw(st.sampled_from(range(9)))):
        if _chance(draw, 6):  # a wrong number of cells
            rows.append(draw(st.lists(st.sampled_from(ANY_CELL), max_size=len(header) + 2)))
        else:
            rows.append([draw(csv_cell(column)) for column in header])
    terminator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        buf = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        writer = csv.writer(buf, quoting=quoting, lineterminator=terminator)
        writer.writerow(header)
        writer.writerows(rows)
        text = buf.getvalue()
    else:  # naive joining: stray quotes and commas stay as they are
        text = terminator.join(",".join(r) for r in [header, *rows])
    if _chance(draw, 5):
        text = "\ufeff" + text
    return text


@FUZZ
@given(text=csv_texts(), fmt=st.sampled_from(["json", "json", "text", "github"]), strict=st.booleans())
@example(text="country,year,value\nKEN,2022,35\n", fmt="json", strict=False)
@example(text='country,year,value\nKEN,2022,"35\n', fmt="github", strict=True)
@example(text='\ufeffcountry,year,value,note\r\nKEN,2022,35,"a\r\nb"\r\nKEN,2022\r\n', fmt="json", strict=True)
def test_csv_never_crashes_the_cli(text: str, fmt: str, strict: bool) -> None:
    with tiny_site({"data/internet-users.csv": text}) as content:
        run_cli(content, fmt, strict)


@FUZZ
@given(text=csv_texts())
def test_csv_for_yes_no_indicator_never_raises(text: str) -> None:
    """The same tables as a yes-no indicator (values true/false, evidence columns)."""
    with tiny_site({"data/digital-strategy.csv": text}) as content:
        check_ok(content)


# ---------------------------------------------------------------------------------------
# 4. Arbitrary bytes in a country file
# ---------------------------------------------------------------------------------------

KEN_BYTES = (TINY / "countries" / "KEN.yaml").read_bytes()


@st.composite
def mutated_ken(draw: st.DrawFn) -> bytes:
    data = bytearray(KEN_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=300), mutated_ken(), st.binary(max_size=40).map(lambda b: b"\xef\xbb\xbf" + b))
)
@example(data=b"name: \xff\n")
@example(data=b"\xef\xbb\xbfname: Kenya\n")
@example(data=b"name: Kenya\x00\n")
def test_country_bytes_never_raise(data: bytes) -> None:
    with tiny_site({"countries/KEN.yaml": data}) as content:
        result = check_ok(content)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"\x00" not in data:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            assert any(d.code == "not-utf8" and d.path.endswith("countries/KEN.yaml") for d in result.diagnostics)


# ---------------------------------------------------------------------------------------
# 5. site.yaml and sources.yaml
# ---------------------------------------------------------------------------------------

SITE_KEYS = ["title", "tagline", "description", "base_url", "languages", "default_language", "focus_targets", "sources"]
SOURCE_KEYS = ["test-src", "other", "Bad_Id", "publisher", "title", "url", "license", "edition", "note"]


@FUZZ
@given(
    site=st.one_of(yaml_documents(keys=SITE_KEYS), yaml_text),
    sources=st.one_of(yaml_documents(keys=SOURCE_KEYS), yaml_text, st.none()),
)
@example(
    site="title: x\nbase_url: https://e.org/\nfocus_targets: [3.10, '1.4', 9.99]\nsources: {test-src: {}}\n",
    sources="test-src: 1\n",
)
@example(site="languages: []\ndefault_language: EN\n", sources="[]")
def test_site_and_sources_never_raise(site: str, sources: Optional[str]) -> None:
    files: dict[str, Union[str, bytes]] = {"site.yaml": site}
    if sources is not None:
        files["sources.yaml"] = sources
    with tiny_site(files) as content:
        check_ok(content)


# ---------------------------------------------------------------------------------------
# 6. Small mutations of every valid file (deep validation: links, units, observations)
# ---------------------------------------------------------------------------------------

FIXTURE_FILES = [
    "site.yaml",
    "sources.yaml",
    "goals/1.yaml",
    "targets/1.4.yaml",
    "targets/2.10.yaml",
    "countries/KEN.yaml",
    "initiatives/kenya-plan.md",
    "practices/guide.yaml",
]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, str]:
    """One fixture file with one to three line edits: a new value, a dropped, repeated or added line."""
    rel = draw(st.sampled_from(FIXTURE_FILES))
    lines = (TINY / rel).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        i = draw(st.sampled_from(range(len(lines))))
        line = lines[i]
        indent = line[: len(line) - len(line.lstrip(" -"))]
        op = draw(st.sampled_from(["value", "value", "value", "value", "delete", "repeat", "insert"]))
        if op == "value" and ":" in line:
            head = line.split(":", 1)[0]
            lines[i] = f"{head}: {_py_to_yaml(draw, draw(py_value))}"
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(i, line)
        elif op == "insert":
            key = draw(st.sampled_from(FIELD_NAMES))
            lines.insert(i, f"{indent.replace('-', ' ')}{key}: {_py_to_yaml(draw, draw(py_value))}")
    return rel, "\n".join(lines) + "\n"


@FUZZ
@given(mutation=mutated_fixture(), second=st.none() | mutated_fixture())
@example(mutation=("targets/1.4.yaml", "id: 3.10\ngoal: 1\ntext: t\ndeadline: 2023\nsource: test-src\n"), second=None)
@example(
    mutation=("countries/KEN.yaml", "statistics:\n  - indicator: internet-users\n    year: 2023\n    value: '1_000'\n"),
    second=("targets/1.4.yaml", "id: '1.4'\ngoal: 1\ntext: t\ndeadline: 2023\nsource: test-src\n"),
)
def test_mutated_fixture_files_never_raise(mutation: tuple[str, str], second: Optional[tuple[str, str]]) -> None:
    files: dict[str, Union[str, bytes]] = {mutation[0]: mutation[1]}
    if second is not None:
        files[second[0]] = second[1]
    with tiny_site(files) as content:
        check_ok(content)


# ---------------------------------------------------------------------------------------
# Regressions: minimal inputs that escaped as exceptions
# ---------------------------------------------------------------------------------------


def test_regression_yaml_integer_over_4300_digits() -> None:
    """A plain integer longer than Python's int-string limit must be a YamlProblem or text."""
    try:
        yamlload.load("summary: " + "9" * 4301 + "\n")
    except yamlload.YamlProblem:
        pass
    with tiny_site({"countries/KEN.yaml": "summary: " + "9" * 4301 + "\n"}) as content:
        check_ok(content)


@pytest.mark.parametrize("year", ["²", "³", "¹⁹⁹⁹", "①"])
def test_regression_csv_year_with_unicode_digit(year: str) -> None:
    """str.isdigit() accepts '²', but int('²') raises."""
    with tiny_site({"data/internet-users.csv": f"country,year,value\nKEN,{year},35\n"}) as content:
        check_ok(content)
        run_cli(content)


def test_regression_csv_evidence_title_too_long() -> None:
    """Evidence(...) built from CSV cells raises ValidationError for a 201-character title."""
    text = "country,year,value,evidence_title,evidence_url\nKEN,2022,35," + "t" * 201 + ",https://example.org/x\n"
    with tiny_site({"data/internet-users.csv": text}) as content:
        check_ok(content)
        run_cli(content)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_cli_output_on_a_latin1_terminal(fmt: str) -> None:
    """A contributor's emoji echoed in a diagnostic must not make the CLI exit 3 (internal error)
    when stdout cannot encode it (latin-1 here; cp1252 on a Windows runner writing to a pipe)."""
    text = "---\ntitle: Plan\ncountries: [ken]\ntargets: ['1.4']\nkind: plan\U0001f600\nstatus: ongoing\nlead: M\n---\n"
    with tiny_site({"initiatives/x.md": text}) as content:
        run_cli(content, fmt, charset="latin-1")
