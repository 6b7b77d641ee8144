"""Invitations and password resets: mails with a link to set a password, sent by jobs on the notifications queue."""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import User
from app.auth.links import LinkPurpose, make_link_token
from app.auth.services import person_with_email
from app.extensions import db
from app.mail import MailKind, link_to, render_mail, send_later, send_once, this_delivery
from app.text import duration_in_words

SUBJECTS = {
    LinkPurpose.INVITATION: "You are invited to the regional support platform",
    LinkPurpose.RESET: "Set a new password for the regional support platform",
}
KINDS = {LinkPurpose.INVITATION: MailKind.INVITATION, LinkPurpose.RESET: MailKind.PASSWORD_RESET}


@dataclass
class Invitations:
    """What inviting a few people did, for the admin who asked."""

    queued: list[User] = field(default_factory=list)
    passed_over: list[User] = field(default_factory=list)  # inactive, or they already have a password
    unsent: list[User] = field(default_factory=list)  # in-process only: the mail server did not answer

    def messages(self) -> list[tuple[str, str]]:
        """(category, text) to flash to the admin who asked."""
        messages = []
        if self.queued:
            messages.append(("success", f"Invitation on its way to {_names(self.queued)}."))
        if self.passed_over:
            messages.append(("info", f"No invitation for {_names(self.passed_over)}: inactive, or a password is already "
                                     "set (“Forgot your password?” on the sign-in page mails a link to set a new one)."))
        if self.unsent:
            messages.append(("error", f"The invitation to {_names(self.unsent)} could not be sent: "
                                      "the mail server did not answer."))
        return messages


def _names(people: list[User]) -> str:
    return ", ".join(person.name for person in people)


def invite_people(user_ids: Iterable[int], invited_by_id: int | None) -> Invitations:
    """Queue an invitation for each active person who has no password yet."""
    result = Invitations()
    for user in db.session.scalars(select(User).where(User.id.in_(list(user_ids))).order_by(User.name)):
        if not user.active or user.password_hash is not None:
            result.passed_over.append(user)
        elif send_later("workers.jobs.send_invitation", user.id, invited_by_id):
            result.queued.append(user)
        else:
            result.unsent.append(user)
    return result


def request_password_reset(email: str) -> None:
    """Queue a reset link for the active person with this email, if any: the caller answers the same either way."""
    user = person_with_email(email)
    if user is not None and user.active:
        send_later("workers.jobs.send_password_reset", user.id)


def mail_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Mail a person a link to set their first password; someone who already has one is not invited."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.password_hash is not None:
        return False
    inviter = db.session.get(User, invited_by_id) if invited_by_id else None
    return _mail_link(user, LinkPurpose.INVITATION, inviter=inviter)


def mail_password_reset(user_id: int) -> bool:
    """Mail an active person a link to set a new password."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return False
    return _mail_link(user, LinkPurpose.RESET)


def _mail_link(user: User, purpose: LinkPurpose, **context) -> bool:
    link = link_to("auth.set_password", purpose=purpose.value, token=make_link_token(user, purpose))
    text = render_mail(
        f"auth/mail/{purpose}.txt", user=user, link=link, lasts=duration_in_words(purpose.max_age_seconds),
        forgot_link=link_to("auth.forgot_password"), **context)
    # Once per job: a link made on each attempt differs, the job's id does not (app.mail.this_delivery).
    return send_once(user, KINDS[purpose], this_delivery(), SUBJECTS[purpose], text)
