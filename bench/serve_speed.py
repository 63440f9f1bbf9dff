"""Save -> new page served by `connect-site serve`, on a copy of the real content.

Starts the real server on a free port, edits one initiative's title N times, and times
from the write to the first HTTP response that carries the new title (the watcher's
poll, the 200 ms quiet period, the rebuild and the page's render). Prints the times and
their median; `make bench` runs it.

    .venv/bin/python bench/serve_speed.py [--runs 5] [--content content]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--content", type=Path, default=Path("content"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(args.content, content)
        entry = sorted(p for p in (content / "initiatives").glob("*.md") if p.stem.count(".") == 0)[0]
        times = measure(content, entry, args.runs)
    print(f"serve: save -> new page served, {args.runs} edits of {entry.name}:")
    print("  " + " ".join(f"{t:.2f}" for t in times) + f" s; median {statistics.median(times):.2f} s")


def measure(content: Path, entry: Path, runs: int) -> list[float]:
    cmd = [sys.executable, "-m", "connect_site.cli", "serve", "--content", str(content), "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    assert proc.stdout is not None
    threading.Thread(target=lambda: lines.extend(line.rstrip() for line in proc.stdout or []), daemon=True).start()
    try:
        port = _port(lines, proc)
        page = f"/initiatives/{entry.stem}/"
        original = entry.read_text(encoding="utf-8")
        times = []
        for i in range(runs):
            marker = f"BENCH{i}MARK"
            entry.write_text(original.replace('title: "', f'title: "{marker} ', 1), encoding="utf-8")
            start = time.perf_counter()
            while marker.encode() not in _get(port, page):
                if time.perf_counter() - start > 30:
                    raise SystemExit("the edit did not show within 30 s:\n" + "\n".join(lines[-20:]))
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
        return times
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(10)


def _port(lines: list[str], proc: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for line in lines:
            found = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if found:
                return int(found.group(1))
        if proc.poll() is not None:
            raise SystemExit("serve stopped:\n" + "\n".join(lines))
        time.sleep(0.05)
    raise SystemExit("serve did not start within 120 s")


def _get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        return conn.getresponse().read()
    finally:
        conn.close()


if __name__ == "__main__":
    main()
