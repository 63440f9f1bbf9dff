"""Reading and checking the content: files to a checked, read-only `Site`. Imports no other stage."""
