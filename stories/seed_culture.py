"""Demo cultural projects: the Royal Opera and Idun Lovén Art School, from the seed text.

The seed text gives no date ("Now, … are launching a collaboration"), so the
project has no start date and reads as ongoing. The partners have no logos or
web addresses here, as none are known.
"""

from portal.seed import add_page, make_demo_image

from .models import CultureProjectIndexPage, CultureProjectPage, CultureProjectPartner, Partner

# One name for both languages (a partner's name is not translated): the opera's own
# Swedish name, as the English text calls it "the Royal Opera"; the school's name is the
# only form the seed text gives.
PARTNER_NAMES = ["Kungliga Operan", "Idun Lovén Art School"]
PROJECT_SLUG_SV = "kungliga-operan-och-idun-loven-art-school"


def seed_partners():
    partners = []
    for name in PARTNER_NAMES:
        partner = Partner.objects.filter(name=name).first() or Partner.objects.create(name=name)
        partners.append(partner)
    return partners


def seed(home):
    index = add_page(
        home,
        CultureProjectIndexPage(
            title_sv="Kulturprojekt",
            title_en="Cultural projects",
            slug_sv="kulturprojekt",
            slug_en="cultural-projects",
            show_in_menus=True,
            lead_sv="Konst och kultur i Flemingsberg: pågående och avslutade projekt.",
            lead_en="Art and culture in Flemingsberg: current and past projects.",
        ),
    )
    if not CultureProjectPage.objects.filter(slug_sv=PROJECT_SLUG_SV).exists():
        add_page(index, opera_project(seed_partners()))
    return index


def gallery(alt_texts):
    images = [
        make_demo_image("Fondmålning, skiss", "sun"),
        make_demo_image("Fondmålning, färger", "berry"),
    ]
    return [
        (
            "gallery",
            {
                "heading": "",
                "images": [
                    {
                        "image": image,
                        "alt_text": alt,
                        "decorative": False,
                        "caption": "",
                        "credit": "",
                    }
                    for image, alt in zip(images, alt_texts, strict=True)
                ],
            },
        )
    ]


def opera_project(partners):
    return CultureProjectPage(
        title_sv="Kungliga Operan och Idun Lovén Art School skapar konst i Flemingsberg",
        title_en="The Royal Opera and Idun Lovén Art School Create Art in Flemingsberg",
        slug_sv=PROJECT_SLUG_SV,
        slug_en="royal-opera-and-idun-loven-art-school",
        lead_sv="I Flemingsberg möts utbildning, konst och kultur på ett unikt sätt.",
        lead_en="In Flemingsberg, education, art, and culture come together in a unique way.",
        hero_image=make_demo_image("Kulturprojekt i Scenhuset", "berry"),
        hero_alt_text_sv="Abstrakt illustration i rött och rosa",
        hero_alt_text_en="Abstract illustration in red and pink",
        place_sv="Scenhuset, Flemingsberg",
        place_en="Scenhuset, Flemingsberg",
        start_date=None,
        end_date=None,
        body_sv=[
            (
                "paragraph",
                "<p>Nu inleder Kungliga Operan och Idun Lovén Art School ett samarbete där "
                "elever arbetar sida vid sida med professionella scenmålare för att skapa en "
                "fondmålning som ska pryda operans foajé i Scenhuset i Flemingsberg.</p>",
            )
        ],
        body_en=[
            (
                "paragraph",
                "<p>Now, the Royal Opera and Idun Lovén Art School are launching a collaboration "
                "where students will work side by side with professional set painters to create "
                "a backdrop painting that will adorn the opera’s foyer in Scenhuset in "
                "Flemingsberg.</p>",
            )
        ],
        gallery_sv=gallery(
            ["Abstrakt illustration i orange och gult", "Abstrakt illustration i rött och rosa"]
        ),
        gallery_en=gallery(
            ["Abstract illustration in orange and yellow", "Abstract illustration in red and pink"]
        ),
        partner_links=[
            CultureProjectPartner(partner=partner, sort_order=order)
            for order, partner in enumerate(partners)
        ],
    )
