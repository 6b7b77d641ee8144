"""Principals' evaluation cycles: a cycle's pages, read and written by its circle only (tenants/personnel.py)."""
from app.districts.blueprint import district_blueprint

bp = district_blueprint("evaluations", __name__, url_prefix="/evaluations")
