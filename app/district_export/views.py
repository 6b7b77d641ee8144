"""Download a district's whole data: its district leaders and platform admins."""
from flask import Blueprint, Response, abort
from flask_login import current_user

from app.auth.guards import sign_in_required
from app.district_export.services import district_archive
from tenants.access import can_see_district_records
from tenants.lookup import district_or_404

bp = Blueprint("district_export", __name__)


sign_in_required(bp)


@bp.get("/districts/<slug>/export.zip")
def download(slug: str):
    district = district_or_404(slug)
    if not can_see_district_records(current_user, district.id):
        abort(403, "A district's whole data is downloaded by its district leaders and platform admins.")
    filename, body = district_archive(district)
    return Response(body, content_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})
