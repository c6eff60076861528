"""Object storage for uploaded media: images public, everything else private.

Image renditions appear in every page and its cache, so they need stable public
addresses. Documents may sit in a collection restricted to logged-in users: they are
private objects, read only by Wagtail's serve view (WAGTAILDOCS_SERVE_METHOD =
"serve_view"), which checks the collection's privacy on every download.
"""

from django.conf import settings
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .views import PUBLIC_MEDIA_FOLDERS


def is_public_media(name):
    return clean_name(name).lstrip("/").split("/", 1)[0] in PUBLIC_MEDIA_FOLDERS


class MediaStorage(S3Storage):
    # Never overwrite: a second upload with the same name gets a new one.
    file_overwrite = False
    default_acl = "private"
    # A signed address for a private object lives five minutes (only the admin sees one).
    querystring_expire = 300

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if is_public_media(name):
            # Empty (PORTAL_S3_IMAGES_ACL=none) when the bucket grants public reads on the
            # image folders by policy (buckets with ACLs disabled refuse any ACL).
            images_acl = getattr(settings, "PORTAL_S3_IMAGES_ACL", "public-read")
            if images_acl:
                params["ACL"] = images_acl
            else:
                params.pop("ACL", None)
        else:
            params["ACL"] = "private"
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not is_public_media(name) or self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        # Public images: an unsigned, stable address that caches can keep.
        params = {**(parameters or {}), "Bucket": self.bucket.name}
        params["Key"] = self._normalize_name(clean_name(name))
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expire or self.querystring_expire
        )
