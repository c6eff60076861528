"""A password-reset mail reaches a real SMTP server, with an https link to the site."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_password_reset_mail_is_delivered_with_an_https_link(client, settings, smtp_server):
    port, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.DEFAULT_FROM_EMAIL = "noreply@portal.example"
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    get_user_model().objects.create_user("redaktor", "redaktor@portal.example", "x-Secret-9")

    response = client.post(
        "/admin/password_reset/",
        {"email": "redaktor@portal.example"},
        HTTP_HOST="alias.example",
    )
    assert response.status_code == 302
    for _ in range(50):
        if inbox.messages:
            break
        time.sleep(0.1)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["redaktor@portal.example"]
    assert message.mail_from == "noreply@portal.example"
    text = message.content.decode()
    assert "https://portal.example/admin/password_reset/confirm/" in text
    assert "alias.example" not in text and "http://" not in text
