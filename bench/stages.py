"""Where one `connect-site build` spends its time: each step of `build.build`, timed in process.

    .venv/bin/python bench/stages.py CONTENT OUT CACHE

Wraps the check, the renderers, the pages (the wait for the two render processes), the
downloads, the search index (and the sum of its Pagefind runs, which overlap), the
sitemap and the writing, then runs one build and prints the seconds of each, the write
statistics, and the peak RSS of this process and of its largest child. Run it with an
empty CACHE for a cold build, and again after editing one entry for a warm one
(docs/performance.md, "Where the time goes at 10,000 entries").
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connect_site import pipeline as B
from connect_site.site import files as F
from connect_site.site import pool, search

SPENT: dict[str, float] = {}


def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    content, out, cache = (Path(a) for a in sys.argv[1:])
    B.in_memory = timed("check and plan", B.in_memory)  # type: ignore[assignment]
    pool.Pool.results = timed("pages (wait for the render processes)", pool.Pool.results)  # type: ignore[method-assign]
    F.downloads = timed("downloads", F.downloads)  # type: ignore[assignment]
    F.search_index = timed("search index", F.search_index)  # type: ignore[assignment]
    search._pagefind = timed("  Pagefind runs (sum; two at a time)", search._pagefind)  # type: ignore[assignment]
    F.sitemap = timed("sitemap", F.sitemap)  # type: ignore[assignment]
    B.write_site = timed("writing", B.write_site)  # type: ignore[assignment]
    start = time.perf_counter()
    result = B.build(content, out, cache_dir=cache)
    SPENT["whole build"] = time.perf_counter() - start
    for name, seconds in SPENT.items():
        print(f"{name:40} {seconds:7.2f} s")
    print(result.written)
    print(f"peak RSS: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, ", end="")
    print(f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
