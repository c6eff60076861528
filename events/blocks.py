"""The "upcoming events" block: the next events of the calendar on any page, as cards.

Kept out of ``portal.blocks.BodyBlock`` here so that it can be added there in one
line; it imports no models at import time.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=150,
        help_text=_('"Upcoming events" when empty.'),
    )
    number = blocks.IntegerBlock(label=_("Number of events"), min_value=1, max_value=12, default=3)
    topic = SnippetChooserBlock(
        "stories.Topic",
        label=_("Topic"),
        required=False,
        help_text=_("Only events of this topic; all events when empty."),
    )

    def get_context(self, value, parent_context=None):
        from . import listing

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["events"] = listing.next_events(
            request, value.get("number") or 3, value.get("topic")
        )
        context["calendar"] = listing.calendar_page(request)
        return context

    def get_preview_value(self):
        # The calendar's next events, under the heading readers see by default.
        return self.normalize({"heading": "", "number": 3, "topic": None})

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        description = _("The next events of the calendar, optionally of one topic.")
        template = "events/blocks/upcoming_events_block.html"
