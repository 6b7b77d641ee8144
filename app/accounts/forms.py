"""Making a personal API token: a marshmallow schema loaded by `app.forms.load_form`."""
from marshmallow import EXCLUDE, Schema, fields
from werkzeug.datastructures import MultiDict

from app.accounts.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_DAYS_MIN
from app.fields import Text, WholeNumber
from app.forms import load_form

DAYS_MESSAGE = f"Use a whole number of days from {TOKEN_DAYS_MIN} to {TOKEN_DAYS_MAX}."


class NewTokenSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Text(required=True, max_length=120)
    days = WholeNumber(required=True, minimum=TOKEN_DAYS_MIN, maximum=TOKEN_DAYS_MAX, error=DAYS_MESSAGE,
                       error_messages={"required": DAYS_MESSAGE})
    read_only = fields.Boolean(load_default=False)


def load_new_token(form: MultiDict) -> dict:
    """{name, days, read_only} from the token form; raises InvalidInput.

    A request without `days` (a script) gets the default; a field left empty is refused, not defaulted.
    """
    if "days" not in form:
        form = MultiDict(form)
        form["days"] = str(TOKEN_DAYS_DEFAULT)
    return load_form(NewTokenSchema(), form, checkboxes=("read_only",))
