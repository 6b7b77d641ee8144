"""Invitations and password resets: mails through a real SMTP server, jobs on real Redis, links that expire,
work once and refuse tampering, and a reset page that never tells who has an account."""
import io
import re
import time

import pytest
from flask import g
from rq import Queue, SimpleWorker
from sqlalchemy import select, update

from app.accounts.models import User
from app.auth.links import LinkPurpose, make_link_token, user_for_link
from app.auth.services import set_password_from_link
from app.extensions import db
from app.onboarding.jobs import apply_import
from app.onboarding.services import preview_district_import
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a brand new passphrase"
PEOPLE = b"email,name,role,title\nnew.leader@example.org,Nia Newlead,District leader,Superintendent\n"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/set-password/(invitation|reset)/\S+)")


def send_mails(redis) -> int:
    """Run the notifications queue's jobs as a worker would; how many there were."""
    notifications = Queue("notifications", connection=redis)
    waiting = notifications.count
    SimpleWorker([notifications], connection=redis).work(burst=True)
    return waiting


def link_in(mailbox, address: str) -> str:
    """The path of the set-password link in the one mail `address` received."""
    [message] = mailbox.to(address)
    return LINK.search(mailbox.text(message)).group(1)


def import_people(world, people=PEOPLE) -> dict:
    batch = preview_district_import(world.home, {"people": ("people.csv", people)}, world.admin).batch
    return apply_import(batch.id, world.admin.id)


def set_password(client, path: str, password: str = NEW_PASSWORD, confirmation: str | None = None):
    return client.post(path, data={"password": password, "confirmation": confirmation or password})


def later(monkeypatch, seconds: int) -> None:
    """Move itsdangerous's clock forward: links made now are `seconds` old."""
    now = time.time()
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + seconds)


def test_an_imported_person_is_invited_sets_a_password_and_signs_in(client, world, mailbox, redis):
    assert import_people(world)["people_invited"] == 1
    assert mailbox.messages == []  # queued, not sent inside the import
    assert send_mails(redis) == 1
    [message] = mailbox.to("new.leader@example.org")
    assert message["Subject"] == "You are invited to the regional support platform"
    text = mailbox.text(message)
    assert f"{world.admin.name} invited you" in text
    assert "for 7 days" in text
    assert LINK.search(message.get_payload())  # the raw mail, as `make mail` prints it: the link is one line
    path = link_in(mailbox, "new.leader@example.org")
    page = client.get(path)
    assert page.status_code == 200 and "Choose your password" in page.text and "new.leader@example.org" in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    response = set_password(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Nia Newlead" in home.text and "District leader · Homeville" in home.text
    client.post("/sign-out")
    assert client.post("/sign-in", data={"email": "new.leader@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_a_rerun_import_invites_nobody_and_a_person_with_a_password_is_never_invited(world, mailbox, redis):
    import_people(world)
    send_mails(redis)
    again = import_people(world)
    assert again["people_invited"] == 0 and send_mails(redis) == 0
    # The lead already has a password: a new role in another district gives them no invitation.
    lead = f"email,name,role\n{world.lead.email},{world.lead.name},District viewer\n".encode()
    result = import_people(world, lead)
    assert result["grants_created"] == 1 and result["people_invited"] == 0
    assert send_mails(redis) == 0 and mailbox.to(world.lead.email) == []


def test_a_person_added_in_admin_is_invited(client, auth, world, mailbox, redis):
    auth.sign_in(world.admin)
    response = client.post("/admin/user/new/", data={"name": "Ola Added", "email": " Ola.Added@Example.org ",
                                                     "active": "y", "new_password": ""})
    assert response.status_code == 302
    assert "Invitation on its way to Ola Added." in client.get(response.headers["Location"]).text
    send_mails(redis)
    path = link_in(mailbox, "ola.added@example.org")
    auth.sign_out()
    assert set_password(client, path).status_code == 302
    assert "Ola Added" in client.get("/").text


def test_a_person_added_with_a_password_gets_no_invitation(client, auth, world, mailbox, redis):
    auth.sign_in(world.admin)
    response = client.post("/admin/user/new/", data={"name": "Pat Preset", "email": "pat@example.org",
                                                     "active": "y", "new_password": "set by the admin here"})
    assert response.status_code == 302 and send_mails(redis) == 0


def test_an_admin_resends_an_invitation_and_a_person_with_a_password_is_passed_over(client, auth, world, mailbox,
                                                                                   redis):
    invitee = UserFactory(name="Ivy Invited", email="ivy@example.org", password_hash=None)
    auth.sign_in(world.admin)
    response = client.post("/admin/user/action/", data={"action": "resend_invitation",
                                                        "rowid": [invitee.id, world.leader.id]},
                           follow_redirects=True)
    assert "Invitation on its way to Ivy Invited." in response.text
    assert f"No invitation for {world.leader.name}: inactive, or a password is already set" in response.text
    assert send_mails(redis) == 1 and len(mailbox.messages) == 1
    auth.sign_out()
    assert set_password(client, link_in(mailbox, "ivy@example.org")).status_code == 302


def test_the_admin_user_list_says_who_has_set_a_password_and_finds_those_who_have_not(client, auth, world):
    UserFactory(name="Ivy Invited", password_hash=None)
    auth.sign_in(world.admin)
    page = client.get("/admin/user/").text
    assert "Password set" in page and "not yet" in page and world.leader.name in page
    waiting = client.get("/admin/user/?flt0_0=1").text  # the filter "Password empty: yes"
    assert "Ivy Invited" in waiting and world.leader.name not in waiting


def test_a_used_link_is_refused_and_offers_a_new_one(client, world, mailbox, redis):
    import_people(world)
    send_mails(redis)
    path = link_in(mailbox, "new.leader@example.org")
    set_password(client, path)
    client.post("/sign-out")
    for response in (client.get(path), set_password(client, path, "someone else's password")):
        assert response.status_code == 410 and "This link was already used" in response.text
        assert 'action="/forgot-password"' in response.text and "Ask the person who invited you" in response.text
    assert client.post("/sign-in", data={"email": "new.leader@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_link_is_refused(client, world, monkeypatch):
    invitation = f"/set-password/invitation/{make_link_token(world.leader, LinkPurpose.INVITATION)}"
    reset = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    later(monkeypatch, 3601)
    assert client.get(invitation).status_code == 200  # invitations last 7 days
    response = client.get(reset)
    assert response.status_code == 410 and "This link has expired" in response.text and "works for 1 hour" in response.text
    later(monkeypatch, 7 * 24 * 3600 + 1)
    response = set_password(client, invitation)
    assert response.status_code == 410 and "This link has expired" in response.text
    db.session.refresh(world.leader)
    assert client.post("/sign-in", data={"email": world.leader.email, "password": PASSWORD}).status_code == 302


def test_the_lifetimes_come_from_the_configuration(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE_SECONDS", 60)
    path = f"/set-password/invitation/{make_link_token(world.leader, LinkPurpose.INVITATION)}"
    later(monkeypatch, 61)
    assert client.get(path).status_code == 410


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
    lambda token: "eyJ1c2VyIjoxLCJmcCI6IngifQ" + token[token.index("."):],  # another payload, same signature
    lambda token: token[:20],  # cut short by a mail program
])
def test_a_tampered_link_is_refused(client, world, tamper):
    token = make_link_token(world.leader, LinkPurpose.RESET)
    response = client.get(f"/set-password/reset/{tamper(token)}")
    assert response.status_code == 400 and "This link is not valid" in response.text


def test_a_link_made_for_one_purpose_does_not_work_for_the_other(client, world):
    token = make_link_token(world.leader, LinkPurpose.RESET)
    assert client.get(f"/set-password/invitation/{token}").status_code == 400


def test_an_inactive_person_s_link_is_refused(client, world):
    path = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    world.leader.active = False
    db.session.flush()
    assert client.get(path).status_code == 410


def test_the_new_password_is_checked(client, world):
    path = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    short = set_password(client, path, "too short")
    assert short.status_code == 422 and "Use 12 to 200 characters." in short.text
    differ = set_password(client, path, NEW_PASSWORD, "another passphrase")
    assert differ.status_code == 422 and "The two passwords differ." in differ.text
    assert client.get("/").status_code == 302  # not signed in
    assert client.post("/sign-in", data={"email": world.leader.email, "password": PASSWORD}).status_code == 302


def test_forgot_password_mails_a_reset_link_that_replaces_the_password(client, world, mailbox, redis):
    assert 'href="/forgot-password">Forgot your password?' in client.get("/sign-in").text
    response = client.post("/forgot-password", data={"email": world.leader.email.upper()}, follow_redirects=True)
    assert "a link to set a new password is on its way there. It works once, for 1 hour." in response.text
    send_mails(redis)
    [message] = mailbox.to(world.leader.email)
    assert message["Subject"] == "Set a new password for the regional support platform"
    path = link_in(mailbox, world.leader.email)
    assert "Set a new password" in client.get(path).text
    assert set_password(client, path).status_code == 302
    client.post("/sign-out")
    assert client.post("/sign-in", data={"email": world.leader.email, "password": PASSWORD}).status_code == 422
    assert client.post("/sign-in", data={"email": world.leader.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_for_an_unknown_or_inactive_email_sends_nothing_and_answers_the_same(client, world, mailbox, redis):
    world.viewer.active = False
    db.session.flush()
    answers = []
    for email in (world.leader.email, "nobody@example.org", world.viewer.email):
        response = client.post("/forgot-password", data={"email": email})
        page = client.get(response.headers["Location"]).text
        answers.append((response.status_code, response.headers["Location"], page.replace(email, "EMAIL")))
    assert answers[0] == answers[1] == answers[2]
    assert send_mails(redis) == 1 and [m["To"] for m in mailbox.messages] == [world.leader.email]


def test_a_bad_email_is_explained(client):
    response = client.post("/forgot-password", data={"email": "not-an-email"})
    assert response.status_code == 422 and "Not a valid email address. An email address must have an @-sign." in response.text


def test_forgot_password_is_rate_limited(app, client, world):
    limit = int(app.config["SIGN_IN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert client.post("/forgot-password", data={"email": "nobody@example.org"}).status_code == 302
    response = client.post("/forgot-password", data={"email": world.leader.email})
    assert response.status_code == 429 and "Too many attempts" in response.text
    assert client.get("/forgot-password").status_code == 200


def test_set_password_is_rate_limited(app, client, world):
    limit = int(app.config["SIGN_IN_RATE_LIMIT"].split()[0])
    path = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    for _ in range(limit):
        set_password(client, path, "short")
    assert set_password(client, path).status_code == 429


def test_a_reset_retires_the_invitation_and_every_earlier_link(client, world):
    world.leader.password_hash = None
    db.session.flush()
    invitation = f"/set-password/invitation/{make_link_token(world.leader, LinkPurpose.INVITATION)}"
    reset = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    assert set_password(client, reset).status_code == 302
    assert client.get(invitation).status_code == 410


def test_the_same_link_submitted_twice_at_once_sets_one_password(world):
    user = user_for_link(make_link_token(world.leader, LinkPurpose.RESET), LinkPurpose.RESET)
    # Another request with the same link sets a password between this one's check and its write.
    db.session.execute(update(User).where(User.id == user.id).values(password_hash="set by the other request"),
                       execution_options={"synchronize_session": False})
    assert not set_password_from_link(user, NEW_PASSWORD)
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == "set by the other request"


def test_a_mail_job_delivered_twice_sends_one_mail(world, mailbox, redis):
    from workers.queues import enqueue

    world.leader.password_hash = None
    db.session.flush()
    job = enqueue("workers.jobs.send_invitation", world.leader.id, world.admin.id, queue_name="notifications")
    send_mails(redis)
    Queue("notifications", connection=redis).enqueue_job(job)  # the queue delivers it again
    send_mails(redis)
    assert len(mailbox.to(world.leader.email)) == 1



def test_a_mail_job_enqueued_again_after_redis_restarted_empty_sends_one_mail(world, mailbox, redis):
    from datetime import timedelta

    from app.clock import stored_now
    from workers.models import BackgroundJob
    from workers.queues import enqueue
    from workers.reconcile import reconcile_jobs

    world.leader.password_hash = None
    db.session.flush()
    job = enqueue("workers.jobs.send_invitation", world.leader.id, world.admin.id, queue_name="notifications")
    send_mails(redis)
    assert len(mailbox.to(world.leader.email)) == 1
    # The worker died after sending, before its success was recorded; then Redis restarted with nothing in it.
    db.session.execute(update(BackgroundJob).where(BackgroundJob.rq_id == job.id).values(finished_at=None))
    redis.flushdb()
    assert reconcile_jobs(now=stored_now() + timedelta(minutes=1))["requeued"] == 1  # the same job, by its id
    assert send_mails(redis) == 1
    assert len(mailbox.to(world.leader.email)) == 1

def test_no_invitation_goes_to_someone_who_set_a_password_meanwhile(world, mailbox, redis):
    from workers.queues import enqueue

    enqueue("workers.jobs.send_invitation", world.leader.id, world.admin.id, queue_name="notifications")
    send_mails(redis)
    assert mailbox.messages == []


def test_without_redis_mails_go_at_once_and_a_silent_mail_server_is_explained(app, client, auth, world, mailbox,
                                                                              monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    client.post("/forgot-password", data={"email": world.leader.email})
    assert len(mailbox.to(world.leader.email)) == 1
    auth.sign_in(world.admin)
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens there
    response = client.post("/admin/user/new/", data={"name": "Una Unsent", "email": "una@example.org",
                                                     "active": "y", "new_password": ""}, follow_redirects=True)
    assert "The invitation to Una Unsent could not be sent: the mail server did not answer." in response.text
    assert db.session.scalars(select(User).where(User.email == "una@example.org")).one().password_hash is None
    response = client.post("/forgot-password", data={"email": world.leader.email})
    assert response.status_code == 302


def test_the_wizard_s_import_invites_through_the_imports_then_notifications_queues(client, auth, world, mailbox, redis):
    auth.sign_in(world.admin)
    good = client.post("/onboarding/districts/homeville/import", data={"people": (io.BytesIO(PEOPLE), "p.csv")})
    client.post(good.headers["Location"] + "/confirm")
    SimpleWorker([Queue("imports", connection=redis)], connection=redis).work(burst=True)
    assert "People invited: 1" in client.get(good.headers["Location"]).text
    assert send_mails(redis) == 1 and LINK.search(mailbox.text(mailbox.to("new.leader@example.org")[0]))


def test_the_district_upload_page_lists_its_people_and_resends_an_invitation(client, auth, world, mailbox, redis):
    import_people(world)
    send_mails(redis)
    auth.sign_in(world.admin)
    page = " ".join(client.get("/onboarding/districts/homeville/import").text.split())
    assert "People of Homeville" in page and "Nia Newlead" in page and "invited, no password yet" in page
    assert f"{world.leader.name}</strong> {world.leader.email} · District leader · password set" in page
    newcomer = db.session.scalars(select(User).where(User.email == "new.leader@example.org")).one()
    response = client.post(f"/onboarding/districts/homeville/people/{newcomer.id}/invitation")
    assert response.headers["Location"] == "/onboarding/districts/homeville/import#people-heading"
    assert "Invitation on its way to Nia Newlead." in client.get(response.headers["Location"]).text
    assert send_mails(redis) == 1 and len(mailbox.to("new.leader@example.org")) == 2
    # Someone with no role in Homeville is not reached through its page.
    assert client.post(f"/onboarding/districts/homeville/people/{world.foreign_leader.id}/invitation").status_code == 404


def test_a_new_password_signs_out_every_other_session(app, client, auth, world):
    auth.sign_in(world.leader)  # say, on a phone that was stolen
    path = f"/set-password/reset/{make_link_token(world.leader, LinkPurpose.RESET)}"
    elsewhere = app.test_client()
    assert set_password(elsewhere, path).status_code == 302
    g.pop("_login_user")  # the tests share one application context: forget who the last request's person was
    assert client.get("/").status_code == 302  # back to sign-in
    g.pop("_login_user")
    assert elsewhere.get("/").status_code == 200  # the session that set the password stays in
