"""Who gets which notification, what it says, and sending each one once.

Every notification goes through `notify`: the person's preferences, then
`app.mail.send_once` with the key (person, kind, period), so a rerun, a retried
job or a second scheduler sends nothing twice. Each runs in the scope its job declares (workers/jobs.py): scheduled
fan-outs (`enqueue_*`) read who is due in every district and write none; each
person's job reads in that person's own reach.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select

from app.accounts.models import RoleGrant, User
from app.clock import state_today
from app.extensions import db
from app.fieldwork.models import Visit
from app.fieldwork.services import open_follow_ups
from app.mail import MAIL_QUEUE, MailKind, link_to, render_mail, send_once
from app.notifications.models import NotificationKind, NotificationOptOut
from app.plans.models import StatusReport
from app.regional.services import (
    COVERAGE_WINDOWS,
    Criteria,
    Section,
    capacity_by_lead,
    coverage_by_district,
    coverage_by_school,
)
from tenants.access import director_region_ids
from tenants.lookup import cross_district_reads
from tenants.models import Region
from tenants.roles import Role
from workers.queues import enqueue

# --- preferences --------------------------------------------------------------------------------


def turned_off(user: User) -> set[NotificationKind]:
    return set(db.session.scalars(select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)))


def save_preferences(user: User, wanted: set[NotificationKind]) -> None:
    """Keep on the kinds in `wanted`, turn the others off; the caller commits."""
    db.session.execute(delete(NotificationOptOut).where(NotificationOptOut.user_id == user.id))
    db.session.add_all(NotificationOptOut(user_id=user.id, kind=kind)
                       for kind in NotificationKind if kind not in wanted)


def notify(user: User, kind: NotificationKind, period: str, subject: str, template: str, **context) -> bool:
    """Mail this person unless they turned `kind` off or already got it for `period`; True if sent now."""
    if not user.is_active or kind in turned_off(user):
        return False
    text = render_mail(template, user=user, preferences=link_to("notifications.preferences"), **context)
    return send_once(user, MailKind(kind), period, subject, text)


def _active_people(*conditions) -> list[int]:
    return list(db.session.scalars(
        select(User.id).where(User.active.is_(True), *conditions).distinct().order_by(User.id)
    ))


# --- follow-up reminders ------------------------------------------------------------------------


def enqueue_follow_up_reminders(today: str | None = None) -> int:
    """Queue a reminder job per person with follow-ups due on `today` or overdue."""
    day = date.fromisoformat(today) if today else state_today()
    due = select(Visit.lead_id).where(Visit.follow_up_on <= day, Visit.follow_up_done.is_(False))
    people = _active_people(User.id.in_(due))
    for user_id in people:
        enqueue("workers.jobs.send_follow_up_reminder", user_id, day.isoformat(), queue_name=MAIL_QUEUE)
    return len(people)


def send_follow_up_reminder(user_id: int, day: date) -> bool:
    """Mail a lead their follow-ups due on `day` and overdue, in the job's scope (their own reach, read only);
    nothing when there are none."""
    lead = db.session.get(User, user_id)
    follow_ups = open_follow_ups(lead, day) if lead is not None else []
    if not follow_ups:
        return False
    overdue = [visit for visit in follow_ups if visit.follow_up_on < day]
    due_today = [visit for visit in follow_ups if visit.follow_up_on == day]
    counts = {"due today": len(due_today), "overdue": len(overdue)}
    subject = "Follow-ups: " + ", ".join(f"{count} {what}" for what, count in counts.items() if count)
    return notify(
        lead, NotificationKind.FOLLOW_UP_REMINDER, day.isoformat(), subject,
        "notifications/mail/follow_ups.txt", day=day, overdue=overdue, due_today=due_today,
        link=lambda visit: link_to("fieldwork.visit", slug=visit.district.slug, visit_id=visit.id),
    )


# --- status report ready ------------------------------------------------------------------------


def send_report_ready(district_id: int, report_id: int) -> int:
    """Mail the district's leaders (but the one who made it) that a status report is ready, in the job's scope
    (this district, read only); how many were sent."""
    report = db.session.scalars(
        select(StatusReport).where(StatusReport.district_id == district_id, StatusReport.id == report_id)
    ).one_or_none()
    if report is None:
        raise LookupError(f"status report {report_id} of district {district_id} not found")
    leaders = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.DISTRICT_LEADER, RoleGrant.district_id == district_id,
               *([User.id != report.made_by_id] if report.made_by_id else []))
        .distinct().order_by(User.id)
    ).all()
    link = link_to("plans.report", slug=report.district.slug, report_id=report.id)
    district = report.snapshot["district"]
    return sum(
        notify(leader, NotificationKind.REPORT_READY, f"report {district_id}/{report_id}",
                  f"Status report ready: {district}", "notifications/mail/report_ready.txt",
                  report=report, snapshot=report.snapshot, link=link)
        for leader in leaders
    )


# --- weekly digest ------------------------------------------------------------------------------

UNVISITED_DAYS = COVERAGE_WINDOWS[0]


def digest_week(today: date) -> date:
    """The Monday of the last full week before `today`: what a Monday-morning digest reports on."""
    return today - timedelta(days=today.weekday() + 7)


def enqueue_weekly_digests(today: str | None = None) -> int:
    """Queue a digest job per regional director, for the last full week."""
    week_start = digest_week(date.fromisoformat(today) if today else state_today())
    directors = _active_people(User.id.in_(
        select(RoleGrant.user_id).where(RoleGrant.role == Role.REGIONAL_DIRECTOR)
    ))
    for user_id in directors:
        enqueue("workers.jobs.send_weekly_digest", user_id, week_start.isoformat(), queue_name=MAIL_QUEUE)
    return len(directors)


@dataclass(frozen=True)
class RegionDigest:
    region: Region
    coverage: Section
    unvisited: list
    leads: Section
    dashboard: str


def send_weekly_digest(user_id: int, week_start: date) -> bool:
    """Mail a regional director the week's figures for each of their regions, from the dashboard's own functions."""
    director = db.session.get(User, user_id)
    if director is None or not director.is_active:
        return False
    # Regions are platform-wide: the job's scope (the director's own reach) reads them all.
    regions = list(db.session.scalars(
        select(Region).where(Region.id.in_(director_region_ids(director))).order_by(Region.name)
    ))
    if not regions:
        return False
    week_end = week_start + timedelta(days=6)
    digests = [_region_digest(director, region, Criteria(week_start, week_end, region_id=region.id))
               for region in regions]
    year, week, _ = week_start.isocalendar()
    return notify(
        director, NotificationKind.WEEKLY_DIGEST, f"{year}-W{week:02d}",
        f"Weekly digest: {week_start.isoformat()} to {week_end.isoformat()}", "notifications/mail/weekly_digest.txt",
        week_start=week_start, week_end=week_end, regions=digests, unvisited_days=UNVISITED_DAYS,
    )


def _region_digest(director: User, region: Region, criteria: Criteria) -> RegionDigest:
    with cross_district_reads(director, [region.id]):
        schools = coverage_by_school(criteria, limit=None)
        return RegionDigest(
            region=region,
            coverage=coverage_by_district(criteria, sort="district", limit=None),
            unvisited=[row for row in schools.rows if row.days_since is None or row.days_since >= UNVISITED_DAYS],
            leads=capacity_by_lead(criteria, sort="lead", limit=None),
            dashboard=link_to("rollups.dashboard", region=region.id,
                              **{"from": criteria.start.isoformat(), "to": criteria.end.isoformat()}),
        )
