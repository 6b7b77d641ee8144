"""Key conventions of tenant tables, ready to be distributed by `district_id`.

Every tenant table has `district_id` in its primary key, in its foreign keys to
other tenant tables and in its unique constraints (what a sharded PostgreSQL such
as Citus asks for). On PostgreSQL the `id` half of the key is an identity column.
SQLite cannot autoincrement half of a composite key, so on SQLite only (the
embedded development database) `id` becomes the rowid alias and the composite
key is kept as a UNIQUE constraint: the same ids, the same lookups.
"""
from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Identity, Integer, PrimaryKeyConstraint
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.schema import CreateColumn

# One integer type for every id and district_id.
Id = BigInteger().with_variant(Integer(), "sqlite")

TENANT_TABLE = "tenant_table"


class Tenanted:
    """A row that belongs to one district; the scope filter and write guard apply to it.

    The column is declared here, on the mixin, because the filter's criteria is
    written once against this class; `District` replaces it with its own id.
    """

    # Indexed as the leading column of the primary key.
    district_id: Mapped[int] = mapped_column(Id, ForeignKey("districts.id"))


class TenantScoped(Tenanted):
    """Tenant data: keyed by (district_id, id)."""

    @declared_attr
    def id(cls) -> Mapped[int]:
        return mapped_column(Id, Identity(), autoincrement=True)

    @declared_attr
    def district(cls):
        return relationship("District", foreign_keys=[cls.district_id], lazy="joined", innerjoin=True)


def tenant_table_args(*constraints, **options) -> tuple:
    """`__table_args__` for a tenant table: (district_id, id) as the primary key."""
    info = {TENANT_TABLE: True, **options.pop("info", {})}
    return (PrimaryKeyConstraint("district_id", "id"), *constraints, {"info": info, **options})


def tenant_foreign_key(column: str, target_table: str, **options) -> ForeignKeyConstraint:
    """A reference to another tenant table through (district_id, id): a row never points across districts."""
    return ForeignKeyConstraint(
        ["district_id", column], [f"{target_table}.district_id", f"{target_table}.id"], **options
    )


def _is_tenant_table(table) -> bool:
    """A table keyed by (district_id, id); `districts` and the audit log are keyed by id alone."""
    return table is not None and "district_id" in {column.name for column in table.primary_key.columns}


@compiles(CreateColumn, "sqlite")
def _sqlite_tenant_id(element, compiler, **kw):
    column = element.element
    if _is_tenant_table(column.table) and column.name == "id":
        return f"{compiler.preparer.format_column(column)} INTEGER PRIMARY KEY AUTOINCREMENT"
    return compiler.visit_create_column(element, **kw)


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_tenant_key(constraint, compiler, **kw):
    if _is_tenant_table(constraint.table):
        columns = ", ".join(compiler.preparer.quote(c.name) for c in constraint.columns)
        return f"UNIQUE ({columns})"
    return compiler.visit_primary_key_constraint(constraint, **kw)
