"""What every template may use: the user's scope in words, the visibility book, the day and dollars filters."""
from flask_login import current_user

from app.text import day, dollars, plural
from tenants.access import is_platform_admin, name_districts_of_grants
from tenants.roles import Role, Team
from tenants.visibility import init_templates as init_visibility_templates


def scope_in_words(user) -> list[str]:
    """'Assistance lead · Worcester', one line per grant, for the header."""
    name_districts_of_grants(user)
    return [str(grant) for grant in sorted(user.grants, key=lambda g: (list(Role).index(Role(g.role)), str(g)))]


def init_templating(app) -> None:
    init_visibility_templates(app)
    app.add_template_filter(day)
    app.add_template_filter(dollars)
    app.add_template_filter(plural)
    # "Support team" or "District staff": whose field work a visit is.
    app.add_template_filter(lambda team: Team(team).label, "team_label")

    @app.context_processor
    def layout_context():
        if not current_user.is_authenticated:
            return {}
        return {
            "my_scope": scope_in_words(current_user),
            "is_admin_user": is_platform_admin(current_user),
        }
