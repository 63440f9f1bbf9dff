"""How fast is `connect-site check` on the real content, next to peers doing less?

    make bench            # or: .venv/bin/python bench/check_speed.py [--rounds N]

Peers, run in the same rounds and alternated (A B C A B C ...), on the same files:
- check-jsonschema with our exported JSON Schemas, over the YAML entries it can read
  (it cannot read Markdown front matter or CSV, and resolves no references);
- yamllint (syntax and style only) over the same YAML files.
Both are installed into the running environment by this script when missing (the
package registry is reachable at bench time; nothing is fetched at build or test time).

It also times the hostile inputs from the issue in process: an alias bomb, a body of
20,000 '[' and a 1 MB YAML file, and prints where check spends its time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
BIN = Path(sys.executable).parent
KINDS = ("goals", "targets", "countries")


def ensure(package: str, module: str) -> None:
    if importlib.util.find_spec(module) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def run_connect_site() -> float:
    return timed([str(BIN / "connect-site"), "check", "--content", "content"])


def run_check_jsonschema() -> float:
    total = timed([str(BIN / "check-jsonschema"), "--schemafile", "schemas/site.schema.json", "content/site.yaml"])
    total += timed(
        [str(BIN / "check-jsonschema"), "--schemafile", "schemas/sources.schema.json", "content/sources.yaml"]
    )
    for kind in KINDS:
        files = sorted(str(p.relative_to(ROOT)) for p in (CONTENT / kind).glob("*.yaml"))
        schema = f"schemas/{kind[:-1] if kind != 'countries' else 'country'}.schema.json"
        total += timed([str(BIN / "check-jsonschema"), "--schemafile", schema, *files])
    return total


def run_yamllint() -> float:
    return timed([str(BIN / "yamllint"), "-d", "relaxed", "content"])


def hostile_inputs() -> list[tuple[str, float, str]]:
    from connect_site.pipeline import check

    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    cases = {
        f"alias bomb ({len(bomb)} bytes)": ("countries/KEN.yaml", bomb),
        "20,000 '[' in a Markdown body": ("initiatives/x.md", "---\ntitle: x\n---\n" + "[" * 20000 + "\n"),
        "1 MB YAML file": ("countries/KEN.yaml", "name: x\n" + "# pad\n" * 180_000),
    }
    out = []
    for name, (rel, text) in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            content = Path(tmp) / "content"
            (content / rel).parent.mkdir(parents=True)
            (content / "site.yaml").write_text('title: t\nbase_url: "https://example.org/"\n')
            (content / rel).write_text(text)
            start = time.perf_counter()
            result = check(content, display_root="content")
            elapsed = time.perf_counter() - start
            codes = sorted({d.code for d in result.diagnostics if d.severity.value == "error"} - {"empty-content"})
            out.append((name, elapsed, ", ".join(codes)))
    return out


def stages() -> list[tuple[str, float]]:
    from connect_site.content.graph import build_site
    from connect_site.content.read import read_content
    from connect_site.errors import Reporter
    from connect_site.pipeline import now_year

    best: dict[str, float] = {}
    for _ in range(5):
        report = Reporter()
        t0 = time.perf_counter()
        content = read_content(CONTENT, report, "content")
        t1 = time.perf_counter()
        build_site(content, report, now_year())
        t2 = time.perf_counter()
        for name, value in (
            ("read + parse (YAML, Markdown, CSV)", t1 - t0),
            ("validate + link + observations", t2 - t1),
        ):
            best[name] = min(best.get(name, value), value)
    return list(best.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    ensure("check-jsonschema", "check_jsonschema")
    ensure("yamllint", "yamllint")
    subprocess.run([str(BIN / "connect-site"), "schema", "--out", "schemas"], cwd=ROOT, check=True, capture_output=True)
    yaml_files = sum(1 for k in KINDS for _ in (CONTENT / k).glob("*.yaml")) + 2
    all_files = sum(1 for p in CONTENT.rglob("*") if p.is_file())
    runners = [
        ("connect-site check", run_connect_site, f"all {all_files} files: YAML, Markdown, CSV, references"),
        ("check-jsonschema", run_check_jsonschema, f"{yaml_files} YAML files, schema only, 5 processes"),
        ("yamllint -d relaxed", run_yamllint, f"{yaml_files} YAML files, syntax only"),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in runners}
    for fn in (r[1] for r in runners):
        fn()  # warm the file cache and byte-code once
    for _ in range(args.rounds):
        for name, fn, _ in runners:
            times[name].append(fn())
    base = statistics.median(times["connect-site check"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.rounds} alternated rounds, median wall time")
    print()
    print("| tool | median (s) | min (s) | × connect-site | what it checks |")
    print("|---|---|---|---|---|")
    for name, _, what in runners:
        med = statistics.median(times[name])
        print(f"| {name} | {med:.3f} | {min(times[name]):.3f} | {med / base:.2f} | {what} |")
    print()
    print("| stage of check, in process (best of 5) | seconds |")
    print("|---|---|")
    for name, value in stages():
        print(f"| {name} | {value:.3f} |")
    print()
    print("| hostile input, in process | seconds | diagnostic |")
    print("|---|---|---|")
    for name, value, codes in hostile_inputs():
        print(f"| {name} | {value:.4f} | {codes} |")


if __name__ == "__main__":
    main()
