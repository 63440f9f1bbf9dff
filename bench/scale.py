"""How do `connect-site build` and `check` scale with the number of entries, next to Hugo and MkDocs?

    .venv/bin/python bench/scale.py [--sizes 1000,10000,50000] [--rounds 3] [--languages en|all|both]
                                   [--timeout 900] [--max-rss-gb 16] [--warmup 1]

For each size N, a content folder is generated with bench/corpus.py (the real content/
plus N entries of about 400 words), and the Hugo and MkDocs projects of bench/build_speed.py
are derived from it: one page per connect-site page of the default language, the same text,
tables and target/country/kind taxonomies (see build_speed.py for what each peer does).

--languages picks what connect-site builds: `en` a copy whose site.yaml says
`languages: [en]` (translation files removed), the same pages as the peers; `all` the six
languages of the real site.yaml (the peers still build one); `both` measures the two.

Each round times every tool in turn (A B C A B C ...), as whole commands, in:
- cold, compute only: into a new folder on a tmpfs (/dev/shm), no disk involved;
- cold, on disk: the output folder deleted (untimed) and built again, under the repository;
- unchanged: the same build again into the same folder, nothing changed;
- one entry changed: a paragraph appended to one generated initiative, then rebuilt;
and `connect-site check` alone. The disk is synced (untimed) before each command.

For each command: wall time, CPU time (user + sys of the command and the children it
waited for, from os.wait4) and peak RSS (ru_maxrss: the largest single process, so for
connect-site's two render processes it is the larger one, not their sum). Tables give the
median and min over rounds, the median CPU, the highest peak RSS, and × Hugo: the median
of the per-round ratios to Hugo's time in the same situation and round; with the peer
"hugo+pagefind" (Hugo, then the same Pagefind binary over its output: how a Hugo site gets
the search that connect-site builds), also × Hugo + Pagefind.

connect-site keeps its build cache (--cache) in the scratch folder between runs, as CI
would keep it, and it is deleted before each cold build: "cold" means no cache at all.
--peers picks the peers (default: all; Hugo always runs).

A command that runs longer than --timeout seconds, or whose processes together use more
than --max-rss-gb of memory (polled every 0.5 s), is killed and reported as "timeout" or
"out of memory"; so is one that the kernel kills or that fails with MemoryError. Its later
situations at that size are skipped. Everything generated is deleted at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from build_speed import (
    BIN,
    EDITED,
    ROOT,
    Tool,
    ensure,
    ensure_hugo,
    head,
    hugo_project,
    mkdocs_project,
    site_docs,
    tally,
)

from connect_site.site.search import pagefind_binary

PEERS = ("hugo", "hugo+pagefind", "mkdocs")
SITUATIONS = ("cold, compute only (tmpfs)", "cold, on disk", "unchanged", "one entry changed")
CHECK = "check alone"
TMPFS = Path("/dev/shm")
TRANSLATION = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z]{2,3}(-[A-Za-z0-9]+)?\.md$")


# --- running one command -------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys of the command and its waited-for children
    rss_mb: float  # ru_maxrss: the largest single process
    failure: str = ""  # "", "timeout", "out of memory", "failed (exit N)"


def descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc/<pid>/task/<tid>/children."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return found


def tree_rss_bytes(pid: int) -> int:
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(cmd: list[str], timeout: float, max_rss: float, log: Path) -> Run:
    """Run cmd (untimed sync first), killing its process group on timeout or when it uses too much memory."""
    os.sync()
    why: list[str] = []
    done = threading.Event()
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

        def watch() -> None:
            while not done.wait(0.5):
                if time.perf_counter() - start > timeout:
                    why.append("timeout")
                elif tree_rss_bytes(proc.pid) > max_rss:
                    why.append("out of memory")
                else:
                    continue
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    try:  # the group's leftovers, if the command died and left children behind
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    if why:
        run.failure = why[0]
    elif proc.returncode != 0:
        tail = log.read_bytes()[-4000:].decode("utf-8", "replace")
        if proc.returncode == -signal.SIGKILL or "MemoryError" in tail or "out of memory" in tail:
            run.failure = "out of memory"
        else:
            run.failure = f"failed (exit {proc.returncode})"
        print(f"{Path(cmd[0]).name}: {run.failure}\n{tail[-1500:]}", file=sys.stderr)
    return run


class ScaleTool(Tool):
    """A build_speed Tool measured with CPU time, peak RSS, a timeout and a memory ceiling."""

    def __init__(
        self, name: str, what: str, command: list[str], edited: Path, scratch: Path, cache: Path | None = None
    ) -> None:
        super().__init__(name, what, lambda out: [*command, str(out)], edited, scratch)
        self.key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.disk = scratch / f"out-{self.key}"
        self.cache = cache  # kept between runs, as CI keeps it; deleted before a cold build
        self.failure = ""
        self.edits = 0

    def measure(self, situation: str, args: argparse.Namespace, tmpfs: Path | None) -> Run:
        if situation.startswith("cold"):
            out = tmpfs / f"out-{self.key}" if tmpfs and "tmpfs" in situation else self.disk
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            if self.cache is not None:
                shutil.rmtree(self.cache, ignore_errors=True)
        else:
            out = self.disk
        if situation == "one entry changed":
            self.edits += 1
            with self.edited.open("a", encoding="utf-8") as f:
                f.write(f"\nA paragraph added by the scale benchmark, edit {self.edits}.\n")
        run = measure(self.command(out), args.timeout, args.max_rss_gb * 2**30, self.scratch / f"{self.key}.log")
        if out != self.disk:
            shutil.rmtree(out, ignore_errors=True)  # free the memory the tmpfs holds
        return run


# --- the corpus and the peers' projects --------------------------------------------------------


def english_only(content: Path) -> None:
    """Make content build one language: site.yaml says languages: [en]; translation files go."""
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^languages:.*$", "languages: [en]", text)
    if n != 1:
        raise SystemExit(f"{site}: no single `languages:` line to replace")
    site.write_text(text, encoding="utf-8")
    for folder in ("initiatives", "practices"):
        for path in (content / folder).iterdir():
            if TRANSLATION.match(path.name):
                path.unlink()


@dataclass
class Size:
    n: int
    generated: float = 0.0
    corpus_files: int = 0
    corpus_mb: float = 0.0
    pages: int = 0
    runs: dict[tuple[str, str], list[Run]] = field(default_factory=dict)
    tallies: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    notes: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    """What make_inputs wrote: the content folder per language mode, the edited entry, sizes."""

    contents: dict[str, Path]
    edited: str
    generated: float
    corpus_files: int
    corpus_mb: float
    pages: int


def make_inputs(n: int, languages: str, scratch: Path) -> Inputs:
    """Generate the corpus (per language mode) and the peers' projects under scratch.

    Run in a fresh (spawned) process: a child inherits its parent's peak RSS across fork and
    exec (Linux keeps ru_maxrss in the signal struct), so this script must stay small.
    """
    start = time.perf_counter()
    contents: dict[str, Path] = {}
    written: list[str] = []
    for mode in ("en", "all") if languages == "both" else (languages,):
        contents[mode] = scratch / f"content-{mode}"
        written = corpus.generate(n, contents[mode])
        if mode == "en":
            english_only(contents[mode])
    generated = time.perf_counter() - start
    first = next(iter(contents.values()))
    files = [p for p in first.rglob("*") if p.is_file()]
    edited = next((rel for rel in written if rel.startswith("initiatives/")), EDITED)
    docs, title, base_url = site_docs(first)  # the default language's pages: the same in both modes
    hugo_project(scratch / "hugo", docs, title, base_url)
    mkdocs_project(scratch / "mkdocs", docs, title, base_url)
    return Inputs(contents, edited, generated, len(files), sum(p.stat().st_size for p in files) / 1e6, len(docs) + 1)


def prepare(
    n: int, languages: str, scratch: Path, hugo: str, mkdocs: str, peers: tuple[str, ...]
) -> tuple[list[ScaleTool], Path, Size]:
    """The corpus and projects (made in a spawned process), the tools, the content to check, the record."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        inputs = pool.apply(make_inputs, (n, languages, scratch))
    contents, edited = inputs.contents, inputs.edited
    size = Size(n, inputs.generated, inputs.corpus_files, inputs.corpus_mb, inputs.pages)
    hugo_dir, mkdocs_dir = scratch / "hugo", scratch / "mkdocs"
    page = edited.removesuffix(".md")
    hugo_edited, mkdocs_edited = hugo_dir / "content" / f"{page}.md", mkdocs_dir / "docs" / page / "index.md"
    for path in (hugo_edited, mkdocs_edited, *(c / edited for c in contents.values())):
        if not path.is_file():
            raise SystemExit(f"the edited entry is missing: {path}")

    tools = []
    for mode, content in contents.items():
        label = "en" if mode == "en" else "6 languages"
        what = "pages, SVG maps and charts, CSV/JSON downloads, search index, sitemap, feed"
        cache = scratch / f"cache-{mode}"
        cmd = [str(BIN / "connect-site"), "build", "--content", str(content), "--cache", str(cache), "--out"]
        tools.append(ScaleTool(f"connect-site build ({label})", what, cmd, content / edited, scratch, cache))
    hugo_cmd = [hugo, "--quiet", "-s", str(hugo_dir), "--cacheDir", str(scratch / "hugo-cache"), "-d"]
    hugo_name = tool_name(hugo, "hugo")
    if "hugo" in peers:
        tools.append(ScaleTool(hugo_name, "the same pages, sitemap, feed", hugo_cmd, hugo_edited, scratch))
    if "hugo+pagefind" in peers:  # how a Hugo site gets search: Pagefind over its output, as connect-site does
        script = f'{shlex.join(hugo_cmd)} "$1" && {shlex.quote(str(pagefind_binary()))} --silent --site "$1"'
        what = "the same pages, sitemap, feed, then the same Pagefind over them"
        tools.append(ScaleTool(f"{hugo_name} + pagefind", what, ["sh", "-c", script, "sh"], hugo_edited, scratch))
    if "mkdocs" in peers:
        mkdocs_cmd = [mkdocs, "build", "--quiet", "-f", str(mkdocs_dir / "mkdocs.yml"), "-d"]
        what = "the same pages, theme files, sitemap"
        tools.append(ScaleTool(tool_name(mkdocs, "mkdocs"), what, mkdocs_cmd, mkdocs_edited, scratch))
    size.notes.append(f"'one entry changed' appends a paragraph to {edited} (and to its page in each peer's project).")
    return tools, next(iter(contents.values())), size


def tool_name(exe: str, name: str) -> str:
    out = subprocess.run([exe, "version" if name == "hugo" else "--version"], capture_output=True, text=True).stdout
    version = out.split()[1 if name == "hugo" else 2] if out.split() else "?"
    return f"{name} {version.removeprefix('v').split('+')[0].split('-')[0]}"


# --- one size ---------------------------------------------------------------------------------


def run_size(n: int, args: argparse.Namespace, hugo: str, mkdocs: str, tmpfs: Path | None) -> tuple[Size, list[str]]:
    scratch = Path(tempfile.mkdtemp(dir=ROOT, prefix=f".bench-tmp-scale-{n}-"))
    try:
        print(f"N={n}: generating the corpus and the peers' projects", file=sys.stderr)
        tools, check_content, size = prepare(n, args.languages, scratch, hugo, mkdocs, args.peers)
        names = [t.name for t in tools]
        size.load = (os.getloadavg()[0], 0.0)
        for tool in tools:  # warm the file cache and byte-code; also proves each command works
            for _ in range(args.warmup):
                run = tool.measure("cold, on disk", args, tmpfs)
                tool.failure = tool.failure or run.failure
        check_cmd = [str(BIN / "connect-site"), "check", "--content", str(check_content)]
        for r in range(args.rounds):
            for situation in SITUATIONS:
                if situation.endswith("(tmpfs)") and tmpfs is None:
                    continue
                for tool in tools:
                    if tool.failure:
                        size.runs.setdefault((tool.name, situation), []).append(Run(0, 0, 0, tool.failure))
                        continue
                    run = tool.measure(situation, args, tmpfs)
                    tool.failure = run.failure
                    size.runs.setdefault((tool.name, situation), []).append(run)
            check = measure(check_cmd, args.timeout, args.max_rss_gb * 2**30, scratch / "check.log")
            size.runs.setdefault(("connect-site check", CHECK), []).append(check)
            print(f"N={n}: round {r + 1}/{args.rounds} done", file=sys.stderr)
        size.tallies = {t.name: tally(t.disk) for t in tools if not t.failure}
        size.load = (size.load[0], os.getloadavg()[0])
        return size, names
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if tmpfs is not None:
            shutil.rmtree(tmpfs, ignore_errors=True)
            tmpfs.mkdir()


def report(size: Size, names: list[str]) -> None:
    print(
        f"### N = {size.n:,} generated entries\n\n"
        f"corpus: {size.corpus_files:,} files, {size.corpus_mb:.1f} MB (generated in {size.generated:.1f} s); "
        f"{size.pages:,} pages per language; load average {size.load[0]:.2f} before, {size.load[1]:.2f} after\n"
    )
    hugo = next(name for name in names if name.startswith("hugo"))
    bases = [hugo] + [name for name in names if name.endswith("+ pagefind")]
    header = "".join(f" × {b.split()[0].title()}{' + Pagefind' if b.endswith('pagefind') else ''} |" for b in bases)
    print(f"| tool | situation | median (s) | min (s) | CPU (s) | peak RSS (MB) |{header}")
    print("|---|---|---|---|---|---|" + "---|" * len(bases))
    for situation in (*SITUATIONS, CHECK):
        for name in (*names, "connect-site check"):
            runs = size.runs.get((name, situation))
            if not runs:
                continue
            failed = next((r.failure for r in runs if r.failure), "")
            if failed:
                print(f"| {name} | {situation} | {failed} | | | |" + " |" * len(bases))
                continue
            wall = [r.wall for r in runs]
            ratios = ""
            for b in bases:
                base = size.runs.get((b, situation))
                ok = base and not any(x.failure for x in base) and name != "connect-site check"
                ratio = statistics.median(r.wall / x.wall for r, x in zip(runs, base, strict=True)) if ok else None
                ratios += f" {ratio:.2f} |" if ratio is not None else " – |"
            cpu = statistics.median(r.cpu for r in runs)
            rss = max(r.rss_mb for r in runs)
            med = statistics.median(wall)
            print(f"| {name} | {situation} | {med:.2f} | {min(wall):.2f} | {cpu:.2f} | {rss:.0f} |{ratios}")
    print()
    if size.tallies:
        print("| tool | HTML pages | other files | output (MB) |")
        print("|---|---|---|---|")
        for name, (html, other, nbytes) in size.tallies.items():
            print(f"| {name} | {html:,} | {other:,} | {nbytes / 1e6:.1f} |")
        print()
    for note in size.notes:
        print(note)
    print()


def filesystem(path: Path) -> str:
    """The file system type and device holding path, from /proc/self/mounts (the longest matching mount point)."""
    best = ("", "?", "?")
    with open("/proc/self/mounts", encoding="utf-8") as f:
        for line in f:
            device, point, fstype = line.split()[:3]
            if (str(path) + "/").startswith(point.rstrip("/") + "/") and len(point) >= len(best[0]):
                best = (point, fstype, device)
    return f"{best[1]} ({best[2]} on {best[0]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated entry counts")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--languages", choices=("en", "all", "both"), default="en")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed")
    parser.add_argument("--max-rss-gb", type=float, default=16, help="memory of a command's processes, together")
    parser.add_argument("--warmup", type=int, default=1, help="untimed cold builds per tool before the rounds")
    parser.add_argument(
        "--peers", default=",".join(PEERS), help=f"comma-separated, from {', '.join(PEERS)} (Hugo is always run)"
    )
    args = parser.parse_args()
    args.peers = tuple(p for p in args.peers.split(",") if p.strip())
    if unknown := set(args.peers) - set(PEERS):
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    args.peers = tuple(dict.fromkeys(("hugo", *args.peers)))
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated whole numbers, e.g. 1000,10000")
    if any(s < 0 for s in sizes) or args.rounds < 1:
        parser.error("sizes must be 0 or more and --rounds at least 1")
    hugo = ensure_hugo()
    ensure("mkdocs", "mkdocs")
    mkdocs = str(BIN / "mkdocs")
    commit = head()
    tmpfs: Path | None = None
    if TMPFS.is_dir() and filesystem(TMPFS).startswith("tmpfs"):
        tmpfs = Path(tempfile.mkdtemp(dir=TMPFS, prefix="connect-site-scale-"))
    load_before = os.getloadavg()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    print(f"command: `{shlex.join([python, *sys.argv])}`\n")
    print(
        f"commit {commit}, {time.strftime('%Y-%m-%d')}, python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {memory:.0f} GB RAM; {args.rounds} alternated rounds, languages: {args.languages}; "
        f"output on disk: {filesystem(ROOT)}, compute only: {filesystem(TMPFS) if tmpfs else 'no tmpfs, skipped'}; "
        f"timeout {args.timeout:.0f} s, memory ceiling {args.max_rss_gb:g} GB; "
        f"load average {load_before[0]:.2f} before\n",
        flush=True,
    )
    try:
        for n in sizes:
            size, names = run_size(n, args, hugo, mkdocs, tmpfs)
            report(size, names)
            sys.stdout.flush()
    finally:
        if tmpfs is not None:
            shutil.rmtree(tmpfs, ignore_errors=True)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"load average {os.getloadavg()[0]:.2f} after; commit {head()} after the run; this script's own peak RSS "
        f"{floor:.0f} MB (a child inherits it: no peak RSS above can be lower)"
    )


if __name__ == "__main__":
    main()
