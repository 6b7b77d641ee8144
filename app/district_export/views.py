"""Download a district's whole data: its district leaders and platform admins."""
from flask import Response, abort, g
from flask_login import current_user

from app.district_export.services import district_archive
from app.districts.blueprint import district_blueprint
from tenants.access import can_see_district_records

bp = district_blueprint("district_export", __name__)


@bp.get("/export.zip")
def download():
    district = g.district
    if not can_see_district_records(current_user, district.id):
        abort(403, "A district's whole data is downloaded by its district leaders and platform admins.")
    filename, body = district_archive(district)
    return Response(body, content_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})
