"""SQLite: catalog queries, executemany loading, pragmas and transactions."""
