"""The zh_Hans catalog is complete, and the compiled file says what the source file says."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_catalog_has_no_untranslated_or_fuzzy_entry():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    assert len(catalog) > 100
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


def test_compiled_catalog_matches_the_source():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            assert translations.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert translations.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr, entry.msgid
