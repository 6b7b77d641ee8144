"""Rows for visits, observations, assignments and leads (pages)."""
from tests.matrix import ASSIGNERS, DISTRICT_STAFF, FIELD_TEAM, SUPPORT_TEAM, TenantRoute

VISIT_FORM = {"client_uuid": "0b7c1f1e-8f0e-4d8a-9d43-6f1f0a0c2b11", "school_id": "{school}", "visited_on": "2026-10-20",
              "minutes": "60", "kind": "informal", "purpose": "Data meeting"}
OBSERVATION_FORM = {"grade": "4", "subject": "Science", "minutes": "15"}
ASSIGNMENT_FORM = {"support_type_id": "{support_type}", "lead_id": "{lead}", "school_id": "{school}",
                   "starts_on": "2026-09-01", "planned_hours": "30", "status": "active"}

ROUTES = [
    TenantRoute("fieldwork.new_visit", "GET", "/districts/{slug}/visits/new", FIELD_TEAM),
    TenantRoute("fieldwork.new_visit", "POST", "/districts/{slug}/visits/new", FIELD_TEAM, data=VISIT_FORM),
    TenantRoute("fieldwork.visit", "GET", "/districts/{slug}/visits/{visit}"),
    TenantRoute("fieldwork.edit_visit", "GET", "/districts/{slug}/visits/{visit}/edit", SUPPORT_TEAM),
    TenantRoute("fieldwork.edit_visit", "POST", "/districts/{slug}/visits/{visit}/edit", SUPPORT_TEAM, data=VISIT_FORM),
    TenantRoute("fieldwork.follow_up_done", "POST", "/districts/{slug}/visits/{visit}/follow-up-done", SUPPORT_TEAM),
    TenantRoute("fieldwork.new_observation", "GET", "/districts/{slug}/visits/{visit}/observations/new", SUPPORT_TEAM),
    TenantRoute("fieldwork.new_observation", "POST", "/districts/{slug}/visits/{visit}/observations/new",
                SUPPORT_TEAM, data=OBSERVATION_FORM),
    TenantRoute("fieldwork.observation", "GET", "/districts/{slug}/observations/{observation}"),
    TenantRoute("fieldwork.edit_observation", "GET", "/districts/{slug}/observations/{observation}/edit", SUPPORT_TEAM),
    TenantRoute("fieldwork.edit_observation", "POST", "/districts/{slug}/observations/{observation}/edit",
                SUPPORT_TEAM, data=OBSERVATION_FORM),
    TenantRoute("fieldwork.delete_observation", "POST", "/districts/{slug}/observations/{observation}/delete",
                SUPPORT_TEAM, data={"confirm": "yes"}),
    # The district's own visit (its school supervisor's) and its observation: its own staff change them.
    TenantRoute("fieldwork.visit", "GET", "/districts/{slug}/visits/{district_visit}"),
    TenantRoute("fieldwork.edit_visit", "GET", "/districts/{slug}/visits/{district_visit}/edit", DISTRICT_STAFF),
    TenantRoute("fieldwork.edit_visit", "POST", "/districts/{slug}/visits/{district_visit}/edit", DISTRICT_STAFF,
                data=VISIT_FORM),
    TenantRoute("fieldwork.follow_up_done", "POST", "/districts/{slug}/visits/{district_visit}/follow-up-done",
                DISTRICT_STAFF),
    TenantRoute("fieldwork.new_observation", "GET", "/districts/{slug}/visits/{district_visit}/observations/new",
                DISTRICT_STAFF),
    TenantRoute("fieldwork.new_observation", "POST", "/districts/{slug}/visits/{district_visit}/observations/new",
                DISTRICT_STAFF, data=OBSERVATION_FORM),
    TenantRoute("fieldwork.observation", "GET", "/districts/{slug}/observations/{district_observation}"),
    TenantRoute("fieldwork.edit_observation", "GET", "/districts/{slug}/observations/{district_observation}/edit",
                DISTRICT_STAFF),
    TenantRoute("fieldwork.edit_observation", "POST", "/districts/{slug}/observations/{district_observation}/edit",
                DISTRICT_STAFF, data=OBSERVATION_FORM),
    TenantRoute("fieldwork.delete_observation", "POST",
                "/districts/{slug}/observations/{district_observation}/delete", DISTRICT_STAFF,
                data={"confirm": "yes"}),
    TenantRoute("fieldwork.new_assignment", "GET", "/districts/{slug}/assignments/new", ASSIGNERS),
    TenantRoute("fieldwork.new_assignment", "POST", "/districts/{slug}/assignments/new", ASSIGNERS, data=ASSIGNMENT_FORM),
    TenantRoute("fieldwork.edit_assignment", "GET", "/districts/{slug}/assignments/{assignment}/edit", ASSIGNERS),
    TenantRoute("fieldwork.edit_assignment", "POST", "/districts/{slug}/assignments/{assignment}/edit", ASSIGNERS,
                data=ASSIGNMENT_FORM),
    TenantRoute("fieldwork.leads", "GET", "/districts/{slug}/leads", ASSIGNERS),
    TenantRoute("fieldwork.leads", "POST", "/districts/{slug}/leads", ASSIGNERS, data={"user_id": "{lead}"}),
]
