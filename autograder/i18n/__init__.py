"""Message catalogues: every string a student reads comes from here, in English or Simplified Chinese.

Catalogues are TOML files, one per language, with the same keys and the same `{placeholders}`
(a kit test checks both). Grading logic builds `Message(key, params)` values; reporters render them
in the language the student or the course chose.
"""

from __future__ import annotations

import os
import string
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from autograder.errors import GraderFault, UsageError

LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANG_ENV = "AUTOGRADER_LANG"
_HERE = Path(__file__).parent
BUNDLE_LANGUAGE = _HERE / "bundle-language"
"""Written into a student bundle or wheel made for one language (`--lang zh`): its default, before the
locale, so a Chinese bundle speaks Chinese on an English system."""


class UnknownLanguage(UsageError, ValueError):
    """--lang or AUTOGRADER_LANG names a language the kit has no catalogue for."""


class CatalogueConflict(GraderFault, ValueError):
    """Two catalogues (the engine's and a unit's, or two units') define the same key."""


@dataclass(frozen=True)
class Message:
    """A catalogue key and its parameters; parameters may be Messages themselves."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return catalogue(lang).render(self)


def msg(key: str, **params: Any) -> Message:
    return Message(key, params)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalogue:
    """The messages of one language."""

    def __init__(self, lang: str, entries: dict[str, str]) -> None:
        self.lang = lang
        self.entries = entries

    def text(self, key: str, **params: Any) -> str:
        return self.render(Message(key, params))

    def render(self, message: Message) -> str:
        try:
            template = self.entries[message.key]
        except KeyError:
            raise KeyError(f"message {message.key!r} is missing from the {self.lang} catalogue") from None
        values = {
            name: value.render(self.lang) if isinstance(value, Message) else value
            for name, value in message.params.items()
        }
        return template.format(**values)

    def has(self, key: str) -> bool:
        return key in self.entries


@cache
def catalogue(lang: str) -> Catalogue:
    """The engine's messages and every installed unit's, in one catalogue; a key defined twice is a
    mistake of the unit that repeats it (its messages would silently replace another's)."""
    from autograder import units

    if lang not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    entries = _read(_HERE / f"{lang}.toml")
    for unit in units.installed().values():
        own = _read(unit.catalogue(lang))
        repeated = sorted(own.keys() & entries.keys())
        if repeated:
            raise CatalogueConflict(f"unit {unit.name!r} repeats catalogue keys: {', '.join(repeated[:5])}")
        entries.update(own)
    return Catalogue(lang, entries)


def _read(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        return _flatten(tomllib.load(handle))


def resolve_language(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """--lang, then AUTOGRADER_LANG, then the bundle's language, then the locale (LC_ALL, LC_MESSAGES,
    LANG), then English."""
    environ = dict(os.environ) if environ is None else environ
    if explicit:
        if explicit not in LANGUAGES:
            raise UnknownLanguage(f"unknown language {explicit!r}: choose one of {', '.join(LANGUAGES)}")
        return explicit
    chosen = environ.get(LANG_ENV, "").strip()
    if chosen:
        if chosen not in LANGUAGES:
            raise UnknownLanguage(f"{LANG_ENV}={chosen!r}: choose one of {', '.join(LANGUAGES)}")
        return chosen
    bundled = BUNDLE_LANGUAGE.read_text(encoding="utf-8").strip() if BUNDLE_LANGUAGE.is_file() else ""
    if bundled in LANGUAGES:
        return bundled
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
