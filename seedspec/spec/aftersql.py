"""after: SQL text + a sqlglot dialect -> why a statement would end seedspec's transaction.

Statements are split and read with sqlglot's tokenizer for the database's dialect (dollar quotes,
comments and string literals are tokens, so a `;` or `COMMIT` inside one is not a statement).
sqlglot's parser is not asked: it reads `ABORT`, `START TRANSACTION` or `FLUSH TABLES` as column
names and aliases, and falls back to an opaque Command for much of MySQL's DDL, while the
statement's kind is decided by its leading keywords, which the tokens give exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from seedspec.deferred import deferred

if TYPE_CHECKING:
    from sqlglot import dialects as sqldialects
    from sqlglot import errors as sqlerrors
    from sqlglot import tokens as sqltokens
    from sqlglot.tokens import Token
else:
    sqldialects = deferred("sqlglot.dialects")
    sqlerrors = deferred("sqlglot.errors")
    sqltokens = deferred("sqlglot.tokens")


# the statements that end (or take over) the transaction on every database
_TRANSACTION_CONTROL = {"COMMIT", "END", "ROLLBACK", "ABORT", "BEGIN", "SAVEPOINT", "RELEASE", "XA"}
# MariaDB/MySQL: statements that run without an implicit commit (every other kind, all DDL
# among them, commits the transaction first: "Statements That Cause an Implicit Commit")
_NO_IMPLICIT_COMMIT = {
    "SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES", "TABLE", "CALL",
    "DO", "SET", "EXPLAIN", "DESCRIBE", "DESC", "SHOW", "HANDLER", "PREPARE", "EXECUTE",
    "DEALLOCATE", "SIGNAL", "RESIGNAL", "GET", "(",
}  # fmt: skip
_ANALYZED = {"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "FORMAT"}  # MariaDB ANALYZE stmt


@dataclass(frozen=True)
class Refusal:
    statement: str  # the statement's text, shortened
    reason: str
    fix: str


def refusals(sql: str, dialect: str | None, implicit_commits: bool) -> list[Refusal]:
    """Every statement of `sql` that would end the apply's transaction. `implicit_commits`: the
    database commits before DDL and other statements (MariaDB/MySQL). SQL the tokenizer cannot
    read gives none here: the transaction state is still checked after it runs."""
    out = []
    for tokens in _statements(sql, dialect):
        refusal = _refusal(sql, tokens, implicit_commits)
        if refusal is not None:
            out.append(refusal)
    return out


def first_statement_refusal(sql: str) -> Refusal | None:
    """The first statement only, read with sqlglot's generic dialect (validate knows no
    database): transaction control there is refused on every database."""
    statements = _statements(sql, None)
    return _refusal(sql, statements[0], False) if statements else None


def _statements(sql: str, dialect: str | None) -> list[list[Token]]:
    try:
        tokens = sqldialects.Dialect.get_or_raise(dialect).tokenize(sql)
    except sqlerrors.SqlglotError:
        return []
    out: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type == sqltokens.TokenType.SEMICOLON:
            out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if s]


def _words(tokens: list[Token]) -> list[str]:
    return [t.text.upper() for t in tokens]


def _shown(sql: str, tokens: list[Token]) -> str:
    text = " ".join(sql[tokens[0].start : tokens[-1].end + 1].split())
    return text if len(text) <= 60 else text[:57] + "..."


def _refusal(sql: str, tokens: list[Token], implicit_commits: bool) -> Refusal | None:
    words = _words(tokens)
    shown = _shown(sql, tokens)
    if _ends_transaction(words):
        return Refusal(
            shown,
            "transaction control in after: would end seedspec's transaction (it runs inside "
            "it, and seedspec commits only when everything is loaded and validated)",
            "remove it: seedspec commits the whole apply itself, or rolls all of it back",
        )
    if words[0] == "SET" and len(words) > 2 and words[1] == "STATEMENT" and "FOR" in words:
        inner = tokens[words.index("FOR") + 1 :]  # MariaDB: SET STATEMENT ... FOR <statement>
        return _refusal(sql, inner, implicit_commits) if inner else None
    if implicit_commits and _commits_implicitly(words):
        return Refusal(
            shown,
            "MariaDB/MySQL commit the transaction implicitly before this statement, so a later "
            "failure could not roll the seeded rows back",
            "run it outside seedspec (a migration, or a separate step after apply); after: "
            "takes DML (INSERT, UPDATE, DELETE, SELECT, CALL) and temporary tables",
        )
    return None


def _ends_transaction(words: list[str]) -> bool:
    head = words[0]
    if head in _TRANSACTION_CONTROL:
        return True
    if head == "START" and len(words) > 1 and words[1] == "TRANSACTION":
        return True
    if head == "PREPARE" and len(words) > 1 and words[1] == "TRANSACTION":  # PostgreSQL 2PC
        return True
    return head == "SET" and "AUTOCOMMIT" in words  # seedspec owns the transaction's mode


def _commits_implicitly(words: list[str]) -> bool:
    head = words[0]
    if head in ("CREATE", "DROP"):
        rest = [w for w in words[1:5] if w not in ("OR", "REPLACE")]
        return rest[:2] != ["TEMPORARY", "TABLE"]  # temporary tables do not commit
    if head == "ANALYZE":  # MariaDB's ANALYZE <statement> runs it; ANALYZE TABLE commits
        return len(words) < 2 or words[1] not in _ANALYZED
    if head == "SET":
        return len(words) > 1 and words[1] == "PASSWORD"
    return head not in _NO_IMPLICIT_COMMIT
