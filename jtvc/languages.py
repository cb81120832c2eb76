"""Languages and writing directions: one home for the rules every part of the site uses.

The site's chrome (menus, labels, dates) follows ``settings.LANGUAGE_CODE``; each piece of
content carries its own language. Detection is deliberately simple (a count of letters by
script) and has a twin in ``articles/static/articles/language-detect.js``: keep them alike.
"""

import unicodedata

from django.conf import settings
from django.utils import translation

RTL_LANGUAGES = {"he", "ar", "fa", "ur", "yi"}

# Hebrew letters (U+05D0–U+05EA), final forms included, and the presentation forms.
_HEBREW_RANGES = ((0x05D0, 0x05EA), (0x05F0, 0x05F4), (0xFB1D, 0xFB4F))
# A text is "mostly Hebrew" when more than this share of its letters are Hebrew.
HEBREW_SHARE = 0.5
# Fewer letters than this decide nothing (an acronym, a number).
MIN_LETTERS = 3


def direction(language):
    """'rtl' or 'ltr' for a language code such as 'he' or 'en-gb'."""
    return "rtl" if (language or "").split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def site_language():
    """The language of the page's chrome: the active one, which is LANGUAGE_CODE here."""
    return translation.get_language() or settings.LANGUAGE_CODE


def _is_hebrew(char):
    code = ord(char)
    return any(start <= code <= end for start, end in _HEBREW_RANGES)


def hebrew_share(text):
    """(Hebrew letters, all letters) in *text*; markup should be stripped first."""
    hebrew = letters = 0
    for char in text or "":
        if char.isalpha() and unicodedata.category(char).startswith("L"):
            letters += 1
            if _is_hebrew(char):
                hebrew += 1
    return hebrew, letters


def detect_language(*texts):
    """'he' when the texts, taken together, are mostly Hebrew letters; else None.

    Only Hebrew is detected: it is the one other language the newsroom writes in, and a
    guess between Latin-script languages would be wrong too often to be useful.
    """
    hebrew = letters = 0
    for text in texts:
        h, n = hebrew_share(text)
        hebrew, letters = hebrew + h, letters + n
    if letters >= MIN_LETTERS and hebrew / letters > HEBREW_SHARE:
        return "he"
    return None
