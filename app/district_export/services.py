"""Build the ZIP: one CSV per tenant table (every TenantScoped model, so new features are included), a README."""
import io
import zipfile

from sqlalchemy import LargeBinary, select

from app.clock import state_today
from app.exports import _csv as csv_bytes  # the same CSV (UTF-8 BOM, formula-safe) as every list's download
from app.extensions import db
from app.text import plural
from tenants.base import TenantScoped
from tenants.models import District
from tenants.personnel import PersonnelRecord, PersonnelRecordPart
from tenants.visibility import may_see_field, visible_value


def tenant_models() -> list:
    """Every mapped model of tenant data, in table order (parents before children), but personnel records
    (tenants/personnel.py): an evaluation is filed by its evaluator, never handed over with the district's data."""
    order = {table.name: i for i, table in enumerate(db.metadata.sorted_tables)}
    models = [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)
              and not issubclass(m.class_, (PersonnelRecord, PersonnelRecordPart))]
    return sorted(models, key=lambda model: order[model.__table__.name])


def _columns(model, district_id: int) -> list[tuple]:
    """(column, attribute) pairs of the model that the reader may see in the district, binary files left out."""
    pairs = [(c, _attribute(model, c.name)) for c in model.__table__.columns if not isinstance(c.type, LargeBinary)]
    return [(c, key) for c, key in pairs if may_see_field(model, key, district_id)]


def district_archive(district: District) -> tuple[str, bytes]:
    """The file name and bytes of the district's ZIP, read within the current scope."""
    buffer = io.BytesIO()
    readme = [f"# Data of {district.name}, exported {state_today().isoformat()}", "",
              "One CSV file per table (UTF-8, header row). Ids are the platform's; a column ending in _id",
              "refers to the id column of the file named in its description. Fields that the platform's",
              "visibility rules keep from the person exporting (a visit's internal notes stay with the team",
              "that wrote them: the support team's are not in a district leader's export, the district staff's",
              "are not in a platform admin's) and binary files (such as rendered PDF reports) are not included.",
              "Principals' evaluations are personnel records: they are not in any export.", ""]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        tables = [(District, [district])] + [
            (model, db.session.scalars(select(model).where(model.district_id == district.id)).all())
            for model in tenant_models()]
        for model, rows in tables:
            columns = _columns(model, district.id)
            body = [[c.name for c, _ in columns], *([visible_value(row, key) for _, key in columns] for row in rows)]
            archive.writestr(f"{model.__table__.name}.csv", csv_bytes(body))
            readme += [f"## {model.__table__.name}.csv ({plural(len(rows), 'row')})", "", *(_describe(c) for c, _ in columns), ""]
        archive.writestr("README.md", "\n".join(readme) + "\n")
    return f"{district.slug}-data-{state_today().isoformat()}.zip", buffer.getvalue()


def _attribute(model, column_name: str) -> str:
    """The mapped attribute of a column (usually the same name)."""
    for attr in db.inspect(model).column_attrs:
        if any(getattr(col, "name", None) == column_name for col in attr.columns):
            return attr.key
    return column_name


def _describe(column) -> str:
    refs = ", ".join(f"{fk.column.table.name}.csv {fk.column.name}" for fk in column.foreign_keys)
    extra = f"; refers to {refs}" if refs else ""
    required = "" if column.nullable else ", always present"
    return f"- `{column.name}`: {column.type.__class__.__name__.lower()}{required}{extra}"
