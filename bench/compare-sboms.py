#!/usr/bin/env python3
"""bench/compare-sboms.py: what each of two CycloneDX JSON SBOMs of one image names that
the other does not, by package, as a markdown table (one row per purl type) followed by
the differing packages themselves.

  compare-sboms.py [--title T] [--examples N] LEFT_NAME=LEFT.json RIGHT_NAME=RIGHT.json

Packages are components at any depth except files, the operating system, data and
cryptographic assets (as bench/count-packages.jq counts them). Two packages are the same
when type, namespace, name and version of their purls agree, qualifiers and subpath
ignored, names compared case-insensitively (PyPI names also with '-', '_' and '.' alike);
a component without a purl is keyed "no-purl/name@version".
"""
import argparse
import json
import re
import sys
import urllib.parse
from collections import defaultdict

NOT_PACKAGES = {"file", "operating-system", "data", "cryptographic-asset", "container"}


def components(doc):
    stack = list(doc.get("components") or [])
    while stack:
        c = stack.pop()
        stack.extend(c.get("components") or [])
        if (c.get("type") or "library") not in NOT_PACKAGES:
            yield c


def key_of(component):
    purl = component.get("purl") or ""
    m = re.match(r"^pkg:([^/]+)/([^?#]+)", purl)
    if not m:
        return "no-purl", "%s@%s" % (component.get("name", "?"), component.get("version", ""))
    ptype, rest = m.group(1).lower(), m.group(2)
    path, _, version = rest.rpartition("@") if "@" in rest else (rest, "", "")
    parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
    name = "/".join(parts).lower()
    if ptype == "pypi":
        name = re.sub(r"[-_.]+", "-", name)
    return ptype, "%s@%s" % (name, urllib.parse.unquote(version))


def upstream_of(component):
    """The source package a binary package names in its purl ("upstream=glibc"), if any."""
    query = (component.get("purl") or "").partition("?")[2].partition("#")[0]
    for pair in query.split("&"):
        k, _, v = pair.partition("=")
        if k == "upstream" and v:
            return urllib.parse.unquote(v).split("@")[0].split(" ")[0].lower()
    return None


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    by_type, upstreams = defaultdict(set), defaultdict(set)
    for c in components(doc):
        ptype, key = key_of(c)
        by_type[ptype].add(key)
        if upstream_of(c):
            upstreams[ptype].add(upstream_of(c))
    return by_type, upstreams


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", default="")
    ap.add_argument("--examples", type=int, default=12)
    ap.add_argument("left")
    ap.add_argument("right")
    args = ap.parse_args()
    (lname, lpath), (rname, rpath) = (a.split("=", 1) for a in (args.left, args.right))
    (left, left_up), (right, right_up) = load(lpath), load(rpath)
    out = []
    if args.title:
        out.append("**%s**\n" % args.title)
    out.append("| purl type | both | only %s | only %s |" % (lname, rname))
    out.append("|---|---|---|---|")
    details = []
    for ptype in sorted(set(left) | set(right), key=lambda t: (-len(left[t] | right[t]), t)):
        lset, rset = left[ptype], right[ptype]
        only_l, only_r = sorted(lset - rset), sorted(rset - lset)
        out.append("| %s | %d | %d | %d |" % (ptype, len(lset & rset), len(only_l), len(only_r)))
        for who, items, other, other_up in ((lname, only_l, rname, right_up), (rname, only_r, lname, left_up)):
            if not items:
                continue
            shown = ", ".join(items[: args.examples]) + (", ..." if len(items) > args.examples else "")
            details.append("- %s only %s (%d): %s" % (ptype, who, len(items), shown))
            # A source package listed by one tool whose binary packages the other lists.
            sources = [i for i in items if i.split("/")[-1].split("@")[0] in other_up[ptype]]
            if sources:
                details.append("  - %d of these are source packages: %s lists their binary packages with "
                               "upstream=<that name>" % (len(sources), other))
    out.append("")
    out.extend(details)
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
