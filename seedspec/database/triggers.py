"""Trigger text -> typed facts: a trigger's timing and events, the tables its body writes.

Also top-level comma splitting of constraint text. Dialects read the catalog and call these."""

from __future__ import annotations

import re

_WRITES = re.compile(
    r"\b(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"
    r"((?:[\"`]?[\w$]+[\"`]?\.)?[\"`]?[\w$]+[\"`]?)",
    re.I,
)
_HEAD = re.compile(r"\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(.+?)\s+ON\s", re.I | re.S)


def split_commas(text: str) -> list[str]:
    """Top-level comma-separated parts (commas inside parentheses stay), stripped, non-empty."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def written_tables(body: str) -> tuple[str, ...]:
    """Bare names of the tables a trigger body inserts into, updates or deletes from."""
    names = []
    for match in _WRITES.finditer(body or ""):
        name = match.group(1).split(".")[-1].strip('"`').lower()
        if name not in names and name not in ("set", "of"):
            names.append(name)
    return tuple(names)


def trigger_head(definition: str) -> tuple[str, tuple[str, ...]]:
    """``CREATE TRIGGER t AFTER INSERT OR UPDATE ON ...`` -> ("AFTER", ("INSERT", "UPDATE"));
    ("", ()) when the head is not found."""
    head = _HEAD.search(definition or "")
    if head is None:
        return "", ()
    events = re.split(r"\bOR\b", head.group(2), flags=re.I)
    return head.group(1).upper(), tuple(e.strip().split()[0].upper() for e in events)


def trigger_first_event(definition: str) -> tuple[str, str]:
    """(timing, first word of the event clause), ("", "") when the head is not found."""
    head = _HEAD.search(definition or "")
    if head is None:
        return "", ""
    return head.group(1).upper(), head.group(2).split()[0].upper()
