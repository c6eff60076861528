"""Uploads in the admin: a document size limit and damaged images get a form error.

Both in the editor's language, in the single and the multiple upload views.
"""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

MESSAGES = {
    "damaged": {
        "sv": "Bildfilen är skadad eller ofullständig",
        "en": "This image file is damaged or incomplete",
    },
    "too_large": {
        "sv": "Dokument får vara högst 1,0",
        "en": "Documents can be at most 1.0",
    },
}


def png(size=(300, 200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(300, 200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "JPEG")
    return buffer.getvalue()


DAMAGED = {
    "truncated.png": png()[:70],
    "garbled.png": png()[:33] + b"garbage" * 30,
    "truncated.jpg": jpeg()[: len(jpeg()) // 3],
    "header-only.jpg": jpeg()[:20],
}


@pytest.fixture(params=["sv", "en"])
def editor(request, django_user_model, home_page):
    user = django_user_model.objects.create_superuser(
        f"redaktor-{request.param}", f"{request.param}@example.org", "pw-12345!"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = request.param
    profile.save()
    user.language = request.param
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def root_collection():
    return Collection.get_first_root_node().id


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_image_gets_a_form_error(editor_client, editor, name):
    upload = SimpleUploadedFile(name, DAMAGED[name], content_type="image/png")
    response = editor_client.post(
        "/admin/images/add/", {"title": "Skadad", "file": upload, "collection": root_collection()}
    )
    assert response.status_code == 200
    assert MESSAGES["damaged"][editor.language] in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_image_in_the_multiple_upload_gets_an_error(editor_client, editor, name):
    upload = SimpleUploadedFile(name, DAMAGED[name], content_type="image/png")
    response = editor_client.post(
        "/admin/images/multiple/add/", {"files[]": upload, "collection": root_collection()}
    )
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert MESSAGES["damaged"][editor.language] in answer["error_message"]
    assert not get_image_model().objects.exists()


def test_a_whole_image_still_uploads(editor_client, editor):
    upload = SimpleUploadedFile("hel.png", png(), content_type="image/png")
    response = editor_client.post(
        "/admin/images/add/", {"title": "Hel", "file": upload, "collection": root_collection()}
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Hel")
    assert (image.width, image.height) == (300, 200)
    edit = editor_client.get(f"/admin/images/{image.id}/")
    assert edit.status_code == 200
    label = {"sv": "Fil", "en": "File"}[editor.language]
    html = BeautifulSoup(edit.content, "html.parser")
    assert html.find("label", attrs={"for": "id_file"}).get_text(strip=True).startswith(label)


def test_the_document_limit_is_50_mb_unless_the_environment_says_otherwise():
    assert settings.PORTAL_DOCUMENT_MAX_UPLOAD_SIZE == 50 * 1024 * 1024


@pytest.fixture
def one_megabyte_limit(settings):
    settings.PORTAL_DOCUMENT_MAX_UPLOAD_SIZE = 1024 * 1024


def test_a_document_over_the_limit_gets_a_form_error(editor_client, editor, one_megabyte_limit):
    upload = SimpleUploadedFile("stor.pdf", b"%PDF-1.4 " + b"x" * (1024 * 1024 + 1))
    response = editor_client.post(
        "/admin/documents/add/", {"title": "Stor", "file": upload, "collection": root_collection()}
    )
    assert response.status_code == 200
    assert MESSAGES["too_large"][editor.language] in response.content.decode()
    assert not get_document_model().objects.exists()

    upload = SimpleUploadedFile("stor.pdf", b"%PDF-1.4 " + b"x" * (1024 * 1024 + 1))
    response = editor_client.post(
        "/admin/documents/multiple/add/", {"files[]": upload, "collection": root_collection()}
    )
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert MESSAGES["too_large"][editor.language] in answer["error_message"]
    assert not get_document_model().objects.exists()


def test_a_document_within_the_limit_uploads(editor_client, one_megabyte_limit):
    upload = SimpleUploadedFile("liten.pdf", b"%PDF-1.4 " + b"x" * 1000)
    response = editor_client.post(
        "/admin/documents/add/", {"title": "Liten", "file": upload, "collection": root_collection()}
    )
    assert response.status_code == 302
    assert get_document_model().objects.get(title="Liten").file.size == 1009
