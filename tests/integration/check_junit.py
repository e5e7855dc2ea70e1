#!/usr/bin/python3
"""Reads `nstopo check`'s JUnit XML back with a real consumer (Debian's python3-junitparser)
and compares every suite, case, failure message and time with the same run's JSON document.

Usage: check_junit.py JUNIT_FILE JSON_FILE
Prints one line per problem; exits 0 when the two agree, 1 if not, 77 without junitparser.
"""
import json
import sys

try:
    from junitparser import Failure, JUnitXml
except ImportError:
    print("SKIP: python3-junitparser is not installed")
    sys.exit(77)

junit_path, json_path = sys.argv[1], sys.argv[2]
xml = JUnitXml.fromfile(junit_path)
document = json.load(open(json_path, encoding="utf-8"))
lab = document["lab"]
problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


expected = {}  # suite name -> {case name: entry}
for entry in document["checks"]:
    expected.setdefault(f"{lab}.{entry['namespace']}", {})[entry["name"]] = entry

suites = list(xml)
expect(xml.tests == len(document["checks"]), f"testsuites tests={xml.tests}, expected {len(document['checks'])}")
expect(xml.failures == document["summary"]["failed"], f"testsuites failures={xml.failures}")
expect(abs(xml.time - document["summary"]["seconds"]) < 0.0015, f"testsuites time={xml.time}")
expect(sorted(s.name for s in suites) == sorted(expected), f"suites {[s.name for s in suites]}, expected {sorted(expected)}")
cases_seen = 0
for suite in suites:
    entries = expected.get(suite.name, {})
    cases = list(suite)
    cases_seen += len(cases)
    expect(suite.tests == len(entries), f"suite {suite.name}: tests={suite.tests}, expected {len(entries)}")
    failed = sum(1 for e in entries.values() if not e["held"])
    expect(suite.failures == failed, f"suite {suite.name}: failures={suite.failures}, expected {failed}")
    total = sum(e["seconds"] for e in entries.values())
    expect(abs(suite.time - total) < 0.0015 * max(1, len(entries)), f"suite {suite.name}: time={suite.time}, expected {total:.3f}")
    for case in cases:
        entry = entries.get(case.name)
        if entry is None:
            problems.append(f"suite {suite.name}: unexpected case {case.name}")
            continue
        expect(case.classname == suite.name, f"case {case.name}: classname {case.classname}")
        expect(abs(case.time - entry["seconds"]) < 0.0015, f"case {case.name}: time {case.time}, expected {entry['seconds']:.3f}")
        failures = [r for r in case.result if isinstance(r, Failure)]
        if entry["held"]:
            expect(not failures and case.is_passed, f"case {case.name}: held but has a failure")
        else:
            message = entry["summary"]
            if entry["expect"] == "fail":
                message = "succeeded, but was expected to fail: " + message
            expect(len(failures) == 1, f"case {case.name}: {len(failures)} failures, expected 1")
            if failures:
                expect(failures[0].message == message, f"case {case.name}: failure message {failures[0].message!r}, expected {message!r}")
                expect(failures[0].type == entry["check"], f"case {case.name}: failure type {failures[0].type}")
                for line in entry["evidence"]:
                    expect(line in (failures[0].text or ""), f"case {case.name}: evidence {line!r} missing from the failure's text")
        print(f"case {suite.name}/{case.name}: {'passed' if case.is_passed else 'failed'} in {case.time:.3f} s")
expect(cases_seen == len(document["checks"]), f"{cases_seen} cases, expected {len(document['checks'])}")
for problem in problems:
    print("PROBLEM:", problem)
sys.exit(1 if problems else 0)
