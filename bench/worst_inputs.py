"""The worst input of each kind, built: does every one finish in under 2 s and 500 MB?

    make bench            # or: .venv/bin/python bench/worst_inputs.py [--only NAME] [--no-hugo]

Each case is the tiny test site (tests/fixtures/tiny/content) with one hostile file: the largest
or most nested thing the bounds let through, or the first thing past them. `connect-site check`
runs on it in a process of its own, then `connect-site build` when check passes (render and
write), and each one's wall time and peak RSS (wait4's ru_maxrss) are printed. The goal is
for check, where hostile input is refused; a build's time also grows with the pages the input
makes (csv-valid-max gives every country a page), which docs/performance.md measures at scale.

The Markdown cases are also given to Hugo (Debian's package, installed with apt-get when
missing, as bench/build_speed.py does), as the body of one page of an empty Hugo site, side by
side in the same run: Hugo has no bounds of its own, so its figure shows what the input costs a
renderer. The issue's goal is for connect-site: under 2 s and 500 MB each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny" / "content"
BIN = Path(sys.executable).parent
LIMIT_S, LIMIT_MB = 2.0, 500
FRONT = (
    '---\ntitle: "Hostile"\ncountries: [ken]\ntargets: [1.4]\nkind: strategy\nstatus: ongoing\nstart: 2022\n'
    'lead: "Ministry"\nurl: "https://example.org/"\n---\n'
)
HEADER = "country,year,value,source,note\n"
ENTRY_BYTES = 250 * 1024  # just under the 256 KiB cap on an entry
BODY_CHARS = 99_000  # just under the 100,000-character cap on a body

Files = Callable[[Path], None]


def body(text: str) -> dict[str, str]:
    return {"initiatives/hostile.md": FRONT + text}


def repeat(unit: str, size: int = ENTRY_BYTES) -> str:
    return unit * (size // len(unit))


def deep_folders(content: Path) -> None:
    path = content / "initiatives"
    for i in range(1100):
        path = path / f"d{i % 10}"
        path.mkdir()


def many_files(content: Path) -> None:
    folder = content / "initiatives" / "copied"
    folder.mkdir()
    for i in range(100_001):
        (folder / f"{i}.md").write_bytes(b"")


def countries_years() -> list[tuple[str, int]]:
    codes = [line.split(",", 1)[0] for line in (ROOT / "src/connect_site/data/countries.csv").read_text().splitlines()]
    return [(c, y) for c in codes[1:] if len(c) == 3 and c != "KEN" for y in range(1990, 2026)]  # KEN.yaml has 2023


def many_sources(content: Path) -> None:
    """The largest table check accepts: every (country, year) from eight sources, up to 1 MiB."""
    with (content / "sources.yaml").open("a", encoding="utf-8") as fh:
        for i in range(8):
            fh.write(f'src{i}:\n  publisher: "P"\n  title: "T {i}"\n  url: "https://example.org/{i}"\n')
            fh.write('  license: "CC BY 4.0"\n  edition: "2024"\n')
    rows = [f"{c},{y},50,src{i},\n" for i in range(8) for c, y in countries_years()]
    text, size = [HEADER], len(HEADER)
    for row in rows:
        if size + len(row) > 2**20 - 1024:
            break
        text.append(row)
        size += len(row)
    (content / "data" / "internet-users.csv").write_text("".join(text), encoding="utf-8")


# name -> (what it is, the files it writes or a function that changes the folder)
CASES: dict[str, tuple[str, dict[str, str] | Files]] = {
    "md-brackets": ("20,000 '[' in one paragraph (refused)", body("[" * 20_000)),
    "md-brackets-max": ("3 paragraphs of 299 '[a]' (the most allowed)", body("\n\n".join(["[a]" * 299] * 3))),
    "md-nesting": ("2,800 lines opening 16 lists each", body(repeat("- " * 16 + "x\n", BODY_CHARS))),
    "md-quotes": ("2,800 lines of 16 nested quotes", body(repeat("> " * 16 + "x\n", BODY_CHARS))),
    "md-emphasis": ("99,000 characters of '*a **b ' runs", body(repeat("*a **b ", BODY_CHARS))),
    "md-backticks": ("backtick runs of 1 to 440 ticks", body("".join("`" * n + "a" for n in range(1, 440)))),
    "md-links": ("24,750 '[a](' link openings (refused)", body(repeat("[a](", BODY_CHARS))),
    "md-table": ("2,000 columns, 22 rows", body("\n".join(["|a" * 2000, "|-" * 2000] + ["|1" * 2000] * 22))),
    "md-indent": ("1,600 lines indented 60 spaces", body(repeat(" " * 60 + "x\n", BODY_CHARS))),
    "md-entities": ("24,750 '&#x1' entity openings", body(repeat("&#x1", BODY_CHARS))),
    "yaml-alias-bomb": ("nine levels of aliases (a billion laughs)", {
        "initiatives/hostile.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
    }),
    "yaml-deep": ("a value of 10,000 '['", {"initiatives/hostile.yaml": "title: " + "[" * 10_000 + "\n"}),
    "yaml-keys": ("25,000 keys", {"initiatives/hostile.yaml": "".join(f"k{i}: v\n" for i in range(25_000))}),
    "yaml-long-title": ("a 250 KB title", {"initiatives/hostile.yaml": "title: " + "x" * ENTRY_BYTES + "\n"}),
    "csv-valid": ("every country and year, 1990-2025 (about 8,000 rows)", {
        "data/internet-users.csv": HEADER + "".join(f"{c},{y},50,test-src,\n" for c, y in countries_years()),
    }),
    "csv-valid-max": ("1 MiB of valid rows: 8 sources, every country and year", many_sources),
    "csv-errors": ("1 MiB of bad rows (47,000 errors)", {
        "data/internet-users.csv": HEADER + repeat("KEN,2022,x%,test-src,\n", 2**20 - 4096),
    }),
    "csv-long-cells": ("240 rows with a 4,000-character note", {
        "data/internet-users.csv": HEADER
        + "".join(f"{c},{y},50,test-src,{'n' * 3995}\n" for c, y in countries_years()[:240]),
    }),
    "folders-deep": ("1,100 nested folders (refused)", deep_folders),
    "files-too-many": ("100,001 files (refused)", many_files),
}  # fmt: skip


def make(base: Path, change: dict[str, str] | Files) -> Path:
    content = base / "content"
    shutil.copytree(TINY, content)
    if callable(change):
        change(content)
    else:
        for rel, text in change.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            (content / rel).write_text(text, encoding="utf-8")
    return content


def measured(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def hugo_site(base: Path, text: str) -> Path:
    site = base / "hugo"
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        "baseURL = 'http://example.org/'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n"
    )
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    (site / "layouts" / "_default" / "list.html").write_text("")
    # The same body under Hugo's own front matter (ours has `url`, which Hugo reads as the page's path).
    (site / "content" / "hostile.md").write_text('---\ntitle: "Hostile"\n---\n' + text[len(FRONT) :], encoding="utf-8")
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only this case (repeatable)")
    parser.add_argument("--no-hugo", action="store_true", help="leave out the Hugo column")
    args = parser.parse_args(argv)
    hugo = None
    if not args.no_hugo:
        sys.path.insert(0, str(ROOT / "bench"))
        from build_speed import ensure_hugo

        hugo = ensure_hugo()
    columns = f"{'exit':>4} {'check s':>7} {'MB':>4}  {'build s':>7} {'MB':>4}  {'Hugo s':>6} {'MB':>4}"
    print(f"{'case':16} {'input':55} {columns}  check")
    missed = 0
    for name in args.only or list(CASES):
        what, change = CASES[name]
        base = Path(tempfile.mkdtemp(prefix=f"worst-{name}-"))
        try:
            content = make(base, change)
            check = [str(BIN / "connect-site"), "check", "--content", str(content)]
            seconds, mb, status = measured(check, base)
            built = ""
            if status == 0:
                out = str(base / "out")
                build = [str(BIN / "connect-site"), "build", "--content", str(content), "--out", out, "--no-cache"]
                b_seconds, b_mb, b_status = measured(build, base)
                built = f"{b_seconds:7.2f} {b_mb:4.0f}" + ("" if b_status == 0 else f" (exit {b_status})")
            peer = ""
            md = change.get("initiatives/hostile.md") if isinstance(change, dict) else None
            if hugo and md is not None:
                site = hugo_site(base, md)
                hugo_cmd = [hugo, "--quiet", "-s", str(site), "-d", str(base / "hugo-out")]
                h_seconds, h_mb, h_status = measured(hugo_cmd, base)
                peer = f"{h_seconds:6.2f} {h_mb:4.0f}" + ("" if h_status == 0 else f" (exit {h_status})")
            ok = seconds < LIMIT_S and mb < LIMIT_MB and status in (0, 1)
            missed += not ok
            verdict = "ok" if ok else "MISSED"
            print(f"{name:16} {what:55} {status:>4} {seconds:7.2f} {mb:4.0f}  {built:>12}  {peer:>11}  {verdict}")
        finally:
            subprocess.run(["rm", "-rf", str(base)], check=True)  # shutil.rmtree recurses: 1,100 levels are too deep
    total = len(args.only or CASES)
    print(f"\n{total - missed} of {total} checked within {LIMIT_S:g} s and {LIMIT_MB} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
