"""The Swedish catalogue is complete: every string translated, none missing."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
JS_PO_FILE = ROOT / "locale" / "sv" / "LC_MESSAGES" / "djangojs.po"
SOURCE_DIRS = ["portal", "home", "stories", "awards", "events"]


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO_FILE))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    # msgfmt skips a fuzzy header, and with it the plural forms.
    assert not catalogue.metadata_is_fuzzy, "the catalogue header is marked fuzzy"
    assert len(catalogue.translated_entries()) > 50


def test_no_interface_string_is_missing_from_the_catalogue(tmp_path):
    """Run makemessages on a copy of the sources and compare with the committed file."""
    for name in SOURCE_DIRS:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "sv", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_FILE)) if not e.obsolete}
    missing = sorted(
        e.msgid for e in extracted if (e.msgctxt, e.msgid) not in committed and e.msgid
    )
    assert len(extracted) > 50
    assert not missing, f"strings missing from {PO_FILE.name} (run `make messages`): {missing}"


def test_every_string_of_wagtails_admin_scripts_has_swedish():
    """The admin's JavaScript catalogue merges Wagtail's Swedish with djangojs.po (the
    project's LOCALE_PATHS come last and win): together they translate every string
    Wagtail's scripts use, listed in its English djangojs.po."""
    import wagtail.admin

    wagtail_locale = Path(wagtail.admin.__file__).parent / "locale"
    ours = polib.pofile(str(JS_PO_FILE))
    assert not ours.untranslated_entries() and not ours.fuzzy_entries()
    assert not ours.metadata_is_fuzzy
    translated = {
        (entry.msgctxt, entry.msgid)
        for catalogue in (polib.pofile(str(wagtail_locale / "sv/LC_MESSAGES/djangojs.po")), ours)
        for entry in catalogue.translated_entries()
    }
    strings = polib.pofile(str(wagtail_locale / "en/LC_MESSAGES/djangojs.po"))
    missing = sorted(
        entry.msgid
        for entry in strings
        if not entry.obsolete and (entry.msgctxt, entry.msgid) not in translated
    )
    assert len(strings) > 50
    assert not missing, f"Wagtail's scripts have strings without Swedish ({JS_PO_FILE}): {missing}"
