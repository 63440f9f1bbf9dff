"""The command-line commands; only `cli.py` imports them."""
