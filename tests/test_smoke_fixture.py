from sqlalchemy import select

from app.districts.models import School
from app.extensions import db


def test_world_is_built_and_rolled_back(world):
    assert len(db.session.scalars(select(School)).all()) == 4


def test_each_test_starts_empty():
    assert db.session.scalars(select(School)).all() == []
