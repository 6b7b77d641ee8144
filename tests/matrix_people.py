"""Rows for people pages."""
from tests.matrix import TenantRoute  # noqa: F401

ROUTES: list = []
