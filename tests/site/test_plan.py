"""The page plan: every page listed without building any, its problems located at the entries'
files, and builds that share no state."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import TINY, Files, lines, render_files, run
from connect_site.errors import Reporter
from connect_site.pipeline import check
from connect_site.site import views
from connect_site.site.files import SiteFiles
from connect_site.site.plan import EntryKey, Output, PageKind, Plan, plan, problems
from connect_site.site.theme import THEME, load_theme

THREE_LANGUAGES = 'title: "Tiny test site"\nbase_url: "https://example.org/tiny/"\nlanguages: [en, fr, ar]\n'


def test_the_plan_lists_every_page_of_every_language_without_building_them(
    make_site: Callable[[Files], Path],
) -> None:
    result = run(make_site({"site.yaml": THREE_LANGUAGES}))
    assert result.ok and result.site is not None and result.plan is not None
    files, pages = render_files(result.site, jobs=1, page_size=1)
    built = {p for p in files if p.endswith(".html")}
    site_files = SiteFiles(result.site, page_size=1)
    html = {k for k in site_files.jobs if k.endswith(".html")}
    assert html == built and len(built) == pages
    # the rest are the compare view's figures, a JSON file per country and language
    assert set(site_files.jobs) - html == {p for p in files if p.endswith(".json") and "compare/" in p}
    assert {o.kind for o in site_files.plan} == set(PageKind)


def test_listing_pages_are_counted_from_the_entries(make_site: Callable[[Files], Path]) -> None:
    plan_text = (TINY / "initiatives" / "kenya-plan.md").read_text(encoding="utf-8")
    files: Files = {f"initiatives/plan-{n}.md": plan_text.replace("Kenya digital plan", f"Plan {n}") for n in range(5)}
    result = run(make_site(files))
    assert result.site is not None
    the_plan = plan(result.site, set(), page_size=2)
    main = [
        o for o in the_plan if o.kind is PageKind.LISTING and o.path.startswith("initiatives/") and "/by-" not in o.path
    ]
    assert [(o.path, o.number, o.pages) for o in main] == [
        ("initiatives/", 1, 3),
        ("initiatives/page/2/", 2, 3),
        ("initiatives/page/3/", 3, 3),
    ]


def test_every_page_kind_has_a_view() -> None:
    assert set(views.VIEWS) == set(PageKind)


def test_an_entry_named_like_a_listing_page_is_reported_at_its_file(make_site: Callable[[Files], Path]) -> None:
    plan_text = (TINY / "initiatives" / "kenya-plan.md").read_text(encoding="utf-8")
    result = run(make_site({"initiatives/by-target.md": plan_text}))
    assert lines(result) == [
        "content/initiatives/by-target.md:1:1: error[reserved-slug]: "
        "the file name 'by-target' is reserved for the listing pages"
    ]


def test_two_pages_at_one_address_are_reported_at_the_entries_files() -> None:
    result = check(TINY, display_root="content")
    assert result.site is not None and result.plan is not None
    site = result.site
    clash = Output(PageKind.ENTRY, "initiatives/kenya-plan/", EntryKey("practice", "guide"))
    report = Reporter()
    problems(site, Plan(result.plan.outputs + (clash,), result.plan.country_pages, result.plan.page_size), report)
    assert [d.format() for d in report.sorted()] == [
        "content/practices/guide.yaml:1:1: error[url-collision]: two pages would be published at "
        "/initiatives/kenya-plan/: the initiative 'kenya-plan' and the practice 'guide'\n"
        "    hint: Rename one of the two files, so that each page has an address of its own."
    ]


def test_two_sites_in_one_process_share_nothing(make_site: Callable[[Files], Path]) -> None:
    """Interleaved page by page, two builds give exactly what each gives alone: no module state
    (Markdown memo, untranslated texts, worker jobs) is shared."""
    other = run(
        make_site({"site.yaml": THREE_LANGUAGES, "initiatives/kenya-plan.fr.md": "---\ntitle: Plan\n---\nLe plan.\n"})
    )
    tiny = check(TINY, display_root="content")
    assert other.site is not None and tiny.site is not None
    alone = [render_files(s.site, jobs=1)[0] for s in (tiny, other) if s.site is not None]
    a, b = SiteFiles(tiny.site), SiteFiles(other.site)
    keys = sorted(set(a.keys()) | set(b.keys()))
    together: list[dict[str, bytes]] = [{}, {}]
    for key in keys:
        for i, files in enumerate((a, b)):
            data = files.get(key)
            if data is not None:
                together[i][key] = data
    for i in (0, 1):
        assert together[i] == {k: v for k, v in alone[i].items() if not k.startswith("pagefind/")}


def test_check_render_reports_a_template_mistake_at_its_line(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(THEME / "templates", theme / "templates")
    shutil.copytree(THEME / "assets", theme / "assets")
    target = theme / "templates" / "target.html"
    text = target.read_text(encoding="utf-8").splitlines(keepends=True)
    line = text.index("{% block main %}\n") + 2  # the first line of the page's content
    text.insert(line - 1, "{{ no_such_variable.attribute }}\n")
    target.write_text("".join(text), encoding="utf-8")
    broken = load_theme(theme)
    assert check(TINY, display_root="content", theme=broken).ok  # the plan alone renders nothing
    result = check(TINY, display_root="content", theme=broken, render=True)
    assert [d.format().splitlines()[0] for d in result.diagnostics] == [
        f"templates/target.html:{line}:1: error[template-error]: the page /targets/1.4/index.html cannot be rendered: "
        "UndefinedError: 'no_such_variable' is undefined"
    ]
    clean = check(TINY, display_root="content", render=True)
    assert clean.ok and clean.site is not None and clean.rendered == len(SiteFiles(clean.site).jobs) > 10
