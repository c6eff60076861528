"""Tools for translators and editors: what is missing, content as PO files, kept URLs.

Everything here works from modeltranslation's registry, so a new page type,
inline child model or snippet is covered as soon as its ``translation.py``
registers its fields.
"""
