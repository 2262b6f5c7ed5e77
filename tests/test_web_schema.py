"""The API against its own OpenAPI schema, with schemathesis (property-based, deterministic).

Every operation is called with up to 25 generated requests — the admin-only writes with the
admin token as a bearer token — and every response must be no 5xx, a documented status code,
and a body matching its documented schema (errors are ``{"detail": "…"}``).
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app

TOKEN = "schema-token"


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value):
    """JSON Lines bodies: the schema is each line's, so a generated value is one line."""
    return (json.dumps(value) + "\n").encode()


@pytest.fixture(scope="module")
def app(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("schema") / "s.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    return create_app(store, admin_token=TOKEN)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_matches_its_schema(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
