"""The regional dashboard page and its downloads: for regional directors and platform admins."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.exports import export_response
from app.lists import filters_from_query, url_maker
from app.regional.exports import COLUMNS, FLAGS
from app.regional.filters import DashboardFilters
from app.regional.services import (
    COVERAGE_WINDOWS,
    SECTIONS,
    regional_dashboard,
    regions_for,
    section_rows,
    support_types_for_filter,
)
from tenants.access import can_view_rollups
from tenants.models import AccountabilityStatus

bp = Blueprint("rollups", __name__, url_prefix="/rollups")


@bp.get("/")
@login_required
def dashboard():
    # Asked before the filters are read, so that other roles learn nothing from the form either.
    if not can_view_rollups(current_user):
        abort(403, "The regional dashboard is for regional directors and platform admins.")
    schema = DashboardFilters()
    choices = {
        "regions": [(region.id, region.name) for region in regions_for(current_user)],
        "statuses": [(status.value, status.label) for status in AccountabilityStatus],
        "support_types": [(kind.id, kind.name) for kind in support_types_for_filter()],
        "url_with": url_maker(schema.keys()), "windows": COVERAGE_WINDOWS, "flags": FLAGS,
        "default_sorts": {name: default for name, (_figures, _sorts, default) in SECTIONS.items()},
        "status_label": lambda value: AccountabilityStatus(value).label,
    }
    parsed, errors = filters_from_query(schema)
    if errors:
        return render_template("regional/dashboard.html", dashboard=None, errors=errors, **choices), 400
    if parsed["format"] != "html":
        table = parsed["table"]
        rows = section_rows(current_user, parsed["criteria"], table, parsed["sorts"][table])
        return export_response(rows, COLUMNS[table], parsed["format"], f"regional-{table}")
    found = regional_dashboard(current_user, parsed["criteria"], parsed["sorts"])
    return render_template("regional/dashboard.html", dashboard=found, sorts=parsed["sorts"], errors={}, **choices)

