"""Where a cycle stands: its steps in the framework's order, each done, due next or overdue. Plain functions of
the step rows, for the cycle page (services) and the overview, which loads every cycle's rows at once."""
from dataclasses import dataclass
from datetime import date

from app.evaluations.framework import Step
from app.evaluations.models import EvaluationStep


def in_step_order(rows) -> list[EvaluationStep]:
    """Step rows in the framework's order."""
    order = list(Step)
    return sorted(rows, key=lambda row: order.index(row.step))


@dataclass(frozen=True)
class StepState:
    row: EvaluationStep
    step: Step
    done: bool
    current: bool  # the first step not done: what is due next
    overdue: bool


def states_of_steps(rows, today: date) -> list[StepState]:
    """Each step with whether it is done, due next, or overdue (not done, due before `today`)."""
    states, current_found = [], False
    for row in in_step_order(rows):
        done = row.completed_on is not None
        current = not done and not current_found
        current_found = current_found or current
        states.append(StepState(row, Step(row.step), done, current, not done and row.due_on is not None and row.due_on < today))
    return states

