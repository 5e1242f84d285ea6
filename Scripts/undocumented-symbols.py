"""Lists the public symbols of a Swift symbol graph that lack documentation.

Usage: python3 Scripts/undocumented-symbols.py MODULE.symbols.json [MODULE@OTHER.symbols.json ...]

A symbol counts when it is declared in this repository's sources (it has a source location;
compiler-synthesised members have none). It needs a doc comment, and a function, method,
initialiser or subscript needs every parameter documented (`- Parameter x:` or an item under
`- Parameters:`). Prints one line per problem and exits 1 when there is any.
"""

import json
import re
import sys

CALLABLE_KINDS = {"swift.func", "swift.method", "swift.type.method", "swift.init", "swift.subscript",
                  "swift.func.op", "swift.type.subscript"}


def documented_parameters(lines):
    """The names under `- Parameter x:` and in the indented list under `- Parameters:`."""
    names = set()
    list_indent = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        single = re.match(r"- Parameter\s+(\w+)\s*:", text)
        if single:
            names.add(single.group(1))
            list_indent = None
        elif re.match(r"- Parameters\s*:", text):
            list_indent = indent
        elif list_indent is not None and text.startswith("- "):
            item = re.match(r"- (\w+)\s*:", text)
            if indent > list_indent and item:
                names.add(item.group(1))
            elif indent <= list_indent:
                list_indent = None
    return names


def main(paths):
    graphs = [json.load(open(path)) for path in paths]
    module = graphs[0]["module"]["name"]
    problems = []
    for symbol in (symbol for graph in graphs for symbol in graph["symbols"]):
        if symbol.get("accessLevel") not in ("public", "open") or "location" not in symbol:
            continue
        where = "/".join(symbol["pathComponents"])
        source = symbol["location"]["uri"].split("/Sources/")[-1]
        line = symbol["location"]["position"]["line"] + 1
        lines = [entry["text"] for entry in symbol.get("docComment", {}).get("lines", [])]
        if not any(text.strip() for text in lines):
            problems.append(f"  no summary: {module}/{where} (Sources/{source}:{line})")
            continue
        if symbol["kind"]["identifier"] in CALLABLE_KINDS:
            parameters = [p.get("internalName", p["name"]) for p in
                          symbol.get("functionSignature", {}).get("parameters", [])]
            missing = [p for p in parameters if p != "_" and p not in documented_parameters(lines)]
            if missing:
                problems.append(f"  undocumented parameter {', '.join(missing)}: {module}/{where} (Sources/{source}:{line})")
    if problems:
        print(f"docs: {module}: {len(problems)} public symbols without full documentation:", file=sys.stderr)
        print("\n".join(sorted(problems)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
