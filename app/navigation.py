"""The header's links, one list for every role: who sees a link is a rule of tenants/access.py, not a template's.

`LINKS` is read top to bottom. A platform link names its endpoint; a district link (`district=True`) is shown for
the district of the page being viewed, or a person's only district, to that district's own people (its leaders and
viewers: the support team reaches a district from its home page). The account menu holds what is rarely used.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.offline.services import field_district_ids
from tenants.access import (
    can_onboard,
    can_see_district_records,
    can_view_rollups,
    district_people_ids,
    is_platform_admin,
    landing_district_slug,
    may_open_evaluations,
)
from tenants.lookup import can_write
from tenants.models import District
from tenants.roles import Role


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    shown: Callable[..., bool]  # (user) for a platform link, (user, district) for a district link
    district: bool = False


def _of_the_district(user, district) -> bool:
    return district.id in district_people_ids(user)


def _keeps_records(user, district) -> bool:
    return can_see_district_records(user, district.id)


def _keeps_records_of_the_district(user, district) -> bool:
    return _of_the_district(user, district) and _keeps_records(user, district)


def _opens_evaluations(user, district) -> bool:
    return may_open_evaluations(user, district.id)


LINKS: tuple[Link, ...] = (
    Link("Admin", "admin.index", is_platform_admin),
    Link("Onboarding", "onboarding.index", can_onboard),
    Link("Audit log", "audit.platform_log", can_onboard),
    Link("Failed jobs", "jobs.failed", can_onboard),
    Link("Regional dashboard", "rollups.dashboard", can_view_rollups),
    Link("Field capture", "offline.field", lambda user: bool(field_district_ids(user))),
    Link("Dashboard", "plans.dashboard", _of_the_district, district=True),
    Link("Plan", "plans.plan", _of_the_district, district=True),
    Link("Equity goals", "plans.goals", _of_the_district, district=True),
    Link("Visits", "lists.visits", _of_the_district, district=True),
    Link("Schools", "districts.show", _of_the_district, district=True),
    Link("Evaluations", "evaluations.overview", _opens_evaluations, district=True),
    Link("Audit log", "district_audit.district_log", _keeps_records_of_the_district, district=True),
    Link("District export", "district_export.download", _keeps_records_of_the_district, district=True),
)

# A district's own pages, on its page (districts/show.html), for whoever reads the district.
DISTRICT_PAGES: tuple[Link, ...] = (
    Link("Improvement dashboard", "plans.dashboard", lambda user, district: True, district=True),
    Link("Plan", "plans.plan", lambda user, district: True, district=True),
    Link("Equity goals", "plans.goals", lambda user, district: True, district=True),
    Link("Status reports", "plans.reports", lambda user, district: True, district=True),
    Link("Providers", "plans.providers", lambda user, district: True, district=True),
    Link("School clusters", "people.clusters", lambda user, district: True, district=True),
    Link("Principals' evaluations", "evaluations.overview", _opens_evaluations, district=True),
    Link("Plan settings", "plans.settings", lambda user, district: can_write(district.id), district=True),
    Link("Audit log", "district_audit.district_log", _keeps_records, district=True),
    Link("District export", "district_export.download", _keeps_records, district=True),
    Link("Import files", "district_onboarding.import_files", lambda user, district: can_onboard(user), district=True),
)

# The account menu: everyone's, rarely used (sign-out is a form, drawn by the template).
ACCOUNT_LINKS: tuple[tuple[str, str], ...] = (
    ("API tokens", "accounts.tokens"),
    ("Notifications", "notifications.preferences"),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    endpoint: str


def landing(user) -> NavItem:
    """The first link: where this person's work is (tenants.access.landing_district_slug)."""
    slug = landing_district_slug(user)
    if slug is not None:
        return NavItem("Dashboard", url_for("plans.dashboard", slug=slug), "plans.dashboard")
    return NavItem("Caseload" if user.has_role(Role.ASSISTANCE_LEAD) else "Home", url_for("home.index"), "home.index")


def nav_district(user) -> District | None:
    """The district whose links the header shows: the page's own, or the person's only district."""
    district = page_district()
    if district is not None:
        return district
    ids = district_people_ids(user)
    if len(ids) != 1:
        return None
    return db.session.scalar(select(District).where(District.id.in_(ids)))


def page_district() -> District | None:
    """The district of the page being viewed: what a district blueprint loaded (app/districts/blueprint.py), else None."""
    return g.get("district")


def header_links(user) -> list[NavItem]:
    """The main navigation for this person, in the order of `LINKS`; the landing page first."""
    items = [landing(user)]
    district = nav_district(user)
    for link in LINKS:
        if link.district:
            if district is None or not link.shown(user, district):
                continue
            url = url_for(link.endpoint, slug=district.slug)
        else:
            if not link.shown(user):
                continue
            url = url_for(link.endpoint)
        if url != items[0].url:
            items.append(NavItem(link.label, url, link.endpoint))
    return items


def district_links(user, district: District) -> list[NavItem]:
    """The links of a district's page to its plan, reports and records, as far as this person may use them."""
    return [NavItem(link.label, url_for(link.endpoint, slug=district.slug), link.endpoint)
            for link in DISTRICT_PAGES if link.shown(user, district)]


def account_links() -> list[NavItem]:
    return [NavItem(label, url_for(endpoint), endpoint) for label, endpoint in ACCOUNT_LINKS]


def init_navigation(app) -> None:
    @app.context_processor
    def navigation_context():
        if not current_user.is_authenticated:
            return {}
        district = page_district()
        return {"nav_links": header_links(current_user), "account_links": account_links(),
                "district_nav": district_links(current_user, district) if district is not None else []}
