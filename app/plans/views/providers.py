"""The district's providers and partners: the list (with what each serves and its spend), adding, editing, deleting."""
from flask import g, render_template, url_for

from app.lists import enum_choices
from app.plans import services
from app.plans.models import Provider, ProviderKind
from app.plans.schemas import ProviderSchema
from app.plans.views.pages import bp, delete_page, edit_page, list_form, row_to_change, saved_and_back
from tenants.lookup import can_write


@bp.route("/providers", methods=["GET", "POST"])
def providers():
    district = g.district
    saved, values, errors = list_form(ProviderSchema(), lambda data: services.save_provider(district, data),
                                      {"kind": "provider"})
    if saved:
        return saved_and_back("Provider added.", url_for("plans.providers"))
    served = {p.id: services.actions_of_provider(p) for p in services.providers_of(district)}
    return render_template(
        "plans/providers.html", district=district, providers=services.providers_with_spend(district), served=served,
        values=values, errors=errors, kind_options=enum_choices(ProviderKind), can_edit=can_write(district.id),
    ), 422 if errors else 200


@bp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
def edit_provider(provider_id: int):
    provider = row_to_change(Provider, provider_id)
    return edit_page(provider, ProviderSchema(), lambda data: services.save_provider(g.district, data, provider),
                     "provider", url_for("plans.providers"), kind_options=enum_choices(ProviderKind))


@bp.route("/providers/<int:provider_id>/delete", methods=["GET", "POST"])
def delete_provider(provider_id: int):
    return delete_page(row_to_change(Provider, provider_id), "provider", url_for("plans.providers"))
