"""Writing the built site and the build cache to disk. Only `pipeline.py` uses it."""
