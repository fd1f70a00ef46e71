#!/usr/bin/env python3
"""Trims the CloudFormation resource specification to the resource types a template uses.

Source: the npm package @aws-cdk/aws-service-spec (Apache-2.0), file db.json.gz.
    npm pack @aws-cdk/aws-service-spec && tar xzf aws-cdk-aws-service-spec-*.tgz
    python3 extract.py package/db.json.gz ../../../../../../deploy/ecs/receipt-ranger.yaml > resources.json
Output: {"source", "resources": {type: {"properties": {name: {"required", "type"}}, "attributes": [..]}},
         "types": {id: {"name", "properties": {...}}}} with types reduced to their shape.
"""
import gzip
import json
import re
import sys


def shape(t):
    kind = t.get("type")
    if kind == "ref":
        return {"type": "ref", "ref": t["reference"]["$ref"]}
    if kind in ("array", "map"):
        return {"type": kind, "element": shape(t["element"])}
    if kind == "union":
        return {"type": "union", "types": [shape(x) for x in t["types"]]}
    return {"type": kind}


def refs(t, out):
    if t["type"] == "ref":
        out.add(t["ref"])
    for key in ("element",):
        if key in t:
            refs(t[key], out)
    for x in t.get("types", []):
        refs(x, out)


def main(db_path, template_path):
    db = json.load(gzip.open(db_path))["schema"]
    template = open(template_path).read()
    wanted = sorted(set(re.findall(r"^\s+Type: (AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\s*$", template, re.M)))
    resources = {r["cloudFormationType"]: r for r in db["resource"]["entities"]}
    typedefs = {t["$id"]: t for t in db["typeDefinition"]["entities"]}
    out_resources, pending, out_types = {}, set(), {}
    for name in wanted:
        r = resources[name]
        props = {}
        for p, spec in r.get("properties", {}).items():
            s = shape(spec["type"])
            props[p] = {"required": bool(spec.get("required")), "type": s}
            refs(s, pending)
        out_resources[name] = {"properties": props, "attributes": sorted(r.get("attributes", {}).keys())}
    while pending:
        tid = pending.pop()
        if tid in out_types:
            continue
        t = typedefs[tid]
        props = {}
        for p, spec in t.get("properties", {}).items():
            s = shape(spec["type"])
            props[p] = {"required": bool(spec.get("required")), "type": s}
            refs(s, pending)
        out_types[tid] = {"name": t["name"], "properties": props}
    json.dump({"source": "@aws-cdk/aws-service-spec db.json.gz", "resources": out_resources, "types": out_types},
              sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
