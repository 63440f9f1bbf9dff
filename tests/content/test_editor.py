"""Contributors' editors agree with `check`: one schema per file, the same verdicts.

.vscode/settings.json maps content files to the JSON Schemas in schemas/ for
yaml-language-server (VS Code's YAML extension, github.dev). The first tests read those
globs as yaml-language-server does; the others drive the real server (npm, pinned in
package-lock.json) over stdio, one process for the session, over the real content, the
fixtures, YAML translations and the broken sites of test_broken.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
import yaml
from test_broken import CASES, INIT, KEN

import lsp
from conftest import REAL, ROOT, TESTS, TINY, Files, run, write_site
from connect_site.content.entries import ID_TRANSLATION_STEM, TRANSLATION_STEM
from connect_site.content.read import ENTITY_FOLDERS, TOP_TRANSLATION

SETTINGS = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
ASSOCIATIONS: dict[str, list[str]] = {
    schema: [globs] if isinstance(globs, str) else globs for schema, globs in SETTINGS["yaml.schemas"].items()
}
CONTENT_ROOTS = [REAL, *sorted(p for p in (TESTS / "fixtures").glob("**/content") if p.is_dir())]
LANGUAGES = yaml.safe_load((REAL / "site.yaml").read_text(encoding="utf-8"))["languages"]


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as yaml-language-server reads it (picomatch, after "**/"): anywhere below a
    folder, `*` within one path segment. The settings use nothing more."""
    assert re.fullmatch(r"[\w./*-]+", pattern), f"{pattern}: keep to names, / and *"
    parts = (re.escape(part) for part in pattern.split("*"))
    return re.compile("(?:.*/)?" + "[^/]*".join(parts))


def editor_schemas(path: str) -> list[str]:
    """The schemas the editor validates `path` against: a schema's globs match it and none of
    its "!" globs does."""
    found = []
    for schema, globs in ASSOCIATIONS.items():
        wanted = [_glob(g) for g in globs if not g.startswith("!")]
        unwanted = [_glob(g[1:]) for g in globs if g.startswith("!")]
        if any(g.fullmatch(path) for g in wanted) and not any(g.fullmatch(path) for g in unwanted):
            found.append(schema)
    return found


def check_schema(rel: PurePosixPath) -> str:
    """The schema of what `check` reads the file as (read.py and entries.py decide)."""
    if len(rel.parts) == 1:
        if rel.stem in ("site", "sources"):
            return f"schemas/{rel.stem}.schema.json"
        found = TOP_TRANSLATION.fullmatch(rel.name)
        assert found, rel
        return f"schemas/{found['kind']}-translation.schema.json"
    kind = ENTITY_FOLDERS[rel.parts[0]]
    listed = kind in ("initiative", "practice")
    if (TRANSLATION_STEM if listed else ID_TRANSLATION_STEM).fullmatch(rel.stem):
        return "schemas/translation.schema.json" if listed else f"schemas/{kind}-translation.schema.json"
    return f"schemas/{kind}.schema.json"


def content_files() -> Iterator[tuple[Path, PurePosixPath]]:
    """Every YAML entry of the real content and of the fixtures, with its path in its folder."""
    for root in CONTENT_ROOTS:
        for path in sorted(root.rglob("*.y*ml")):
            if path.parent.name != "data":
                yield path, PurePosixPath(path.relative_to(root).as_posix())


# Every kind of file `check` reads, in every language of the site.
KINDS = [
    "site.yaml",
    "sources.yaml",
    "goals/1.yaml",
    "targets/1.4.yaml",
    "targets/2.1.A.yaml",
    "countries/KEN.yaml",
    "initiatives/kenya-plan.yaml",
    "practices/guide.yaml",
] + [
    name.format(lang)
    for lang in LANGUAGES[1:]
    for name in (
        "site.{}.yaml",
        "sources.{}.yaml",
        "goals/1.{}.yaml",
        "targets/1.4.{}.yaml",
        "targets/2.1.A.{}.yaml",
        "countries/KEN.{}.yaml",
        "initiatives/kenya-plan.{}.yaml",
        "practices/guide.{}.yaml",
    )
]


def test_each_kind_of_file_gets_one_schema_the_one_check_reads() -> None:
    for name in KINDS:
        rel = PurePosixPath(name)
        assert editor_schemas(f"a-clone/content/{name}") == [check_schema(rel)], name
        assert (ROOT / check_schema(rel)).is_file(), name


def test_each_content_and_fixture_file_gets_one_schema() -> None:
    files = list(content_files())
    assert len(files) > 200
    wrong = [
        f"{path.relative_to(ROOT)}: {found}"
        for path, rel in files
        if (found := editor_schemas(path.as_posix())) != [check_schema(rel)]
    ]
    assert wrong == []


def test_every_schema_is_mapped() -> None:
    assert sorted(ASSOCIATIONS) == sorted(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")), (
        "schemas/ and .vscode/settings.json"
    )


# --- the real yaml-language-server -------------------------------------------------------


@pytest.fixture(scope="session")
def editor() -> Iterator[lsp.YamlLanguageServer]:
    server = lsp.YamlLanguageServer(
        ROOT,
        {
            "schemas": SETTINGS["yaml.schemas"],
            "validate": True,
            "schemaStore": {"enable": False},
            "kubernetesCRDStore": {"enable": False},
        },
    )
    try:
        yield server
    finally:
        server.stop()


def _shown(editor: lsp.YamlLanguageServer, paths: list[Path]) -> dict[Path, list[str]]:
    """What the editor shows for each file: its diagnostics, as 'line:col message'. The files
    are opened together: the server validates each a moment after it is opened."""
    uris = {path: editor.open(path, path.read_text(encoding="utf-8")) for path in paths}
    try:
        return {
            path: [
                f"{d['range']['start']['line'] + 1}:{d['range']['start']['character'] + 1} {d['message']}"
                for d in editor.diagnostics(uri)
            ]
            for path, uri in uris.items()
        }
    finally:
        for uri in uris.values():
            editor.close(uri)


def _check_errors(content: Path) -> dict[str, list[str]]:
    """`check`'s errors, by file (as shown: content/...)."""
    errors: dict[str, list[str]] = {}
    for d in run(content).diagnostics:
        if d.severity.value == "error":
            errors.setdefault(d.path, []).append(d.code)
    return errors


def test_the_server_picks_the_schemas_these_tests_read(editor: lsp.YamlLanguageServer) -> None:
    """The globs' reading above is yaml-language-server's own."""
    wrong = []
    for path, _ in content_files():
        uri = editor.open(path, path.read_text(encoding="utf-8"))
        found = [u.removeprefix(ROOT.as_uri() + "/") for u in editor.schemas(uri)]
        editor.close(uri)
        if found != editor_schemas(path.as_posix()):
            wrong.append(f"{path.relative_to(ROOT)}: {found}")
    assert wrong == []


def test_files_check_accepts_show_no_diagnostics(editor: lsp.YamlLanguageServer) -> None:
    for root in CONTENT_ROOTS:
        assert _check_errors(root) == {}, root
    shown = _shown(editor, [path for path, _ in content_files()])
    assert len(shown) > 200
    assert {str(path.relative_to(ROOT)): found for path, found in shown.items() if found} == {}


TRANSLATIONS: Files = {
    "site.yaml": (TINY / "site.yaml").read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, fr]"),
    "site.fr.yaml": 'title: "Petit site de test"\n',
    "sources.fr.yaml": 'test-src:\n  title: "Jeu de données de test"\n',
    "goals/1.fr.yaml": 'title: "Croissance"\n',
    "targets/1.4.fr.yaml": 'title: "Stratégie numérique"\nindicators:\n  internet-users:\n    title: "Internautes"\n',
    "countries/KEN.fr.yaml": 'summary: "Le Kenya."\n',
    "initiatives/kenya-plan.fr.yaml": 'title: "Plan numérique du Kenya"\nsummary: "Le plan."\nbody: |\n  Le plan.\n',
    "practices/guide.fr.yaml": 'title: "Guide"\n',
}


def test_a_valid_yaml_translation_shows_no_diagnostics(editor: lsp.YamlLanguageServer, tmp_path: Path) -> None:
    content = write_site(tmp_path, TRANSLATIONS)
    assert _check_errors(content) == {}
    for rel in TRANSLATIONS:
        assert editor_schemas((content / rel).as_posix()) == [check_schema(PurePosixPath(rel))], rel
    assert _shown(editor, [content / rel for rel in TRANSLATIONS]) == {content / rel: [] for rel in TRANSLATIONS}


# Broken files that `check` refuses for what no JSON Schema can say: the editor shows
# nothing. A case the editor comes to see moves to the others, where both must refuse.
EDITOR_CANNOT_SEE = {
    "merge-key": "YAML itself allows merge keys, and the merged mapping is valid",
    "two-documents": "each document is valid on its own",
    "too-large": "the size of the file",
    "empty-title": "a text of spaces is a string",
    "ambiguous-number": "YAML reads 3.10 as the number 3.1, a valid target id",
    "invalid-date": "a day its month does not have (2024-02-30)",
    "end-before-start": "a field compared with another",
    "unknown-goal": "another file",
    "unknown-country-file": "the list of countries",
    "unknown-indicator-inline": "another file",
    "unknown-source": "another file",
    "unknown-target": "another file",
    "unknown-country": "the list of countries",
    "duplicate-entry": "another file",
    "duplicate-target": "another file",
    "duplicate-indicator": "another file",
    "id-mismatch": "the file's name",
}
# About the Markdown form (its body, its front matter block): nothing to see in a YAML file.
MARKDOWN_ONLY = {"body-twice", "brackets", "deep-quote", "front-matter-missing", "front-matter-unclosed"}


def _yaml_cases() -> Iterator[tuple[str, Files, str]]:
    """test_broken's broken sites whose broken file is YAML; an initiative's front matter
    becomes initiatives/kenya-plan.yaml (the YAML form of an entry)."""
    for name, files, _ in CASES:
        if name in MARKDOWN_ONLY or not all(isinstance(v, str) or v is None for v in files.values()):
            continue
        text = files.get(INIT)
        if isinstance(text, str):
            yield (
                name,
                {INIT: None, "initiatives/kenya-plan.yaml": text.split("---\n")[1]},
                "initiatives/kenya-plan.yaml",
            )
        else:
            rel = next((r for r, v in files.items() if isinstance(v, str)), "")
            if rel.endswith(".yaml"):
                yield name, files, rel
    bad_id = KEN.replace("indicator: internet-users", "indicator: Internet_Users")
    yield "issue-18-invalid-slug", {"countries/KEN.yaml": bad_id}, "countries/KEN.yaml"


YAML_CASES = list(_yaml_cases())


@pytest.mark.parametrize(("name", "files", "rel"), YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_a_broken_file_is_refused_by_both(
    editor: lsp.YamlLanguageServer, tmp_path: Path, name: str, files: Files, rel: str
) -> None:
    content = write_site(tmp_path, files)
    errors = _check_errors(content).get(f"content/{rel}", [])
    shown = _shown(editor, [content / rel])[content / rel]
    assert errors, "check refuses it"
    if name in EDITOR_CANNOT_SEE:
        assert shown == [], f"the editor sees it now: move {name} out of EDITOR_CANNOT_SEE"
    else:
        assert shown, f"check: {errors}; the editor shows nothing"


def test_the_issue_case_is_flagged_where_it_is(editor: lsp.YamlLanguageServer, tmp_path: Path) -> None:
    content = write_site(
        tmp_path, {"countries/KEN.yaml": KEN.replace("indicator: internet-users", "indicator: Internet_Users")}
    )
    line = next(i for i, t in enumerate(KEN.splitlines(), 1) if "indicator: internet-users" in t)
    assert [f"{d.line}:{d.col} {d.code}" for d in run(content).diagnostics] == [f"{line}:16 invalid-slug"]
    assert _shown(editor, [content / "countries/KEN.yaml"])[content / "countries/KEN.yaml"] == [
        f'{line}:16 String does not match the pattern of "^[a-z0-9]+(?:-[a-z0-9]+)*$".'
    ]


def test_every_case_is_accounted_for() -> None:
    names = {name for name, _, _ in CASES}
    assert set(EDITOR_CANNOT_SEE) <= names and MARKDOWN_ONLY <= names
    assert len([c for c in YAML_CASES if c[0] not in EDITOR_CANNOT_SEE]) > 20
