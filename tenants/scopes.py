"""The scope of every kind of job and command, made here (and in `access` and `lookup`) and nowhere else.

A request's scope comes from its signed-in user (`access.scope_for_user`). Whatever else touches tenant
rows takes one of these constructors, named for what it does, so that the districts it reaches are decided
in `tenants/` and its label says who acted and why. `tests/test_scopes.py` fails when `Scope(` or
`system_scope(` appears in the application outside `tenants/`, its command-line modules and migrations.

| kind | constructor | reads | writes |
|---|---|---|---|
| a job acting for one person in one district (recount, district import) | `access.scope_for_job` | that district, if theirs | the same, if they write there |
| a job reading on one person's behalf (a reminder, a digest, an invitation mail) | `access.reading_scope_for_job` | their districts | nothing |
| a job acting as one person (an import they confirmed) | `person_job_scope` | their districts | their districts |
| the scheduled status report of one district | `scheduled_report_scope` | that district | that district |
| a mail about one district, on no one's behalf ("report ready") | `district_mail_scope` | that district | nothing |
| a scheduled fan-out finding what is due | `fan_out_scope` | every district | nothing |
| a system task (demo data, the state directory import) | `system_task_scope` | every district | every district |

A job declares its constructor in `workers.jobs.job(scope=...)`; the decorator starts it from no scope and
enters the one its arguments give, in-process and under RQ alike.
"""
from tenants.access import load_person, scope_for_user
from tenants.scope import NOTHING, Scope, system_scope


def person_job_scope(user_id: int) -> Scope:
    """What this person may reach now (not when the job was queued); nothing if they are gone."""
    user = load_person(user_id)
    return scope_for_user(user) if user is not None else NOTHING


def scheduled_report_scope(district_id: int) -> Scope:
    """One district, read and written by the platform itself, on no one's behalf."""
    only = frozenset({district_id})
    return Scope(user_id=None, readable=only, writable=only, label=f"scheduled report of district {district_id}")


def district_mail_scope(district_id: int) -> Scope:
    """One district, read only: a mail about it that the platform sends on no one's behalf."""
    only = frozenset({district_id})
    return Scope(user_id=None, readable=only, writable=frozenset(), label=f"mail about district {district_id}")


def fan_out_scope(what: str) -> Scope:
    """Every district, read only: a scheduled job finding `what` is due, then queueing one job per district or person."""
    return Scope(user_id=None, readable=None, writable=frozenset(), label=f"finding {what}", supported=frozenset())


def system_task_scope(reason: str) -> Scope:
    """Every district, read and written, for a task of the platform itself; `reason` labels it."""
    return system_scope(reason)
