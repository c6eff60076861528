"""Generated text in Swedish and English: words drawn with Zipf-like frequencies from a
small vocabulary of each language, so that some words are on most pages and others on
a few, as in real text (and as a search index meets it).

Everything is drawn from a ``random.Random`` the caller seeds, so a seed gives the same
text every time.
"""

from operator import itemgetter

from django.utils.text import slugify

# Content words, with compounds for variety.
SWEDISH_BASE = (
    "forskning forskare forskarna vård vården patient patienterna transplantation "
    "transplantationen deltagare deltagarna vinnare vinnaren symposium symposiet cellterapi "
    "samverkan universitet universitetet sjukhus sjukhuset kultur konst utbildning studenter "
    "studenterna innovation företag företagen projekt projektet miljö stad staden pris priset "
    "kliniker industri nätverk samarbete framsteg läkemedel terapi behandling laboratorium"
).split()
SWEDISH_PREFIXES = (
    "njur hjärt stam gen bio nano cancer hjärn lung immun lever blod hud öga ben "
    "muskel nerv tarm barn äldre"
).split()
SWEDISH_STEMS = (
    "forskning terapi transplantation behandling projekt laboratoriet kirurgi diagnostik "
    "medicin studie klinik vård"
).split()
SWEDISH_FUNCTION_WORDS = "och i på med för av som att en ett den det till från".split()
ENGLISH_BASE = (
    "research researchers healthcare care patient patients transplantation transplantations "
    "participant participants winner winners symposium symposia cell therapy collaboration "
    "university universities hospital hospitals culture art education students innovation "
    "company companies project projects environment city award awards clinicians industry "
    "network partnership progress medicine treatment laboratory"
).split()
ENGLISH_PREFIXES = (
    "kidney heart stem gene bio nano cancer brain lung immune liver blood skin eye bone "
    "muscle nerve gut child elderly"
).split()
ENGLISH_STEMS = (
    "research therapy transplant treatment project laboratory surgery diagnostics "
    "medicine study clinic care"
).split()
ENGLISH_FUNCTION_WORDS = "and in on with for of which that a the to from".split()


# Four words in ten are function words ("och", "the"), drawn evenly; the others are
# content words with Zipf-like frequencies (the n-th most common word 1/n as often).
FUNCTION_WORD_SHARE = 0.4
# Words are drawn from a table in which each word fills its share of 65,536 slots, so
# that a page's words come from one draw of random bytes (16 bits a word).
TABLE_SIZE = 1 << 16


def vocabulary(base, prefixes, stems, function_words):
    """The drawing table of a language: each word repeated by its weight."""
    compounds = [f"{prefix}{stem}" for prefix in prefixes for stem in stems]
    content = base + compounds
    zipf = [1 / rank for rank in range(1, len(content) + 1)]
    scale = (1 - FUNCTION_WORD_SHARE) / sum(zipf)
    weights = [weight * scale for weight in zipf]
    weights += [FUNCTION_WORD_SHARE / len(function_words)] * len(function_words)
    population = content + function_words
    # Largest remainders: the slots add up to the table's size exactly.
    slots = [int(weight * TABLE_SIZE) for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: slots[i] - weights[i] * TABLE_SIZE)
    for i in by_remainder[: TABLE_SIZE - sum(slots)]:
        slots[i] += 1
    return tuple(word for word, count in zip(population, slots, strict=True) for _ in range(count))


VOCABULARIES = {
    "sv": vocabulary(SWEDISH_BASE, SWEDISH_PREFIXES, SWEDISH_STEMS, SWEDISH_FUNCTION_WORDS),
    "en": vocabulary(ENGLISH_BASE, ENGLISH_PREFIXES, ENGLISH_STEMS, ENGLISH_FUNCTION_WORDS),
}


def words(rng, language, count):
    """``count`` words of ``language``."""
    slots = memoryview(rng.randbytes(2 * count)).cast("H")
    if count < 2:  # itemgetter of one index gives the word itself, of none an error
        return VOCABULARIES[language][slots[0]] if count else ""
    return " ".join(itemgetter(*slots)(VOCABULARIES[language]))


def capitalized(text):
    """``text`` with a capital first letter (the generated words are lower case)."""
    return text[:1].upper() + text[1:]


def sentence(rng, language, count):
    return capitalized(words(rng, language, count)) + "."


def page_text(rng, language, image=None):
    """(title, lead, body) of a story-like page, the body as (block type, value) pairs
    for a StreamField; the body gets an image block if ``image`` is given."""
    title = words(rng, language, rng.randint(4, 8)).capitalize()
    lead = words(rng, language, 25).capitalize() + "."
    body = [("heading", {"text": words(rng, language, 4).capitalize(), "level": "h2"})]
    for number in range(4):
        body.append(("paragraph", f"<p>{words(rng, language, 70).capitalize()}.</p>"))
        if number == 1 and image is not None:
            body.append(
                (
                    "image",
                    {
                        "image": image,
                        "alt_text": words(rng, language, 5).capitalize(),
                        "decorative": False,
                        "caption": words(rng, language, 8).capitalize(),
                        "credit": "A. Fotograf",
                    },
                )
            )
    body.append(
        (
            "key_figures",
            {
                "heading": words(rng, language, 3),
                "figures": [{"value": "150+", "label": words(rng, language, 2)}],
            },
        )
    )
    body.append(("quote", {"text": words(rng, language, 20), "attribution": "A. Person"}))
    return title, lead, body


def slug(title, number):
    """An address part from a title, ASCII like the demo's ("vard" for "vård"), made
    unique by ``number``."""
    base = slugify(title)[:60].rstrip("-")
    return f"{base}-{number}" if base else str(number)


def block_id(rng):
    """A block id as Wagtail makes them (a version 4 UUID), drawn from ``rng``: the same
    seed gives the same stored bodies."""
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# The RFC 4122 variant bits (10xx) over the first hex digit of the fourth group.
VARIANT = {digit: "89ab"[int(digit, 16) % 4] for digit in "0123456789abcdef"}


class Stream:
    """A StreamField value in the stored form (a list of ``{"type", "value", "id"}``),
    with the text a reader sees in it in block order, as the search index reads it.

    Only the blocks the generator uses are here; each records its searchable strings
    the way ``portal.search.extract.block_text`` walks them (a heading's level, an
    image, alternative text and the ``decorative`` flag are not text)."""

    def __init__(self, rng):
        self.rng = rng
        self.blocks = []
        self.texts = []

    def _add(self, block_type, value, *texts):
        self.blocks.append({"type": block_type, "value": value, "id": block_id(self.rng)})
        self.texts.extend(text for text in texts if text)
        return self

    def heading(self, text, level="h2"):
        return self._add("heading", {"text": text, "level": level}, text)

    def paragraph(self, text):
        return self._add("paragraph", f"<p>{text}</p>", text)

    def image(self, image_id, alt_text, caption="", credit=""):
        value = {"image": image_id, "alt_text": alt_text, "decorative": False,
                 "caption": caption, "credit": credit}  # fmt: skip
        return self._add("image", value, caption, credit)

    def quote(self, text, attribution=""):
        return self._add("quote", {"text": text, "attribution": attribution}, text, attribution)

    def key_figures(self, heading, figures):
        items, texts = [], [heading]
        for value, label in figures:
            items.append({"type": "item", "value": {"value": value, "label": label},
                          "id": block_id(self.rng)})  # fmt: skip
            texts += [value, label]
        return self._add("key_figures", {"heading": heading, "figures": items}, *texts)

    def gallery(self, heading, pictures):
        """``pictures``: (image id, alt text, caption, credit) tuples."""
        items, texts = [], [heading]
        for image_id, alt_text, caption, credit in pictures:
            value = {"image": image_id, "alt_text": alt_text, "decorative": False,
                     "caption": caption, "credit": credit}  # fmt: skip
            items.append({"type": "item", "value": value, "id": block_id(self.rng)})
            texts += [caption, credit]
        return self._add("gallery", {"heading": heading, "images": items}, *texts)
