"""Extensions, created without an app; `create_app` initialises them."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from tenants.database import db

__all__ = ["csrf", "db", "limiter", "login_manager", "migrate"]

migrate = Migrate(render_as_batch=True)  # SQLite alters tables by copying them
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
