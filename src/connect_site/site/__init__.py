"""The site: the page plan, views, templates, charts, exports and search; values to bytes, no file I/O."""
