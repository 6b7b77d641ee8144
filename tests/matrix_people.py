"""Rows for people pages: school leaders, school clusters, a principal's page."""
from tests.matrix import READERS, SUPPORT_TEAM, WRITERS, TenantRoute

NEW_LEADER = {"position": "assistant_principal", "name": "Ann Assistant", "email": "ann.assistant@example.org"}
CLUSTER_FORM = {"name": "North Quadrant", "supervisor_id": "", "school_ids": "{school}"}
# The principal's page: the principal, their cluster's supervisor, the district's leaders and its support team.
PRINCIPAL_READERS = SUPPORT_TEAM | {"district_leader", "school_supervisor"}

ROUTES = [
    TenantRoute("people.school_leaders", "GET", "/districts/{slug}/schools/{school}/leaders", WRITERS),
    TenantRoute("people.school_leaders", "POST", "/districts/{slug}/schools/{school}/leaders", WRITERS,
                data=NEW_LEADER),
    TenantRoute("people.remove_leader", "POST", "/districts/{slug}/schools/{school}/leaders/{school_leader}/remove",
                WRITERS, data={}),
    TenantRoute("people.clusters", "GET", "/districts/{slug}/clusters", READERS),
    TenantRoute("people.new_cluster", "GET", "/districts/{slug}/clusters/new", WRITERS),
    TenantRoute("people.new_cluster", "POST", "/districts/{slug}/clusters/new", WRITERS,
                data={"name": "South Quadrant"}),
    TenantRoute("people.edit_cluster", "GET", "/districts/{slug}/clusters/{cluster}/edit", WRITERS),
    TenantRoute("people.edit_cluster", "POST", "/districts/{slug}/clusters/{cluster}/edit", WRITERS,
                data=CLUSTER_FORM),
    TenantRoute("people.remove_cluster", "POST", "/districts/{slug}/clusters/{cluster}/delete", WRITERS, data={}),
    TenantRoute("people.principal", "GET", "/districts/{slug}/principals/{principal}", PRINCIPAL_READERS),
]
