"""/.well-known/security.txt (RFC 9116) tells where to report a security problem."""

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.django_db


def fields_of(response):
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


def test_security_txt_names_the_contact_and_a_future_expiry(client, settings):
    settings.PORTAL_SECURITY_CONTACT = "mailto:security@portal.example"
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    response = client.get("/.well-known/security.txt", HTTP_HOST="alias.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = fields_of(response)
    assert fields["Contact"] == "mailto:security@portal.example"
    assert fields["Canonical"] == "https://portal.example/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "sv, en"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    # RFC 9116: in the future, and less than a year ahead.
    assert datetime.now(UTC) < expires < datetime.now(UTC) + timedelta(days=365)


def test_security_txt_refuses_other_methods(client):
    assert client.post("/.well-known/security.txt").status_code == 405
