from pgserver import db_target, pg_schema_url, pg_url  # noqa: F401 - SQLite and real PostgreSQL targets
