"""The one prologue of every page under /districts/<slug>: Redash pops its org slug the same way.

A district blueprint takes the slug out of the URL's values before any view runs,
asks the user to sign in, then loads the district within the user's scope into
`g.district` (404 for one the user does not work with, as every tenant lookup), and
narrows the request's scope to that district (`access.district_page_scope`).
Its views take no `slug` argument and read `g.district`. `url_for` fills the slug
from `g.district` for any endpoint that wants one, so links stay within the
district being shown without each view passing it.
"""
from flask import Blueprint, Flask, current_app, g

from app.guards import sign_in_required
from tenants.access import district_page_scope
from tenants.lookup import district_or_404
from tenants.scope import current_scope, enter


def district_blueprint(name: str, import_name: str, url_prefix: str = "", under: str = "") -> Blueprint:
    """A blueprint whose rules all start with `under` + /districts/<slug> + `url_prefix`; see the module's docstring.

    `under` places a feature's district pages inside its own section (onboarding's are /onboarding/districts/<slug>/...).
    """
    bp = Blueprint(name, import_name, url_prefix=under + "/districts/<slug>" + url_prefix)

    @bp.url_value_preprocessor
    def pop_slug(endpoint, values):
        g.district_slug = values.pop("slug")

    # Signing in comes first: a stranger is sent to the sign-in page, not told 404.
    sign_in_required(bp)

    @bp.before_request
    def load_district():
        g.district = None  # a district out of reach leaves none behind for the error page (or an earlier request's)
        g.district = district_or_404(g.district_slug)
        # The rest of the request reaches this district only; the app's teardown restores the scope it entered.
        enter(district_page_scope(current_scope(), g.district.id))

    return bp


def init_district_urls(app: Flask) -> None:
    """`url_for(endpoint)` inside a district's page fills `slug` with that district's, for every blueprint."""

    @app.url_defaults
    def add_district_slug(endpoint, values):
        # None on the error page of a district out of reach: there is no slug to fill.
        district = g.get("district")
        if district is not None and "slug" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
            values["slug"] = district.slug
