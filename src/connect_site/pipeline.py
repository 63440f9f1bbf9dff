"""The pipeline: read, validate, link. `check` is the build without rendering and writing."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from connect_site.content.graph import Site, build_site
from connect_site.content.read import read_content
from connect_site.errors import Diagnostic, Reporter, Severity


def source_date_epoch() -> Optional[int]:
    """SOURCE_DATE_EPOCH (reproducible builds), when it is set to a number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def now_year() -> int:
    """The current year, from SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = source_date_epoch()
    return time.gmtime(int(time.time()) if epoch is None else epoch).tm_year


@dataclass
class CheckResult:
    site: Optional[Site]
    diagnostics: list[Diagnostic]
    files: int

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def check(
    content_dir: Path, *, display_root: Optional[str] = None, strict: bool = False, year: Optional[int] = None
) -> CheckResult:
    """Read and check a content folder. Raises ConnectSiteError only for unusable options."""
    report = Reporter()
    content = read_content(content_dir, report, display_root)
    site = build_site(content, report, year if year is not None else now_year())
    diagnostics = report.sorted()
    if strict:
        diagnostics = [d.as_error() for d in diagnostics]
    files = len(content.entries) + len(content.tables) + (content.site is not None) + (content.sources_file is not None)
    return CheckResult(site, diagnostics, files)
