from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.clock import state_today
from app.districts.services import schools_of
from app.evaluations.overview_services import evaluations_at_home
from app.fieldwork.services import caseload_for
from app.home.services import districts_in_reach, region_summaries
from app.people.services import supervised_clusters
from tenants.access import district_people_ids, is_platform_admin
from tenants.lookup import can_write
from tenants.roles import DISTRICT_STAFF_ROLES, Role
from tenants.scope import current_scope

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    districts = districts_in_reach()
    today = state_today()
    only_district = districts[0] if len(districts) == 1 else None
    return render_template(
        "home/index.html",
        districts=districts,
        only_district=only_district,
        schools=schools_of(only_district) if only_district else [],
        regions=region_summaries(current_user),
        is_admin=is_platform_admin(current_user),
        can_edit=bool(only_district) and can_write(only_district.id),
        caseload=caseload_for(current_user) if current_user.has_role(Role.ASSISTANCE_LEAD) else None,
        # Clusters are supervised by district staff only (tenants.access.may_supervise_cluster): nobody else asks.
        supervised=supervised_clusters(current_user, today)
        if district_people_ids(current_user, DISTRICT_STAFF_ROLES) else None,
        evaluations=evaluations_at_home(current_user, current_scope(), districts, today),
        school_supervisor=current_user.has_role(Role.SCHOOL_SUPERVISOR), today=today,
    )
