#!/usr/bin/env python3
"""Prints the JSON body of one complete IIT response for an edition: every answer unit with an
option of its scale (cycling through the options, so the stored answers are not all alike).

    answers_body.py EDITION.json [iit|eit]
"""
import json
import sys

e = json.load(open(sys.argv[1], encoding="utf-8"))
tool = sys.argv[2] if len(sys.argv) > 2 else "iit"
answers = {}
k = 0
for item in e[tool]["items"]:
    for sub in item.get("sub_items") or [{"code": item["code"]}]:
        options = e["scales"][sub.get("scale", item["scale"])]["options"]
        answers[sub["code"]] = options[k % len(options)]["code"]
        k += 1
print(json.dumps({"answers": answers}, ensure_ascii=False, separators=(",", ":")))
