"""PO entries as text, exactly as ``polib`` writes them, several times faster.

``polib`` wraps every long ``msgid``, ``msgstr`` and comment with ``textwrap``, whose
word-splitting expression and packing loop cost more than everything else an export of
100,000 pages does. A wrapped line is the longest run of textwrap's chunks (words,
parts of hyphenated words, runs of spaces) that fits, or one longer chunk alone; one
regular expression finds it. Text where textwrap decides more (dashes of two hyphens,
whitespace other than spaces) goes through ``textwrap`` as in ``polib``.
``tests/test_translation_scale.py`` compares both on generated texts.
"""

import functools
import re
import textwrap

from polib import escape, unescape

WRAP_WIDTH = 78
BACKSLASH = "\\"
_SPECIAL_CHARACTERS = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')


# Where textwrap breaks a hyphenated word: after a hyphen with two letters (or a letter,
# a hyphen and a letter) before it and a letter, maybe a hyphen, and a letter after it.
_LETTER = r"[^\d\W]"
_HYPHEN = rf"(?:(?<={_LETTER}{{2}}-)|(?<={_LETTER}-{_LETTER}-))(?={_LETTER}-?{_LETTER})"
# Where one of textwrap's chunks ends: between a space and a non-space, after such a
# hyphen, or at the end.
_BOUNDARY = rf"(?:(?<=[^ ])(?= )|(?<= )(?=[^ ])|{_HYPHEN}|\Z)"


def _line_pattern(width):
    # The longest stretch of at most ``width`` characters ending where a chunk ends;
    # else one chunk (part of a word, or a run of spaces) longer than that.
    return re.compile(rf"(?s).{{1,{width}}}{_BOUNDARY}|[^ ]+?(?:{_HYPHEN}|(?= )|\Z)| +")


_FIELD_LINES = _line_pattern(WRAP_WIDTH - 2)
_COMMENT_LINES = _line_pattern(WRAP_WIDTH - 3)
_SPACES = re.compile(" +")
# Whitespace other than the space: textwrap splits at ASCII whitespace, but drops what
# ``str.strip`` removes (a no-break space too) from the ends of lines.
_OTHER_WHITESPACE = re.compile(r"[^\S ]")


def _simple(text):
    """True when textwrap's chunks of ``text`` are what ``_BOUNDARY`` finds: no dash of two
    hyphens or more (an em-dash to textwrap), no whitespace but spaces."""
    return "--" not in text and not _OTHER_WHITESPACE.search(text)


def wrap_field(escaped):
    """``textwrap.wrap(escaped, 76, drop_whitespace=False, break_long_words=False)``."""
    if _simple(escaped):
        return _FIELD_LINES.findall(escaped)
    return textwrap.wrap(escaped, WRAP_WIDTH - 2, drop_whitespace=False, break_long_words=False)


@functools.lru_cache(maxsize=256)
def wrap_comment(text, prefix):
    """``textwrap.wrap(text, 78, initial_indent=prefix, subsequent_indent=prefix,
    break_long_words=False)``, as a tuple; remembered, as entries of one page share lines."""
    if len(prefix) != 3 or not _simple(text):
        return tuple(
            textwrap.wrap(
                text,
                WRAP_WIDTH,
                initial_indent=prefix,
                subsequent_indent=prefix,
                break_long_words=False,
            )
        )
    lines = []
    position, end = 0, len(text)
    while position < end:
        if lines and text[position] == " ":
            # A line after the first does not start with the spaces between two words ...
            position = _SPACES.match(text, position).end()
            if position == end:
                break
        match = _COMMENT_LINES.match(text, position)
        position = match.end()
        # ... nor does any line end with them.
        line = match.group().rstrip(" ")
        if line:
            lines.append(prefix + line)
    return tuple(lines)


def _special_characters(text):
    return sum(map(text.count, _SPECIAL_CHARACTERS))


_NEEDS_ESCAPE = re.compile(r'[\\\t\r\n\v\b\f"]')


def _escape(text):
    return escape(text) if _NEEDS_ESCAPE.search(text) else text


def _again(escaped):
    return escape(unescape(escaped)) if BACKSLASH in escaped else escaped


# Where ``str.splitlines`` breaks a line.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _str_field(fieldname, delflag, field):
    """``polib._BaseEntry._str_field`` without a plural index."""
    width = WRAP_WIDTH - (len(fieldname) + 3)
    name = fieldname.removeprefix("previous_")
    if len(field) <= width and not _LINE_BREAK.search(field):
        return [f'{delflag}{name} "{_escape(field)}"']  # the common short case
    lines = field.splitlines(True)
    if len(lines) > 1:
        return [f'{delflag}{name} ""'] + [f'{delflag}"{_escape(line)}"' for line in lines]
    if len(field) > width + _special_characters(field):
        # As polib: the wrapped lines unescaped, and escaped again when written.
        return [f'{delflag}{name} ""'] + [
            f'{delflag}"{_again(line)}"' for line in wrap_field(_escape(field))
        ]
    return [f'{delflag}{name} "{_escape(field)}"']


def format_entry(entry):
    """``str(entry)`` of a ``polib.POEntry``."""
    if (
        entry.tcomment
        or entry.occurrences
        or entry.msgid_plural
        or entry.msgstr_plural
        or entry.obsolete
        or entry.previous_msgctxt is not None
        or entry.previous_msgid_plural is not None
    ):
        return entry.__unicode__(WRAP_WIDTH)
    return format_parts(
        entry.msgctxt, entry.msgid, entry.msgstr, entry.comment, entry.flags, entry.previous_msgid
    )


def format_parts(msgctxt, msgid, msgstr, comment, flags, previous_msgid):
    """An entry with an extracted comment, flags, a previous msgid, a context, a msgid and a
    msgstr, as ``polib`` writes it."""
    ret = []
    if comment:
        for line in comment.split("\n"):
            if len(line) + 3 > WRAP_WIDTH:
                ret += wrap_comment(line, "#. ")
            else:
                ret.append("#. " + line)
    if flags:
        ret.append("#, " + ", ".join(flags))
    if previous_msgid is not None:
        ret += _str_field("previous_msgid", "#| ", previous_msgid)
    if msgctxt is not None:
        ret += _str_field("msgctxt", "", msgctxt)
    ret += _str_field("msgid", "", msgid)
    ret += _str_field("msgstr", "", msgstr)
    ret.append("")
    return "\n".join(ret)
