"""The language rules every part of the site shares (jtvc/languages.py and its tags)."""

import gettext
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from jtvc import languages

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["פנסי הנמל דולקים שוב"], "he"),
        (["Harbour lamps shine again"], None),
        # Mostly Hebrew, with an English name inside: still Hebrew.
        (["לדברי Dana, הפנסים חזרו לדלוק אחרי עשר שנים"], "he"),
        # An English headline quoting one Hebrew word stays English.
        (["On רחוב הגפן, the new signs speak two languages"], None),
        # Headline empty, body Hebrew: the texts count together.
        (["", "<p>הספרייה העירונית פותחת פינת קריאה</p>"], "he"),
        (["42", "—"], None),
        (["אב"], None),  # too few letters to decide
    ],
)
def test_detect_language(texts, expected):
    assert languages.detect_language(*texts) == expected


def test_direction_of_codes():
    assert languages.direction("he") == "rtl"
    assert languages.direction("ar") == "rtl"
    assert languages.direction("en-gb") == "ltr"
    assert languages.direction("") == "ltr"


def render(source, **context):
    return Template("{% load languages %}" + source).render(Context(context))


def test_handles_links_and_numbers_are_isolated_and_text_escaped():
    html = render("{{ t|isolate_runs }}", t="שלום @jtvc_news, ראו https://x.com/a ב-2026 <b>")
    assert "<bdi>@jtvc_news</bdi>" in html
    assert "<bdi>https://x.com/a</bdi>" in html
    assert "<bdi>2026</bdi>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_fragments_without_a_recorded_language_are_marked():
    assert render("{% text_lang_attrs t %}", t="כתבת עירונית") == 'lang="he" dir="rtl"'
    assert render("{% text_lang_attrs t %}", t="Staff writer") == 'dir="auto"'
    assert render("{% lang_attrs 'he' %}") == 'lang="he" dir="rtl"'


def read_po(path):
    """{(context, msgid): {"msgstr": …, "fuzzy": …}} of a .po file (the header left out)."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"fuzzy": "#, fuzzy" in block}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                entry[key] = match.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if entry.get("msgid"):
            entries[(entry.get("msgctxt"), entry["msgid"])] = entry
    return entries


def test_hebrew_catalogue_is_complete_and_compiled():
    po = LOCALE / "he/LC_MESSAGES/django.po"
    entries = read_po(po)
    assert len(entries) > 60
    for (_context, msgid), entry in entries.items():
        assert not entry.get("fuzzy"), msgid
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert strings and all(strings), f"untranslated: {msgid!r}"
    # The committed .mo holds every entry of the .po (compilemessages was run).
    with open(LOCALE / "he/LC_MESSAGES/django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for (context, msgid), entry in entries.items():
        msgid = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        if "msgid_plural" in entry:
            continue
        found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert found != msgid or msgid in {", ", "Creative Commons"}, msgid
