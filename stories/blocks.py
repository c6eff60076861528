"""Blocks that show stories' content inside other pages.

Only Wagtail and Django are imported here (the page models are looked up by
name), so that ``portal.blocks.BodyBlock`` can include these blocks without an
import cycle.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.block_previews import DescribedWhenEmptyPreview, latest_live_page


class TimelineExcerptBlock(DescribedWhenEmptyPreview, blocks.StructBlock):
    """Milestones of a timeline page, optionally within a range of years."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=150,
        help_text=_("The timeline's title is used when empty."),
    )
    timeline = blocks.PageChooserBlock(label=_("Timeline"), page_type="stories.TimelinePage")
    from_year = blocks.IntegerBlock(
        label=_("From year"), required=False, min_value=1, max_value=9999
    )
    to_year = blocks.IntegerBlock(label=_("To year"), required=False, min_value=1, max_value=9999)
    max_items = blocks.IntegerBlock(
        label=_("Number of milestones"),
        default=5,
        min_value=1,
        max_value=50,
        help_text=_("At most this many milestones, in the timeline's order."),
    )

    def clean(self, value):
        value = super().clean(value)
        from_year, to_year = value.get("from_year"), value.get("to_year")
        if from_year and to_year and to_year < from_year:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "to_year": ValidationError(_("The last year cannot be before the first year."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        timeline = value.get("timeline")
        if timeline is not None and timeline.live:
            timeline = timeline.specific
            context["timeline"] = timeline
            context["milestones"] = timeline.get_excerpt(
                from_year=value.get("from_year"),
                to_year=value.get("to_year"),
                max_items=value.get("max_items"),
            )
        else:
            # A timeline that was unpublished or deleted leaves no empty box behind.
            context["timeline"] = None
            context["milestones"] = []
        return context

    def get_preview_value(self):
        # The site's latest timeline (its description when there is none yet).
        return self.normalize(
            {"heading": "", "timeline": latest_live_page("stories.TimelinePage"), "max_items": 3}
        )

    class Meta:
        icon = "history"
        label = _("Timeline excerpt")
        description = _("Milestones from a timeline, optionally between two years.")
        template = "stories/blocks/timeline_excerpt_block.html"
