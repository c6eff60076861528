"""PostgreSQL search vectors of generated text, made here instead of by the database.

``to_tsvector`` over some 300 words per page and language costs PostgreSQL more than
writing everything else a page needs. Generated text is made of few distinct words, so
each distinct word (with the punctuation stuck to it) is handed to PostgreSQL once per
run, with a marker word after it: the lexemes it gives and how many positions it takes
(a stop word takes one and gives none; "a-b" takes three). A text is then the sum of
its words, each starting where the one before ended, as PostgreSQL's parser, which
never joins words across a space, reads it. The three parts are weighted and joined as
``||`` joins vectors (the positions of the right one moved after the left one's last).

Only text of plain words separated by single spaces is made here; anything PostgreSQL
might read across spaces (markup, entities, other whitespace) and words with many
positions are left to the database (``None``). ``tests/test_seed_volume.py`` compares
the vectors with the ones the index itself makes.
"""


def _plain_text(text):
    """No markup, no entities, no whitespace but the space: text PostgreSQL's parser
    reads word by word (anything else it decides)."""
    return text.isprintable() and "<" not in text and ">" not in text and "&" not in text


# A word that follows every word looked up: where it lands says how many positions
# the word before it took. Never a stop word, never a lexeme of generated text.
MARKER = "xqxqxq"
# PostgreSQL's limits (tsvector.h): positions go up to 16383 and a lexeme keeps at most
# 255 of them; vectors near either are left to the database.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
WEIGHTS = ("A", "B", "C")
# "12C": a position with its weight, as the vector's text has it, for every position.
LABELS = {weight: [f"{at}{weight}" for at in range(MAX_POSITION + 1)] for weight in WEIGHTS}


class SearchVectors:
    """Vectors as ``bulk.SEARCH_VECTOR_SQL`` computes them, for one connection."""

    def __init__(self, connection):
        self.connection = connection
        # Per config, word -> its one lexeme at its one position ("" for a stop word);
        # words that take other than one position or give several lexemes are in
        # ``other`` as (positions taken, ((lexeme, position within the word), ...)).
        self.plain = {}
        self.other = {}

    def learn(self, config, texts):
        """Look up, in one query, the words of ``texts`` not met before."""
        plain = self.plain.setdefault(config, {"": None})
        other = self.other.setdefault(config, {"": (0, ())})
        new = set()
        for text in texts:
            if _plain_text(text):
                new.update(text.split(" "))
        new = [word for word in new if word not in plain and word not in other
               and MARKER not in word]  # fmt: skip
        if not new:
            return
        found = {word: [] for word in new}
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.word, u.lexeme, u.positions "
                "FROM unnest(%s::text[]) AS t(word) "
                "CROSS JOIN LATERAL unnest(to_tsvector(%s::regconfig, t.word || ' ' || %s)) AS u",
                [new, config, MARKER],
            )
            for word, lexeme, positions in cursor.fetchall():
                found[word].append((lexeme, positions))
        for word, lexemes in found.items():
            marker = [positions for lexeme, positions in lexemes if lexeme == MARKER]
            if len(marker) != 1 or len(marker[0]) != 1:
                other[word] = None  # not a plain word: the database decides
                continue
            taken = marker[0][0] - 1
            within = tuple(
                (lexeme, position)
                for lexeme, positions in lexemes
                if lexeme != MARKER
                for position in positions
            )
            if taken == 1 and not within:
                plain[word] = ""
            elif taken == 1 and len(within) == 1 and within[0][1] == 1:
                plain[word] = within[0][0]
            else:
                other[word] = (taken, within)

    def vector(self, config, parts):
        """The vector of ``parts`` (heading, summary and keywords, body: weights A, B, C)
        as text for ``COPY``, or None when the database must make it."""
        plain, other = self.plain[config], self.other[config]
        lexemes = {}
        offset = 0  # the largest position so far, as ``||`` moves the next part's
        for text, weight in zip(parts, WEIGHTS, strict=True):
            if not _plain_text(text):
                return None
            labels = LABELS[weight]
            words = text.split(" ")
            found = list(map(plain.get, words))
            last = 0
            if offset + len(words) > MAX_POSITION - 1:
                return None  # near PostgreSQL's last position: it decides
            if None not in found:  # one position per word (empty text: no word at all)
                for at, lexeme in enumerate(found, offset + 1):
                    if lexeme:
                        positions = lexemes.get(lexeme)
                        if positions is None:
                            lexemes[lexeme] = [labels[at]]
                        else:
                            positions.append(labels[at])
                        last = at
            else:
                position = offset
                for word, lexeme in zip(words, found, strict=True):
                    if lexeme is not None:
                        taken, within = 1, ((lexeme, 1),) if lexeme else ()
                    elif other.get(word) is not None:
                        taken, within = other[word]
                    else:
                        return None
                    for lexeme_within, at in within:
                        if position + at > MAX_POSITION - 1:
                            return None
                        lexemes.setdefault(lexeme_within, []).append(labels[position + at])
                        last = max(last, position + at)
                    position += taken
            if last:
                offset = last
        if any(len(positions) > MAX_POSITIONS_PER_LEXEME for positions in lexemes.values()):
            return None
        return " ".join(
            "'{}':{}".format(
                lexeme.replace("\\", "\\\\").replace("'", "''"),
                ",".join(positions),
            )
            for lexeme, positions in lexemes.items()
        )
