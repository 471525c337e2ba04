"""Which of an instrument's languages a respondent reads: chosen by a link, kept in a cookie."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Response, g, request
from markupsafe import Markup

from instruments import Instrument

from ..bounded_cache import BoundedCache

LANGUAGE_COOKIE = "answer_language"
COOKIE_DAYS = 365
# The names people look for, in their own language; any other code is shown as itself.
LANGUAGE_NAMES = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pa": "ਪੰਜਾਬੀ",
    "ur": "اردو",
    "bn": "বাংলা",
    "gu": "ગુજરાતી",
    "ar": "العربية",
    "so": "Soomaali",
    "pt": "Português",
    "es": "Español",
    "fr": "Français",
    "lt": "Lietuvių",
}
_CODE = re.compile(
    r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\)|^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)$"
)
_WORDED: BoundedCache[Instrument] = BoundedCache(256)


def language_tag(language: str) -> str:
    """The BCP 47 tag of a language key ('Welsh (cy)' or 'cy' -> 'cy'); 'en-GB' when unknown."""
    match = _CODE.search(language.strip())
    return (match[1] or match[2]) if match else "en-GB"


def lang_attribute(language: str) -> Markup:
    """` lang="cy"` for an element holding wording in `language` ('' for the own wording)."""
    return Markup(' lang="{}"').format(language_tag(language)) if language else Markup("")


def language_name(language: str) -> str:
    """What a language is called in its own words, for the language links."""
    return LANGUAGE_NAMES.get(language_tag(language).split("-")[0].lower(), language)


def chosen_language(instrument: Instrument) -> str:
    """The language asked for (by link, else the cookie) when the instrument has it, else ''."""
    # A link's choice decides, even when it names the own wording: it replaces the cookie's.
    wanted = request.args.get("lang", request.cookies.get(LANGUAGE_COOKIE, ""))
    return wanted if wanted in instrument.translations else ""


def worded(instrument: Instrument, language: str, cache_key: object | None) -> Instrument:
    """The instrument in `language` (itself when ''); built once per campaign version."""
    g.translated = bool(language)
    if not language:
        return instrument
    if cache_key is None:
        return instrument.in_language(language)
    return _WORDED.get_or_build((cache_key, language), lambda: instrument.in_language(language))


def remember_language(response: Response) -> Response:
    """Keep a language chosen by a link (?lang=) for the following pages; any other resets it."""
    wanted = request.args.get("lang")
    if wanted is None:
        return response
    if getattr(g, "translated", False):
        response.set_cookie(
            LANGUAGE_COOKIE,
            wanted,
            max_age=COOKIE_DAYS * 86400,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(LANGUAGE_COOKIE)
    return response


def this_page_in(language: str) -> str:
    """This page's URL with `?lang=` set, its other arguments kept ("Change" mode, say)."""
    return f"{request.path}?{urlencode(request.args.to_dict() | {'lang': language})}"


def language_choices(instrument: Instrument, current: str) -> list[tuple[str, str, str, bool]]:
    """(value for ?lang=, name, BCP 47 tag, is current) per language, the wording's own first."""
    own = instrument.language or "en"
    choices = [(own, language_name(own), language_tag(own), not current)]
    choices += [
        (key, language_name(key), language_tag(key), key == current)
        for key in instrument.translations
    ]
    return choices
