"""`connect-site new`: the files it writes pass the check, it asks plainly, it never overwrites."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, run, write_site
from connect_site import cli
from connect_site.commands.new_write import quote, slugify
from connect_site.content import controls, yamlload

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/{}.schema.json"


def new(content: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli.main, ["new", *args, "--content", str(content)], input=input)


def problems_in(content: Path, rel: str) -> list[str]:
    result = run(content)
    return [d.format() for d in result.diagnostics if d.path == f"content/{rel}"]


def describe(content: Path, rel: str) -> None:
    """What the contributor does next: write their own description in place of the example text
    that `new` wrote (the check refuses it until then, and nothing else)."""
    errors = [p.split(": ")[1] for p in problems_in(content, rel) if ": error[" in p]
    assert errors == ["error[placeholder-text]"]
    path = content / rel
    head, _, _example = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(head + "---\nOur own description, from the public documents.\n", encoding="utf-8")


def tree(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


INITIATIVE = [
    "initiative",
    "--title",
    "Ghana digital economy plan",
    "--country",
    "Ghana",
    "--country",
    "ken",
    "--target",
    "1.4",
    "--target",
    "2.10",
    "--kind",
    "plan",
    "--status",
    "ongoing",
    "--lead",
    "Ministry of Communications",
    "--start",
    "2023-05",
    "--end",
    "2030",
    "--url",
    "https://example.org/ghana",
    "--summary",
    "A plan for the digital economy.",
    "--body",
    "The plan has **three** pillars.",
    "--no-input",
]


def test_initiative_from_flags_passes_the_check(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    result = new(content, *INITIATIVE)
    assert result.exit_code == 0, result.output
    path = content / "initiatives" / "ghana-digital-economy-plan.md"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["---", SCHEMA_LINE.format("initiative")]
    assert 'targets: ["1.4", "2.10"]' in text
    assert f"wrote {content.as_posix()}/initiatives/ghana-digital-economy-plan.md" in result.output
    assert "next: check everything with 'connect-site check" in result.output
    checked = run(content)
    assert checked.ok and not problems_in(content, "initiatives/ghana-digital-economy-plan.md")
    assert checked.site is not None
    item = checked.site.initiatives["ghana-digital-economy-plan"]
    assert (item.countries, item.targets, item.kind, item.start, item.end) == (
        ["GHA", "KEN"],
        ["1.4", "2.10"],
        "plan",
        "2023-05",
        "2030",
    )
    assert item.body is not None and item.body.strip() == "The plan has **three** pillars."


def test_practice_from_flags_passes_the_check(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    result = new(
        content,
        "practice",
        "--title",
        "Community networks: a field guide",
        "--kind",
        "Good Practice",
        "--contributor-name",
        "Example University",
        "--contributor-type",
        "academia",
        "--contributor-url",
        "https://example.edu/",
        "--target",
        "1.4",
        "--date",
        "2025-02-28",
        "--url",
        "https://example.edu/guide",
        "--body",  # without it the example description is written, which the check refuses
        "What was learned building community networks, with links to the public reports.",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    path = content / "practices" / "community-networks-a-field-guide.md"
    assert path.read_text(encoding="utf-8").splitlines()[1] == SCHEMA_LINE.format("practice")
    checked = run(content)
    assert checked.ok, [d.format() for d in checked.diagnostics]
    assert checked.site is not None
    item = checked.site.practices["community-networks-a-field-guide"]
    assert (item.kind, item.contributor.name, item.contributor.type, item.countries) == (
        "good-practice",
        "Example University",
        "academia",
        [],
    )
    assert str(item.contributor.url) == "https://example.edu/"


def test_country_from_flags_passes_the_check(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    result = new(content, "country", "--country", "ghana", "--summary", "Ghana's figures.", "--source", "test-src")
    assert result.exit_code == 0, result.output
    text = (content / "countries" / "GHA.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE.format("country")
    checked = run(content)
    assert checked.ok and not problems_in(content, "countries/GHA.yaml")
    assert checked.site is not None
    entry = checked.site.countries["GHA"].entry
    assert entry is not None and entry.summary == "Ghana's figures." and entry.source == "test-src"


def test_commented_examples_in_a_country_file_pass_when_uncommented(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    assert new(content, "country", "--country", "GHA", "--no-input").exit_code == 0
    path = content / "countries" / "GHA.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("# statistics:")
    path.write_text(
        "\n".join(
            [*lines[:start], *(line[2:] for line in lines[start:] if re.match(r"# (statistics:|statuses:|  )", line))]
        )
        + "\n",
        encoding="utf-8",
    )
    uncommented = path.read_text(encoding="utf-8")
    assert "\nstatistics:\n" in uncommented and "\nstatuses:\n" in uncommented
    assert run(content).ok, [d.format() for d in run(content).diagnostics]


def test_source_is_appended_without_touching_existing_lines(tmp_path: Path) -> None:
    old = (
        "# yaml-language-server: $schema=../schemas/sources.schema.json\n"
        "# Our sources.   A comment with odd   spacing.\n\n"
        "test-src:\n"
        "    publisher: 'Test publisher'   # four-space indent, single quotes\n"
        "    title: Test dataset\n"
        '    url: "https://example.org/data"\n'
        "    license: CC BY 4.0\n"
        '    edition: "2024"'  # no final newline
    )
    content = write_site(tmp_path, {"sources.yaml": old})
    result = new(
        content,
        "source",
        "--id",
        "gh-stats",
        "--publisher",
        "Ghana Statistical Service",
        "--title",
        "Household survey: ICT module",
        "--url",
        "https://example.org/gss",
        "--license",
        "CC BY 4.0",
        "--edition",
        "2023",
    )
    assert result.exit_code == 0, result.output
    new_text = (content / "sources.yaml").read_bytes()
    assert new_text.startswith(old.encode("utf-8"))
    assert new_text[len(old) :].decode("utf-8") == (
        "\n\ngh-stats:\n"
        '  publisher: "Ghana Statistical Service"\n'
        '  title: "Household survey: ICT module"\n'
        '  url: "https://example.org/gss"\n'
        '  license: "CC BY 4.0"\n'
        '  edition: "2023"\n'
        "  # Optional: to use a field, delete the '# ' at the start of its line and fill it in.\n"
        '  # note: "How it was copied, caveats."\n'
    )
    assert "added a source at" in result.output and "sources.yaml:11" in result.output
    checked = run(content)
    assert checked.ok and checked.site is not None
    assert checked.site.sources["gh-stats"].publisher == "Ghana Statistical Service"
    assert checked.site.sources["test-src"].publisher == "Test publisher"


def test_source_creates_sources_yaml_when_absent(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"sources.yaml": None})
    args = ["--publisher", "P", "--title", "T", "--url", "https://example.org/", "--license", "L", "--edition", "1"]
    result = new(content, "source", "--id", "test-src", *args, "--no-input")
    assert result.exit_code == 0, result.output
    text = (content / "sources.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/sources.schema.json"
    assert run(content).ok


def test_source_is_refused_when_the_file_cannot_take_an_appended_entry(tmp_path: Path) -> None:
    flow = '{test-src: {publisher: P, title: T, url: "https://example.org/", license: L, edition: "1"}}\n'
    content = write_site(tmp_path, {"sources.yaml": flow})
    args = ["--publisher", "P", "--title", "T", "--url", "https://example.org/", "--license", "L", "--edition", "1"]
    result = new(content, "source", "--id", "other", *args, "--no-input")
    assert result.exit_code == 2
    assert "cannot be appended" in result.output
    assert (content / "sources.yaml").read_text(encoding="utf-8") == flow


def test_interactive_answers_explain_and_ask_again(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    answers = [
        "Kenya broadband plan",  # title
        "Kenia",  # a wrong country: explained, asked again
        "kenya, Norway",  # countries, as a name and a name
        "9.9",  # a wrong target: explained, asked again
        "1.4, 2.10",  # targets
        "stratgy",  # a typo in the kind
        "strategy",
        "ongoing",  # status
        "Ministry of ICT",  # lead
        "",  # start: skipped
        "",  # end: skipped
        "www.example.org",  # a URL without its scheme: explained
        "https://example.org/kbp",
        "",  # summary: skipped
    ]
    result = new(content, "initiative", "--input", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "'Kenia' is not a country code or name we know. Did you mean Kenya (KEN)" in out
    assert "there is no target 9.9 in the content folder" in out and "The targets are: 1.4, 2.10" in out
    assert "'stratgy' is not a kind. Did you mean 'strategy'?" in out
    assert "'www.example.org' is not a web address" in out
    assert out.count("Countries (") == 2 and out.count("Targets it serves") == 2
    describe(content, "initiatives/kenya-broadband-plan.md")
    checked = run(content)
    assert checked.ok and checked.site is not None
    item = checked.site.initiatives["kenya-broadband-plan"]
    assert (item.countries, item.targets, item.start, str(item.url)) == (
        ["KEN", "NOR"],
        ["1.4", "2.10"],
        None,
        "https://example.org/kbp",
    )
    text = (content / "initiatives" / "kenya-broadband-plan.md").read_text(encoding="utf-8")
    assert '# start: "2024-01"' in text and '# summary: "One plain sentence."' in text


def test_interactive_offers_a_free_name_when_the_title_is_taken(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    before = (content / "initiatives" / "kenya-plan.md").read_bytes()
    flags = ["--country", "KEN", "--target", "1.4", "--kind", "plan", "--status", "planned", "--lead", "L"]
    result = new(content, "initiative", "--title", "Kenya plan", *flags, "--input", input="\n" * 8)
    assert result.exit_code == 0, result.output
    assert "kenya-plan.md already exists" in result.output
    assert (content / "initiatives" / "kenya-plan-2.md").is_file()
    assert (content / "initiatives" / "kenya-plan.md").read_bytes() == before
    describe(content, "initiatives/kenya-plan-2.md")
    assert run(content).ok


def test_a_real_process_with_piped_answers(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    answers = "Regional guide\nguide-line\nguideline\nITU\nun entity\n1.4\nKEN;Norway\n\n\n\n\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "connect_site", "new", "practice", "--content", str(content), "--input"],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "'guide-line' is not a kind" in proc.stdout + proc.stderr
    describe(content, "practices/regional-guide.md")
    checked = run(content)
    assert checked.ok and checked.site is not None
    item = checked.site.practices["regional-guide"]
    assert (item.kind, item.contributor.type, item.countries) == ("guideline", "un-entity", ["KEN", "NOR"])


def test_piped_input_without_answers_never_hangs_and_lists_what_is_missing(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    before = tree(content)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "connect_site", "new", "initiative", "--content", str(content), "--title", "X"],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    for flag in ("--country", "--target", "--kind", "--status", "--lead"):
        assert f"{flag} is missing" in proc.stderr
    assert "--title" not in proc.stderr.split("hint:")[0]
    assert tree(content) == before


def test_missing_and_wrong_fields_are_listed_at_once(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    before = tree(content)
    result = new(content, "practice", "--kind", "blog-post", "--target", "3.10", "--date", "2024-13", "--no-input")
    assert result.exit_code == 2
    out = result.output
    assert "6 field(s) missing or not valid" in out
    for expected in (
        "--title is missing",
        "--kind 'blog-post': 'blog-post' is not a kind",
        "--contributor-name is missing",
        "--contributor-type is missing",
        "--target '3.10': there is no target 3.10",
        "--date '2024-13': '2024-13' is not a date",
    ):
        assert expected in out
    assert "Traceback" not in out
    assert tree(content) == before


def test_without_a_terminal_it_behaves_like_no_input(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    result = new(content, "country", input="KEN\n")  # CliRunner's stdin is not a terminal
    assert result.exit_code == 2
    assert "--country is missing" in result.output and "Country (" not in result.output


@pytest.mark.parametrize(
    ("args", "existing"),
    [
        (["initiative", "--slug", "kenya-plan", "--title", "Other"], "initiatives/kenya-plan.md"),
        (["initiative", "--title", "Kenya plan"], "initiatives/kenya-plan.md"),
        (["practice", "--slug", "guide", "--title", "G"], "practices/guide.yaml"),
        (["country", "--country", "Kenya"], "countries/KEN.yaml"),
        (["source", "--id", "test-src"], "sources.yaml"),
    ],
)
def test_never_overwrites(tmp_path: Path, args: list[str], existing: str) -> None:
    content = write_site(tmp_path, {})
    before = tree(content)
    fill = {
        "initiative": ["--country", "KEN", "--target", "1.4", "--kind", "plan", "--status", "planned", "--lead", "L"],
        "practice": [
            "--kind",
            "guideline",
            "--contributor-name",
            "N",
            "--contributor-type",
            "other",
            "--target",
            "1.4",
        ],
        "country": [],
        "source": ["--publisher", "P", "--title", "T", "--url", "https://e.org/", "--license", "L", "--edition", "1"],
    }[args[0]]
    result = new(content, *args, *fill, "--no-input")
    assert result.exit_code == 2, result.output
    assert "already" in result.output and "Traceback" not in result.output
    assert tree(content) == before, existing


HOSTILE = [
    "Kenya: the plan",
    "He said \"yes\" and 'no'",
    "# not a comment",
    "- leading dash",
    "yes",
    "no",
    "null",
    "3.10",
    "first line\nsecond line",
    "ünïcødé, 中文 and العربية 🙂",
    "{braces} [brackets] & *star !bang %pct @at `tick` | pipe > gt",
    "tab\there and a back\\slash",
    "on",
    "~",
    "...",
    "---",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_round_trips_exactly(tmp_path: Path, value: str) -> None:
    content = write_site(tmp_path, {})
    result = new(
        content,
        "practice",
        "--slug",
        "hostile",
        "--title",
        value,
        "--kind",
        "lesson-learned",
        "--contributor-name",
        value,
        "--contributor-type",
        "civil-society",
        "--target",
        "1.4",
        "--summary",
        value,
        "--url",
        "https://example.org/?q=a:b#frag",
        "--body",
        "A description of our own.",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    checked = run(content)
    assert checked.ok, [d.format() for d in checked.diagnostics]
    assert checked.site is not None
    item = checked.site.practices["hostile"]
    assert (item.title, item.contributor.name, item.summary) == (value, value, value)
    assert str(item.url) == "https://example.org/?q=a:b#frag"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=60))
def test_quote_reads_back_as_the_same_text(text: str) -> None:
    """Every text reads back as written, or, with a control, bidi or separator character
    (content/controls.py), is refused at its place."""
    if controls.in_value(text) or controls.SEPARATORS.search(text):
        with pytest.raises(yamlload.YamlProblem) as refused:
            yamlload.load(f"k: {quote(text)}\n")
        assert refused.value.code == controls.CODE and refused.value.line == 1
    else:
        assert yamlload.load(f"k: {quote(text)}\n").data == {"k": text}


@pytest.mark.parametrize("value", ["NEL\u0085 end", "LS\u2028 end", "bell\x07", "\u202eevil"])
def test_new_refuses_invisible_characters(tmp_path: Path, value: str) -> None:
    content = write_site(tmp_path, {})
    result = new(
        content,
        "practice",
        "--slug",
        "hostile",
        "--title",
        value,
        "--kind",
        "lesson-learned",
        "--contributor-name",
        "A ministry",
        "--contributor-type",
        "civil-society",
        "--target",
        "1.4",
        "--summary",
        "A summary.",
        "--no-input",
    )
    assert result.exit_code == 2, result.output
    assert "error: a value you gave: the text contains" in result.output and "which is not allowed" in result.output
    assert not (content / "practices/hostile.yaml").exists()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Côte d'Ivoire: digital plan 2030", "cote-d-ivoire-digital-plan-2030"),
        ("  --Hello,  World!--  ", "hello-world"),
        ("中文", ""),
        ("word " * 40, ("word-" * 16).rstrip("-")),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 80


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ken", "KEN"),
        ("Kenya", "KEN"),
        ("  kenya ", "KEN"),
        ("Côte d'Ivoire", "CIV"),
        ("cote d’ivoire", "CIV"),
        ("XKX", "XKX"),
    ],
)
def test_country_codes_and_names(tmp_path: Path, typed: str, code: str) -> None:
    from connect_site.commands.new_fields import Folder, country_code

    assert country_code(Folder(tmp_path, [], [], {}), typed) == code


def test_a_title_without_letters_needs_a_slug(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    flags = ["--country", "KEN", "--target", "1.4", "--kind", "plan", "--status", "planned", "--lead", "L"]
    result = new(content, "initiative", "--title", "中文", *flags, "--no-input")
    assert result.exit_code == 2 and "--slug" in result.output
    result = new(content, "initiative", "--title", "中文", "--slug", "zh-plan", *flags, "--no-input")
    assert result.exit_code == 0, result.output
    assert (content / "initiatives" / "zh-plan.md").is_file()


def test_help_is_complete() -> None:
    runner = CliRunner()
    top = runner.invoke(cli.main, ["new", "--help"]).output
    for kind in ("initiative", "practice", "country", "source"):
        assert f"connect-site new {kind}" in top
        sub = cli.main.all_commands["new"].commands[kind]  # type: ignore[attr-defined]
        text = runner.invoke(cli.main, ["new", kind, "--help"]).output
        for param in sub.params:
            for opt in param.opts:
                assert opt in text, (kind, opt)
            assert param.help, (kind, param.name)
        assert "--no-input" in text and "never overwritten" in text and "Example:" in text


def test_missing_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = new(tmp_path / "nowhere", "country", "--country", "KEN", "--no-input")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_the_placeholder_description_is_an_error_until_it_is_replaced(tmp_path: Path) -> None:
    """`new` without --body writes an example description and says it is the next step (exit 0:
    that is what it was asked to write); `check` refuses it, so it cannot be published."""
    content = write_site(tmp_path, {})
    args = [a for a in INITIATIVE if a not in ("--body", "The plan has **three** pillars.")]
    result = new(content, *args)
    assert result.exit_code == 0, result.output
    where = f"{content.as_posix()}/initiatives/ghana-digital-economy-plan.md"
    folder = content.as_posix()
    assert result.output == (
        f"wrote {where}\n"
        f"{where}:14:1: error[placeholder-text]: the description of this initiative is still the example text "
        "that 'connect-site new' wrote\n"
        "    hint: Write your own description in place of the example text below the closing '---', and say "
        "where the facts come from: the example text cannot be published.\n"
        f"next: replace the example description at {where}:14:1 with your own (check refuses it until then)\n"
        f"next: check everything with 'connect-site check --content {folder}', "
        f"preview with 'connect-site serve --content {folder}'\n"
    )
    rel = "initiatives/ghana-digital-economy-plan.md"
    assert problems_in(content, rel) == [
        f"content/{rel}:14:1: error[placeholder-text]: the description of this initiative is still the example "
        "text that 'connect-site new' wrote\n"
        "    hint: Write your own description in place of the example text below the closing '---', and say "
        "where the facts come from: the example text cannot be published."
    ]
    assert not run(content).ok
    describe(content, rel)
    assert not problems_in(content, rel) and run(content).ok
