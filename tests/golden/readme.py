"""tests/golden/README.md's generated part: the compiler messages and the cases that cover them."""

from __future__ import annotations

from goldenlib import HERE, PLAN_FILE, cases
from messages import GUARDED, compiler_messages, coverage, dynamic_entry, skeleton

README = HERE / "README.md"
BEGIN = "<!-- messages:begin (written by scripts/bless.py) -->"
END = "<!-- messages:end -->"
CASES_BEGIN = "<!-- cases:begin (written by scripts/bless.py) -->"
CASES_END = "<!-- cases:end -->"


def table() -> str:
    found = coverage(compiler_messages(), [c.path for c in cases()])
    rows = ["| message (from seedspec/compile/) | where | covered by |", "| --- | --- | --- |"]
    for m, names in sorted(found.items(), key=lambda kv: (kv[0].file, kv[0].template)):
        text = m.template.replace("|", "\\|").replace("\n", " ")
        if m.dynamic:
            entry = dynamic_entry(m.source)
            text = f"*dynamic:* `{m.source}` — {entry[1][1] if entry else 'not in DYNAMIC'}"
        guard = next((v for k, v in GUARDED.items() if m.template.startswith(k)), None)
        if guard:
            text += f" — *guarded:* {guard[1]}"
        where = f"{m.file.removeprefix('seedspec/')}"
        cover = ", ".join(f"`{n}`" for n in names) or "**not covered**"
        rows.append(f"| {text} | {where} | {cover} |")
    return "\n".join(rows)


def case_index() -> str:
    rows = ["| case | database | expected | what it shows |", "| --- | --- | --- | --- |"]
    for c in cases():
        ddl = c.ddl()
        kind = "plan" if (c.path / PLAN_FILE).is_file() else "problems"
        extra = f" + `{c.cli}` CLI" if c.cli else ""
        about = c.about.replace("|", "\\|")
        rows.append(f"| `{c.name}` | {ddl[0] if ddl else '?'} | {kind}{extra} | {about} |")
    return "\n".join(rows)


def _replace(text: str, begin: str, end: str, body: str) -> str:
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def rewritten() -> str:
    text = README.read_text(encoding="utf-8")
    text = _replace(text, CASES_BEGIN, CASES_END, case_index())
    return _replace(text, BEGIN, END, table())


def listed_skeletons() -> set[str]:
    """The skeletons of the messages the README's table lists (first column)."""
    text = README.read_text(encoding="utf-8")
    _, _, rest = text.partition(BEGIN)
    rows = rest.partition(END)[0].splitlines()[3:]
    cells = [row[2:].split(" | ", 1)[0].replace("\\|", "|") for row in rows if row.startswith("| ")]
    return {skeleton(c.split(" — *guarded:*")[0]) for c in cells}
