"""What every plan page shares: the blueprint, a form's round trip, and the edit, delete and inline-form pages.

The services flush; the pages commit in `saved_and_back`, once what was asked is done.

Everyone who reads the district reads these pages; its writers (leaders and its
support team) change them, viewers never do.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask import flash, g, redirect, render_template, request

from app.districts.blueprint import district_blueprint
from app.extensions import db
from app.fields import field_label
from app.forms import InvalidInput, load_form
from app.plans import services
from tenants.lookup import get_or_404, require_write

# One blueprint for every module of the package, so that endpoints stay `plans.<view>`.
bp = district_blueprint("plans", __name__)


def form_values(row, schema) -> dict:
    """A row as the form shows it: cents as dollars, None as blank."""
    values = {name: getattr(row, name) for name in schema.fields if hasattr(row, name)}
    for name in ("allocated_cents", "spent_cents", "contract_cents"):
        if name in values:
            values[name] = f"{Decimal(values[name]) / 100:.2f}"
    if getattr(row, "suppressed", False):
        values["value"] = "suppressed"  # read back as suppressed when the form is saved unchanged
    return {key: "" if value is None else value for key, value in values.items()}


def saved_and_back(message: str, to: str):
    """Commit what the services did (the view owns the transaction), say so, and go back to `to`."""
    db.session.commit()
    flash(message, "success")
    return redirect(to)


def submitted(schema, save, values: dict):
    """On a POST, load the form and save it: the saved row (or None), the values to show again, the errors."""
    if request.method != "POST":
        return None, values, {}
    try:
        return save(load_form(schema, request.form)), request.form, {}
    except InvalidInput as invalid:
        return None, request.form, invalid.messages


def list_form(schema, save, values: dict):
    """A list page's form adding to it (`submitted`): anyone reading the district sees the page, writers post."""
    if request.method == "POST":
        require_write(g.district.id)
    return submitted(schema, save, values)


def row_to_change(model, row_id: int):
    """The district's row a writer is about to change: 404 if out of reach, 403 if read only."""
    row = get_or_404(model, district_id=g.district.id, id=row_id)
    require_write(g.district.id)
    return row


def edit_page(row, schema, save, noun: str, back: str, **options):
    """Change a row through the same schema and service as adding it; errors are shown on the form (422)."""
    saved, values, errors = submitted(schema, save, form_values(row, schema))
    if saved:
        return saved_and_back(f"{noun.capitalize()} saved.", back)
    return render_template("plans/edit.html", district=g.district, row=row, noun=noun, values=values, errors=errors,
                           back=back, **options), 422 if errors else 200


def delete_page(row, noun: str, back: str):
    """Ask before deleting (GET), then delete (POST); a row still in use is refused, saying why (409)."""
    label = str(row)
    if request.method == "POST":
        try:
            services.delete(row)
        except services.StillInUse as refused:
            return render_template("plans/delete.html", district=g.district, noun=noun, label=label, back=back,
                                   deletion=refused.deletion), 409
        return saved_and_back(f"{noun.capitalize()} deleted: {label}.", back)
    return render_template("plans/delete.html", district=g.district, noun=noun, label=label, back=back,
                           deletion=services.deletion_of(row))


@dataclass(frozen=True)
class Posted:
    """Which of a page's small forms was refused, what was typed in it and the messages per field.

    A page has several forms (a progress update, a milestone, a risk): only the refused one shows
    what was typed and its messages; the others show their defaults.
    """

    form: str | None = None
    values: Mapping = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)

    def of(self, form: str, defaults: Mapping | None = None) -> tuple[Mapping, dict]:
        """(values, errors) for the form named `form`: what was typed and its messages if it was refused."""
        if form == self.form:
            return self.values, self.errors
        return defaults or {}, {}


NOTHING_POSTED = Posted()


def labels_of(schema) -> dict[str, str]:
    """The schema's fields by the labels their form shows, for a summary of what to correct."""
    return {name: field_label(name, schema_field) for name, schema_field in schema.fields.items()}


def inline_save(schema, save, message: str, to: str, page: Callable, form: str):
    """Load one of a page's small forms (named `form`) and save it; a refusal shows `page(posted)` again (422),
    with what was typed kept in its fields and each message beside its field."""
    try:
        save(load_form(schema, request.form))
    except InvalidInput as invalid:
        return page(Posted(form, request.form, invalid.messages, labels_of(schema))), 422
    return saved_and_back(message, to)
