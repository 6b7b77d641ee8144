"""The audit log: platform admins read all of it, a district leader their district's; filtered by person, object, date."""
from flask import Blueprint, abort, g, render_template, request
from flask_login import current_user

from app.audit.services import audit_events, audit_filter_choices
from app.audit.words import events_in_words
from app.districts.blueprint import district_blueprint
from app.fields import MAX_PAGE, Day, Id, Text, WholeNumber
from app.forms import InputSchema
from app.guards import sign_in_required
from app.lists import filters_from_query
from tenants.access import can_see_district_records, is_platform_admin
from tenants.models import District

bp = Blueprint("audit", __name__)
district_bp = district_blueprint("district_audit", __name__)


class AuditFilters(InputSchema):
    person = Id(load_default=None)
    object_type = Text(load_default=None, max_length=60)
    object_id = Text(load_default=None, max_length=60)
    start = Day(data_key="from", load_default=None)
    end = Day(data_key="to", load_default=None)
    page = WholeNumber(load_default=1, minimum=1, maximum=MAX_PAGE, error=f"Pages are numbered from 1 to {MAX_PAGE:,}.")


sign_in_required(bp)


@bp.get("/audit")
def platform_log():
    if not is_platform_admin(current_user):
        abort(403, "The platform's audit log is for platform admins.")
    return _log(None)


@district_bp.get("/audit")
def district_log():
    district = g.district
    if not can_see_district_records(current_user, district.id):
        abort(403, "A district's audit log is for its district leaders and platform admins.")
    return _log(district)


def _log(district: District | None):
    values = request.args.to_dict()
    filters, errors = filters_from_query(AuditFilters(), fallback={"page": 1})
    page = filters.pop("page")
    events = audit_events({**filters, "district_id": district.id if district else None}, page)
    return render_template("audit/log.html", district=district, events=events_in_words(events.items), page=page,
                           more=events.has_next, values=values, errors=errors,
                           **audit_filter_choices(district.id if district else None)), 422 if errors else 200
