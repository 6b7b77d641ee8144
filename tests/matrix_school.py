"""Rows for school pages."""
from tests.matrix import TenantRoute  # noqa: F401

ROUTES: list = []
