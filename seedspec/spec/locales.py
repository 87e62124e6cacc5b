"""A spec's locale code -> None when mimesis knows it, else the problem (mimesis not imported).

mimesis's package `__init__` imports every provider (~0.1 s, and numpy with seedspec's pools),
so validating a spec would pay it for one enum. Its `mimesis/enums.py` imports only `enum`: it is
executed here on its own, under a private module name (so it never stands in for the real
`mimesis.enums`), and its `Locale` values are the codes `generate/pools.locale_of` accepts.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path


@functools.cache
def known_locales() -> tuple[str, ...]:
    """Every locale code mimesis's Locale enum holds, sorted."""
    found = importlib.util.find_spec("mimesis")
    assert found is not None and found.submodule_search_locations is not None
    path = Path(next(iter(found.submodule_search_locations))) / "enums.py"
    spec = importlib.util.spec_from_file_location("_seedspec_mimesis_enums", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(sorted(loc.value for loc in module.Locale))


def locale_problem(code: str) -> str | None:
    """The message for a locale mimesis does not know (as `locale_of` words it), else None."""
    known = known_locales()
    if code in known:
        return None
    return f"unknown locale {code!r}; mimesis knows: {', '.join(known)}"
