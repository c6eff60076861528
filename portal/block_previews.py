"""What the block chooser's preview panel shows for a block that needs the library or the site.

A block's preview value is built when the panel asks for it, so its text is in the
admin's language. It describes the block in general words; it names no person, date or
fact. Where a block shows an image, a video or a document, the preview draws an empty
frame in its place (no image or file is invented); blocks that show the site's own
content (a timeline, an award's winners) show the latest published one, or their
description when the site has none yet.

Only Django and Wagtail are imported here, so that the blocks of every app can use it.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext


class PreviewVideo:
    """Stands for a video address in a preview: an empty 16:9 frame, never a request."""

    url = "#"
    site = ""

    @property
    def html(self):
        return render_to_string("blocks/previews/video_frame.html")


class PreviewDocument:
    """Stands for a document in a preview: its link text and format, no file behind it."""

    url = "#"
    file_extension = "pdf"
    file_size = None

    @property
    def title(self):
        return gettext("Title of the document")


class DescribedWhenEmptyPreview:
    """For blocks that show the site's content: the description when there is none to show."""

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context)
        if not self.render(value, context).strip():
            context["preview_note"] = self.get_description()
        return context


def latest_live_page(model_label):
    """The latest published page of a type (the site's own content, never made up)."""
    from django.apps import apps

    model = apps.get_model(model_label)
    return model.objects.live().order_by("-first_published_at").first()
