#!/usr/bin/env python3
"""Checks every #include "ringdb/<module>/..." against the module dependency table of
../shared/DESIGN.md, so the layering cannot drift:

    base <- io, resp, store <- persist <- commands, server;  tools never include server/.

Fuzz targets may include server/ (like tests/): the config-file parser, a decoder of untrusted
bytes, lives in server/config.h, whose registry is pure (no I/O, no running server).
"""
import os
import re
import sys

ALLOWED = {
    "base": {"base"},
    "io": {"base", "io"},
    "resp": {"base", "resp"},
    "store": {"base", "store"},
    "persist": {"base", "store", "io", "persist"},
    "commands": {"base", "resp", "store", "persist", "commands"},
    "server": {"base", "io", "resp", "store", "persist", "commands", "server"},
    "testing": {"base", "io", "resp", "store", "persist", "commands", "testing"},
    "tools": {"base", "io", "resp", "store", "persist", "commands", "testing"},
    "fuzz": {"base", "io", "resp", "store", "persist", "commands", "server", "testing"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"ringdb/([a-z_]+)/')


def module_of(path):
    parts = path.split(os.sep)
    if parts[0] in ("src", "include"):
        if parts[0] == "include":
            parts = parts[1:]  # include/ringdb/<module>/...
        if len(parts) >= 3 and parts[1] in ALLOWED:
            return parts[1]
        if parts[0] == "src" and len(parts) == 2:
            return "server"  # src/main.cc builds the server.
        return None
    if parts[0] in ("tools", "fuzz"):
        return parts[0]
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    violations = []
    checked = 0
    for top in ("src", "include", "tools", "fuzz"):
        for directory, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".h", ".cc")):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                module = module_of(path)
                if module is None:
                    continue
                checked += 1
                with open(os.path.join(root, path), encoding="utf-8") as source:
                    for number, line in enumerate(source, 1):
                        match = INCLUDE.match(line)
                        if match and match.group(1) not in ALLOWED[module]:
                            violations.append(f"{path}:{number}: {module} may not include ringdb/{match.group(1)}/")
    for violation in violations:
        print(violation)
    print(f"checked {checked} files, {len(violations)} layering violations")
    return 1 if violations or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
