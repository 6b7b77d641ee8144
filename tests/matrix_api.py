"""Rows for the JSON API under /api/v1: the same roles as the pages, 404 across districts."""
from tests.matrix import DISTRICT_STAFF, FIELD_TEAM, SUPPORT_TEAM, TenantRoute

NEW_VISIT = {"district_id": "{district}", "school_id": "{school}", "visited_on": "2026-10-20", "minutes": 60,
             "kind": "informal", "purpose": "Data meeting"}
NEW_DISTRICT_OBSERVATION = {"visit_id": "{district_visit}", "rubric_id": "{rubric}", "grade": "4", "subject": "Science",
                            "minutes": 15}
NEW_OBSERVATION = {"visit_id": "{visit}", "rubric_id": "{rubric}", "grade": "4", "subject": "Science", "minutes": 15}

ROUTES = [
    TenantRoute("visits.Visits", "GET", "/api/v1/visits?district_id={district}"),
    TenantRoute("visits.Visits", "POST", "/api/v1/visits", FIELD_TEAM, json=NEW_VISIT, ok=201, fresh_body=True),
    TenantRoute("visits.VisitById", "GET", "/api/v1/visits/{visit}"),
    TenantRoute("visits.VisitById", "PATCH", "/api/v1/visits/{visit}", SUPPORT_TEAM, json={"minutes": 75}, ok=200),
    TenantRoute("observations.Observations", "GET", "/api/v1/observations?district_id={district}"),
    TenantRoute("observations.Observations", "POST", "/api/v1/observations", SUPPORT_TEAM, json=NEW_OBSERVATION,
                ok=201),
    TenantRoute("observations.ObservationById", "GET", "/api/v1/observations/{observation}"),
    TenantRoute("observations.ObservationById", "PATCH", "/api/v1/observations/{observation}", SUPPORT_TEAM,
                json={"feedback": "Tighter exit tickets."}, ok=200),
    # The district's own visit (its school supervisor's) and its observation: its own staff change them.
    TenantRoute("visits.VisitById", "GET", "/api/v1/visits/{district_visit}"),
    TenantRoute("visits.VisitById", "PATCH", "/api/v1/visits/{district_visit}", DISTRICT_STAFF, json={"minutes": 75},
                ok=200),
    TenantRoute("observations.Observations", "POST", "/api/v1/observations", DISTRICT_STAFF,
                json=NEW_DISTRICT_OBSERVATION, ok=201),
    TenantRoute("observations.ObservationById", "GET", "/api/v1/observations/{district_observation}"),
    TenantRoute("observations.ObservationById", "PATCH", "/api/v1/observations/{district_observation}",
                DISTRICT_STAFF, json={"feedback": "Tighter exit tickets."}, ok=200),
    TenantRoute("schools.schools", "GET", "/api/v1/schools?district_id={district}"),
    TenantRoute("assignments.assignments", "GET", "/api/v1/assignments?district_id={district}"),
]
