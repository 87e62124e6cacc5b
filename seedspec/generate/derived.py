"""Values built from other columns of the same row (`from: [first_name, last_name], as: email`)
and the text filters templates share (`{title|slug}`): params + stream key -> str arrays."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.random import bits

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

DOMAINS = ("example.com", "example.org", "example.net")  # RFC 2606: never a real mailbox
FORMS = ("email", "username", "full_name", "slug")

# Django's slugify (django.utils.text), written out here: the stdlib does it in three steps
# and no dependency is worth adding for them. These regexes read generated text, not SQL.
_NOT_SLUG = re.compile(r"[^a-z0-9\s_-]")
_DASHES = re.compile(r"[-\s_]+")
_NOT_LETTER = re.compile(r"[^a-z]+")


def ascii_of(text: str) -> str:
    """Accents dropped (NFKD, then ASCII): `José` -> `Jose`."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(text: str) -> str:
    """URL slug: ASCII, lower case, runs of spaces and dashes one `-`, other signs dropped."""
    value = _NOT_SLUG.sub("", ascii_of(text).lower())
    return _DASHES.sub("-", value).strip("-")


def letters(text: str) -> str:
    """Lower-case ASCII letters only (`Mary-Ann` -> `maryann`): the name part of an email or a
    username, so a row number appended after it can always be told apart."""
    return _NOT_LETTER.sub("", ascii_of(text).lower())


FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
    "slug": slug,
    "initial": lambda text: text[:1],
    "ascii": ascii_of,
}


def apply_filters(value: Any, filters: tuple[str, ...]) -> Any:
    """A template field's value through its filters (`{first_name|initial|lower}`); NULL stays."""
    if value is None or not filters:
        return value
    text = str(value)
    for name in filters:
        text = FILTERS[name](text)
    return text


class Derived(Generator):
    """One text value per row from the row's other columns, in one of FORMS; `unique` appends
    the 1-based row number after the name part (letters only, so it is always the last digits:
    distinct by construction); `max_length` shortens the name part, never the number."""

    kind = "from"

    def __init__(
        self,
        key: int,
        params: dict[str, Any],
        table: str,
        unique: bool = False,
        max_length: int | None = None,
    ) -> None:
        super().__init__(key, params, unique)
        self.table, self.max_length = table, max_length
        self.columns: list[str] = list(params["columns"])
        self.form: str = params["as"]

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, c) for c in self.columns]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        parts = [model.values(self.table, c, idx).tolist() for c in self.columns]
        rows = (idx + 1).tolist()
        # the non-unique number: none on half the rows, else 1..99 (anna.smith42@...)
        draws = (bits(self.key, idx) % np.uint64(198)).astype(np.int64).tolist()
        domains = (bits(self.key, idx, 1) % np.uint64(len(DOMAINS))).astype(np.int64).tolist()
        out = []
        for i, row in enumerate(rows):
            words = [str(p[i]) for p in parts if p[i] is not None]
            number = str(row) if self.unique else (str(draws[i] - 98) if draws[i] > 98 else "")
            out.append(self._one(words, number, str(row), DOMAINS[domains[i]]))
        return objects(out)

    def _one(self, words: list[str], number: str, row: str, domain: str) -> str:
        if self.form == "full_name":
            return self._fit(" ".join(w.strip() for w in words), f" {row}" if self.unique else "")
        if self.form == "slug":
            return self._fit(slug(" ".join(words)) or "item", f"-{row}" if self.unique else "")
        sep = "." if self.form == "email" else "_"
        name = sep.join(w for w in (letters(x) for x in words) if w) or "user"
        if self.form == "email":
            return self._fit(name, f"{number}@{self.params.get('domain') or domain}")
        return self._fit(name, number)

    def _fit(self, text: str, suffix: str) -> str:
        if self.max_length is None:
            return text + suffix
        return text[: max(self.max_length - len(suffix), 0)].rstrip(" ._-") + suffix
