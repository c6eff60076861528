"""Helpers for ``seed_demo``: make demo images and pages without the network.

Each app has a ``seed`` module with a ``seed(home)`` function; ``seed_demo``
calls them in order. Existing pages are never changed, so running it again
neither duplicates content nor overwrites an editor's work.
"""

import io
import random

from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

PALETTES = {
    "teal": [(0, 85, 122), (0, 128, 128), (130, 200, 190)],
    "berry": [(120, 20, 70), (190, 60, 100), (245, 180, 190)],
    "sun": [(190, 90, 0), (235, 160, 40), (250, 225, 150)],
    "forest": [(20, 80, 50), (60, 140, 80), (190, 225, 170)],
    "night": [(20, 30, 70), (60, 80, 150), (170, 190, 240)],
}


def make_demo_image(title, palette="teal", size=(1600, 900)):
    """Return a Wagtail image with ``title``, drawing an abstract picture the first time."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    rng = random.Random(title)
    colours = PALETTES[palette]
    picture = PILImage.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(picture)
    width, height = size
    for y in range(height):
        mix = y / height
        row = tuple(int(colours[0][i] * (1 - mix) + colours[1][i] * mix) for i in range(3))
        draw.line([(0, y), (width, y)], fill=row)
    for _ in range(14):
        radius = rng.randint(height // 12, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tint = colours[rng.randint(1, 2)]
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=tint, width=6)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    filename = "".join(c if c.isalnum() else "-" for c in title.lower())[:60] + ".jpg"
    image = Image(title=title, file=ImageFile(buffer, name=filename))
    image.save()
    return image


def add_page(parent, page):
    """Add ``page`` under ``parent`` unless a child with its Swedish slug exists.

    Returns the existing or new page (specific).
    """
    with translation.override("sv"):
        existing = parent.get_children().filter(slug_sv=page.slug_sv).first()
        if existing:
            return existing.specific
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page
