from tests.matrix import WRITERS, TenantRoute

SCHOOL_FORM = {"name": "Renamed School", "code": "R-100", "grade_span": "K-8", "enrollment": "321",
               "accountability_category": "meeting_targets"}

ROUTES = [
    TenantRoute("districts.show", "GET", "/districts/{slug}"),
    TenantRoute("districts.school", "GET", "/districts/{slug}/schools/{school}"),
    TenantRoute("districts.new_school", "GET", "/districts/{slug}/schools/new", WRITERS),
    TenantRoute("districts.new_school", "POST", "/districts/{slug}/schools/new", WRITERS, data=SCHOOL_FORM),
    TenantRoute("districts.edit_school", "GET", "/districts/{slug}/schools/{school}/edit", WRITERS),
    TenantRoute("districts.edit_school", "POST", "/districts/{slug}/schools/{school}/edit", WRITERS, data=SCHOOL_FORM),
]
