"""The command line: the click group and its commands, and the one place that ends the process.

Each command lives in `commands/` and returns its exit status (`errors.Exit`): 0 clean,
1 content errors, 2 usage errors, 3 internal error, 4 a problem of the machine (a full
disk, a permission, a tool that crashed). `Main.invoke` turns that status into the
process's exit status.
"""

from __future__ import annotations

from typing import Any

import click

from connect_site import __version__
from connect_site.commands.build import build
from connect_site.commands.check import check
from connect_site.commands.diff import command as diff
from connect_site.commands.new import command as new
from connect_site.commands.schema import schema
from connect_site.commands.serve import command as serve
from connect_site.commands.translations import translations


class Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        status = super().invoke(ctx)
        if isinstance(status, int) and status:
            ctx.exit(status)  # click ends the process with it (sys.exit), here and nowhere else
        return status


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="connect-site")
def main() -> None:
    """Build and check the Connect 2030 Agenda microsite from YAML and Markdown content."""


for command in (check, build, schema, translations, serve, new, diff):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
