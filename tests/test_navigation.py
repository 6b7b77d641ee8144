"""Navigation by role: each person lands on their work and reaches every page they may use in two clicks.

"Every page they may use": each GET page of the URL map that needs no id but a district's slug, which answers
200 to that person for their district. The crawl follows the links of the landing page and of the pages those
lead to, in the test client, as the person; no link on the way may answer 403 or 404.
"""
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from flask import current_app

from tests.conftest import PASSWORD

# Not pages a person navigates to: probes, the installable app's files, the signed-out pages, the JSON API.
NOT_PAGES = ("/healthz", "/readyz", "/manifest.webmanifest", "/service-worker.js", "/field/session", "/sign-in",
             "/forgot-password", "/static/", "/api/v1/", "/set-password/")
# Pages that answer 200 but are not this person's to use: offered only when a plan is missing (the world's district
# has one), the offline form with no district to capture for (it is for leads).
NOT_THEIRS = {"/districts/homeville/plan/new"}
NOT_A_LEADS = {"/field"}
HREF = re.compile(r'href="([^"#]*)"')


def pages_of(slug: str) -> list[str]:
    """Every GET page that needs nothing but (perhaps) a district: `/districts/<slug>/...`, `/jobs/failed`, ..."""
    paths = []
    for rule in current_app.url_map.iter_rules():
        if "GET" not in rule.methods or not set(rule.arguments) <= {"slug"}:
            continue
        path = rule.rule.replace("<slug>", slug)
        if not path.startswith(NOT_PAGES) and path not in paths:
            paths.append(path)
    return sorted(paths)


def links_on(page: str) -> set[str]:
    """The site's own links on a page: paths with their query, no downloads of a list (`format=`)."""
    found = set()
    for href in HREF.findall(page):
        href = unescape(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(NOT_PAGES):
            continue
        if "format=" in parts.query:
            continue
        found.add(href)
    return found


def landing(client, user) -> str:
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


def crawl(client, start: str) -> tuple[set[str], dict[str, int]]:
    """The paths reached from `start` in at most two clicks, and the status of every link followed."""
    statuses, reached = {}, set()
    frontier = {start}
    for _clicks in range(3):  # the landing page, then one click, then two
        following = set()
        for href in sorted(frontier - set(statuses)):
            response = client.get(href)
            statuses[href] = response.status_code
            reached.add(urlsplit(href).path)
            if response.status_code == 200 and response.mimetype == "text/html":
                following |= links_on(response.text)
        frontier = following
    return reached, statuses


@pytest.mark.parametrize("who, lands_on", [
    ("admin", "/"), ("director", "/"), ("lead", "/"), ("leader", "/districts/homeville/dashboard"), ("viewer", "/"),
])
def test_every_page_of_a_role_is_two_clicks_from_where_it_lands(client, world, who, lands_on):
    person = getattr(world, who)
    start = landing(client, person)
    assert start == lands_on
    skipped = NOT_THEIRS | (NOT_A_LEADS if who != "lead" else set())
    usable = [path for path in pages_of(world.home.slug)
              if path not in skipped and client.get(path).status_code == 200]
    reached, statuses = crawl(client, start)
    broken = {href: status for href, status in statuses.items() if status in (403, 404)}
    assert not broken, f"links that refuse {who}: {broken}"
    assert not set(usable) - reached, f"more than two clicks away for {who}: {sorted(set(usable) - reached)}"


def test_a_leader_of_several_districts_lands_on_a_chooser(client, world):
    from tenants.roles import Role
    from tests import factories

    factories.grant(world.leader, Role.DISTRICT_LEADER, district=world.foreign)
    assert landing(client, world.leader) == "/"
    page = client.get("/").text
    assert 'href="/districts/homeville"' in page and 'href="/districts/faraway"' in page


def header(page: str) -> str:
    return page[page.index('<header'):page.index('</header>')]


@pytest.mark.parametrize("who, shown, hidden", [
    ("admin", ["Admin", "Onboarding", "Audit log", "Failed jobs", "Regional dashboard"], ["Field capture", "Plan"]),
    ("director", ["Regional dashboard"], ["Admin", "Onboarding", "Failed jobs", "Audit log"]),
    ("lead", ["Caseload", "Field capture"], ["Admin", "Regional dashboard", "Audit log"]),
    # A district leader logs visits in their own district, online or offline (issue 16).
    ("leader", ["Dashboard", "Plan", "Equity goals", "Visits", "Audit log", "District export", "Field capture"],
     ["Admin", "Regional dashboard"]),
    ("viewer", ["Plan", "Equity goals", "Visits"], ["Audit log", "District export", "Admin"]),
])
def test_the_header_follows_the_role_rules(client, auth, world, who, shown, hidden):
    auth.sign_in(getattr(world, who))
    nav = header(client.get("/account/notifications").text)
    main_nav = nav[nav.index('aria-label="Main"'):nav.index("</nav>")]
    for label in shown:
        assert f">{label}</a>" in main_nav, label
    for label in hidden:
        assert f">{label}</a>" not in main_nav, label
    # Rarely used: in the account menu, for everyone, never among the main links.
    assert "API tokens" not in main_nav
    menu = nav[nav.index('<details class="account-menu">'):]
    assert 'href="/account/tokens">API tokens</a>' in menu and "Sign out</button>" in menu
