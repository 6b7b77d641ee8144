"""The rows behind the API's lists: conditions from the query arguments, one page at a time.

The tenant scope is added below, by the session; these only narrow it.
"""
from sqlalchemy import func, select

from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, SupportAssignment, Visit


def page_of(model, conditions: list, order_by: tuple, page) -> list:
    """One page of `model`'s rows that meet `conditions`; the total goes to the pagination header."""
    page.item_count = db.session.scalar(select(func.count()).select_from(model).where(*conditions))
    return list(db.session.scalars(
        select(model).where(*conditions).order_by(*order_by).offset(page.first_item).limit(page.page_size)
    ))


def equal_to(model, filters: dict, names: tuple[str, ...]) -> list:
    return [getattr(model, name) == filters[name] for name in names if name in filters]


def visit_page(filters: dict, page) -> list[Visit]:
    conditions = equal_to(Visit, filters, ("district_id", "school_id", "lead_id"))
    if "visited_from" in filters:
        conditions.append(Visit.visited_on >= filters["visited_from"])
    if "visited_to" in filters:
        conditions.append(Visit.visited_on <= filters["visited_to"])
    return page_of(Visit, conditions, (Visit.visited_on.desc(), Visit.id.desc()), page)


def observation_page(filters: dict, page) -> list[Observation]:
    conditions = equal_to(Observation, filters, ("district_id", "visit_id"))
    return page_of(Observation, conditions, (Observation.id.desc(),), page)


def school_page(filters: dict, page) -> list[School]:
    return page_of(School, equal_to(School, filters, ("district_id",)), (School.name, School.id), page)


def assignment_page(filters: dict, page) -> list[SupportAssignment]:
    conditions = equal_to(SupportAssignment, filters, ("district_id",))
    return page_of(SupportAssignment, conditions, (SupportAssignment.starts_on.desc(), SupportAssignment.id), page)
