#!/usr/bin/env python3
# check-jsonld.py
#
# Copyright 2026 The Gloss developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-jsonld.py SAMPLE-EXE: runs gloss-export-sample into a temporary
# folder and validates its JSON-LD with a JSON Schema validator against the
# MUST constraints of the W3C Web Annotation Data Model, as the W3C test
# suite (w3c/web-annotation-tests: annotationMusts, bodyMusts, targetMusts,
# specificResourceMusts, collectionMusts) states them. The schema below is
# written from those assertions and the model, not copied from the suite.

import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipping")
    sys.exit(77)

URI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$"}
DATE_TIME = {"type": "string",
             "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"}
MOTIVATIONS = ["assessing", "bookmarking", "classifying", "commenting", "describing",
               "editing", "highlighting", "identifying", "linking", "moderating",
               "questioning", "replying", "tagging"]
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "definitions": {
        "uri": URI,
        "dateTime": DATE_TIME,
        "context": {
            "oneOf": [
                {"type": "string", "enum": [ANNO_CONTEXT]},
                # An array holding the anno.jsonld string (3.1).
                {"type": "array", "not": {"items": {"not": {"type": "string", "enum": [ANNO_CONTEXT]}}}},
            ]
        },
        "motivation": {"type": "string", "enum": MOTIVATIONS},
        "textualBody": {
            "type": "object",
            "required": ["value"],
            "properties": {
                "type": {"enum": ["TextualBody"]},
                "value": {"type": "string"},
                "purpose": {"$ref": "#/definitions/motivation"},
                "format": {"type": "string", "pattern": "^(application|audio|example|image|multipart|text|video)/"},
                "language": {"type": "string", "pattern": "^[a-z]{2,3}(-|$)"},
            },
            # An embedded textual body is neither an external resource nor a
            # specific resource (bodyMusts: 3.2.7, 4).
            "not": {"anyOf": [{"required": ["id"]}, {"required": ["source"]}, {"required": ["items"]}]},
        },
        "textQuoteSelector": {
            "type": "object",
            "required": ["type", "exact"],
            "properties": {
                "type": {"enum": ["TextQuoteSelector"]},
                "exact": {"type": "string"},
                "prefix": {"type": "string"},
                "suffix": {"type": "string"},
            },
        },
        "textPositionSelector": {
            "type": "object",
            "required": ["type", "start", "end"],
            "properties": {
                "type": {"enum": ["TextPositionSelector"]},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            },
        },
        "timeState": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["TimeState"]},
                "sourceDate": {"$ref": "#/definitions/dateTime"},
                "cached": {"$ref": "#/definitions/uri"},
            },
            "not": {"required": ["sourceDate", "sourceDateStart", "sourceDateEnd"]},
        },
        "specificResource": {
            "type": "object",
            "required": ["source"],
            "properties": {
                "type": {"enum": ["SpecificResource"]},
                "source": {"$ref": "#/definitions/uri"},
                "selector": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"oneOf": [{"$ref": "#/definitions/textQuoteSelector"},
                                        {"$ref": "#/definitions/textPositionSelector"}]},
                },
                "state": {"$ref": "#/definitions/timeState"},
            },
            "anyOf": [{"required": ["selector"]}, {"required": ["state"]}],
            "not": {"anyOf": [{"required": ["value"]}, {"required": ["items"]}]},
        },
        "annotation": {
            "type": "object",
            "required": ["@context", "id", "type", "target"],
            "properties": {
                "@context": {"$ref": "#/definitions/context"},
                "id": {"$ref": "#/definitions/uri"},
                "type": {"oneOf": [{"enum": ["Annotation"]},
                                   {"type": "array", "not": {"items": {"not": {"enum": ["Annotation"]}}}}]},
                "motivation": {"$ref": "#/definitions/motivation"},
                "created": {"$ref": "#/definitions/dateTime"},
                "modified": {"$ref": "#/definitions/dateTime"},
                "generated": {"$ref": "#/definitions/dateTime"},
                "body": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/textualBody"}},
                "target": {"$ref": "#/definitions/specificResource"},
                "gloss:color": {"enum": ["yellow", "green", "blue", "pink", "purple"]},
            },
            # 3.2.5: never both body and bodyValue.
            "not": {"required": ["body", "bodyValue"]},
        },
        "collection": {
            "type": "object",
            "required": ["@context", "id", "type", "first"],
            "properties": {
                "@context": {"$ref": "#/definitions/context"},
                "id": {"$ref": "#/definitions/uri"},
                "type": {"enum": ["AnnotationCollection"]},
                "label": {"type": "string"},
                "total": {"type": "integer", "minimum": 0},
                "first": {
                    "type": "object",
                    "required": ["id", "type", "items"],
                    "properties": {
                        "id": {"$ref": "#/definitions/uri"},
                        "type": {"enum": ["AnnotationPage"]},
                        "startIndex": {"type": "integer", "minimum": 0},
                        "items": {"type": "array", "items": {"$ref": "#/definitions/annotation"}},
                    },
                },
            },
        },
    },
}


def validator(name):
    schema = dict(SCHEMA)
    schema["$ref"] = "#/definitions/" + name
    return jsonschema.Draft4Validator(schema)


def check_annotation(a, where, errors):
    for e in validator("annotation").iter_errors(a):
        errors.append("%s: %s at %s" % (where, e.message, list(e.absolute_path)))
    selectors = a.get("target", {}).get("selector", [])
    types = sorted(s.get("type") for s in selectors)
    if a.get("motivation") == "bookmarking":
        if selectors:
            errors.append("%s: a page bookmark has selectors" % where)
    elif types != ["TextPositionSelector", "TextQuoteSelector"]:
        errors.append("%s: a highlight needs both selectors, has %s" % (where, types))
    elif a.get("motivation") == "commenting" and not any(
            b.get("purpose") == "commenting" for b in a.get("body", [])):
        errors.append("%s: commenting without a note body" % where)
    state = a.get("target", {}).get("state", {})
    if not state.get("cached", "").startswith("file:///"):
        errors.append("%s: the state does not point at the local copy" % where)


def main():
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.argv[1], tmp], check=True)
        with open(os.path.join(tmp, "export.jsonld"), encoding="utf-8") as f:
            collection = json.load(f)
        for e in validator("collection").iter_errors(collection):
            errors.append("collection: %s at %s" % (e.message, list(e.absolute_path)))
        items = collection["first"]["items"]
        if collection["total"] != len(items):
            errors.append("total %d but %d items" % (collection["total"], len(items)))
        for i, a in enumerate(items):
            check_annotation(a, "collection item %d" % i, errors)

        with open(os.path.join(tmp, "export.jsonl"), encoding="utf-8") as f:
            lines = [line for line in f.read().split("\n") if line]
        if len(lines) != len(items):
            errors.append("%d lines but %d collection items" % (len(lines), len(items)))
        for i, line in enumerate(lines):
            check_annotation(json.loads(line), "line %d" % (i + 1), errors)

    n = len(items) + len(lines)
    if errors:
        for e in errors:
            print(e)
        print("0 passed, %d failed" % len(errors))
        sys.exit(1)
    print("%d annotations valid" % n)


main()
