"""Per-database knowledge, one folder each (postgresql/, mysql/, sqlite/): catalog queries,
loading, encoding, connection setup; ``registry.dialect_for(name)`` picks one, and
``capabilities`` is what the compiler may know of a database."""
