#!/usr/bin/python3
"""Every -o json document nstopo printed must match schemas/output.schema.json.

Usage: check_output.py SCHEMA DOC.json...   (a DOC.yaml beside a DOC.json must hold the same tree)

Each file holds exactly what one command printed on stdout: one document and nothing else.
Prints a line per file and "N passed, N failed"; exits 1 on any failure.
"""
import json
import pathlib
import sys

import jsonschema
import yaml

# Values that differ between two runs of the same command, left out of the YAML comparison.
VOLATILE = {"seconds", "uptime_seconds"}


def strip(tree):
    if isinstance(tree, dict):
        return {k: strip(v) for k, v in tree.items() if k not in VOLATILE}
    if isinstance(tree, list):
        return [strip(v) for v in tree]
    return tree


schema = json.loads(pathlib.Path(sys.argv[1]).read_text())
validator = jsonschema.Draft202012Validator(schema)
passed = failed = 0
for name in sys.argv[2:]:
    path = pathlib.Path(name)
    try:
        doc = json.loads(path.read_text())  # one document and nothing else, or this raises
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            raise ValueError("; ".join(f"{list(e.path)}: {e.message}" for e in errors[:3]))
        twin = path.with_suffix(".yaml")
        if twin.exists():
            if strip(yaml.safe_load(twin.read_text())) != strip(doc):
                raise ValueError(f"{twin.name} is not the same tree as {path.name}")
        print(f"ok: {path.name} ({doc['command']}{', error ' + doc['error']['kind'] if 'error' in doc else ''})")
        passed += 1
    except Exception as error:  # noqa: BLE001 - every failure is reported the same way
        print(f"FAIL: {path.name}: {error}")
        failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
