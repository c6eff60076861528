"""Demo timeline: "50 years of life-changing therapies", from the seed text only.

The seed text dates one event, Sweden's first allogeneic bone marrow (stem cell)
transplantation at Huddinge Hospital on 12 November 1975; the second milestone
is its fiftieth anniversary, shown as the year 2025 (the seed says "50 years", not
a day). Nothing else is dated, so nothing else is a milestone.
"""

import datetime

from wagtail.models import Page

from portal.seed import add_page, make_demo_image

from .models import DatePrecision, Milestone, TimelinePage

SLUG_SV = "50-ar-av-livsforandrande-terapier"


def seed(home):
    if TimelinePage.objects.filter(slug_sv=SLUG_SV).exists():
        return None
    about = Page.objects.filter(slug_sv="om-flemingsberg").first()
    story = Page.objects.filter(slug_sv="atmp-symposium-for-kunskapsutbyte").first()
    timeline = TimelinePage(
        title_sv="50 år med livsförändrande behandlingar",
        title_en="50 years of life-changing therapies",
        slug_sv=SLUG_SV,
        slug_en="50-years-of-life-changing-therapies",
        lead_sv=(
            "Den 12 november 1975 utfördes Sveriges första allogena benmärgstransplantation "
            "på Huddinge sjukhus, här i Flemingsberg."
        ),
        lead_en=(
            "On 12 November 1975, the first allogeneic bone marrow transplantation in Sweden "
            "was performed at Huddinge Hospital, here in Flemingsberg."
        ),
        intro_sv=[
            (
                "paragraph",
                "<p>Ur en nukleär katastrof växte grunderna för benmärgstransplantationen "
                "fram, och med dem den moderna stamcellsterapin – samma principer som i dag "
                "ligger till grund för cell- och genterapier och CAR-T-behandlingar.</p>",
            )
        ],
        intro_en=[
            (
                "paragraph",
                "<p>From nuclear catastrophe the foundations of bone marrow transplantation had "
                "emerged, and with it, the birth of modern stem cell therapy — the same "
                "principles that today underpin cell and gene therapies and CAR-T "
                "treatments.</p>",
            )
        ],
        listing_image=make_demo_image("50 år med livsförändrande behandlingar", "forest"),
        sort_chronologically=True,
        milestones=[
            Milestone(
                sort_order=0,
                date=datetime.date(1975, 11, 12),
                date_precision=DatePrecision.DAY,
                title_sv="Sveriges första allogena benmärgstransplantation",
                title_en="Sweden’s first allogeneic bone marrow transplantation",
                text_sv=(
                    "<p>Den 12 november 1975 utfördes den första allogena "
                    "benmärgstransplantationen i Sverige på Huddinge sjukhus, här i Flemingsberg. "
                    "Det var också Sveriges första allogena stamcellstransplantation.</p>"
                ),
                text_en=(
                    "<p>On 12 November 1975, the first allogeneic bone marrow transplantation "
                    "in Sweden was performed at Huddinge Hospital, here in Flemingsberg. It was "
                    "also the first allogeneic stem cell transplantation in Sweden.</p>"
                ),
                image=make_demo_image("Huddinge 1975", "teal"),
                image_alt_text_sv="Abstrakt illustration i blågrönt",
                image_alt_text_en="Abstract illustration in teal",
                link_page=about,
            ),
            Milestone(
                sort_order=1,
                # The seed gives "50 years", not a day: shown as the year only.
                date=datetime.date(2025, 11, 12),
                date_precision=DatePrecision.YEAR,
                title_sv="50 år med livsförändrande behandlingar",
                title_en="50 years of life-changing therapies",
                text_sv=(
                    "<p>Femtio år efter den första transplantationen ligger samma principer "
                    "till grund för dagens cell- och genterapier och CAR-T-behandlingar.</p>"
                ),
                text_en=(
                    "<p>Fifty years after the first transplantation, the same principles "
                    "underpin today’s cell and gene therapies and CAR-T treatments.</p>"
                ),
                link_page=story,
            ),
        ],
    )
    return add_page(home, timeline)
