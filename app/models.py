"""Every model module, imported in one place so that the mapper and Alembic see them all.

Modules, not names: what a feature's models are is said once, in its own models module.
"""
from app import (
    indexes,  # noqa: F401  (the indexes of these tables: the dashboard's aggregates and every foreign key)
    mail,  # noqa: F401  (SentMail)
)
from app.accounts import models as accounts  # noqa: F401
from app.audit import models as audit  # noqa: F401
from app.audit import recording  # noqa: F401  (records every flushed change)
from app.districts import models as districts  # noqa: F401
from app.evaluations import models as evaluations  # noqa: F401
from app.fieldwork import models as fieldwork  # noqa: F401
from app.notifications import models as notifications  # noqa: F401
from app.onboarding import models as onboarding  # noqa: F401
from app.plans import models as plans  # noqa: F401
from tenants import models as tenancy  # noqa: F401
from workers import models as jobs  # noqa: F401
