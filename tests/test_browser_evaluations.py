"""In Chromium on a 390 px phone: an evaluator links a visit as evidence, rates and issues the summative; the
principal signs it with a written response. axe on every page."""
import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.clock import state_today
from app.evaluations.framework import RATED, Step
from app.evaluations.models import EvaluationCycle, EvaluationStep
from app.extensions import db
from tenants.scope import entered, system_scope
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("csrf_on")]


@pytest.fixture
def home_cycle(app, live):
    """(the home cycle's id, its principal's email): the world's cycle with its formative issued, so step 4 done
    as issuing does it; step 3 is left for the evaluator to mark."""
    with app.app_context(), entered(system_scope("finding the browser test's cycle")):
        principal = db.session.scalars(select(User).where(User.name == "Pat Principal")).one()
        cycle_id = db.session.scalars(select(EvaluationCycle.id).where(
            EvaluationCycle.principal_id == principal.id)).one()
        db.session.execute(update(EvaluationStep).where(EvaluationStep.cycle_id == cycle_id,
                                                        EvaluationStep.step == Step.FORMATIVE)
                           .values(completed_on=state_today()))
        db.session.commit()
        return cycle_id, principal.email


def test_an_evaluator_links_a_visit_rates_and_issues_and_the_principal_signs(open_page, home_cycle):
    cycle_id, principal_email = home_cycle
    url = f"/districts/homeville/evaluations/{cycle_id}"
    evaluator = open_page()
    evaluator.sign_in("school_supervisor")
    evaluator.goto(url)
    page = evaluator.page
    assert page.get_by_role("heading", level=1).inner_text().startswith("Evaluation of Pat Principal, ")
    page.get_by_role("button", name="Mark step 3 done").click()
    evaluator.check()
    assert "Completed step 3: Implementation of the plan." in page.get_by_role("status").inner_text()

    page.locator("#evidence-visit_id").select_option(index=1)
    page.get_by_label("I-B Instruction").check()
    page.get_by_label("IV-A Commitment to High Standards").check()
    page.get_by_role("button", name="Add the evidence").click()
    evaluator.check()
    evidence = page.get_by_role("region", name="Evidence").inner_text()
    assert "Visit to Homeville Elementary: Principal coaching" in evidence and "IV-A Commitment" in evidence

    summative = page.get_by_role("region", name="Summative evaluation: ratings")
    summative.locator("#summative-rating-I").select_option("exemplary")  # then a rating is left out: refused
    summative.get_by_role("button", name="Save and issue to Pat Principal").click()
    evaluator.check()
    assert "Rate Standard II: Management and Operations" in page.get_by_role("alert").inner_text()
    summative = page.get_by_role("region", name="Summative evaluation: ratings")
    for code in RATED:
        summative.locator(f"#summative-rating-{code}").select_option("proficient")
        summative.locator(f"#summative-rationale-{code}").fill(f"Evidence across the year for {code}")
    for select_box in summative.locator("select[id^='summative-progress-']").all():
        select_box.select_option("significant_progress")
    summative.get_by_role("button", name="Save and issue to Pat Principal").click()
    evaluator.check()
    assert "Issued the summative evaluation, version 1" in page.get_by_role("status").inner_text()
    assert "Issued the summative evaluation, version 1, by Sol Supervisor" in \
        page.get_by_role("region", name="History").inner_text()

    principal = open_page()
    principal.goto("/sign-in")
    principal.page.get_by_label("Email").fill(principal_email)
    principal.page.get_by_label("Password").fill(PASSWORD)
    principal.page.get_by_role("button", name="Sign in").click()
    principal.goto(url)
    page = principal.page
    assert "Save and issue" not in page.content()
    page.locator("form", has=page.get_by_role("button", name="Sign summative evaluation, version 1")) \
        .get_by_label("Your written response").fill("I will widen the family engagement work next year.")
    page.get_by_role("button", name="Sign summative evaluation, version 1").click()
    principal.check()
    assert "Signed: your evaluator sees that you received it." in page.get_by_role("status").inner_text()
    versions = page.get_by_role("region", name="Issued versions and signatures").inner_text()
    assert "Signed" in versions and "I will widen the family engagement work next year." in versions
    assert "Done" in page.locator("#step li").nth(4).inner_text()  # step 5: the summative signed
