"""The "award winners" block: the latest winners of one award programme, as cards.

Kept out of ``portal.blocks.BodyBlock`` here so that it can be added there in one
line; it imports no models at import time.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.block_previews import DescribedWhenEmptyPreview, latest_live_page


class AwardWinnersBlock(DescribedWhenEmptyPreview, blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=150,
        help_text=_("The award's name is used when empty."),
    )
    award = blocks.PageChooserBlock(page_type="awards.AwardPage", label=_("Award"))
    number = blocks.IntegerBlock(label=_("Number of winners"), min_value=1, max_value=12, default=3)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        award = value.get("award")
        award = getattr(award, "specific", award)
        if award is not None and award.live:
            context["award"] = award
            context["winners"] = award.get_latest_winners(value.get("number") or 3)
        else:
            context["award"] = None
            context["winners"] = []
        return context

    def get_preview_value(self):
        # The site's latest award programme (its description when there is none yet).
        return self.normalize(
            {"heading": "", "award": latest_live_page("awards.AwardPage"), "number": 3}
        )

    class Meta:
        icon = "success"
        label = _("Award winners")
        description = _("The latest winners of an award programme as cards.")
        template = "awards/blocks/award_winners_block.html"
