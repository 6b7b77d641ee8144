"""Tenancy: every district is a tenant, and a request or job sees only its scope.

- `base`: the key conventions of tenant tables (`district_id` in every key).
- `scope`: the districts a request or job may read and write.
- `scopes`: the named scope of each kind of job and command (the only place one is made outside a request).
- `session` and `guard`: the scope applied below the views, to every ORM query and write.
- `access`: who may reach which districts, for which action (the one rule book).
- `lookup`: turning "not in scope" into 404, and the cross-district door for rollups.
- `visibility`: within a district, which fields of which records each person sees (the visibility book).
"""
