"""Secrets: database URLs, keyword DSNs, option files, the environment -> the passwords they hold,
and any text -> the same text with every one of them (and URL/DSN password forms) masked."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, quote_plus, unquote, unquote_plus

MASK = "***"
MIN_MASKED = 4  # shorter secrets are masked only where they stand in a URL or DSN
SECRET_KEYS = ("pass", "pwd", "secret", "token", "key")  # query/DSN keys holding a secret
PASSWORD_ENV = ("PGPASSWORD", "MYSQL_PWD")

_lock = threading.Lock()
_known: set[str] = set()

# Hand-written patterns, not a URL parser: they must also work on text a parser refuses (a raw
# '@' or '/' in a password, a malformed URL in a driver's message, a libpq keyword DSN).
# (?!\*\*\*): masking twice changes nothing
_USERINFO = re.compile(r"(?i)([a-z][a-z0-9+.\-]*://[^:@/\s'\"]*:)(?!\*\*\*@)[^\s'\"]*@")
_QUERY = re.compile(
    r"(?i)([?&;][^=&\s'\"#]*(?:pass|pwd|secret|token)[^=&\s'\"#]*=)(?!\*\*\*)[^&\s'\"#]*"
)
_KEYWORD = re.compile(
    r"(?i)(?<![\w.\-?&;])([a-z_]*(?:pass|pwd|secret|token)[a-z_]*\s*=\s*)"
    r"(?!\*\*\*)('(?:[^'\\]|\\.)*'|[^\s'\"]+)"
)


def remember(secret: str | None) -> None:
    """Mask this string (and its encoded forms) in every message from now on."""
    if not secret:
        return
    forms = {secret, unquote(secret), unquote_plus(secret)}
    with _lock:
        for s in forms:
            if len(s) >= MIN_MASKED:
                _known.update(_variants(s))


def _variants(s: str) -> set[str]:
    """The forms a secret takes in output: raw, percent-encoded, JSON-escaped, repr'd, and as a
    GitHub annotation escapes it."""
    out = {s, quote(s), quote(s, safe=""), quote_plus(s), json.dumps(s)[1:-1], repr(s)[1:-1]}
    out.add(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return {v for v in out if len(v) >= MIN_MASKED}


def remember_url(text: str) -> None:
    """Every password a URL or keyword DSN may hold, however it is written."""
    if "://" not in text:
        for m in _KEYWORD.finditer(text):
            value = m.group(2)
            quoted = value[0] == "'"
            remember(value[1:-1].replace("\\'", "'").replace("\\\\", "\\") if quoted else value)
        return
    rest = text.split("://", 1)[1]
    # any '@' may end the user info when a password holds a raw '@': each candidate is a secret
    for at in (i for i, ch in enumerate(rest) if ch == "@"):
        info = rest[:at]
        if ":" in info:
            remember(info.split(":", 1)[1])
    if "?" in rest:
        for key, value in parse_qsl(rest.split("?", 1)[1], keep_blank_values=True):
            if is_secret_key(key):
                remember(value)
            if key.lower() in ("read_default_file", "read_default_group"):
                remember_mysql_options(dict(parse_qsl(rest.split("?", 1)[1])))


def is_secret_key(key: str) -> bool:
    return any(s in key.lower() for s in SECRET_KEYS)


def mysql_options(query: Mapping[str, object]) -> dict[str, str]:
    """The [client] (or read_default_group) options pymysql reads from read_default_file."""
    path = query.get("read_default_file")
    group = str(query.get("read_default_group") or "client")
    if not path and query.get("read_default_group"):
        path = "/etc/my.cnf"
    if not path:
        return {}
    import configparser  # only with read_default_file (start-up: ~3 ms on every call)

    parser = configparser.RawConfigParser(allow_no_value=True, strict=False)
    try:
        parser.read(os.path.expanduser(str(path)), encoding="utf-8")
        return {k: (v or "").strip().strip("'\"") for k, v in parser.items(group)}
    except (configparser.Error, OSError, UnicodeDecodeError):
        return {}


def remember_mysql_options(query: Mapping[str, object]) -> None:
    options = mysql_options(query)
    for key, value in options.items():
        if is_secret_key(key):
            remember(value)


def mask(text: str) -> str:
    """The text with every remembered secret and every URL/DSN password form masked."""
    if not text:
        return text
    for name in PASSWORD_ENV:
        remember(os.environ.get(name))
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret not in text:
            continue
        if secret.isalnum():  # "postgres" is masked, not the "postgres" of "postgresql"
            word = re.escape(secret)  # a password seen (the user's), matched as a whole word
            text = re.sub(rf"(?<![^\W_]){word}(?![^\W_])", MASK, text)
        else:
            text = text.replace(secret, MASK)
    text = _USERINFO.sub(rf"\1{MASK}@", text)
    text = _QUERY.sub(rf"\1{MASK}", text)
    return _KEYWORD.sub(rf"\1{MASK}", text)


def mask_all(texts: Iterable[str]) -> list[str]:
    return [mask(t) for t in texts]
