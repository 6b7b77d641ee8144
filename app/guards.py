"""Guards a blueprint registers once for all of its views."""
from flask import Blueprint
from flask_login import login_required


def sign_in_required(bp: Blueprint) -> None:
    """Ask a stranger to sign in before any view of `bp` runs (what each view may do is its own check)."""
    bp.before_request(login_required(lambda: None))
