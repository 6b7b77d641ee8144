"""The equity impact checklist: asked on a new action and on a material change, stored with the action, edited by admins."""
import io
import zipfile
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import event, func, select

from app.extensions import db
from app.forms import InvalidInput
from app.plans.impact import CREATED, ImpactAnswers, ImpactRound, checklist, reviews_of
from app.plans.models import Action, EquityImpactQuestion, ImpactAnswer, ImpactReview, ImprovementPlan
from app.plans.services import save_action
from tests.matrix_plans import IMPACT_ANSWERS


def answers_to(questions, text="English learners and students with disabilities in K-3.") -> dict[int, str]:
    return {q.id: f"{text} ({q.position})" for q in questions}


def action_data(world, **changes) -> dict:
    """The world's own action as its form would load it, with `changes`."""
    action = db.session.get(Action, (world.home.id, world.ids("own")["action"]))
    data = {name: getattr(action, name) for name in ("strategy_id", "title", "owner_id", "starts_on", "due_on",
                                                     "status", "allocated_cents", "spent_cents", "funding_source",
                                                     "provider_id")}
    return data | changes


def answered(action, by, text="First answers.") -> ImpactReview:
    """A round of answers on an existing action, as its creation would have left it."""
    review = ImpactRound([], checklist()).record(action, ImpactAnswers(by, answers_to(checklist(), text)))
    db.session.flush()
    return review


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def plan(world):
    return db.session.get(ImprovementPlan, (world.home.id, world.ids("own")["plan"]))


@pytest.fixture
def action(world):
    return db.session.get(Action, (world.home.id, world.ids("own")["action"]))


def new_action_data(world, title="Tutoring for English learners") -> dict:
    return action_data(world, title=title, due_on=date(2027, 3, 31))


# --- the rules ----------------------------------------------------------------------------------


def test_the_migration_ships_a_short_checklist_in_the_state_s_words():
    questions = checklist()
    assert 4 <= len(questions) <= 6
    words = " ".join(q.text + (q.help_text or "") for q in questions)
    assert "English learners" in words and "students with disabilities" in words and "high needs" in words


def test_a_new_action_needs_every_answer_and_nothing_is_stored_without(world, plan):
    for given in (None, ImpactAnswers(world.leader, {}), ImpactAnswers(world.leader, {checklist()[0].id: "Some."})):
        with pytest.raises(InvalidInput) as invalid:
            save_action(plan, new_action_data(world), None, given)
        missing = checklist() if given is None or not given.answers else checklist()[1:]
        assert invalid.value.messages == {q.input_name: ["Answer this question."] for q in missing}
    assert db.session.scalars(select(Action).where(Action.title == "Tutoring for English learners")).all() == []
    assert count(ImpactReview) == count(ImpactAnswer) == 0


def test_a_new_action_is_stored_with_its_answers(world, plan):
    questions = checklist()
    saved = save_action(plan, new_action_data(world), None, ImpactAnswers(world.leader, answers_to(questions)))
    [review] = reviews_of(saved)
    assert (review.reason, review.answered_by.name) == (CREATED, world.leader.name)
    assert [(a.question_id, a.question, a.answer) for a in review.answers] == [
        (q.id, q.text, answers_to(questions)[q.id]) for q in questions]


def test_the_answers_are_stored_in_the_action_s_transaction(world, plan):
    """Answers that fail to be written take the new action with them."""
    def refuse(mapper, connection, target):
        raise RuntimeError("the database refused an answer")

    db.session.commit()  # the world stays: only what the failed save wrote goes
    event.listen(ImpactAnswer, "before_insert", refuse)
    try:
        with pytest.raises(RuntimeError):
            save_action(plan, new_action_data(world), None, ImpactAnswers(world.leader, answers_to(checklist())))
    finally:
        event.remove(ImpactAnswer, "before_insert", refuse)
    db.session.rollback()
    assert db.session.scalars(select(Action).where(Action.title == "Tutoring for English learners")).all() == []
    assert count(ImpactReview) == 0 and count(Action) == 2  # the world's own and foreign actions


def test_a_change_that_is_not_material_does_not_ask(world, plan, action):
    answered(action, world.leader)
    data = action_data(world, title="Adopt and launch a K-3 ELA curriculum", status="at_risk",
                       spent_cents=2_000_000, funding_source="Title I", starts_on=date(2026, 8, 15))
    save_action(plan, data, action, None)
    db.session.expire_all()
    assert action.title == "Adopt and launch a K-3 ELA curriculum"
    assert len(reviews_of(action)) == 1


@pytest.mark.parametrize("changes, named", [
    ({"due_on": date(2027, 8, 31)}, "due date"),
    ({"allocated_cents": 6_000_000}, "budget allocated"),
    ({"provider_id": None}, "provider"),
    ({"owner_id": "viewer", "due_on": date(2027, 8, 31)}, "owner and due date"),
])
def test_a_material_change_asks_again_and_changes_nothing_without_answers(world, plan, action, changes, named):
    answered(action, world.leader)
    if changes.get("owner_id") == "viewer":
        changes["owner_id"] = world.viewer.id
    before = (action.due_on, action.allocated_cents, action.provider_id, action.owner_id)
    with pytest.raises(InvalidInput) as invalid:
        save_action(plan, action_data(world, **changes), action, ImpactAnswers(world.leader, {}))
    assert invalid.value.messages == {q.input_name: [f"The {named} changed: answer again."] for q in checklist()}
    db.session.expire_all()
    assert (action.due_on, action.allocated_cents, action.provider_id, action.owner_id) == before

    save_action(plan, action_data(world, **changes), action,
                ImpactAnswers(world.lead, answers_to(checklist(), "Reconsidered.")))
    latest, earlier = reviews_of(action)
    assert latest.reason == f"Asked again when the {named} changed."
    assert latest.answered_by.name == world.lead.name and latest.answers[0].answer.startswith("Reconsidered.")
    assert earlier.answers[0].answer.startswith("First answers.")


def test_the_form_asks_what_the_admins_catalog_holds(world, plan):
    first, second, *rest = checklist()
    second.active = False
    added = EquityImpactQuestion(position=9, text="How will families who speak other languages hear of it?")
    db.session.add(added)
    db.session.flush()
    assert [q.id for q in checklist()] == [first.id, *(q.id for q in rest), added.id]
    old_answers = answers_to([first, second, *rest])
    with pytest.raises(InvalidInput) as invalid:
        save_action(plan, new_action_data(world), None, ImpactAnswers(world.leader, old_answers))
    assert list(invalid.value.messages) == [added.input_name]
    saved = save_action(plan, new_action_data(world), None,
                        ImpactAnswers(world.leader, old_answers | {added.id: "Translated letters and calls."}))
    [review] = reviews_of(saved)
    assert [a.question_id for a in review.answers] == [first.id, *(q.id for q in rest), added.id]


# --- the pages ----------------------------------------------------------------------------------


def form_of(world, **changes) -> dict:
    values = action_data(world, **changes)
    return {k: "" if v is None else (f"{v / 100:.2f}" if k.endswith("_cents") else str(v)) for k, v in values.items()}


def test_the_new_action_form_explains_each_missing_answer_and_stores_nothing(client, auth, world, plan):
    auth.sign_in(world.leader)
    url = f"/districts/homeville/plans/{plan.id}/actions/new"
    page = client.get(url).text
    assert "Equity impact questions" in page and all(escape(q.text) in page for q in checklist())
    form = form_of(world, title="Tutoring for English learners") | {checklist()[0].input_name: "Grade 3 ELs."}
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert response.text.count("Answer this question.") == 2 * (len(checklist()) - 1)  # summary and field
    assert "Grade 3 ELs." in response.text  # what was typed stays
    assert db.session.scalars(select(Action).where(Action.title == "Tutoring for English learners")).all() == []
    assert count(ImpactReview) == 0

    response = client.post(url, data=form | IMPACT_ANSWERS, follow_redirects=True)
    assert "Action saved: Tutoring for English learners." in response.text
    assert "Asked when the action was created. Answered by Lia Leader" in response.text
    assert "English learners in grades K-3." in response.text


def test_a_new_action_s_form_tells_every_problem_at_once(client, auth, world, plan):
    auth.sign_in(world.leader)
    response = client.post(f"/districts/homeville/plans/{plan.id}/actions/new",
                           data=form_of(world, title="", due_on="2026-01-01"))
    assert response.status_code == 422
    assert "The due date comes after the start." in response.text
    assert all(f'id="{q.input_name}-error">Answer this question.' in response.text for q in checklist())


def test_a_material_edit_asks_again_prefilled_and_the_page_keeps_earlier_rounds(client, auth, world, action):
    answered(action, world.leader)
    auth.sign_in(world.leader)
    url = f"/districts/homeville/actions/{action.id}/edit"
    page = client.get(url).text
    assert "asks the equity impact questions again" in page and 'name="impact-' not in page

    response = client.post(url, data=form_of(world, due_on="2027-08-31"))
    assert response.status_code == 422
    assert response.text.count("The due date changed: answer again.") == 2 * len(checklist())
    assert response.text.count("First answers.") == len(checklist())  # prefilled with the latest answers
    db.session.expire_all()
    assert action.due_on == date(2027, 6, 30)

    response = client.post(url, data=form_of(world, due_on="2027-08-31") | IMPACT_ANSWERS, follow_redirects=True)
    assert "Action saved" in response.text
    assert "Asked again when the due date changed. Answered by Lia Leader" in response.text
    latest, earlier = response.text.split("<details>", 1)
    assert "English learners in grades K-3." in latest and "First answers." not in latest
    assert "Earlier answers" in earlier and "First answers." in earlier


def test_a_small_edit_saves_without_asking(client, auth, world, action):
    answered(action, world.leader)
    auth.sign_in(world.leader)
    response = client.post(f"/districts/homeville/actions/{action.id}/edit",
                           data=form_of(world, title="Adopt a K-3 ELA curriculum (year 1)", status="at_risk"))
    assert response.status_code == 302
    assert len(reviews_of(action)) == 1


def test_a_viewer_cannot_answer(client, auth, world, plan, action):
    auth.sign_in(world.viewer)
    assert client.post(f"/districts/homeville/plans/{plan.id}/actions/new",
                       data=form_of(world, title="Sneaky") | IMPACT_ANSWERS).status_code == 403
    assert client.post(f"/districts/homeville/actions/{action.id}/edit",
                       data=form_of(world, due_on="2027-08-31") | IMPACT_ANSWERS).status_code == 403
    assert count(ImpactReview) == 0
    page = client.get(f"/districts/homeville/actions/{action.id}").text
    assert "have not been answered" in page and 'name="impact-' not in page


def test_the_district_export_holds_the_answers_with_their_questions(client, auth, world, action):
    answered(action, world.leader)
    auth.sign_in(world.leader)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/districts/homeville/export.zip").data))
    answers = archive.read("plan_impact_answers.csv").decode("utf-8-sig")
    assert checklist()[0].text in answers and "First answers." in answers
    assert "plan_impact_reviews.csv" in archive.namelist()


# --- the catalog in /admin ----------------------------------------------------------------------


def test_the_catalog_is_for_platform_admins_only(client, auth, world):
    for person in (world.director, world.lead, world.leader):
        auth.sign_in(person)
        assert client.get("/admin/equityimpactquestion/").status_code == 403
        assert client.post("/admin/equityimpactquestion/new/", data={"position": "5", "text": "Sneaky?"}).status_code == 403
        auth.sign_out()
    assert db.session.scalars(select(EquityImpactQuestion).where(EquityImpactQuestion.text == "Sneaky?")).all() == []
    auth.sign_in(world.admin)
    page = client.get("/admin/equityimpactquestion/").text
    assert escape(checklist()[0].text) in page


def test_an_answered_question_keeps_its_wording_and_can_be_retired(client, auth, world, action):
    answered(action, world.leader)
    question, unanswered = checklist()[0], EquityImpactQuestion(position=7, text="Unanswered yet?")
    db.session.add(unanswered)
    db.session.commit()  # the admin's refused saves roll back their own changes only
    answers = count(ImpactAnswer)
    auth.sign_in(world.admin)

    def edit(row, **fields):
        data = {"position": str(row.position), "text": row.text, "help_text": row.help_text or "", "active": "y"}
        return client.post(f"/admin/equityimpactquestion/edit/?id={row.id}", data=data | fields,
                           follow_redirects=True)

    assert "its wording stays" in edit(question, text="Which groups?").text
    response = client.post("/admin/equityimpactquestion/delete/", data={"id": question.id}, follow_redirects=True)
    assert "its wording stays" in response.text
    edit(unanswered, text="Who is left out?")
    edit(question, active="")  # unticked: retired, its answers stay
    db.session.expire_all()
    assert question.text.startswith("Which student groups") and not question.active
    assert unanswered.text == "Who is left out?"
    assert question not in checklist() and count(ImpactAnswer) == answers
