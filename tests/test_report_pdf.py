"""The status report PDF as the board and the state read it: every page rendered, rows whole, charts in colour."""
import io
import re
import subprocess
from datetime import date
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from app.extensions import db
from app.plans.charts import COMPARISON_COLOUR, GROUP_COLOUR
from app.plans.models import ImprovementPlan
from tests import factories
from tests.factories_plans import action_for, goal_for, measurement_for, priority_for, report_for, strategy_for

ACTIONS = 36
HEADINGS = ("What changed since the previous report", "Plan health", "Progress since the last report", "Actions",
            "Risks", "Milestones", "Equity goals", "Supports delivered in the period")


def _title(n: int) -> str:
    # Long enough to wrap in its cell; Start/End mark both ends of the title.
    return f"Start{n:02d} coaching cycles for grade three teachers on the new literacy block, with walkthroughs End{n:02d}"


def _spent(n: int) -> str:
    return f"${1000 + n:,}.{n:02d}"


@pytest.fixture
def long_report(world):
    """A plan with three dozen actions over several priorities and two equity goals: a report of several pages."""
    plan = db.session.get(ImprovementPlan, (world.home.id, world.feature_ids["own"]["plan"]))
    owners = [world.leader, world.lead, factories.UserFactory(name="Pat Kim")]
    for p in range(3):
        strategy = strategy_for(priority_for(plan, f"Priority {p + 1}", position=p + 3))
        for n in range(p * ACTIONS // 3, (p + 1) * ACTIONS // 3):
            action_for(strategy, plan, owners[n % 3], title=_title(n), spent_cents=(1000 + n) * 100 + n,
                       due_on=date(2027, 1 + n % 12, 1 + n % 28))
    goal = goal_for(world.home, baseline_year=2025, target_year=2028, student_group="Students with disabilities")
    for year, value, comparison in ((2026, "24.00", "41.00"), (2027, "29.00", "43.00")):
        measurement_for(goal, year, value, comparison)
    db.session.expire(plan)
    return report_for(plan)


@pytest.fixture
def pdf(client, auth, world, long_report) -> bytes:
    auth.sign_in(world.leader)
    response = client.get(f"/districts/homeville/reports/{long_report.id}.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    return response.data


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_action_row_is_whole_on_one_page(pdf):
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for n in range(ACTIONS):
        holding = [text for text in pages if _spent(n) in text.replace("\n", "")]
        assert len(holding) == 1, (n, len(holding))
        assert f"Start{n:02d}" in holding[0] and f"End{n:02d}" in holding[0], n


def test_the_actions_table_repeats_its_header_on_every_page_it_spans(pdf):
    pages = [text for text in page_texts(pdf) if any(_spent(n) in text.replace("\n", "") for n in range(ACTIONS))]
    assert len(pages) >= 2 and all("Owner" in text and "Allocated" in text for text in pages)


def test_no_heading_is_left_at_the_foot_of_a_page(pdf):
    pages = page_texts(pdf)
    for number, text in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip() and not re.fullmatch(r"Page \d+ of \d+", line.strip())]
        assert lines and lines[-1] not in HEADINGS, (number, lines[-3:])


def test_every_page_renders_and_the_chart_lines_print_in_the_legend_s_colours(pdf, tmp_path):
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(page_texts(pdf))

    def pixels_near(colour: str) -> int:
        target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return sum(1 for image in images for pixel in Image.open(image).convert("RGB").get_flattened_data()
                   if sum(abs(a - b) for a, b in zip(pixel, target)) < 60)

    # At this resolution the legend's keys (and the health line's blue border) are some sixty pixels of these
    # colours; each chart's group and comparison lines with their points add over a hundred more.
    assert pixels_near(GROUP_COLOUR) > 150 and pixels_near(COMPARISON_COLOUR) > 150


def test_the_axis_years_are_whole_in_the_chart_and_in_the_pdf(client, auth, world, long_report, pdf):
    page = client.get(f"/districts/homeville/reports/{long_report.id}")
    svg = re.search(r"<svg viewBox=.*?</svg>", page.text, re.S).group()
    chart = ElementTree.fromstring(re.sub(r"<title.*?</title>", "", svg, flags=re.S))
    width = float(chart.get("viewBox").split()[2])
    years = [label for label in chart.iter() if label.tag.endswith("text") and re.fullmatch(r"\d{4}", label.text or "")]
    assert len(years) >= 4
    for label in years:
        size = len(label.text) * 0.6 * 12  # a digit is about 0.6 em wide, at 12px on screen
        x = float(label.get("x"))
        left = {"start": x, "end": x - size}.get(label.get("text-anchor"), x - size / 2)
        assert 0 <= left and left + size <= width, (label.text, x, width)
    assert all(re.search(rf"\b{year}\b", "\n".join(page_texts(pdf))) for year in ("2025", "2026", "2027", "2028"))
