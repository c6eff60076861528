"""Demo awards: the Flemingsberg Science Award, its IDEA category and the IDEA 2025 winner.

Only the facts of the seed text are used (names, category, year); the Swedish is a
translation of it.
"""

from portal.seed import add_page, make_demo_image

from .models import AwardCategory, AwardPage, AwardWinnerPage

AWARD_SLUG = "flemingsberg-science-award"
CATEGORY_SLUG = "idea"
WINNER_SLUG = "limitless-potential"


def seed(home):
    award = add_page(
        home,
        AwardPage(
            # The award's name is the same in both languages.
            title_sv="Flemingsberg Science Award",
            title_en="Flemingsberg Science Award",
            slug_sv=AWARD_SLUG,
            slug_en=AWARD_SLUG,
            show_in_menus=True,
            image=make_demo_image("Flemingsberg Science Award", "sun"),
            lead_sv="Flemingsberg Science Award och pristagarna genom åren.",
            lead_en="Flemingsberg Science Award and its winners over the years.",
            categories=[
                AwardCategory(
                    name_sv="IDEA", name_en="IDEA", slug_sv=CATEGORY_SLUG, slug_en=CATEGORY_SLUG
                )
            ],
        ),
    )
    category = award.categories.filter(slug_sv=CATEGORY_SLUG).first()
    if category is not None and not AwardWinnerPage.objects.filter(slug_sv=WINNER_SLUG).exists():
        add_page(award, limitless_potential(category))
    return award


def limitless_potential(category):
    return AwardWinnerPage(
        title_sv="Limitless Potential vinner Flemingsberg Science Award 2025",
        title_en="Limitless Potential: Winner of the Flemingsberg Science Award 2025",
        slug_sv=WINNER_SLUG,
        slug_en=WINNER_SLUG,
        year=2025,
        category=category,
        winner_name="Limitless Potential",
        winner_kind=AwardWinnerPage.ORGANISATION,
        listing_title_sv="Limitless Potential",
        listing_title_en="Limitless Potential",
        lead_sv=(
            "Unga i socialt utsatta områden drabbas ofta av psykisk ohälsa och brist på "
            "stöd, vilket kan leda till isolering och destruktiva val."
        ),
        lead_en=(
            "Young people in disadvantaged areas often face mental health challenges and a "
            "lack of support, which can lead to isolation and destructive choices."
        ),
        image=make_demo_image("Limitless Potential", "berry"),
        image_alt_text_sv="Abstrakt illustration i rött och rosa",
        image_alt_text_en="Abstract illustration in red and pink",
        body_sv=[
            (
                "paragraph",
                "<p>Limitless Potential, som vann Flemingsberg Science Award IDEA 2025, har "
                "skapat en trygg plats där kreativitet och socialt entreprenörskap möts för att "
                "stödja unga.</p>",
            )
        ],
        body_en=[
            (
                "paragraph",
                "<p>Limitless Potential, winner of the Flemingsberg Science Award IDEA 2025, has "
                "created a safe space where creativity and social entrepreneurship come together "
                "to support youth.</p>",
            )
        ],
    )
