#!/usr/bin/env python3
"""Checks real exchanges with `ita serve` against its OpenAPI 3.1 document.

Usage: check_openapi.py OPENAPI.json EXCHANGES.json

EXCHANGES is a JSON array of {"method", "path" (the document's template, e.g.
"/api/v1/rounds/{id}"), "status", "request" (the JSON body sent, or null), "response" (the JSON
body received, or null)}. Each request body that was accepted (2xx) is validated against the operation's
requestBody schema and each response body against the schema of its status, with the JSON Schema 2020-12
validator of python3-jsonschema (the dialect OpenAPI 3.1 uses). Also fails when an operation of
the document was never answered with a 2xx, so every documented operation is exercised, and
(where openapi-spec-validator is installed) when the document breaks the OpenAPI 3.1
specification. Prints every problem; exits 1 when there is one.
"""
import json
import sys

from jsonschema import Draft202012Validator


def main():
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    exchanges = json.load(open(sys.argv[2], encoding="utf-8"))
    Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})
    problems = []
    try:  # the whole document against the OpenAPI 3.1 specification, where the checker is installed
        from openapi_spec_validator import validate as validate_spec
    except ImportError:
        validate_spec = None
    if validate_spec is not None:
        try:
            validate_spec(doc)
        except Exception as e:  # noqa: BLE001 - any refusal is a problem to print
            problems.append(f"not a valid OpenAPI 3.1 document: {str(e)[:500]}")

    def validate(schema, instance, where):
        # The schema as a resource whose root holds the components, so that
        # "#/components/schemas/…" references resolve inside it.
        root = dict(schema)
        root["components"] = doc["components"]
        for error in Draft202012Validator(root).iter_errors(instance):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{where}: at /{path}: {error.message[:300]}")

    def resolve(obj):
        while "$ref" in obj:
            name = obj["$ref"].split("/")
            obj = doc[name[1]][name[2]][name[3]]
        return obj

    succeeded = set()
    for x in exchanges:
        method, path, status = x["method"].lower(), x["path"], str(x["status"])
        where = f"{x['method']} {path} {status}"
        op = doc["paths"].get(path, {}).get(method)
        if op is None:
            problems.append(f"{where}: not in the document")
            continue
        # A refused request may break the schema on purpose; an accepted one must follow it.
        if x.get("request") is not None and status.startswith("2"):
            body = op.get("requestBody")
            if body is None:
                problems.append(f"{where}: sends a body the document does not describe")
            else:
                validate(body["content"]["application/json"]["schema"], x["request"],
                         where + " request")
        reply = op["responses"].get(status)
        if reply is None:
            problems.append(f"{where}: status not in the document")
            continue
        content = resolve(reply).get("content", {}).get("application/json")
        if content is not None and x.get("response") is not None:
            validate(content["schema"], x["response"], where + " response")
        if status.startswith("2"):
            succeeded.add((method, path))

    for path, ops in doc["paths"].items():
        for method in ops:
            if (method, path) not in succeeded:
                problems.append(f"{method.upper()} {path}: never answered with a 2xx in the test")

    for p in problems:
        print(p)
    print(f"{len(exchanges)} exchanges, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
