#!/usr/bin/env python3
"""bench/write-block.py FILE NAME TITLE BLOCK: puts BLOCK (which starts with
"<!-- NAME:begin" and ends with "<!-- NAME:end -->") in place of FILE's NAME block, or
appends it under the heading "## TITLE" when FILE has none yet. The benchmark scripts
write their results into BENCHMARKS.md with it; text outside the markers is kept."""
import re
import sys

path, name, title, block = sys.argv[1:5]
with open(path, encoding="utf-8") as f:
    text = f.read()
pattern = re.compile(r"<!-- %s:begin.*?<!-- %s:end -->" % (re.escape(name), re.escape(name)), re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: block, text)
else:
    text = text.rstrip() + "\n\n## " + title + "\n\n" + block + "\n"
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
