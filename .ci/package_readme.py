#!/usr/bin/env python3
"""Turns the package README (src/SparseModeling/PACKAGE.md) into a consumer's sources, so that CI compiles every
snippet a package user reads: the first C# block becomes Program.cs (the complete first program, run as it is); a
block of using directives only is the header of Examples.cs; every other C# block becomes the body of one method of
Examples.cs (compiled, not run). Usage: package_readme.py PACKAGE.md OUTDIR"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```csharp\n(.*?)^```", text, flags=re.S | re.M)
if len(blocks) < 2:
    sys.exit("package README: expected a first program and examples in ```csharp blocks")
first, rest = blocks[0], blocks[1:]
usings = [b for b in rest if all(line.startswith("using ") or not line.strip() for line in b.splitlines())]
if len(usings) != 1:
    sys.exit("package README: expected exactly one block of using directives for the examples")
examples = [b for b in rest if b is not usings[0]]
out = sys.argv[2]
with open(f"{out}/Program.cs", "w", encoding="utf-8") as f:
    f.write(first)
with open(f"{out}/Examples.cs", "w", encoding="utf-8") as f:
    f.write(usings[0])
    f.write("\ninternal static class PackageReadmeExamples\n{\n")
    for i, body in enumerate(examples, 1):
        f.write(f"    public static void Example{i}()\n    {{\n")
        f.write("".join(f"        {line}\n" if line.strip() else "\n" for line in body.splitlines()))
        f.write("    }\n\n")
    f.write("}\n")
print(f"package README: Program.cs and {len(examples)} examples")
