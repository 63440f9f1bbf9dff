"""How fast is `connect-site import` on a 100,000-observation SDMX file, next to sdmx1 reading it?

    make bench            # or: .venv/bin/python bench/import_speed.py [--rounds N]

The file is made here, deterministically: 200 countries x 25 years (2000-2024) x 20 series (SEX
_T, F, M, O by five AGE groups) = 100,000 observations of a percentage, as an SDMX-ML 2.1
structure-specific message, a generic message and SDMX-CSV 2.0. Each round imports one series
(`--select SEX=_T --select AGE=Y_GE15`: 5,000 rows, every observation still read and
filtered) into a copy of the tiny test site with no table yet, in a process of its own, and
records its wall time and peak RSS (wait4's ru_maxrss). The goal: under 10 s.

The peer is sdmx1 2.28 (the `sdmx` package, the SDMX library the issue names), reading the
generic message into a pandas frame (`sdmx.read_sdmx` then `sdmx.to_pandas`): it only reads,
with no country codes mapped, no check and no table written. It is installed by this script into
a virtual environment of its own (build/bench-sdmx1), so it cannot change the project's.
Rounds alternate the tools (A B C D A B C D ...).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny" / "content"
BIN = Path(sys.executable).parent
PEER_VENV = ROOT / "build" / "bench-sdmx1"
SEXES = ("_T", "F", "M", "O")
AGES = ("Y_GE15", "Y15T24", "Y25T54", "Y55T74", "Y_GE75")
YEARS = range(2000, 2025)
SS_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
MSG_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
GEN_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
HEADER = (
    "<message:Header><message:ID>BENCH</message:ID><message:Test>true</message:Test>"
    '<message:Prepared>2026-01-01T00:00:00</message:Prepared><message:Sender id="BENCH"/>'
    '<message:Structure structureID="STR1" dimensionAtObservation="TIME_PERIOD">'
    '<common:Structure><Ref agencyID="BENCH" id="ICT" version="1.0"/></common:Structure>'
    "</message:Structure></message:Header>\n"
)


def observations() -> list[tuple[str, str, str, int, str]]:
    """(country alpha-2, sex, age, year, value): the same 100,000 every run."""
    sys.path.insert(0, str(ROOT / "src"))
    from connect_site.content.refdata import countries

    codes = sorted(c.iso2 for c in countries().values() if c.iso2)[:200]
    rng = random.Random(2030)
    return [
        (code, sex, age, year, f"{rng.uniform(0, 100):.2f}")
        for code in codes
        for sex in SEXES
        for age in AGES
        for year in YEARS
    ]


def write_files(folder: Path) -> dict[str, Path]:
    obs = observations()
    assert len(obs) == 100_000
    series: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for code, sex, age, year, value in obs:
        series.setdefault((code, sex, age), []).append((year, value))
    ss = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData xmlns:message="{MSG_NS}" '
        f'xmlns:ss="{SS_NS}" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">\n',
        HEADER,
        '<message:DataSet ss:structureRef="STR1">\n',
    ]
    gen = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData xmlns:message="{MSG_NS}" '
        f'xmlns:generic="{GEN_NS}" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">\n',
        HEADER,
        '<message:DataSet structureRef="STR1">\n',
    ]
    csv_lines = ["STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS"]
    for (code, sex, age), points in series.items():
        ss.append(f'<Series FREQ="A" REF_AREA="{code}" SEX="{sex}" AGE="{age}">\n')
        gen.append(
            "<generic:Series><generic:SeriesKey>"
            f'<generic:Value id="FREQ" value="A"/><generic:Value id="REF_AREA" value="{code}"/>'
            f'<generic:Value id="SEX" value="{sex}"/><generic:Value id="AGE" value="{age}"/>'
            "</generic:SeriesKey>\n"
        )
        for year, value in points:
            ss.append(f'<Obs TIME_PERIOD="{year}" OBS_VALUE="{value}" OBS_STATUS="A"/>\n')
            gen.append(
                f'<generic:Obs><generic:ObsDimension value="{year}"/><generic:ObsValue value="{value}"/>'
                '<generic:Attributes><generic:Value id="OBS_STATUS" value="A"/></generic:Attributes></generic:Obs>\n'
            )
            csv_lines.append(f"dataflow,BENCH:ICT(1.0),I,A,{code},{sex},{age},{year},{value},A")
        ss.append("</Series>\n")
        gen.append("</generic:Series>\n")
    ss.append("</message:DataSet>\n</message:StructureSpecificData>\n")
    gen.append("</message:DataSet>\n</message:GenericData>\n")
    files = {"SDMX-ML structure-specific": folder / "ss.xml", "SDMX-ML generic": folder / "generic.xml"}
    files["SDMX-CSV 2.0"] = folder / "data.csv"
    files["SDMX-ML structure-specific"].write_text("".join(ss), encoding="utf-8")
    files["SDMX-ML generic"].write_text("".join(gen), encoding="utf-8")
    files["SDMX-CSV 2.0"].write_text("\n".join(csv_lines) + "\n", encoding="utf-8")
    return files


def measured(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and the last line of output, of one process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace").strip()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{text[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, text.splitlines()[-1] if text else ""


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "sdmx1==2.28.0"], check=True)
    return python


PEER = """
import sys, sdmx
message = sdmx.read_sdmx(sys.argv[1])
frame = sdmx.to_pandas(message.data[0])
print(len(frame), "observations")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    peer = peer_python()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        files = write_files(folder)
        content = folder / "content"
        shutil.copytree(TINY, content)
        (content / "data" / "internet-users.csv").unlink()
        times: dict[str, list[float]] = {}
        peaks: dict[str, float] = {}
        tools = {
            f"connect-site import, {kind}": [
                str(BIN / "connect-site"), "import", str(path), "--indicator", "internet-users", "--source",
                "test-src", "--select", "SEX=_T", "--select", "AGE=Y_GE15", "--content", str(content),
            ]
            for kind, path in files.items()
        }  # fmt: skip
        tools["sdmx1 read_sdmx + to_pandas, SDMX-ML generic"] = [str(peer), "-c", PEER, str(files["SDMX-ML generic"])]
        for name in tools:
            print(f"{name}: {files_size(name, files)}")
        last = ""
        for _ in range(args.rounds):
            for name, cmd in tools.items():
                (content / "data" / "internet-users.csv").unlink(missing_ok=True)
                elapsed, peak, last_line = measured(cmd)
                times.setdefault(name, []).append(elapsed)
                peaks[name] = max(peaks.get(name, 0.0), peak)
                if name.startswith("connect-site") and not last:
                    last = last_line
        print(f"\n{len(YEARS) * 200 * len(SEXES) * len(AGES):,} observations, {args.rounds} rounds, median wall time")
        peer_time = statistics.median(times["sdmx1 read_sdmx + to_pandas, SDMX-ML generic"])
        print(f"{'tool':<50} {'median s':>9} {'peak MB':>8} {'x sdmx1':>8}")
        for name, values in times.items():
            median = statistics.median(values)
            print(f"{name:<50} {median:>9.2f} {peaks[name]:>8.0f} {median / peer_time:>8.2f}")
        print(f"\nconnect-site said: {last}")


def files_size(name: str, files: dict[str, Path]) -> str:
    for kind, path in files.items():
        if name.endswith(kind):
            return f"{path.stat().st_size / 1e6:.1f} MB"
    return ""


if __name__ == "__main__":
    main()
