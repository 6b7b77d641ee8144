"""Onboarding, audit log and whole-data export routes that name a district."""
from tests.matrix import TenantRoute

ADMINS = frozenset({"platform_admin"})
RECORD_KEEPERS = frozenset({"platform_admin", "district_leader"})

ROUTES = [
    TenantRoute("district_onboarding.import_files", "GET", "/onboarding/districts/{slug}/import", ADMINS),
    # No file chosen: the form answers 422 with its error, and stores nothing.
    TenantRoute("district_onboarding.import_files", "POST", "/onboarding/districts/{slug}/import", ADMINS, data={}, ok=422),
    TenantRoute("district_onboarding.lifecycle", "POST", "/onboarding/districts/{slug}/lifecycle", ADMINS,
                data={"lifecycle": "active"}),
    # The own district's lead, or the foreign one's: a person of the district named in the path.
    TenantRoute("district_onboarding.resend_invitation", "POST", "/onboarding/districts/{slug}/people/{lead}/invitation", ADMINS,
                data={}),
    TenantRoute("district_audit.district_log", "GET", "/districts/{slug}/audit", RECORD_KEEPERS),
    TenantRoute("district_export.download", "GET", "/districts/{slug}/export.zip", RECORD_KEEPERS),
]
