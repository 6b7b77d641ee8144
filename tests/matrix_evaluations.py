"""Rows for principals' evaluations: every route, with who may use it; those of one cycle are `private`
(tests/matrix.py): the privacy axis (`tests/test_isolation.py::test_privacy_axis`) runs them for the
principal, the superintendent and another supervisor of the district too."""
from tests.matrix import TenantRoute  # noqa: F401  (the rows below are TenantRoutes)

ROUTES: list = []
