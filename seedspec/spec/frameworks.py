"""Framework bookkeeping tables (spec-language defaults): bare table name -> framework, or None.

Migration histories, migration locks and the rows a framework's migrate command writes itself
(Django's content types and permissions) belong to the framework: seeding or truncating them
breaks its next `migrate`. seedspec leaves them alone unless `tables.include` names them. Each
entry is the default name the framework's documentation and source use; names are compared
case-insensitively (Liquibase writes DATABASECHANGELOG on some databases), on the bare table
name (Atlas keeps its table in a schema of its own, Drizzle in `drizzle`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bookkeeping:
    table: str
    framework: str
    what: str  # what the table holds


BOOKKEEPING: tuple[Bookkeeping, ...] = (
    Bookkeeping("django_migrations", "Django", "migration history"),
    Bookkeeping("django_content_type", "Django", "content types written by migrate"),
    Bookkeeping("auth_permission", "Django", "permissions written by migrate"),
    Bookkeeping("django_session", "Django", "sessions"),
    Bookkeeping("django_admin_log", "Django", "admin log"),
    Bookkeeping("schema_migrations", "Rails / Ecto / golang-migrate / dbmate", "migration history"),
    Bookkeeping("ar_internal_metadata", "Rails", "environment metadata"),
    Bookkeeping("alembic_version", "Alembic", "migration version"),
    Bookkeeping("flyway_schema_history", "Flyway", "migration history"),
    Bookkeeping("databasechangelog", "Liquibase", "changelog"),
    Bookkeeping("databasechangeloglock", "Liquibase", "changelog lock"),
    Bookkeeping("_prisma_migrations", "Prisma", "migration history"),
    Bookkeeping("knex_migrations", "Knex", "migration history"),
    Bookkeeping("knex_migrations_lock", "Knex", "migration lock"),
    Bookkeeping("migrations", "Laravel / TypeORM", "migration history"),
    Bookkeeping("typeorm_metadata", "TypeORM", "view and generated-column metadata"),
    Bookkeeping("goose_db_version", "goose", "migration history"),
    Bookkeeping("SequelizeMeta", "Sequelize", "migration history"),
    Bookkeeping("__diesel_schema_migrations", "Diesel", "migration history"),
    Bookkeeping("_sqlx_migrations", "sqlx", "migration history"),
    Bookkeeping("atlas_schema_revisions", "Atlas", "migration revisions"),
    Bookkeeping("doctrine_migration_versions", "Doctrine", "migration history"),
    Bookkeeping("__EFMigrationsHistory", "Entity Framework Core", "migration history"),
    Bookkeeping("phinxlog", "Phinx / CakePHP", "migration history"),
    Bookkeeping("mikro_orm_migrations", "MikroORM", "migration history"),
    Bookkeeping("__drizzle_migrations", "Drizzle", "migration history"),
    # seedspec's own apply ledger (reflection already leaves it out, whatever its name)
    Bookkeeping("seedspec_ledger", "seedspec", "apply ledger"),
)

_BY_NAME = {b.table.lower(): b for b in BOOKKEEPING}


def bookkeeping(bare_name: str) -> Bookkeeping | None:
    """The framework entry for a table's bare (unqualified) name, if it is one."""
    return _BY_NAME.get(bare_name.lower())
