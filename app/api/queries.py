"""The rows behind the API's lists: the field-work lists' own queries (`app/fieldwork/listing.py`), a page at a time.

The tenant scope is added below, by the session; these only narrow it.
"""
from sqlalchemy import Select, select

from app.districts.models import School
from app.extensions import db
from app.fieldwork.listing import assignment_list, observation_list, visit_list
from app.fieldwork.models import Observation, SupportAssignment, Visit


def page_of(statement: Select, page) -> list:
    """One page of a statement's rows (past the last: none); the total goes to the pagination header."""
    found = db.paginate(statement, page=page.page, per_page=page.page_size, error_out=False)
    page.item_count = found.total
    return found.items


def visit_page(filters: dict, page) -> list[Visit]:
    return page_of(visit_list(filters), page)


def observation_page(filters: dict, page) -> list[Observation]:
    # The API has listed observations newest recorded first, whatever their visit's date.
    return page_of(observation_list(filters).order_by(None).order_by(Observation.id.desc()), page)


def school_page(filters: dict, page) -> list[School]:
    conditions = [School.district_id == filters["district_id"]] if "district_id" in filters else []
    return page_of(select(School).where(*conditions).order_by(School.name, School.id), page)


def assignment_page(filters: dict, page) -> list[SupportAssignment]:
    return page_of(assignment_list(filters), page)
