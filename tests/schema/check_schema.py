#!/usr/bin/python3
"""The JSON Schema and the parser must not drift apart.

Usage: check_schema.py ROOT

Validates every ROOT/topologies/*.yaml and each file in MUST_ACCEPT against
ROOT/schemas/topology.schema.json (each must pass), and checks that the schema rejects each invalid file in MUST_REJECT (files of
ROOT/tests/corpus that the parser refuses for a reason a schema can express). Prints one line
per file and "N passed, N failed"; exits 1 on any mismatch.

Needs Debian's python3-jsonschema (>= 4, for draft 2020-12) and python3-yaml.
"""
import json
import pathlib
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    sys.exit(f"check_schema.py: {error}; install python3-jsonschema and python3-yaml")

# Corpus files whose mistake the schema can see: unknown keys, wrong types, missing keys, bad
# version, bad names and lengths, bad MAC, bad CIDR text, non-net sysctls, empty commands,
# bad ports and timeouts.
MUST_REJECT = [
    "unknown_key",
    "unknown_key_no_match",
    "key_at_wrong_level",
    "unknown_top_level_key",
    "wrong_type_map",
    "wrong_type_integer",
    "wrong_type_bool",
    "not_a_map",
    "missing_version",
    "missing_name",
    "missing_command",
    "route_missing_to",
    "bad_version",
    "bad_lab_name",
    "lab_name_too_long",
    "namespace_name_bad_char",
    "namespace_name_host",
    "interface_name_all",
    "namespace_name_too_long",
    "interface_name_too_long",
    "interface_name_in_link_too_long",
    "interface_name_bad_char",
    "interface_name_lo",
    "service_name_path",
    "bad_mac",
    "mac_multicast",
    "bad_cidr",
    "address_without_length",
    "prefix_length_too_long",
    "mtu_out_of_range",
    "sysctl_not_net",
    "empty_command",
    "command_string",
    "cwd_relative",
    "ready_bad_port",
    "ready_bad_timeout",
    "ready_two_probes",
    "ready_address_prefix",
    "ready_address_with_exec",
    "stop_timeout_zero",
    "link_bad_endpoint",
    "link_endpoint_count",
    "range_bad_syntax",
    "link_range_bad",
    "defaults_unknown_key",
    "check_bad_address",
    "check_unknown_key",
    "check_two_kinds",
    "check_bad_url",
    "impairment_bad_values",
]

# Valid files beside topologies/ that exercise what no example does (the parser accepts them
# too: tests/fuzz/corpus is seeded from valid inputs).
MUST_ACCEPT = [
    "tests/fuzz/corpus/probe_addresses.yaml",
    "tests/unit/plan/star-1000-templated.yaml",
    "tests/unit/plan/cases/impairment_netem/desired.yaml",
]


class CoreSchemaLoader(yaml.SafeLoader):
    """YAML as nstopo reads it: only true/false are booleans (YAML 1.2's core schema), so a
    key such as `on:` (a namespace's machine) stays the string PyYAML 1.1 would make True."""


CoreSchemaLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for first in "tTfF":
    CoreSchemaLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list(first))


def load_yaml(path):
    with open(path, encoding="utf-8") as file:
        return yaml.load(file, Loader=CoreSchemaLoader)


def first_error(validator, document):
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = pathlib.Path(sys.argv[1])
    schema = json.loads((root / "schemas" / "topology.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    passed = failed = 0

    def result(ok, label, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok   {label}")
        else:
            failed += 1
            print(f"FAIL {label}{': ' + detail if detail else ''}")

    topologies = sorted((root / "topologies").glob("*.yaml"))
    if not topologies:
        result(False, "topologies/", "no topology files found")
    for path in topologies + [root / name for name in MUST_ACCEPT]:
        label = f"{path.relative_to(root)} is valid"
        try:
            error = first_error(validator, load_yaml(path))
        except yaml.YAMLError as yaml_error:
            result(False, label, f"not YAML: {yaml_error}")
            continue
        result(error is None, label, error or "")

    for name in MUST_REJECT:
        path = root / "tests" / "corpus" / f"{name}.yaml"
        label = f"tests/corpus/{path.name} is rejected"
        if not path.exists():
            result(False, label, "file not found")
            continue
        try:
            document = load_yaml(path)
        except yaml.YAMLError as yaml_error:
            result(False, label, f"not YAML, so the schema proves nothing: {yaml_error}")
            continue
        error = first_error(validator, document)
        result(error is not None, label, "the schema accepts it" if error is None else "")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
