"""The sha256 of every file of a built site, to prove a refactoring changed no byte.

    python tools/site_hashes.py _site > before.txt        # on the commit you start from
    python tools/site_hashes.py _site --compare before.txt  # at the end: exit 1 on any difference

One line per file, `<sha256>  <path>`, sorted by path (the format of `sha256sum`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def hashes(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def read(listing: Path) -> dict[str, str]:
    out = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        digest, _, path = line.partition("  ")
        out[path] = digest
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site, e.g. _site")
    parser.add_argument("--compare", type=Path, help="a listing made earlier: report every difference")
    args = parser.parse_args(argv)
    now = hashes(args.site)
    if args.compare is None:
        sys.stdout.write("".join(f"{digest}  {path}\n" for path, digest in now.items()))
        return 0
    before = read(args.compare)
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(p for p in set(now) & set(before) if now[p] != before[p])
    for label, paths in (("added", added), ("removed", removed), ("changed", changed)):
        for path in paths:
            print(f"{label}: {path}")
    same = len(now) - len(added) - len(changed)
    print(f"{same} of {len(now)} files identical; {len(added)} added, {len(removed)} removed, {len(changed)} changed")
    return 1 if added or removed or changed else 0


if __name__ == "__main__":
    sys.exit(main())
