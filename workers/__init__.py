"""Background jobs on RQ: queues, jobs, the schedule, and the worker and scheduler entry points.

Jobs are enqueued by dotted name with ids only; each re-enters the tenant scope
of the user and district it was given. With no REDIS_URL, they run in-process.
"""
