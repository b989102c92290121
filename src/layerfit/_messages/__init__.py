"""The language of layerfit's messages, and the one place where they are translated.

Standard library only (level 0): ``errors.explain`` calls :func:`translate` on each part of a
message. Call sites keep writing English f-strings; a catalogue (``ko.py``) maps each English
template, with named placeholders for the code and values inside it, to its translation.

Placeholders: ``{name}`` matches any text and is copied as written (code, values, shapes);
``{q_name}`` matches one quoted value (``'relu'``), ``{c_name}`` one call (``Dense(10)``);
``{t_name}`` matches prose that is itself
looked up among the catalogue's messages, then its fragments (ko.py's ``FRAGMENTS`` and those of
its area files): ``loss`` becomes 손실 함수, ``'a' or 'b'`` keeps the values and translates the
``or``, a reason such as ``the weight 'k' it lists is missing`` is translated in its message.
"""

from __future__ import annotations

import os
import re
import string

__all__ = ["LANGUAGES", "get_language", "set_language", "translate", "catalogue", "label"]

LANGUAGES = ("en", "ko")

_chosen: list[str | None] = [None]  # set_language's choice; None follows the environment


def _normalise(value: str | None) -> str | None:
    """'ko', 'ko_KR', 'ko-KR.UTF-8', 'Korean' -> 'ko'; 'en...', 'C', 'POSIX' -> 'en'; else None."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith(("ko", "korean")):
        return "ko"
    if value.startswith(("en", "english")) or value in ("c", "posix") or value.startswith("c."):
        return "en"
    return None


def get_language() -> str:
    """The language of messages: ``set_language``'s choice, else ``LAYERFIT_LANG``, else the locale.

    The locale is read as POSIX does (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``): the first
    one set decides, and only a Korean locale (``ko_KR...``) turns Korean on; anything else,
    including an unset locale, stays English.
    """
    if _chosen[0] is not None:
        return _chosen[0]
    explicit = _normalise(os.environ.get("LAYERFIT_LANG"))
    if explicit:
        return explicit
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "ko" if _normalise(value) == "ko" else "en"
    return "en"


def set_language(language: str | None) -> None:
    """Chooses the language of messages: 'en', 'ko' (or 'ko_KR'), or None to follow the environment."""
    if language is None:
        _chosen[0] = None
        return
    normalised = _normalise(str(language))
    if normalised is None:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"Unknown language {language!r}.",
                f"one of {list(LANGUAGES)}, or None to follow LAYERFIT_LANG and the locale.",
                "layerfit.config.set_language('ko') for Korean messages.",
            )
        )
    _chosen[0] = normalised


def catalogue(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """(messages, fragments): English template -> translated template, for one language."""
    if language == "ko":
        from layerfit._messages import ko

        return ko.MESSAGES, ko.FRAGMENTS
    return {}, {}


def label(name: str, language: str | None = None) -> str:
    """The word before a message's second and third part ('Expected', 'Fix') in ``language``."""
    language = language or get_language()
    if language == "ko":
        from layerfit._messages import ko

        return ko.LABELS[name]
    return name


_QUOTED = r"(?:'[^']*'|\"[^\"]*\")"
# A call: name(...), with parentheses balanced one level deep, so prose after it does not match.
_CALL = r"[\w.]+\([^()]*(?:\([^()]*\)[^()]*)*\)"
_BODIES = {"q_": _QUOTED, "c_": _CALL}


def placeholders(template: str) -> list[str]:
    """The placeholder names of a template, in order."""
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


def _pattern(template: str) -> re.Pattern:
    parts, seen = [], set()
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field in seen:
            parts.append(f"(?P={field})")
            continue
        seen.add(field)
        body = _BODIES.get(field[:2], ".+?")
        parts.append(f"(?P<{field}>{body})")
    return re.compile("".join(parts), re.DOTALL)


_compiled: dict[str, list] = {}


def _entries(language: str, which: int) -> list:
    key = f"{language}:{which}"
    if key not in _compiled:
        table = catalogue(language)[which]
        # The most literal text first, so a specific template wins over a general one.
        ordered = sorted(table.items(), key=lambda item: -len(_literal(item[0])))
        _compiled[key] = [(_pattern(en), translated) for en, translated in ordered]
    return _compiled[key]


def _literal(template: str) -> str:
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))


def lookup(text: str, language: str, *, fragments: bool = False) -> str | None:
    """The translation of ``text``, or None when no template of the catalogue matches it."""
    for pattern, translated in _entries(language, 1 if fragments else 0):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = {
            name: _prose(value, language) if name.startswith("t_") else value
            for name, value in match.groupdict().items()
        }
        return translated.format(**values)
    return None


def _prose(value: str, language: str) -> str:
    """A prose placeholder: a whole message of the catalogue (the reason a helper such as
    ``_refuse(source, reason)`` puts into its message), else a fragment of it (a word, a list
    joined with "or"), else the value as written (a name)."""
    found = lookup(value, language)
    if found is None:
        found = lookup(value, language, fragments=True)
    return value if found is None else found


def translate(text: str, language: str | None = None) -> str:
    """``text`` in ``language`` (default: :func:`get_language`); English when no template fits.

    The fallback keeps a message readable at run time; the tests make every message that
    docs/errors.md lists a failure when it has no translation.
    """
    language = language or get_language()
    if language == "en" or not text:
        return text
    found = lookup(text, language)
    return text if found is None else found
