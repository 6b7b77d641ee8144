"""One pluralization helper (app/text.py `plural`, the `plural` filter): no page says "1 days" or "1 actions"."""
import re

import pytest

from app.text import duration_in_words, plural, rate_in_words

# "1 <noun>s" anywhere in a page's text: a count of one with a plural noun.
ONE_PLURAL = re.compile(
    r"(?<![\d,.])1 (actions|days|schools|people|rows|visits|observations|minutes|look-fors|fields|problems|hours"
    r"|retries|milestones|risks|goals|weeks|districts|sign-ins|attempts)\b")


def test_plural_words():
    assert plural(1, "action") == "1 action" and plural(0, "action") == "0 actions"
    assert plural(2, "person") == "2 people" and plural(1, "person") == "1 person"
    assert plural(1250, "school") == "1,250 schools"
    assert plural(1, "more retry", "more retries") == "1 more retry"
    assert duration_in_words(86400) == "1 day" and duration_in_words(60) == "1 minute"


@pytest.mark.parametrize("limit, words, window", [
    ("10 per 1 minute", "10 sign-ins a minute", "a minute"), ("10 per minute", "10 sign-ins a minute", "a minute"),
    ("1/hour", "1 sign-in an hour", "an hour"), ("100 per 5 minutes", "100 sign-ins every 5 minutes", "5 minutes"),
])
def test_rate_limits_in_words(limit, words, window):
    assert rate_in_words(limit, "sign-in") == (words, window)
    assert rate_in_words("as many as you like") is None


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("who, paths", [
    ("lead", ["/", "/districts/homeville/visits/{visit}", "/districts/homeville/visits",
              "/districts/homeville/observations", "/districts/homeville/assignments"]),
    ("leader", ["/districts/homeville/dashboard", "/districts/homeville/plan", "/districts/homeville/audit",
                "/districts/homeville/plan/settings"]),
    ("director", ["/rollups/"]),
])
def test_pages_with_counts_of_one_say_the_singular(client, auth, world, who, paths):
    auth.sign_in(getattr(world, who))
    for path in paths:
        response = client.get(path.format(visit=world.home_visit.id))
        assert response.status_code == 200, path
        found = ONE_PLURAL.findall(text_of(response.text))
        assert not found, f"{path}: 1 {found}"


def test_the_district_export_readme_counts_rows_in_words(client, auth, world):
    import io
    import zipfile

    auth.sign_in(world.leader)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/districts/homeville/export.zip").data))
    readme = next(archive.read(name).decode() for name in archive.namelist() if name.lower().startswith("readme"))
    assert "(1 row)" in readme and "(1 rows)" not in readme


def test_the_visits_export_keeps_each_supports_school(client, auth, world):
    auth.sign_in(world.lead)
    csv = client.get("/districts/homeville/visits?format=csv").data.decode("utf-8-sig")
    assert f"({world.home_school.name})" in csv


def test_observation_form_errors_link_to_the_field_by_its_label(client, auth, world):
    from app.extensions import db
    from app.fieldwork.models import Rubric

    auth.sign_in(world.lead)
    path = f"/districts/homeville/visits/{world.home_visit.id}/observations/new"
    page = client.get(path).text
    rubric = db.session.get(Rubric, int(re.search(r'name="rubric_id" value="(\d+)"', page)[1]))
    look_for = rubric.look_fors[0]
    opened = re.search(r'name="opened_at" value="([^"]+)"', page)[1]
    response = client.post(path, data={"rubric_id": rubric.id, "opened_at": opened, "grade": "4", "subject": "Math",
                                       "minutes": "20", f"rating-{look_for.id}": "3",
                                       f"evidence-{look_for.id}": "x" * 20001})
    assert response.status_code == 422
    assert f'<a href="#evidence-{look_for.id}">Evidence for {look_for.title}:' in response.text
    assert f'id="evidence-{look_for.id}"' in response.text
    # A tapped rating can be cleared: a radio with no value, checked when nothing is rated.
    assert f'name="rating-{look_for.id}" value=""' in page and f'id="rating-{look_for.id}"' in page
