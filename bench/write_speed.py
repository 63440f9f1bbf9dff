"""How fast does `write_site` put a built site on disk, with each strategy?

    .venv/bin/python bench/write_speed.py [--rounds 3] [--sizes 1000,10000]

For N synthetic files of about 8 KB spread over about N/10 folders, and for each
strategy ("sync" and "swap"), it times four writes in a row:
- first: the first build into an empty folder;
- unchanged: a rebuild with nothing changed;
- 1% changed: a rebuild where every 100th file changed;
- all changed: a rebuild where every file changed.
Changed files keep their size (only a few bytes differ), the worst case for "sync",
which must then read a file back to see that it changed.

Rounds alternate the order of the strategies (sync first, then swap first, ...) and
each round starts from a fresh folder; the table shows the median of the rounds and
the range (creating files on this machine's disk is slow and varies a lot, see
docs/performance.md).
The folders live under the repository (on the real disk, never a tmpfs /tmp) and are
deleted at the end.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from connect_site.output.write import Strategy, write_site

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("first", "unchanged", "1% changed", "all changed")
STRATEGIES: tuple[Strategy, ...] = ("sync", "swap")
SIZE = 8 * 1024


def path_of(i: int) -> str:
    return f"s{i // 100:03d}/p{i // 10:05d}/{i}.html"


def body(i: int, version: int) -> bytes:
    head = f"<!doctype html><title>page {i} version {version:06d}</title>\n".encode()
    filler = (b"lorem ipsum dolor sit amet " * (SIZE // 27 + 1))[: SIZE - len(head)]
    return head + filler


def site(n: int, versions: Callable[[int], int]) -> dict[str, bytes]:
    return {path_of(i): body(i, versions(i)) for i in range(n)}


def one_round(n: int, strategy: Strategy, scratch: Path) -> dict[str, float]:
    builds = {
        "first": site(n, lambda i: 0),
        "unchanged": site(n, lambda i: 0),
        "1% changed": site(n, lambda i: 1 if i % 100 == 0 else 0),
        "all changed": site(n, lambda i: 2),
    }
    out = scratch / f"site-{strategy}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    times: dict[str, float] = {}
    for scenario in SCENARIOS:
        start = time.perf_counter()
        write_site(out, builds[scenario], strategy=strategy)
        times[scenario] = time.perf_counter() - start
    shutil.rmtree(out)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix=".bench-tmp-", dir=ROOT))
    results: dict[tuple[int, str, str], list[float]] = {}
    try:
        for n in sizes:
            for r in range(args.rounds):
                order = STRATEGIES if r % 2 == 0 else tuple(reversed(STRATEGIES))
                for strategy in order:
                    for scenario, seconds in one_round(n, strategy, scratch).items():
                        results.setdefault((n, strategy, scenario), []).append(seconds)
                print(f"N={n:,} round {r + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"Median of {args.rounds} rounds, seconds; files of {SIZE // 1024} KB over about N/10 folders.\n")
    print("| N | write | sync (s) | swap (s) | sync / swap | sync min–max | swap min–max |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        for scenario in SCENARIOS:
            sync, swap = results[(n, "sync", scenario)], results[(n, "swap", scenario)]
            ratio = statistics.median(sync) / statistics.median(swap)
            print(
                f"| {n:,} | {scenario} | {statistics.median(sync):.3f} | {statistics.median(swap):.3f} | {ratio:.2f} "
                f"| {min(sync):.3f}–{max(sync):.3f} | {min(swap):.3f}–{max(swap):.3f} |"
            )


if __name__ == "__main__":
    main()
