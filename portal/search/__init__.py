"""Language-aware search over the portal's pages.

One row per live page and language that has its own text (``PageSearchEntry``),
built from the page's translated fields (``extract``), kept current by Wagtail's
page signals (``index``) and queried by a backend per database (``backends``):
PostgreSQL's full-text search with the language's own configuration, or word-prefix
matching on SQLite.
"""
