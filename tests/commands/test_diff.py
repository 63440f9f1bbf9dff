"""`connect-site diff`: what a pull request changes for readers, from folders and from real git refs.

The expected reports for the fixture pair are tests/fixtures/diff/expected.md and
expected.json; after a deliberate change, regenerate them with
`make golden` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TESTS, render_files
from connect_site.commands import diff as review
from connect_site.commands import diff_report as review_report
from connect_site.pipeline import check

FIXTURE = TESTS / "fixtures" / "diff"
BASE = FIXTURE / "base" / "content"
HEAD = FIXTURE / "head" / "content"
PREVIEW = "https://example.org/preview/"
JSON_ARGS = ["--format", "json", "--base-url", PREVIEW]
HOSTILE = "| <img src=x onerror=alert(1)> @everyone [x](javascript:alert(1))"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed console script, as CI runs it."""
    script = Path(sys.executable).with_name("connect-site")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "connect_site"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*command, "diff", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, check=False
    )


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def repo_with_history(tmp: Path) -> Path:
    """A git repository whose last two commits hold the base, then the head content."""
    repo = tmp / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(BASE, repo / "content")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "content")
    shutil.copytree(HEAD, repo / "content")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    return repo


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split on unescaped pipes as GitHub does."""
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


# -- the fixture pair, exactly ------------------------------------------------------------


def test_folder_pair_gives_the_expected_markdown() -> None:
    proc = cli(str(BASE), str(HEAD))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.md").read_text(encoding="utf-8"), "regenerate: make golden"


def test_folder_pair_gives_the_expected_json() -> None:
    proc = cli(str(BASE), str(HEAD), *JSON_ARGS)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.json").read_text(encoding="utf-8")
    doc = json.loads(proc.stdout)
    assert proc.stdout == json.dumps(doc, indent=2, sort_keys=True) + "\n"  # stable: sorted keys
    changed = {(r["country"], r["year"]): r for r in doc["statistics"] if r["change"] == "changed"}
    assert changed[("KEN", 2022)]["old"]["value"] == 35.5 and changed[("KEN", 2022)]["new"]["value"] == 36
    assert changed[("NOR", 2023)]["old"]["source"] == "test-src"
    assert changed[("NOR", 2023)]["new"]["source"] == "itu-2025"


def test_the_reader_facing_facts_of_the_fixture() -> None:
    """What a reviewer must see, independent of the exact layout of the report."""
    out = (FIXTURE / "expected.md").read_text(encoding="utf-8")
    summary = out.splitlines()[3]
    assert summary == (
        "1 initiative added; 1 practice changed, 1 removed; 1 source added; "
        "1 statistic added, 2 changed in 1 indicator; 25 pages and 9 download files affected."  # 4 region pages
    )
    assert "| practice | `guide` | title | A guide | A better guide |" in out
    assert "| `internet-users` | Kenya (KEN) | 2022 | changed | 35.5 → 36 | `test-src` → `itu-2025` |  |" in out
    assert "| `internet-users` | Norway (NOR) | 2023 | changed | 99 → 98.5 | `test-src` → `itu-2025` |  |" in out
    assert "| `internet-users` | Kenya (KEN) | 2024 | added | 42.1 | `test-src` |  |" in out
    assert "| `/practices/retired-note/` | removed |" in out
    assert "| `/initiatives/kenya-broadband/` | added |" in out


def test_pages_affected_are_the_pages_whose_html_changes() -> None:
    """The prediction against the truth: render both sides and compare every file."""
    base, head = check(BASE).site, check(HEAD).site
    assert base is not None and head is not None
    diff = review.compare(base, head)
    old, _ = render_files(base, base_url=PREVIEW)
    new, _ = render_files(head, base_url=PREVIEW)
    changed = {p for p in set(old) | set(new) if old.get(p) != new.get(p)}
    pages = {p.removesuffix("index.html") for p in changed if p.endswith("index.html")}
    assert set(diff.pages) == pages
    assert set(diff.files) == {p for p in changed if p.startswith("data/") and not p.endswith(".html")}
    assert {p: s for p, s in diff.page_status.items() if p in diff.pages} == {
        p: "added" if p + "index.html" not in old else "removed" if p + "index.html" not in new else "changed"
        for p in pages
    }


def test_no_changed_page_is_missed_when_listings_have_many_pages() -> None:
    """With one entry a page, entries move between a listing's pages: every page that changes
    is predicted (the prediction may name a few more: all pages of a listing that changed)."""
    base, head = check(BASE).site, check(HEAD).site
    assert base is not None and head is not None
    diff = review.compare(base, head, page_size=1)
    old, _ = render_files(base, base_url=PREVIEW, page_size=1)
    new, _ = render_files(head, base_url=PREVIEW, page_size=1)
    changed = {p.removesuffix("index.html") for p in set(old) | set(new) if old.get(p) != new.get(p)}
    pages = {p for p in changed if p.endswith("/") or p == ""}
    assert any("/page/" in p for p in pages)
    assert pages <= set(diff.pages)


# -- real git refs ---------------------------------------------------------------------------


def test_git_refs_give_the_same_markdown_as_the_folders(tmp_path: Path) -> None:
    repo = repo_with_history(tmp_path)
    (repo / "content" / "practices" / "guide.yaml").write_text("an uncommitted edit: not part of HEAD\n")
    expected = (FIXTURE / "expected.md").read_text(encoding="utf-8")
    status_before = git(repo, "status", "--porcelain")

    proc = cli("HEAD~1", "HEAD", "--content", "content", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    proc = cli("main~1", "HEAD", "--content", "content", *JSON_ARGS, cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.json").read_text(encoding="utf-8")
    # Read with git archive: the working tree (with its uncommitted edit) is left exactly as it was.
    assert git(repo, "status", "--porcelain") == status_before
    assert (repo / "content" / "practices" / "guide.yaml").read_text() == "an uncommitted edit: not part of HEAD\n"


def test_without_head_the_working_tree_is_compared(tmp_path: Path) -> None:
    repo = repo_with_history(tmp_path)
    git(repo, "reset", "-q", "--soft", "HEAD~1")  # the head content is now uncommitted in the working tree
    proc = cli("HEAD", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.md").read_text(encoding="utf-8")


def test_content_in_a_sub_folder_and_run_from_a_sub_folder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "site").mkdir(parents=True)
    git(repo, "init", "-q")
    shutil.copytree(BASE, repo / "site" / "content")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "site" / "content")
    shutil.copytree(HEAD, repo / "site" / "content")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    proc = cli("HEAD~1", "HEAD", cwd=repo / "site")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.md").read_text(encoding="utf-8")
    proc = cli("HEAD~1", "HEAD", "--content", "site/content", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (FIXTURE / "expected.md").read_text(encoding="utf-8")


def test_a_committed_symlink_is_refused_not_followed(tmp_path: Path) -> None:
    repo = repo_with_history(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("title: TOKEN-1234\n")
    os.symlink(secret, repo / "content" / "practices" / "leak.yaml")
    os.symlink(tmp_path, repo / "content" / "countries" / "elsewhere")  # a link to a folder
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "links")
    proc = cli("HEAD~1", "HEAD", cwd=repo)
    assert proc.returncode == 1
    assert proc.stderr == (
        "connect-site: the head content has 2 errors:\n"
        f"content/countries/elsewhere:1:1: error[symlink]: {LINK_REFUSED}\n"
        f"content/practices/leak.yaml:1:1: error[symlink]: {LINK_REFUSED}\n"
    )
    assert "TOKEN-1234" not in proc.stdout + proc.stderr
    # The content folder itself as a link: refused, as check refuses it in a working tree.
    shutil.move(repo / "content", repo / "real")
    os.symlink("real", repo / "content")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "content is a link")
    proc = cli("HEAD~1", "HEAD", cwd=repo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "connect-site: error: the content folder 'content' is a symlink in HEAD, which is refused\n"


LINK_REFUSED = (
    "symbolic links are not allowed in the content folder, and this one was not read\n"
    "    hint: Replace the link with a copy of the file it points to."
)


def test_a_committed_submodule_is_refused(tmp_path: Path) -> None:
    """A checkout may or may not fill a submodule's folder (from another repository): diff refuses it."""
    repo = repo_with_history(tmp_path)
    commit = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{commit},content/practices/vendor")
    git(repo, "commit", "-q", "-m", "a submodule")
    proc = cli("HEAD~1", "HEAD", cwd=repo)
    assert proc.returncode == 1
    assert proc.stderr == (
        "connect-site: the head content has 1 error:\n"
        "content/practices/vendor:1:1: error[submodule]: a git submodule is not read: its files are in another "
        "repository\n    hint: Commit the files themselves in the content folder.\n"
    )


# -- what diff reads is git's view: refs as refs, the committed bytes ------------------------------


def pull_request_repo(tmp: Path) -> Path:
    """main (and origin/main) at the base content; the checked-out branch `pr` at the head content."""
    repo = repo_with_history(tmp)
    git(repo, "checkout", "-q", "-b", "pr")
    git(repo, "branch", "-q", "-f", "main", "HEAD~1")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    return repo


def test_a_folder_named_like_a_ref_is_not_read(tmp_path: Path) -> None:
    """A pull request adds folders named HEAD, main and origin/main holding its own content: read as
    folders, each comparison would say "No changes for readers". Refs are read as refs."""
    repo = pull_request_repo(tmp_path)
    for name in ("HEAD", "main", "origin/main"):
        shutil.copytree(HEAD, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "folders named like refs")
    expected = (FIXTURE / "expected.md").read_text(encoding="utf-8")
    for base in ("main", "origin/main"):
        proc = cli(base, "HEAD", cwd=repo)
        assert (proc.returncode, proc.stderr, proc.stdout) == (0, "", expected), base
    # Written as paths or given as folders, they are folders (the same content on both sides).
    proc = cli("--base-dir", "origin/main", "./HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (0, NO_CHANGES), proc.stderr


NO_CHANGES = "<!-- connect-site-diff -->\n## Changes for readers\n\nNo changes for readers.\n"


def test_a_folder_name_that_is_no_ref_gets_a_hint(tmp_path: Path) -> None:
    repo = pull_request_repo(tmp_path)
    shutil.copytree(BASE, repo / "old")
    proc = cli("old", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "connect-site: error: 'old' is not a commit in this repository\n"
        "    hint: There is a folder 'old', but BASE and HEAD are read as git refs: to compare that folder, "
        "write ./old or give --base-dir/--head-dir old.\n"
    )
    proc = cli("./old", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (0, (FIXTURE / "expected.md").read_text(encoding="utf-8"))


def test_a_tag_cannot_stand_in_for_the_base_branch(tmp_path: Path) -> None:
    """A tag `origin/main` on the pull request's commit would win over the remote branch."""
    repo = pull_request_repo(tmp_path)
    git(repo, "tag", "origin/main", "HEAD")
    proc = cli("origin/main", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "connect-site: error: 'origin/main' names more than one ref in this repository "
        "(a branch and a tag of the same name?)\n"
        "    hint: Give its full name, e.g. refs/remotes/origin/main or refs/tags/v1.0 (git show-ref lists them).\n"
    )
    proc = cli("refs/remotes/origin/main", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (0, (FIXTURE / "expected.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "args,name", [(("", "HEAD"), "BASE"), (("HEAD~1", ""), "HEAD"), (("--base-dir", "", "HEAD"), "--base-dir")]
)
def test_an_empty_argument_is_refused(tmp_path: Path, args: tuple[str, ...], name: str) -> None:
    """`diff '' HEAD` (an unset variable in CI) once read the repository's root as the content."""
    repo = repo_with_history(tmp_path)
    proc = cli(*args, cwd=repo)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"connect-site: error: {name} is empty: it names no git ref and no folder\n"
        "    hint: An empty argument is refused, never read as the repository or the current folder. Give a "
        "branch, tag or commit (e.g. origin/main), or a folder as ./path. In CI, check that the variable naming "
        "the base branch is set (GITHUB_BASE_REF is empty outside pull requests).\n"
    )


def test_gitattributes_in_the_head_hide_nothing(tmp_path: Path) -> None:
    """export-ignore hid files from `git archive` (check and build read them); export-subst rewrote
    them. diff reads the committed tree, so the report is the real change."""
    repo = repo_with_history(tmp_path)
    guide = repo / "content" / "practices" / "guide.yaml"
    guide.write_text(guide.read_text().replace('"A better guide"', '"A better guide $Format:%H$"'))
    (repo / "content" / ".gitattributes").write_text(
        "initiatives/kenya-broadband.md export-ignore\ndata/* export-ignore\npractices/* export-subst\n"
    )
    (repo / ".gitattributes").write_text("content/** export-ignore\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--amend", "-m", "head, with attributes")
    expected = (FIXTURE / "expected.md").read_text(encoding="utf-8")
    assert expected.count("| A better guide |") == 1
    proc = cli("HEAD~1", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == expected.replace("| A better guide |", "| A better guide \\$Format:%H\\$ |")


def test_attributes_that_change_a_checkout_are_refused(tmp_path: Path) -> None:
    """check and build read a checkout, which git rewrites by the commit's .gitattributes: diff refuses
    such a file at its place rather than compare other bytes (and never runs a filter)."""
    repo = repo_with_history(tmp_path)
    ran = tmp_path / "smudge-ran"
    git(repo, "config", "filter.hide.smudge", f"touch {ran.as_posix()} && sed s/better/worse/")
    git(repo, "config", "filter.hide.clean", "cat")
    plan = repo / "content" / "initiatives" / "kenya-plan.md"
    plan.write_text(plan.read_text().replace('"Kenya digital plan"', '"Kenya digital plan $Id$"'))
    (repo / "content" / ".notes").write_text("a hidden file: never read\n")
    (repo / "content" / ".gitattributes").write_text(
        "practices/guide.yaml filter=hide\n"
        "initiatives/kenya-plan.md ident\n"
        "countries/KEN.yaml working-tree-encoding=UTF-16\n"
        "site.yaml eol=crlf\n"
        ".notes filter=hide\n"
        "initiatives/kenya-broadband.md ident\n"  # no $Id$ in it: nothing to expand
    )
    git(repo, "add", "content/.gitattributes", "content/.notes", str(plan.relative_to(repo)))
    git(repo, "commit", "-q", "-m", "attributes")
    proc = cli("HEAD~1", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout.splitlines()[3]) == (
        1,
        "The head content has 4 errors, so the changes were not compared. `connect-site check` lists the others; "
        "`git-attribute` only diff finds: it reads the commit as committed, check reads a checkout.",
    )
    said = "so diff would compare other bytes than check and build read"
    hint = "    hint: Remove the attribute for the content from .gitattributes: content files are read as committed."
    assert proc.stderr.splitlines() == [
        "connect-site: the head content has 4 errors:",
        f"content/countries/KEN.yaml:1:1: error[git-attribute]: git changes this file on checkout "
        f"(working-tree-encoding=UTF-16), {said}",
        hint,
        f"content/initiatives/kenya-plan.md:1:1: error[git-attribute]: git changes this file on checkout (ident), {said}",
        hint,
        f"content/practices/guide.yaml:1:1: error[git-attribute]: git changes this file on checkout (filter=hide), {said}",
        hint,
        f"content/site.yaml:1:1: error[git-attribute]: git changes this file on checkout (eol=crlf), {said}",
        hint,
    ]
    assert not ran.exists()


# -- failures ----------------------------------------------------------------------------------


def test_unknown_ref_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    repo = repo_with_history(tmp_path)
    proc = cli("origin/no-such-branch", "HEAD", cwd=repo)
    assert proc.returncode == 2
    assert "connect-site: error: 'origin/no-such-branch' is not a commit in this repository\n" in proc.stderr
    assert "hint: " in proc.stderr and "fetch-depth: 0" in proc.stderr
    assert proc.stdout == ""


def test_a_ref_outside_a_repository_and_an_option_like_ref(tmp_path: Path) -> None:
    proc = cli("HEAD~1", "HEAD", cwd=tmp_path)
    assert proc.returncode == 2 and "is not in a git repository" in proc.stderr and "hint: " in proc.stderr
    repo = repo_with_history(tmp_path)
    proc = cli("--", "--output=stolen.txt", "HEAD", cwd=repo)
    assert proc.returncode == 2 and "'--output=stolen.txt' is not a commit in this repository" in proc.stderr
    assert not (repo / "stolen.txt").exists()  # git never took it as an option


def test_a_ref_without_the_content_folder(tmp_path: Path) -> None:
    repo = repo_with_history(tmp_path)
    proc = cli("HEAD~1", "HEAD", "--content", "docs", cwd=repo)
    assert proc.returncode == 2 and "there is no folder 'docs' in HEAD~1" in proc.stderr


def test_head_with_a_content_error_exits_1_and_names_the_place(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(HEAD, head)
    guide = head / "practices" / "guide.yaml"
    guide.write_text(guide.read_text().replace("kind: guideline", "kind: guideline\ncolour: blue"))
    proc = cli(str(BASE), str(head))
    assert proc.returncode == 1
    place = f"{head.as_posix()}/practices/guide.yaml:3:1"
    assert "connect-site: the head content has 1 error:" in proc.stderr
    assert f"{place}: error[unknown-field]" in proc.stderr
    # The report (for the pull request comment) says it plainly, too.
    assert "The head content has 1 error, so the changes were not compared." in proc.stdout
    assert place.replace("_", "\\_") in proc.stdout
    doc = json.loads(cli(str(BASE), str(head), "--format", "json").stdout)
    assert doc["ok"] is False and [d["line"] for d in doc["errors"]["head"]] == [3]


def test_no_changes_for_readers(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(HEAD, copy)
    # Comments and layout are not reader-facing.
    (copy / "site.yaml").write_text("# a comment\n" + (copy / "site.yaml").read_text())
    proc = cli(str(HEAD), str(copy))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "<!-- connect-site-diff -->\n## Changes for readers\n\nNo changes for readers.\n"
    doc = json.loads(cli(str(HEAD), str(copy), "--format", "json").stdout)
    assert doc["changed"] is False and doc["summary"] == "No changes for readers."


def test_out_writes_the_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "diff.md"
    proc = cli(str(BASE), str(HEAD), "--out", str(out))
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    assert out.read_text(encoding="utf-8") == (FIXTURE / "expected.md").read_text(encoding="utf-8")


def test_an_out_file_that_cannot_be_written_is_the_machine_exit_4(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "diff.md"
    proc = cli(str(BASE), str(HEAD), "--out", str(out))
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr == (
        f"connect-site: error: cannot write {out.as_posix()}: Not a directory\n"
        "    hint: Check the folder's permissions and free space.\n"
    )


def test_bad_base_url_is_a_usage_error() -> None:
    proc = cli(str(BASE), str(HEAD), "--base-url", "javascript:alert(1)")
    assert proc.returncode == 2 and "--base-url" in proc.stderr


# -- untrusted text and size ------------------------------------------------------------------


def test_a_hostile_title_is_escaped(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(HEAD, head)
    guide = head / "practices" / "guide.yaml"
    guide.write_text(guide.read_text().replace('title: "A better guide"', f"title: {json.dumps(HOSTILE)}"))
    proc = cli(str(BASE), str(head), "--base-url", PREVIEW)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    row = next(line for line in out.splitlines() if line.startswith("| practice | [`guide`]"))
    assert (
        table_cells(row)[-1].strip()
        == "\\| &lt;img src=x onerror=alert(1)&gt; @\u200beveryone \\[x\\](javascript:alert(1))"
    )
    assert len(table_cells(row)) == 5  # the pipe did not open a new cell
    assert "<img" not in out and "@everyone" not in out and "[x](" not in out


def test_escape_covers_markdown_html_and_mentions() -> None:
    assert review_report.escape("a|b") == "a\\|b"
    assert review_report.escape("<script>&amp;") == "&lt;script&gt;&amp;amp;"
    assert (
        review_report.escape("**bold** _it_ `code` ~~s~~ $x$ \\")
        == "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\$x\\$ \\\\"
    )
    assert review_report.escape("![img](https://x/y.png)") == "!\\[img\\](https://x/y.png)"
    assert review_report.escape("line one\nline two\r\n\tthree") == "line one line two three"
    assert review_report.escape("@team") == "@\u200bteam"
    assert review_report.escape("x" * 500, 50) == "x" * 49 + "…"


def test_many_statistics_are_summarised_and_the_comment_stays_small(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(HEAD, head)
    rows = ["country,year,value"] + [
        f"{code},{year},{year - 1990}" for code in ("NOR", "SWE", "FIN") for year in range(1990, 2026)
    ]
    (head / "data" / "internet-users.csv").write_text("\n".join(rows) + "\n")
    proc = cli(str(BASE), str(head))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    # NOR 2023 changes (99 -> 33); KEN 2021 and 2022 go; 107 values are new.
    assert "| `internet-users` | Individuals using the Internet | 107 | 1 | 2 |" in out
    rows = [line for line in out.splitlines() if re.match(r"\| `internet-users` \| \w+ \(\w{3}\) \|", line)]
    assert len(rows) == review_report.MAX_ROWS
    assert "and 60 more statistics (see `connect-site diff --format json`)." in out
    assert len(out) < 20_000
    doc = json.loads(cli(str(BASE), str(head), "--format", "json").stdout)
    assert len(doc["statistics"]) == 110


def test_the_report_is_cut_to_fit_a_comment() -> None:
    text = "\n".join(f"| row {i} | {'x' * 100} |" for i in range(2000))
    cut = review_report._cap(text)
    assert len(cut) < 65_536 and cut.endswith("run `connect-site diff` for all of it._\n")
    assert cut.splitlines()[-3].startswith("| row ")  # cut at a line, not inside a row


# -- the ready-made CI ----------------------------------------------------------------------


def workflow(name: str) -> dict[object, object]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps_text(job: dict[str, object]) -> str:
    steps = job["steps"]
    assert isinstance(steps, list)
    return "\n".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in steps)


def test_pull_request_workflow() -> None:
    data = workflow("pull-request.yml")
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(triggers, dict) and set(triggers) == {"pull_request"}
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert isinstance(jobs, dict)
    check_job, comment_job = jobs["check"], jobs["comment"]
    text = steps_text(check_job)
    assert "actions/checkout@v4" in text and "actions/setup-python@v5" in text
    assert "connect-site check --content content --format github --render" in text  # templates too
    assert '--render --changed "refs/remotes/origin/${GITHUB_BASE_REF}"' in text  # the pull request's files first
    assert 'connect-site diff "refs/remotes/origin/${GITHUB_BASE_REF}" HEAD' in text  # the full name: never ambiguous
    assert "actions/upload-artifact@v4" in text
    checkout = next(s for s in check_job["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    # The job that can write never runs the pull request's code.
    assert comment_job["permissions"] == {"pull-requests": "write"}
    assert "actions/checkout" not in steps_text(comment_job)
    assert "connect-site-diff" in steps_text(comment_job) + json.dumps(comment_job)
    # No secrets are interpolated into shell commands.
    raw = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text()
    assert "secrets." not in raw.replace("secrets.GITHUB_TOKEN", "")


def test_publish_workflow() -> None:
    data = workflow("publish.yml")
    triggers = data.get("on", data.get(True))
    assert isinstance(triggers, dict)
    assert triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in triggers
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages"
    jobs = data["jobs"]
    text = steps_text(jobs["build"])
    assert "connect-site build" in text and "--base-url" in text
    assert "actions/upload-pages-artifact@v3" in text
    assert "actions/deploy-pages@v4" in steps_text(jobs["deploy"])
    assert jobs["deploy"]["needs"] == "build"


def regenerate() -> None:
    for args, name in (([str(BASE), str(HEAD)], "expected.md"), ([str(BASE), str(HEAD), *JSON_ARGS], "expected.json")):
        proc = cli(*args)
        assert proc.returncode == 0, proc.stderr
        (FIXTURE / name).write_text(proc.stdout, encoding="utf-8")
        print(f"wrote {FIXTURE / name}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit(f"usage: python {sys.argv[0]} --regenerate")


def test_translations_are_entries_with_pages_in_their_own_language(tmp_path: Path) -> None:
    from conftest import write_site

    site_yaml = 'title: "Tiny test site"\nbase_url: "https://example.org/tiny/"\nlanguages: [en, fr]\n'
    fr = '---\ntitle: "Plan numérique du Kenya"\n---\nLe plan.\n'
    base = write_site(tmp_path / "base", {"site.yaml": site_yaml, "initiatives/kenya-plan.fr.md": fr})
    head = write_site(
        tmp_path / "head",
        {"site.yaml": site_yaml, "initiatives/kenya-plan.fr.md": fr.replace("Plan numérique", "Le plan numérique")},
    )
    base_result, head_result = check(base, display_root="content"), check(head, display_root="content")
    assert base_result.site is not None and head_result.site is not None
    diff = review.compare(base_result.site, head_result.site)
    changed = diff.entries["changed"]
    assert [(c["kind"], c["id"]) for c in changed] == [("translation", "initiative/kenya-plan.fr")]
    assert changed[0]["fields"] == [
        {"field": "title", "old": "Plan numérique du Kenya", "new": "Le plan numérique du Kenya"}
    ]
    old, _ = render_files(base_result.site)
    new, _ = render_files(head_result.site)
    truth = {p.removesuffix("index.html") for p in set(old) | set(new) if p.endswith(".html") and old[p] != new[p]}
    assert set(diff.pages) == truth  # every page that shows the title: the entry, listings, home, targets
    assert {"fr/initiatives/kenya-plan/", "fr/initiatives/", "fr/"} <= truth
    assert all(p.startswith("fr/") for p in truth)
    text = review_report.markdown(diff, head_result.site, base_result.site)
    assert "| `/fr/initiatives/kenya-plan/` | changed |" in text
    assert "changes in every language" not in text  # only the French pages change


def test_a_gaps_page_is_affected_when_a_country_gets_its_first_entry(tmp_path: Path) -> None:
    from conftest import write_site

    ghana = (
        '---\ntitle: "Ghana plan"\ncountries: [GHA]\ntargets: ["1.4"]\nkind: plan\nstatus: ongoing\n'
        'lead: "Ministry"\nurl: "https://example.org/gha"\n---\nThe plan.\n'
    )
    base = check(write_site(tmp_path / "base", {}), display_root="content").site
    head = check(write_site(tmp_path / "head", {"initiatives/ghana-plan.md": ghana}), display_root="content").site
    assert base is not None and head is not None and "1.4" in head.focus_targets
    diff = review.compare(base, head)
    old, _ = render_files(base)
    new, _ = render_files(head)
    changed = {p.removesuffix("index.html") for p in set(old) | set(new) if p.endswith("index.html")}
    changed = {p for p in changed if old.get(p + "index.html") != new.get(p + "index.html")}
    assert "targets/1.4/gaps/" in changed  # Ghana leaves the list
    assert set(diff.pages) == changed


def test_a_page_kind_added_to_the_plan_is_reported_by_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    """diff knows the pages only through the plan: a new kind of page (here a printable page per
    practice) is compared and reported with no change to diff."""
    from enum import StrEnum

    from connect_site.content.graph import Site
    from connect_site.site import files, views
    from connect_site.site import plan as plans
    from connect_site.site.context import View
    from connect_site.site.views.page import Page

    class Extra(StrEnum):
        PRINT = "print"

    real = plans.plan

    def with_print(site: Site, with_data: set[str], page_size: int = plans.LISTING_PAGE_SIZE) -> plans.Plan:
        planned = real(site, with_data, page_size)
        extra = tuple(
            plans.Output(Extra.PRINT, f"print/{slug}/", plans.EntryKey("practice", slug))  # type: ignore[arg-type]
            for slug in site.practices
        )
        return plans.Plan(planned.outputs + extra, planned.country_pages, planned.page_size)

    def printable(view: View, output: plans.Output) -> Page:
        assert isinstance(output.subject, plans.EntryKey)
        return Page(output.path, "targets.html", view.practices[output.subject.slug].title, "A printable page.")

    monkeypatch.setattr(files, "plan_of", with_print)
    monkeypatch.setitem(views.VIEWS, Extra.PRINT, printable)  # type: ignore[index]
    base, head = check(BASE).site, check(HEAD).site
    assert base is not None and head is not None
    diff = review.compare(base, head)
    assert diff.pages["print/guide/"] == {"practice guide changed"}
    assert diff.pages["print/retired-note/"] == {"practice retired-note removed"}
    assert diff.page_status["print/retired-note/"] == "removed"


def test_a_category_statistic_is_compared(tmp_path: Path) -> None:
    """A category value (unit: category, as the real content's gtmi-group) is a code, not a number."""
    from conftest import write_site

    target = (TESTS / "fixtures" / "tiny" / "content" / "targets" / "1.4.yaml").read_text(encoding="utf-8")
    target += (
        '  - id: maturity\n    title: "Maturity group"\n    unit: category\n    source: test-src\n'
        '    categories:\n      - {code: A, label: "High"}\n      - {code: B, label: "Low"}\n'
    )
    table = "country,year,value\nKEN,2022,{}\n"
    base = write_site(tmp_path / "base", {"targets/1.4.yaml": target, "data/maturity.csv": table.format("B")})
    head = write_site(tmp_path / "head", {"targets/1.4.yaml": target, "data/maturity.csv": table.format("A")})
    proc = cli(str(base), str(head), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)["statistics"]
    assert (row["change"], row["old"]["value"], row["new"]["value"]) == ("changed", "B", "A")


def test_every_kind_of_translation_file_is_compared(tmp_path: Path) -> None:
    """A change to site.fr.yaml, sources.fr.yaml or a goal's, target's or country's translation is a
    change for French readers (it once gave "No changes for readers")."""
    from conftest import write_site

    site_yaml = 'title: "Tiny test site"\nbase_url: "https://example.org/tiny/"\nlanguages: [en, fr]\n'
    words = {"base": "Ancien", "head": "Nouveau"}
    results = {}
    for side, word in words.items():
        files = {
            "site.yaml": site_yaml,
            "site.fr.yaml": f'title: "{word} site"\n',
            "sources.fr.yaml": f'test-src:\n  title: "{word} jeu de données"\n',
            "goals/1.fr.yaml": f'title: "{word} objectif"\n',
            "targets/1.4.fr.yaml": f'title: "{word} stratégie"\n',
            "countries/KEN.fr.yaml": f'summary: "{word} résumé"\n',
        }
        results[side] = check(write_site(tmp_path / side, files), display_root="content")
    base, head = results["base"].site, results["head"].site
    assert base is not None and head is not None, results["head"].diagnostics
    diff = review.compare(base, head)
    assert [(c["kind"], c["id"]) for c in diff.entries["changed"]] == [
        ("translation", "country/KEN.fr"),
        ("translation", "goal/1.fr"),
        ("translation", "site.fr"),
        ("translation", "source/test-src.fr"),
        ("translation", "target/1.4.fr"),
    ]
    old, _ = render_files(base)
    new, _ = render_files(head)
    truth = {p.removesuffix("index.html") for p in set(old) | set(new) if p.endswith(".html") and old[p] != new[p]}
    assert truth and all(p.startswith("fr/") for p in truth)
    assert set(diff.pages) == truth - {"fr/404.html"}  # the 404 page shows no content (by design)
    assert "translation site.fr changed" in diff.pages["fr/"]
    assert "translation goal/1.fr changed" in diff.pages["fr/goals/1/"]
