"""MySQL and MariaDB: catalog queries, LOAD DATA / INSERT loading, sessions."""
