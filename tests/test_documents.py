"""Private documents: only Wagtail's serve view hands them out, after checking privacy.

The same document is also tried at every other address against gunicorn with
production settings (tests/test_production_server.py).
"""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory, override_settings
from moto import mock_aws
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.views import public_media
from tests.factories.base import ImageFactory

PRIVATE_TEXT = b"Intern rapport: endast for inloggade"
BUCKET = "portal-media"


@pytest.fixture
def private_document(db):
    internal = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Intern rapport",
        collection=internal,
        file=ContentFile(PRIVATE_TEXT, name="intern-rapport.txt"),
    )


@pytest.fixture
def reader(django_user_model):
    """A logged-in reader without any admin rights."""
    return django_user_model.objects.create_user("lasare", "l@example.org", "pw-12345!")


def download(client, document):
    response = client.get(document.url)
    return response, b"".join(response.streaming_content) if response.streaming else b""


def test_an_anonymous_reader_is_sent_to_log_in(client, private_document):
    response, content = download(client, private_document)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]
    assert PRIVATE_TEXT not in content + response.content


def test_a_logged_in_reader_gets_the_file_as_a_download(client, private_document, reader):
    client.force_login(reader)
    response, content = download(client, private_document)
    assert response.status_code == 200
    assert content == PRIVATE_TEXT
    assert response["Content-Disposition"].startswith("attachment;")
    assert private_document.filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize(
    "path",
    [
        "documents/intern-rapport.txt",
        "images/../documents/intern-rapport.txt",
        "original_images/..\\documents/intern-rapport.txt",
        "/documents/intern-rapport.txt",
        "images",
        "..",
        "",
    ],
)
def test_the_media_route_refuses_everything_but_images(private_document, path):
    request = RequestFactory().get(f"/media/{path}")
    with pytest.raises(Http404):
        public_media(request, path)


def test_the_media_route_serves_image_files(db):
    image = ImageFactory()
    rendition = image.get_rendition("width-400")
    for name in (image.file.name, rendition.file.name):
        response = public_media(RequestFactory().get(f"/media/{name}"), name)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("image/")


@pytest.fixture
def s3_storage(monkeypatch, settings):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-north-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        with override_settings(
            STORAGES={**settings.STORAGES, "default": {"BACKEND": "portal.storage.MediaStorage"}},
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_REGION_NAME="eu-north-1",
            AWS_QUERYSTRING_AUTH=True,
            AWS_S3_FILE_OVERWRITE=False,
            AWS_DEFAULT_ACL="private",
        ):
            yield s3


def grantees(s3, key):
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return {grant["Grantee"].get("URI", "owner") for grant in grants}


ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def test_with_object_storage_documents_are_private_and_images_public(
    s3_storage, private_document, client, reader
):
    key = private_document.file.name
    assert key.startswith("documents/")
    assert ALL_USERS not in grantees(s3_storage, key)
    # The storage address is signed and short-lived; readers are never sent there.
    assert "X-Amz-Signature=" in private_document.file.url
    response, content = download(client, private_document)
    assert response.status_code == 302 and PRIVATE_TEXT not in content
    client.force_login(reader)
    response, content = download(client, private_document)
    assert response.status_code == 200
    assert content == PRIVATE_TEXT
    assert response["X-Content-Type-Options"] == "nosniff"

    image = ImageFactory()
    assert image.file.name.startswith("original_images/")
    assert ALL_USERS in grantees(s3_storage, image.file.name)
    rendition = image.get_rendition("width-400")
    assert ALL_USERS in grantees(s3_storage, rendition.file.name)
    # A stable, unsigned address that a page cache can keep.
    assert "X-Amz-Signature" not in rendition.url
    assert rendition.url.endswith(rendition.file.name)
    assert get_image_model().objects.count() == 1


def test_with_object_storage_a_second_upload_keeps_the_first(s3_storage, private_document):
    again = get_document_model().objects.create(
        title="Intern rapport 2",
        collection=private_document.collection,
        file=ContentFile(b"other", name="intern-rapport.txt"),
    )
    assert again.file.name != private_document.file.name
    body = s3_storage.get_object(Bucket=BUCKET, Key=private_document.file.name)["Body"]
    assert body.read() == PRIVATE_TEXT
