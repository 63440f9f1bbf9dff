"""connect-site: the Connect 2030 Agenda microsite builder."""

__version__ = "0.1.0"
