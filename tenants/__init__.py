"""Tenancy: every district is a tenant, and a request or job sees only its scope.

Tenancy is the floor the application stands on: it imports nothing from `app/` (tests/test_layers.py).
What it needs of the application comes in the plain Flask ways: the SQLAlchemy object `db` is made
here (`database`, with the tenant session) and re-exported by `app.extensions`; people are read
through the `access.Person` protocol and loaded by id through the loader that `create_app` registers
(`access.person_loader`, as Flask-Login's `user_loader`).

- `base`: the key conventions of tenant tables (`district_id` in every key).
- `database`: `db`, whose sessions are `TenantSession`s.
- `models` and `roles`: regions, districts (the tenant) and the roles a grant gives.
- `scope`: the districts a request or job may read and write.
- `scopes`: the named scope of each kind of job and command (the only place one is made outside a request).
- `session`: the scope applied below the views, to every ORM query and write (the filter and the flush guard).
- `rls`: the scope declared to PostgreSQL's row-level security, per transaction.
- `access`: who may reach which districts, for which action (the one rule book).
- `lookup`: turning "not in scope" into 404, and the cross-district door for rollups.
- `visibility`: within a district, which fields of which records each person sees (the visibility book).
"""
