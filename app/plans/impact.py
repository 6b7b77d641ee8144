"""Equity impact questions: a short checklist answered on an action when it is created or changed materially.

The rules of asking it, checking the answers and recording them; the models
(`EquityImpactQuestion`, `ImpactReview`, `ImpactAnswer`) are in `models.py`.

A question that has answers keeps its wording (the admin view refuses to change
its text or delete it): admins deactivate it and add the new wording as a new
question, which the next round asks. Each answer also keeps the wording it
answered, so that a district's export reads on its own.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.extensions import db
from app.plans.models import FIELD_PREFIX, Action, EquityImpactQuestion, ImpactAnswer, ImpactReview

# The changes that ask the checklist again, with their names in the reason given.
MATERIAL_FIELDS = {"strategy_id": "strategy", "owner_id": "owner", "due_on": "due date",
                   "allocated_cents": "budget allocated", "provider_id": "provider"}
ANSWER_MAX = 2000
CREATED = "Asked when the action was created."


def _named(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


@dataclass(frozen=True)
class ImpactAnswers:
    """Answers typed on the action form (question id -> text), and who typed them."""

    by: User
    answers: dict[int, str]


@dataclass(frozen=True)
class ImpactRound:
    """The checklist asked on one save of an action: on its creation, or because of what changed."""

    changed: list[str]
    questions: list[EquityImpactQuestion]

    @property
    def reason(self) -> str:
        return f"Asked again when the {_named(self.changed)} changed." if self.changed else CREATED

    def problems(self, given: ImpactAnswers | None) -> dict[str, list[str]]:
        """Messages per question left blank or too long."""
        answers = given.answers if given else {}
        blank = f"The {_named(self.changed)} changed: answer again." if self.changed else "Answer this question."
        errors = {}
        for question in self.questions:
            answer = answers.get(question.id, "")
            if not answer:
                errors[question.input_name] = [blank]
            elif len(answer) > ANSWER_MAX:
                errors[question.input_name] = [f"Keep the answer under {ANSWER_MAX:,} characters."]
        return errors

    def record(self, action: Action, given: ImpactAnswers) -> ImpactReview:
        """Add the answers to the session with the action; the caller commits both together."""
        db.session.add(action)
        db.session.flush()  # a new action's id
        review = ImpactReview(district_id=action.district_id, action_id=action.id, reason=self.reason,
                              answered_by_id=given.by.id)
        db.session.add(review)
        db.session.flush()
        db.session.add_all(
            ImpactAnswer(district_id=action.district_id, review_id=review.id, question_id=q.id, question=q.text,
                         answer=given.answers[q.id])
            for q in self.questions
        )
        return review


def checklist() -> list[EquityImpactQuestion]:
    """The active questions, in order: what the action form asks."""
    return list(db.session.scalars(
        select(EquityImpactQuestion).where(EquityImpactQuestion.active)
        .order_by(EquityImpactQuestion.position, EquityImpactQuestion.id)
    ))


def impact_round(action: Action | None, data: dict) -> ImpactRound | None:
    """The checklist to answer when saving `data` on `action` (None: a new one): on creation or a material change."""
    changed = [label for name, label in MATERIAL_FIELDS.items()
               if action is not None and name in data and data[name] != getattr(action, name)]
    if action is not None and not changed:
        return None
    questions = checklist()
    return ImpactRound(changed, questions) if questions else None


def problems_on_creation(action: Action | None, given: ImpactAnswers) -> dict[str, list[str]]:
    """A new action's unanswered questions, even when its other fields did not load: every problem is told at once."""
    if action is not None:
        return {}
    asked = impact_round(None, {})
    return asked.problems(given) if asked else {}


def split_answers(form: MultiDict, by: User) -> tuple[MultiDict, ImpactAnswers]:
    """The action form without its checklist, and the answers: one `impact-<question id>` box each, blanks left out."""
    fields, answers = MultiDict(), {}
    for name, value in form.items(multi=True):
        if not name.startswith(FIELD_PREFIX):
            fields.add(name, value)
        elif name[len(FIELD_PREFIX):].isdigit() and value.strip():
            answers[int(name[len(FIELD_PREFIX):])] = value.strip()
    return fields, ImpactAnswers(by, answers)


def reviews_of(action: Action) -> list[ImpactReview]:
    """The rounds of answers on an action, the latest first."""
    return list(db.session.scalars(
        select(ImpactReview).where(ImpactReview.district_id == action.district_id, ImpactReview.action_id == action.id)
        .order_by(ImpactReview.answered_at.desc(), ImpactReview.id.desc())
    ))


def checklist_on_form(action: Action | None, form: MultiDict,
                      errors: dict) -> tuple[list[EquityImpactQuestion], dict[str, str]]:
    """The questions the action form shows, and their boxes' text: what was just typed, else the latest answers.

    A new action shows them; an edit only once a material change asked them (its answers or errors are on the form).
    """
    if action is not None and not any(name.startswith(FIELD_PREFIX) for name in [*form, *errors]):
        return [], {}
    latest = reviews_of(action)[:1] if action else []
    values = {f"{FIELD_PREFIX}{a.question_id}": a.answer for review in latest for a in review.answers}
    return checklist(), values | {name: value for name, value in form.items() if name.startswith(FIELD_PREFIX)}


def question_has_answers(question_id: int) -> bool:
    """Whether any district answered this question (asked by platform admins, who see every district)."""
    return bool(db.session.scalar(
        select(func.count()).select_from(ImpactAnswer).where(ImpactAnswer.question_id == question_id)
    ))
