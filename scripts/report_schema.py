"""schemas/report-1.schema.json: the `-o json` contract (docs/OUTPUT.md) -> written to schemas/ and
seedspec/schemas/ (run after changing a command's result; tests check the two copies match)."""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODES = [
    "usage",
    "spec",
    "connection",
    "permission",
    "database",
    "load",
    "lock-timeout",
    "seeded",
    "drift",
    "unsatisfiable",
    "guard",
    "interrupted",
    "internal",
]
COMMANDS = [
    "validate",
    "check",
    "snapshot",
    "plan",
    "apply",
    "export",
    "init",
    "preview",
    "version",
]
strs = {"type": "array", "items": {"type": "string"}}
nstr = {"type": ["string", "null"]}
defs = {
    "problem": {
        "description": (
            "One error (under `errors`) or drift finding (under "
            "`result.drift.findings`). `code` is its class from the documented list "
            "(docs/OUTPUT.md), each class with one exit code; `kind` is the "
            "problem's own stable name (missing-column, guard-remote, "
            "unknown-option ...; equal to `code` when it has none of its own)."
        ),
        "type": "object",
        "properties": {
            "code": {"enum": CODES},
            "kind": {"type": "string", "minLength": 1},
            "severity": {"enum": ["error", "warning"]},
            "message": {"type": "string", "minLength": 1},
            "fix": {**nstr, "description": "what to change, when known"},
            "table": nstr,
            "column": nstr,
            "file": {"type": "string", "description": "the spec file the problem points at"},
            "line": {"type": "integer", "minimum": 1},
            "col": {"type": "integer", "minimum": 1},
        },
        "required": ["code", "kind", "severity", "message", "fix", "table", "column"],
        "dependentRequired": {"file": ["line", "col"]},
        "additionalProperties": False,
    },
    "drift": {
        "description": (
            "Every drift finding of the specs checked (check), or of the spec "
            "compiled (plan, apply), warnings included."
        ),
        "type": "object",
        "properties": {
            "errors": {"type": "integer", "minimum": 0},
            "warnings": {"type": "integer", "minimum": 0},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/problem"}},
            "checked": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "spec": nstr,
                        "source": {"enum": ["database", "snapshot", "metadata"]},
                    },
                    "required": ["spec", "source"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["errors", "warnings", "findings", "checked"],
        "additionalProperties": False,
    },
    "validate-result": {
        "type": "object",
        "properties": {"files": strs},
        "required": ["files"],
        "additionalProperties": False,
    },
    "check-result": {
        "type": "object",
        "properties": {"drift": {"$ref": "#/$defs/drift"}},
        "required": ["drift"],
        "additionalProperties": False,
    },
    "snapshot-result": {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "written": {"type": "boolean"},
            "stale": {"type": "boolean"},
            "diff": {"type": "string"},
        },
        "required": ["path", "written", "stale", "diff"],
        "additionalProperties": False,
    },
    "plan-result": {
        "type": "object",
        "properties": {"plan": {"$ref": "plan-1.schema.json"}, "drift": {"$ref": "#/$defs/drift"}},
        "required": ["plan", "drift"],
        "additionalProperties": False,
    },
    "apply-result": {
        "type": "object",
        "properties": {
            "report": {
                "type": "object",
                "description": (
                    "What was loaded: rows, seconds and rows/s per table, the load path, "
                    "what was replaced or emptied."
                ),
                "properties": {
                    "rows": {"type": "integer", "minimum": 0},
                    "seconds": {"type": "number"},
                    "plan_digest": {"type": "string"},
                    "sequences_moved": {"type": "integer"},
                    "cleared": strs,
                    "left_alone": strs,
                    "emptied": strs,
                    "load_path": {"enum": ["default", "bulk"]},
                    "validate_seconds": {"type": "number"},
                    "oracle_rows": {"type": "integer"},
                    "oracle_skipped": strs,
                    "noop": {
                        "type": "boolean",
                        "description": "the ledger says this plan already seeded these tables: "
                        "nothing was written",
                    },
                    "ledger_table": {"type": "string"},
                    "ledger": {
                        "description": "the ledger entry this apply recorded, or (noop) the one "
                        "that already seeded the tables; null on a caller's Connection",
                        "type": ["object", "null"],
                        "properties": {
                            "id": {"type": "integer"},
                            "applied_at": {"type": "string"},
                            "plan_digest": {"type": "string"},
                            "seed": {"type": "integer"},
                            "scale": {"type": ["number", "null"]},
                            "counts": {
                                "type": "object",
                                "additionalProperties": {"type": "integer"},
                            },
                            "tables": strs,
                            "seedspec_version": {"type": "string"},
                            "load_path": {"type": "string"},
                            "shard": {
                                "description": "a sharded load's entry: {index, count, "
                                "part_rows} for a shard, {finish: true, count, part_rows} "
                                "for --finish; null for a plain apply",
                                "type": ["object", "null"],
                            },
                        },
                    },
                    "shard": {
                        "description": "apply --shard K/N: index, count, part_rows and held "
                        "(table -> the row ranges [start, stop) of the shard); apply --finish: "
                        "finish (true), count, part_rows and verified (table -> rows proved); "
                        "null for a plain apply (docs/EXPORT.md)",
                        "type": ["object", "null"],
                        "properties": {
                            "index": {"type": "integer", "minimum": 1},
                            "count": {"type": "integer", "minimum": 1},
                            "part_rows": {"type": "integer", "minimum": 1},
                            "finish": {"const": True},
                            "held": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "array",
                                    "items": {
                                        "type": "array",
                                        "items": {"type": "integer"},
                                        "minItems": 2,
                                        "maxItems": 2,
                                    },
                                },
                            },
                            "verified": {
                                "type": "object",
                                "additionalProperties": {"type": "integer"},
                            },
                        },
                        "required": ["count", "part_rows"],
                        "additionalProperties": False,
                    },
                    "tables": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "table": {"type": "string"},
                                "rows": {"type": "integer", "minimum": 0},
                                "seconds": {"type": "number"},
                                "rows_per_second": {"type": ["integer", "null"]},
                            },
                            "required": ["table", "rows", "seconds", "rows_per_second"],
                        },
                    },
                },
                "required": [
                    "rows",
                    "seconds",
                    "plan_digest",
                    "cleared",
                    "left_alone",
                    "emptied",
                    "load_path",
                    "tables",
                ],
            },
            "drift": {"$ref": "#/$defs/drift"},
        },
        "required": ["report", "drift"],
        "additionalProperties": False,
    },
    "export-result": {
        "type": "object",
        "description": "What `export` wrote (docs/EXPORT.md); the manifest file says it in full.",
        "properties": {
            "out": {"type": "string"},
            "manifest": {"type": "string", "description": "the manifest file's path"},
            "format": {"enum": ["sql", "csv", "jsonl", "parquet"]},
            "plan_digest": {"type": "string"},
            "seed": {"type": "integer"},
            "shard": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer", "minimum": 1},
                    "count": {"type": "integer", "minimum": 1},
                },
                "required": ["index", "count"],
            },
            "rows": {"type": "integer", "minimum": 0, "description": "rows this run wrote"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "files": {"type": "integer", "minimum": 0},
            "script": nstr,
            "dask": {
                "description": "null, or where `--dask` ran the shards (one task each)",
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "properties": {
                            "address": {"type": "string", "description": "the scheduler"},
                            "workers": {"type": "integer", "minimum": 1},
                            "shards": {"type": "integer", "minimum": 1},
                        },
                        "required": ["address", "workers", "shards"],
                        "additionalProperties": False,
                    },
                ],
            },
        },
        "required": [
            "out",
            "manifest",
            "format",
            "plan_digest",
            "seed",
            "shard",
            "rows",
            "counts",
            "files",
            "script",
            "dask",
        ],
        "additionalProperties": False,
    },
    "init-result": {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "created": {"type": "boolean"},
            "written": {"type": "boolean"},
            "tables": {"type": "integer", "minimum": 0},
            "added_tables": strs,
            "added_columns": strs,
            "left_alone": {"type": "object", "additionalProperties": {"type": "string"}},
            "spec": {"type": "string", "description": "the spec's text (with --stdout)"},
        },
        "required": [
            "path",
            "created",
            "written",
            "tables",
            "added_tables",
            "added_columns",
            "left_alone",
        ],
        "additionalProperties": False,
    },
    "preview-result": {
        "type": "object",
        "properties": {
            "tables": {
                "type": "object",
                "description": "table -> its first rows, column -> value",
                "additionalProperties": {"type": "array", "items": {"type": "object"}},
            }
        },
        "required": ["tables"],
        "additionalProperties": False,
    },
    "version-result": {
        "type": "object",
        "properties": {"version": {"type": "string"}},
        "required": ["version"],
        "additionalProperties": False,
    },
}
for c in COMMANDS:
    full = defs[f"{c}-result"]
    defs[f"{c}-partial"] = {
        "description": f"what a failed {c} still shows: part of its result",
        "type": "object",
        "properties": full["properties"],
        "additionalProperties": False,
    }
per_command = [
    {
        "if": {
            "properties": {"command": {"const": c}, "ok": {"const": True}},
            "required": ["command", "ok"],
        },
        "then": {"properties": {"result": {"$ref": f"#/$defs/{c}-result"}}},
        "else": {
            "if": {"properties": {"command": {"const": c}}, "required": ["command"]},
            "then": {"properties": {"result": {"$ref": f"#/$defs/{c}-partial"}}},
        },
    }
    for c in COMMANDS
]
schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://raw.githubusercontent.com/seedspec/seedspec/main/schemas/report-1.schema.json",
    "title": "seedspec -o json output, format 1",
    "description": (
        "The one JSON document every seedspec command prints on stdout with `-o "
        "json`: on success, usage errors and every failure (docs/OUTPUT.md). "
        "`ok` is `exit_code == 0`; a success has a `result` (its shape depends "
        "on `command`), a failure has `errors` and, when the command got that "
        "far, a `result` too (check's drift, snapshot --check's diff, "
        "plan/apply's drift findings)."
    ),
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "command": {
            "description": "the command run; null for a usage error before a command was named",
            "enum": [*COMMANDS, None],
        },
        "version": {"type": "string", "description": "seedspec's version"},
        "exit_code": {"enum": [0, 1, 2, 3, 4, 70, 130]},
        "result": {"type": "object"},
        "errors": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/problem"}},
    },
    "required": ["ok", "command", "version", "exit_code"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"ok": {"const": True}}},
            "then": {
                "required": ["result"],
                "not": {"required": ["errors"]},
                "properties": {"exit_code": {"const": 0}},
            },
            "else": {"required": ["errors"], "properties": {"exit_code": {"not": {"const": 0}}}},
        },
        *per_command,
    ],
    "$defs": defs,
}
text = json.dumps(schema, indent=2) + "\n"
for p in ("schemas/report-1.schema.json", "seedspec/schemas/report-1.schema.json"):
    (REPO / p).write_text(text)
