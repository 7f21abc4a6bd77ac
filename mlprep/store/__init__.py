"""The progress store: the only package that touches SQLite.

``db`` holds the queries, ``migrations`` the schema, ``connection`` the SQLite plumbing.
"""

from mlprep.store.connection import iso, parse_iso
from mlprep.store.db import CardRow, ReviewRow, Store, open_store
from mlprep.store.migrations import MIGRATIONS

__all__ = ["MIGRATIONS", "CardRow", "ReviewRow", "Store", "iso", "open_store", "parse_iso"]
