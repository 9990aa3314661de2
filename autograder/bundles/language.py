"""A generator writes a language only when its catalogue has every message it needs: a missing one
is named, never replaced by the English text."""

from __future__ import annotations

from autograder.errors import UsageError
from autograder.i18n import DEFAULT_LANGUAGE, catalogue


class MissingMessages(UsageError, ValueError):
    """A catalogue lacks messages the thing being built needs: the user asked for that language."""


def missing(lang: str, *prefixes: str) -> list[str]:
    """Keys under `prefixes` that the English catalogue has and `lang`'s lacks."""
    own = catalogue(lang).entries
    return sorted(key for key in catalogue(DEFAULT_LANGUAGE).entries if key.startswith(prefixes) and key not in own)


def require(lang: str, *prefixes: str) -> None:
    absent = missing(lang, *prefixes)
    if absent:
        raise MissingMessages(
            f"the {lang} catalogue (autograder/i18n/{lang}.toml) lacks {len(absent)} message(s) this needs: "
            + ", ".join(absent)
        )
