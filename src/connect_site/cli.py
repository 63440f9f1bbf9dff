"""The command line: the click group and its commands, and the one place that ends the process.

Each command lives in `commands/` and returns its exit status (`errors.Exit`): 0 clean,
1 content errors, 2 usage errors, 3 internal error, 4 a problem of the machine (a full
disk, a permission, a tool that crashed). `Main.invoke` turns that status into the
process's exit status. A command's module is imported when the command runs (as mkdocs
does), so `connect-site check` does not load the templates, the search indexer or the
dev server.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional

import click

from connect_site import __version__

# name -> (module, attribute): each command is a lazy import and one call.
COMMANDS = {
    "build": ("connect_site.commands.build", "build"),
    "check": ("connect_site.commands.check", "check"),
    "diff": ("connect_site.commands.diff", "command"),
    "import": ("connect_site.commands.importer", "command"),
    "new": ("connect_site.commands.new", "command"),
    "schema": ("connect_site.commands.schema", "schema"),
    "serve": ("connect_site.commands.serve", "command"),
    "translations": ("connect_site.commands.translations", "translations"),
}


class Main(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    @property
    def all_commands(self) -> dict[str, click.Command]:
        """Every command, loaded (for the documentation and its test)."""
        ctx = click.Context(self)
        return {name: command for name in self.list_commands(ctx) if (command := self.get_command(ctx, name))}

    def invoke(self, ctx: click.Context) -> Any:
        status = super().invoke(ctx)
        if isinstance(status, int) and status:
            ctx.exit(status)  # click ends the process with it (sys.exit), here and nowhere else
        return status


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="connect-site")
def main() -> None:
    """Build and check the Connect 2030 Agenda microsite from YAML and Markdown content."""


if __name__ == "__main__":  # pragma: no cover
    main()
