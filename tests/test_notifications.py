"""Notifications through real Redis, a real RQ worker and a real SMTP server: who gets what, once, and opt-outs."""
from datetime import date, timedelta

import pytest
from markupsafe import escape
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry
from sqlalchemy import delete, func, select

from app.extensions import db
from app.mail import MailKind, SentMail
from app.notifications.models import NotificationKind
from app.notifications.services import digest_week, save_preferences, turned_off
from app.plans.models import StatusReport
from tenants.models import AccountabilityStatus
from tests import factories
from tests.factories import Role
from tests.mailbox import Mailbox, free_port
from tests.test_fieldwork import statements
from workers.jobs import send_follow_up_reminder, send_report_ready
from workers.queues import enqueue

MONDAY = date(2026, 11, 23)
BASE_URL = "https://support.example.org"


@pytest.fixture(autouse=True)
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)


def run_worker(redis, *queues: str) -> None:
    """Run every job of these queues (and the jobs they enqueue); fail on any job that failed."""
    names = queues or ("notifications",)
    SimpleWorker([Queue(name, connection=redis) for name in names], connection=redis).work(burst=True)
    for name in names:
        retrying = ScheduledJobRegistry(name, connection=redis).get_job_ids()
        failed = FailedJobRegistry(name, connection=redis).get_job_ids()
        assert not retrying and not failed, [Job.fetch(i, connection=redis).exc_info for i in retrying + failed]


def body(message) -> str:
    """The text of a mail as written, without SMTP's CRLF line ends."""
    return Mailbox.text(message).replace("\r\n", "\n")


def sent_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SentMail))


# --- follow-up reminders ------------------------------------------------------------------------


@pytest.fixture
def follow_ups(world):
    """The lead's follow-ups: due today, overdue, not yet due, done; one overdue for the foreign lead."""
    lead, home, school = world.lead, world.home, world.home_school

    def visit(purpose, follow_up_on, district=home, who=lead, at=school, **fields):
        return factories.visit(district, who, at, purpose=purpose, visited_on=MONDAY - timedelta(days=20),
                               follow_up_on=follow_up_on, next_steps=f"Next: {purpose.lower()}", **fields)

    return {
        "today": visit("Data meeting", MONDAY),
        "overdue": visit("Coaching cycle", MONDAY - timedelta(days=3), at=None),
        "later": visit("Walkthrough debrief", MONDAY + timedelta(days=2)),
        "done": visit("Budget review", MONDAY - timedelta(days=5), follow_up_done=True),
        "foreign": visit("Faraway coaching", MONDAY - timedelta(days=1), district=world.foreign,
                         who=world.foreign_lead, at=world.foreign_school),
    }


def test_each_lead_gets_one_mail_with_follow_ups_due_today_and_overdue(world, follow_ups, mailbox, redis):
    enqueue("workers.jobs.send_follow_up_reminders", MONDAY.isoformat(), queue_name="notifications")
    run_worker(redis)  # the daily job, then one job per lead it enqueued

    assert {m["To"] for m in mailbox.messages} == {world.lead.email, world.foreign_lead.email}
    (mail,) = mailbox.to(world.lead.email)
    assert mail["Subject"] == "Follow-ups: 1 due today, 1 overdue"
    text = body(mail)
    assert "Follow-ups due today, 23 November 2026:" in text
    today_part, overdue_part = text.split("Overdue follow-ups")
    assert "Data meeting" in today_part and "Coaching cycle" in overdue_part
    assert "20 November, Homeville, district office: Coaching cycle" in overdue_part
    assert "Next steps: Next: data meeting" in today_part
    assert f"{BASE_URL}/districts/homeville/visits/{follow_ups['today'].id}" in today_part
    assert "Walkthrough debrief" not in text and "Budget review" not in text and "Faraway" not in text
    assert f"{BASE_URL}/account/notifications" in text
    assert "Faraway coaching" in body(mailbox.to(world.foreign_lead.email)[0])


def test_no_reminder_when_nothing_is_due_or_overdue(world, mailbox):
    factories.visit(world.home, world.lead, follow_up_on=MONDAY + timedelta(days=1))
    assert send_follow_up_reminder(world.lead.id, MONDAY.isoformat()) is False
    assert mailbox.messages == [] and sent_count() == 0


def test_a_rerun_or_a_retried_job_sends_nothing_more(world, follow_ups, mailbox, redis):
    for _ in range(2):
        enqueue("workers.jobs.send_follow_up_reminders", MONDAY.isoformat(), queue_name="notifications")
        run_worker(redis)
    assert send_follow_up_reminder(world.lead.id, MONDAY.isoformat()) is False  # a retry after it was sent
    assert len(mailbox.to(world.lead.email)) == 1 and len(mailbox.messages) == 2
    # The next day is a new reminder.
    assert send_follow_up_reminder(world.lead.id, (MONDAY + timedelta(days=1)).isoformat()) is True


def test_a_lead_who_turned_reminders_off_gets_none(world, follow_ups, mailbox, redis):
    save_preferences(world.lead, {NotificationKind.REPORT_READY, NotificationKind.WEEKLY_DIGEST})
    enqueue("workers.jobs.send_follow_up_reminders", MONDAY.isoformat(), queue_name="notifications")
    run_worker(redis)
    assert mailbox.to(world.lead.email) == []
    assert len(mailbox.to(world.foreign_lead.email)) == 1


def test_a_mail_that_fails_is_sent_by_the_retry(app, world, follow_ups, mailbox, monkeypatch):
    db.session.commit()  # the failing job rolls its own work back: keep the test's rows out of it
    with monkeypatch.context() as closed:
        closed.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
        with pytest.raises(ConnectionRefusedError):
            send_follow_up_reminder(world.lead.id, MONDAY.isoformat())
    assert sent_count() == 0
    assert send_follow_up_reminder(world.lead.id, MONDAY.isoformat()) is True
    assert len(mailbox.to(world.lead.email)) == 1


def test_reminders_stay_within_the_lead_s_districts(world, mailbox):
    """A follow-up left in a district the lead no longer works with is not theirs to be reminded of."""
    factories.visit(world.foreign, world.lead, follow_up_on=MONDAY, purpose="Left behind")
    assert send_follow_up_reminder(world.lead.id, MONDAY.isoformat()) is False
    assert mailbox.messages == []


# --- status report ready ------------------------------------------------------------------------


def test_a_report_made_on_demand_mails_the_district_s_other_leaders(client, auth, world, mailbox, redis):
    second_leader = factories.person(Role.DISTRICT_LEADER, district=world.home, name="Sam Superintendent")
    auth.sign_in(world.leader)
    response = client.post("/districts/homeville/reports")
    assert response.status_code == 302
    report_url = response.headers["Location"]
    assert Queue("notifications", connection=redis).count == 1
    run_worker(redis)

    (mail,) = mailbox.messages
    assert mail["To"] == second_leader.email and mail["Subject"] == "Status report ready: Homeville"
    text = body(mail)
    assert f"{BASE_URL}{report_url}" in text
    assert "Homeville's plan \"Homeville plan\" is ready (made by Lia Leader)" in text
    assert "Plan health:" in text


def test_without_redis_the_mail_goes_at_once_and_a_mail_server_that_is_down_loses_no_report(
        app, client, auth, world, mailbox, monkeypatch):
    second_leader = factories.person(Role.DISTRICT_LEADER, district=world.home, name="Sam Superintendent")
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # as in `make run`: jobs run in-process
    auth.sign_in(world.leader)
    assert client.post("/districts/homeville/reports").status_code == 302
    assert [m["To"] for m in mailbox.messages] == [second_leader.email]

    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    response = client.post("/districts/homeville/reports", follow_redirects=True)
    assert "Status report made." in response.get_data(as_text=True)
    made = db.session.scalar(select(func.count()).select_from(StatusReport)
                             .where(StatusReport.district_id == world.home.id, StatusReport.made_by_id.is_not(None)))
    assert made == 2 and len(mailbox.messages) == 1


def test_scheduled_reports_mail_each_district_s_leaders_once(world, mailbox, redis):
    for _ in range(2):  # the scheduler's daily job, delivered twice
        enqueue("workers.jobs.make_due_status_reports", MONDAY.isoformat(), queue_name="reports")
        run_worker(redis, "reports", "notifications")
    reports = db.session.scalars(select(StatusReport).where(StatusReport.scheduled_for.is_not(None))).all()
    assert len(reports) == 2
    assert sorted(m["To"] for m in mailbox.messages) == sorted([world.leader.email, world.foreign_leader.email])
    (home_mail,) = mailbox.to(world.leader.email)
    home_report = next(r for r in reports if r.district_id == world.home.id)
    assert f"{BASE_URL}/districts/homeville/reports/{home_report.id}" in body(home_mail)
    assert "scheduled, for the interval starting 1 October 2026" in body(home_mail)
    assert "Faraway" not in body(home_mail)

    assert send_report_ready(world.home.id, home_report.id) == 0  # a retried job sends nothing twice
    assert len(mailbox.messages) == 2


def test_a_leader_who_turned_report_mail_off_gets_none(world, mailbox, redis):
    save_preferences(world.leader, {NotificationKind.FOLLOW_UP_REMINDER})
    enqueue("workers.jobs.make_due_status_reports", MONDAY.isoformat(), queue_name="reports")
    run_worker(redis, "reports", "notifications")
    assert [m["To"] for m in mailbox.messages] == [world.foreign_leader.email]


# --- weekly digest ------------------------------------------------------------------------------


@pytest.fixture
def week(world):
    """Last week in the home region: two visits by the lead, one school needing assistance never visited,
    one visited 40 days before the week's end, one follow-up overdue; a visit in the foreign region."""
    home, lead = world.home, world.lead
    needing = AccountabilityStatus.FOCUSED_TARGETED
    world.home_school.accountability_category = needing  # visited last week: covered
    factories.SchoolFactory(district=home, name="Never Visited Middle", accountability_category=needing)
    stale = factories.SchoolFactory(district=home, name="Long Ago Elementary", accountability_category=needing)
    sunday = digest_week(MONDAY) + timedelta(days=6)
    factories.visit(home, lead, stale, visited_on=sunday - timedelta(days=40), minutes=60)
    factories.visit(home, lead, world.home_school, visited_on=sunday - timedelta(days=2), minutes=90)
    factories.visit(home, lead, world.home_school, visited_on=sunday, minutes=60,
                    follow_up_on=sunday - timedelta(days=1))
    factories.visit(world.foreign, world.foreign_lead, world.foreign_school, visited_on=sunday)


def test_the_director_gets_last_week_s_digest_of_their_region(world, week, mailbox, redis):
    enqueue("workers.jobs.send_weekly_digests", MONDAY.isoformat(), queue_name="notifications")
    run_worker(redis)

    (mail,) = mailbox.messages  # directors only: not the admin, not the leads
    assert mail["To"] == world.director.email
    assert mail["Subject"] == "Weekly digest: 2026-11-16 to 2026-11-22"
    text = body(mail)
    assert "== Home Region ==" in text
    assert "Visits this week: 2 (2.5 hours)" in text
    assert "- Lou Lead: 2 visits, 2.5 hours" in text
    assert "Schools needing assistance not visited in 30 days: 2 of 3" in text
    assert "- Never Visited Middle (Homeville): never visited" in text
    assert "- Long Ago Elementary (Homeville): last visit 13 October 2026, 40 days ago" in text
    assert "Follow-ups overdue: 1\n- Homeville: 1" in text
    assert f"{BASE_URL}/rollups/?region={world.home_region.id}&from=2026-11-16&to=2026-11-22" in text
    assert "Faraway" not in text and "Foreign Region" not in text


def test_the_digest_is_sent_once_a_week_and_not_to_who_turned_it_off(world, week, mailbox, redis):
    other = factories.person(Role.REGIONAL_DIRECTOR, region=world.foreign_region, name="Olu Other")
    save_preferences(other, set())
    for _ in range(2):
        enqueue("workers.jobs.send_weekly_digests", MONDAY.isoformat(), queue_name="notifications")
        run_worker(redis)
    assert [m["To"] for m in mailbox.messages] == [world.director.email]



def test_every_notification_is_a_kind_of_mail_sent_once():
    # `notify` sends a notification once under the MailKind of the same value (app.mail.send_once).
    assert {kind.value for kind in NotificationKind} <= {kind.value for kind in MailKind}

# --- the settings page --------------------------------------------------------------------------


def test_every_notification_is_on_until_turned_off(client, auth, world):
    auth.sign_in(world.viewer)
    page = client.get("/account/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<a href="/account/notifications">Notifications</a>' in html  # in the header
    assert "<legend>Email me</legend>" in html
    for kind in NotificationKind:
        assert f'<label class="choice" for="{kind.value}"><input aria-describedby="{kind.value}-hint" checked' \
               f' id="{kind.value}" name="{kind.value}" type="checkbox" value="y"> {kind.label}</label>' in html
        assert f'<p class="hint" id="{kind.value}-hint">{escape(kind.description)}</p>' in html


def test_saving_turns_kinds_off_and_back_on_for_this_person_only(client, auth, world):
    auth.sign_in(world.lead)
    response = client.post("/account/notifications", data={"report_ready": "y"}, follow_redirects=True)
    assert "Your notification settings are saved." in response.get_data(as_text=True)
    assert turned_off(world.lead) == {NotificationKind.FOLLOW_UP_REMINDER, NotificationKind.WEEKLY_DIGEST}
    html = client.get("/account/notifications").get_data(as_text=True)
    assert 'checked id="report_ready"' in html and 'checked id="weekly_digest"' not in html
    client.post("/account/notifications", data={})
    assert turned_off(world.lead) == set(NotificationKind)
    client.post("/account/notifications", data={kind.value: "y" for kind in NotificationKind})
    assert turned_off(world.lead) == set()
    assert turned_off(world.leader) == set()


def test_the_settings_page_needs_a_signed_in_person(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_forged_settings_form_changes_nothing(app, client, auth, world, monkeypatch):
    auth.sign_in(world.lead)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/account/notifications", data={})
    assert response.status_code == 400
    assert turned_off(world.lead) == set()


# --- cost ---------------------------------------------------------------------------------------


def test_a_reminder_and_a_digest_take_as_many_statements_for_many_rows_as_for_few(world, week, mailbox):
    from workers.jobs import send_weekly_digest

    week_start = digest_week(MONDAY).isoformat()

    def add_rows(how_many: int):
        for n in range(how_many):
            district = factories.DistrictFactory(region=world.home_region)
            factories.grant(world.lead, Role.ASSISTANCE_LEAD, district=district)
            school = factories.SchoolFactory(district=district,
                                             accountability_category=AccountabilityStatus.FOCUSED_TARGETED)
            factories.visit(district, world.lead, school, visited_on=MONDAY - timedelta(days=3),
                            follow_up_on=MONDAY - timedelta(days=n))
        db.session.commit()
        db.session.expire_all()

    def sending() -> int:
        db.session.execute(delete(SentMail))  # send again, over more rows
        return statements(lambda: (send_follow_up_reminder(world.lead.id, MONDAY.isoformat()),
                                   send_weekly_digest(world.director.id, week_start)))

    add_rows(1)
    few = sending()
    add_rows(10)
    assert sending() == few
    assert [m["Subject"] for m in mailbox.to(world.lead.email)] == [
        "Follow-ups: 1 due today, 1 overdue", "Follow-ups: 2 due today, 10 overdue"]
