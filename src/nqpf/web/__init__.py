"""The web dashboard (FastAPI + Jinja2 + Plotly, offline)."""

from nqpf.web.app import create_app

__all__ = ["create_app"]
