"""Regenerate every golden file: the tiny site's pages and downloads, the diff reports, the
JSON Schemas, the field reference of CONTRIBUTING.md and what `check` says of the YAML test suite's
error cases (`make golden`).

Read the `git diff` of what it rewrites before committing: a golden file is a promise
about the output.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("site.test_build", "site.test_exports", "commands.test_diff", "content.test_yaml_test_suite")


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))  # the tests import conftest
    for name in MODULES:
        folder, module = name.split(".")
        sys.path.insert(0, str(ROOT / "tests" / folder))
        importlib.import_module(module).regenerate()
    script = Path(sys.executable).with_name("connect-site")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "connect_site"]
    subprocess.run([*command, "schema", "--out", str(ROOT / "schemas")], check=True)
    subprocess.run([*command, "schema", "--reference", str(ROOT / "CONTRIBUTING.md")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
