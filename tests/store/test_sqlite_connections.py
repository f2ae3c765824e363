"""Every SQLite connection of a store is set up the same way: WAL, foreign keys, a small cache."""

from __future__ import annotations

from pathlib import Path

from procountor_export.store.db import SQLITE_CACHE_KB, Store


def test_each_pooled_connection_keeps_a_small_page_cache(tmp_path: Path) -> None:
    # The default cache (2 MB per connection) grew a long export's memory with the store's size.
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        with store.engine.connect() as first, store.engine.connect() as second:
            for connection in (first, second):
                assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KB
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()
