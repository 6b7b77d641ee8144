"""Settings and headers: secrets from the environment, production refusals, the CSP."""
import secrets

import pytest

from app import create_app

# What an operator following the README makes: `python -c 'import secrets; print(secrets.token_urlsafe(32))'`.
GOOD_KEY = secrets.token_urlsafe(32)


def test_security_headers_on_every_page(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", config.DEVELOPMENT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_a_short_secret(monkeypatch):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.mark.parametrize("key", [" " * 32, "a" * 64, "ab" * 32, "0110" * 16, "password" * 4])
def test_production_refuses_a_secret_without_real_entropy(monkeypatch, key):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("BASE_URL", "https://support.example.org")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY: a random string"):
        create_app("production")


@pytest.mark.parametrize("key", [secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32)],
                         ids=["token_hex(16)", "token_hex(32)", "token_urlsafe(32)"])  # the same ids in every process
def test_production_accepts_the_keys_the_readme_suggests(monkeypatch, key):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("BASE_URL", "https://support.example.org")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
    assert create_app("production").config["SECRET_KEY"] == key


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    import config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", GOOD_KEY)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_production_refuses_to_start_without_a_base_url(monkeypatch):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", GOOD_KEY)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app("production")


def test_production_cookies_are_secure(monkeypatch):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("BASE_URL", "https://support.example.org")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", GOOD_KEY)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_PROTECTION"] == "strong"


def test_unknown_environment_is_named(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV"):
        create_app()


def test_postgres_urls_use_psycopg():
    from config import database_url

    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
