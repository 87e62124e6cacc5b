"""A city of the country its row's parent names (`lookup: country_id.country, as: city`):
parent countries (through the Lookup) + row indices -> one city of that country per row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects, to_python
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.links import Lookup
from seedspec.generate.pools import pool
from seedspec.generate.random import bits

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class CityOfCountry(Generator):
    """Each row's city drawn from the cities of the country its parent row holds (mimesis's
    city list of that country's locale); a country seedspec has no cities for, or NULL, gives
    a city of the plan's own locale."""

    kind = "lookup"

    def __init__(
        self, key: int, lookup: Lookup, locales: Mapping[str, str], *, locale: str, seed: int
    ) -> None:
        super().__init__(key, {"via": lookup.via.fk_id, "column": lookup.parent_column})
        self.lookup, self.locales, self.locale, self.seed = lookup, locales, locale, seed

    def depends_on(self) -> list[tuple[str | None, str]]:
        return self.lookup.depends_on()

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        countries = to_python(self.lookup.values(model, idx))
        draws = bits(self.key, idx)
        out = objects([None] * len(idx))
        by_locale: dict[str, list[int]] = {}
        for i, country in enumerate(countries):
            by_locale.setdefault(self.locales.get(str(country), self.locale), []).append(i)
        for locale, rows in by_locale.items():
            cities = pool("address.city", locale=locale, seed=self.seed)
            at = np.array(rows, dtype=np.int64)
            out[at] = cities[(draws[at] % np.uint64(len(cities))).astype(np.int64)]
        return out
