"""Rows for principals' evaluations: every route, with who may use it; those of one cycle are `private`
(tests/matrix.py): the privacy axis (`tests/test_isolation.py::test_privacy_axis`) runs them for the
principal, the superintendent and another supervisor of the district too.

The world's home cycle (tests/factories_evaluations.py) has its first two steps done, a goal of each kind, an
artifact with a file, the formative rated on Standard I and issued as version 1, unsigned. Its evaluator is the
world's school supervisor (the supervisor of the principal's cluster). Each person's request runs in a savepoint
rolled back afterwards, so each row starts from that state.
"""
from app.clock import state_today
from app.evaluations.framework import RATED
from app.evaluations.services import school_years_offered
from tests.matrix import PRIVACY_PEOPLE, READERS, WRITERS, TenantRoute

CYCLE = "/districts/{slug}/evaluations/{cycle}"
# Of one cycle: its evaluator (the school supervisor), the principal, the superintendent.
EVALUATOR = frozenset({"school_supervisor"})
PRINCIPAL = frozenset({"principal"})
SUPERINTENDENT = frozenset({"superintendent"})
CIRCLE = EVALUATOR | PRINCIPAL | SUPERINTENDENT
NEXT_YEAR = school_years_offered(state_today())[1]
SUMMATIVE_RATINGS = {**{f"rating-{code}": "proficient" for code in RATED},
                     **{f"rationale-{code}": "Steady practice" for code in RATED}}

ROUTES = [
    TenantRoute("evaluations.calendar", "GET", "/districts/{slug}/evaluations/calendar",
                allowed=READERS | frozenset(PRIVACY_PEOPLE)),
    TenantRoute("evaluations.calendar", "POST", "/districts/{slug}/evaluations/calendar",
                allowed=WRITERS | SUPERINTENDENT,
                data={"school_year": str(NEXT_YEAR - 1), "self_assessment_due": f"{NEXT_YEAR - 1}-09-30",
                      "goals_due": f"{NEXT_YEAR - 1}-10-20", "formative_due": f"{NEXT_YEAR}-01-31",
                      "summative_due": f"{NEXT_YEAR}-05-20"}),
    # The district's leaders and its cluster supervisors open cycles (naming themselves); the superintendent too.
    TenantRoute("evaluations.new_cycle", "GET", "/districts/{slug}/evaluations/new",
                allowed=frozenset({"district_leader", "school_supervisor", "superintendent"})),
    TenantRoute("evaluations.new_cycle", "POST", "/districts/{slug}/evaluations/new",
                allowed=frozenset({"district_leader", "school_supervisor", "superintendent"}),
                data={"principal_id": "{principal}", "school_year": str(NEXT_YEAR), "plan_type": "developing",
                      "plan_months": "12", "formative_kind": "formative_assessment"}),
    TenantRoute("evaluations.cycle", "GET", CYCLE, allowed=CIRCLE, private=True),
    TenantRoute("evaluations.save_plan", "POST", CYCLE + "/plan", allowed=EVALUATOR, private=True,
                data={"plan_type": "directed_growth", "plan_months": "10", "formative_kind": "formative_assessment"}),
    TenantRoute("evaluations.reassign", "POST", CYCLE + "/evaluator", allowed=SUPERINTENDENT, private=True,
                data={"evaluator_id": "{evaluation_leader}"}),
    # The principal reaches the service, which keeps the self-assessment submitted at step 1 as it was.
    TenantRoute("evaluations.self_assessment", "POST", CYCLE + "/self-assessment", allowed=PRINCIPAL, private=True,
                data={"self_assessment": "Rewritten", "submit": "no"}, ok=422),
    TenantRoute("evaluations.complete_step", "POST", CYCLE + "/steps/implementation", allowed=EVALUATOR,
                private=True),
    TenantRoute("evaluations.add_goal", "POST", CYCLE + "/goals", allowed=EVALUATOR, private=True,
                data={"kind": "school_improvement", "title": "Family conferences for every student"}),
    TenantRoute("evaluations.edit_goal", "GET", CYCLE + "/goals/{evaluation_goal}", allowed=EVALUATOR, private=True),
    TenantRoute("evaluations.edit_goal", "POST", CYCLE + "/goals/{evaluation_goal}", allowed=EVALUATOR, private=True,
                data={"kind": "student_learning", "title": "Grade 3 reading at benchmark"}),
    TenantRoute("evaluations.delete_goal", "POST", CYCLE + "/goals/{evaluation_goal}/delete", allowed=EVALUATOR, private=True),
    TenantRoute("evaluations.add_evidence", "POST", CYCLE + "/evidence", allowed=EVALUATOR, private=True,
                data={"visit_id": "{visit}", "indicators": "I-B"}),
    TenantRoute("evaluations.delete_evidence", "POST", CYCLE + "/evidence/{evaluation_evidence}/delete", allowed=EVALUATOR,
                private=True),
    TenantRoute("evaluations.evidence_file", "GET", CYCLE + "/evidence/{evaluation_evidence}/file", allowed=CIRCLE,
                private=True),
    TenantRoute("evaluations.save_ratings", "POST", CYCLE + "/summative/ratings", allowed=EVALUATOR, private=True,
                data=SUMMATIVE_RATINGS),
    TenantRoute("evaluations.open_correction", "POST", CYCLE + "/formative/correction", allowed=EVALUATOR,
                private=True, data={"reason": "Standard I's rationale named the wrong grade"}),
    TenantRoute("evaluations.sign", "POST", CYCLE + "/reports/{evaluation_report}/sign", allowed=PRINCIPAL, private=True,
                data={"response": "Received."}),
]
