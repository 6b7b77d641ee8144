"""The application factory: a table of contents of small steps, run in order."""
from importlib import import_module
from pathlib import Path

from flask import Flask

from config import config_for

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    settings = config_for(config_name)
    app.config.from_object(settings)
    if hasattr(settings, "check"):
        settings.check(app.config)
    for module, function in STEPS:
        # Imported only now: importing `app` must not import every feature.
        getattr(import_module(module), function)(app)
    return app


# What `create_app` does to the app, in this order: (module, function taking the app).
STEPS = (
    ("app", "trust_proxies"),
    ("app", "register_extensions"),
    ("app.ops", "init_ops"),  # before the tenancy hooks: the request id is set before anything logs
    ("app", "register_tenancy"),
    ("app.input_limits", "init_input_limits"),
    ("app", "register_blueprints"),
    ("app.api", "init_api"),
    ("app.admin", "init_admin"),
    ("app.errors", "init_errors"),
    ("app.resilience", "init_resilience"),
    ("app.security", "init_security_headers"),
    ("app.templating", "init_templating"),
    ("app.navigation", "init_navigation"),
    ("app", "register_commands"),
)


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from their X-Forwarded-* headers."""
    count = app.config["PROXY_COUNT"]
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model, for the mapper and for Alembic)
    from app.extensions import csrf, db, limiter, login_manager, migrate

    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = app.config["SESSION_PROTECTION"]

    from app.auth.sessions import user_for_session

    login_manager.user_loader(user_for_session)


def register_tenancy(app: Flask) -> None:
    """Each request runs in the scope of its user, computed once, reset afterwards; a job's from its user's id."""
    from flask import g
    from flask_login import current_user

    import tenants.rls  # noqa: F401  (declares each transaction's districts to PostgreSQL's row-level security)
    from app.accounts.models import User
    from app.extensions import db
    from tenants.access import person_loader, scope_for_user
    from tenants.scope import enter, leave

    person_loader(lambda user_id: db.session.get(User, user_id))

    def enter_user_scope():
        g.tenant_scope_token = enter(scope_for_user(current_user))

    # First of all: a request refused early (CSRF, a rate limit) still renders its page in the user's scope,
    # or the header's roles lose their districts ("Assistance lead · everything").
    app.before_request_funcs.setdefault(None, []).insert(0, enter_user_scope)

    @app.teardown_request
    def leave_user_scope(exc):
        token = g.pop("tenant_scope_token", None)
        if token is not None:
            leave(token)


def register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.audit.views import bp as audit_bp
    from app.audit.views import district_bp as district_audit_bp
    from app.auth.views import bp as auth_bp
    from app.district_export.views import bp as district_export_bp
    from app.districts.blueprint import init_district_urls
    from app.districts.views import bp as districts_bp
    from app.evaluations import overview as _evaluation_overview  # noqa: F401  (adds its pages to the blueprint)
    from app.evaluations.views import bp as evaluations_bp
    from app.fieldwork.lists import bp as lists_bp
    from app.fieldwork.views import bp as fieldwork_bp
    from app.home.views import bp as home_bp
    from app.jobs.views import bp as jobs_bp
    from app.notifications.views import bp as notifications_bp
    from app.offline.views import bp as offline_bp
    from app.onboarding.views import bp as onboarding_bp
    from app.onboarding.views import district_bp as district_onboarding_bp
    from app.people.views import bp as people_bp
    from app.plans.views import bp as plans_bp
    from app.regional.views import bp as regional_bp
    from app.schools import views as _school_page  # noqa: F401  (adds the school page to the districts blueprint)

    app.register_blueprint(auth_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(districts_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(fieldwork_bp)
    app.register_blueprint(lists_bp)
    app.register_blueprint(onboarding_bp)
    app.register_blueprint(district_onboarding_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(district_audit_bp)
    app.register_blueprint(district_export_bp)
    app.register_blueprint(regional_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(evaluations_bp)

    init_district_urls(app)


def register_commands(app: Flask) -> None:
    from app.demo import demo_cli
    from app.onboarding.cli import import_cli
    from workers import context as jobs_context
    from workers.cli import scheduler_command, worker_command

    jobs_context.init_app(app)

    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(import_cli)
