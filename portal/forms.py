"""Admin upload forms: a size limit for documents, and images that really decode."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import AbstractImage


class PortalDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.PORTAL_DOCUMENT_MAX_UPLOAD_SIZE
        if upload is not None and getattr(upload, "size", 0) > limit:
            raise ValidationError(
                _(
                    "This file is %(size)s. Documents can be at most %(limit)s: "
                    "make the file smaller or split it into parts."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        return upload


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, which also refuses an image Pillow cannot decode whole.

    Wagtail reads the header and then the frame count; a truncated or corrupt file
    raises from deep inside Pillow there (a 500), or passes and fails later when a
    rendition is made. Either way the editor gets a form error instead.
    """

    def to_python(self, data):
        try:
            upload = super().to_python(data)
            if upload is not None:
                upload.seek(0)
                with PILImage.open(upload) as picture:
                    picture.load()
                upload.seek(0)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - Pillow raises many kinds
            raise ValidationError(
                _(
                    "This image file is damaged or incomplete and cannot be read. "
                    "Save it again from an image program and upload it anew."
                ),
                code="invalid_image",
            ) from error
        return upload


_image_file = AbstractImage._meta.get_field("file")


class PortalImageForm(BaseImageForm):
    file = DecodedImageField(
        label=capfirst(_image_file.verbose_name), max_length=_image_file.max_length
    )
