"""Hostile inputs cost about what parsing them costs; condition shapes cost linear time in their size.

For each input, the static check (the C++ reader, which is the engine, and `parser="cpython"`: CPython's
parser + the C++ walk; both then the one MRO and inherited members of core/facts/static_rules.cpp) and
the canonicalisation of a huge Union are timed against a linear baseline measured in the same run:
CPython's own `compile(..., ast.PyCF_ONLY_AST)` of the same text. Ratios, not absolute times, are what
to compare.

    .venv/bin/python bench/hostile_bench.py [--repeat 5]
"""

import argparse
import ast
import os
import tempfile
import time

import importspy
import importspy._engine as engine


def refused_or(function):
    """CPython refuses a few of the shapes (too deep): the time to refuse is what is measured."""
    try:
        function()
    except (SyntaxError, RecursionError, MemoryError, ValueError, RuntimeError):
        pass


def best_of(repeat, function):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def diamond_chain(levels):
    lines = ["class A0:\n    def m0(self): pass"]
    for i in range(levels):
        lines += [f"class B{i}(A{i}): pass", f"class C{i}(A{i}): pass", f"class A{i + 1}(B{i}, C{i}):\n    def m{i + 1}(self, x): pass"]
    return "\n".join(lines) + "\n"


def chain(length):
    return "class K0:\n    def f0(self): pass\n" + "".join(f"class K{i}(K{i - 1}):\n    def f{i}(self): pass\n" for i in range(1, length))


def many_names(count):
    return "".join(f"v{i} = {i}\n" for i in range(count)) + "".join(f"def f{i}(): pass\n" for i in range(count))


def many_variables(count):
    return "".join(f"v{i} = {i}\n" for i in range(count))


def many_methods(count):
    return "class Big:\n" + "".join(f"    def m{i}(self, a, b=1): pass\n" for i in range(count))


def fill(head, unit, tail, size):
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


# Shapes of one logical line that CPython nests one level per link (it refuses them past a few thousand
# links: MemoryError or RecursionError, so the cpython column times a refusal) or reads flat (`==`,
# `and`), and many statements the reader binds or decides; each a file of `size` bytes.
def condition_shapes(size):
    return [
        ("not chain", fill("import sys\nif ", "not ", "sys.platform == 'linux':\n    W = 1\n", size)),
        (".lower() chain", fill("import sys\nif sys.platform", ".lower()", " == 'linux':\n    W = 1\n", size)),
        ("[0:] chain", fill("import sys\nif sys.platform", "[0:]", " == 'linux':\n    W = 1\n", size)),
        ("== chain after many imports", "".join(f"import m{i}\n" for i in range(size // 40)) + fill("import sys\nX = ", "a == ", "a\n", size // 2)),
        ("or chain of platform tests", fill("import sys\nif ", "sys.platform == 'win32' or ", "False:\n    W = 1\n", size)),
        ("elif chain", fill("import sys\nif sys.platform == 'x':\n    pass\n", "elif sys.platform == 'y':\n    W = 1\n", "", size)),
        ("rebinding forms", fill("import sys\n", "for sys in x: pass\nwith a as (b, sys): pass\n(sys := 1)\n", "", size)),
        ("long string", "X = '" + "a" * size + "'\n"),
        ("long number", "X = " + "9" * size + "\n"),
    ]


def union_contract(members):
    return "variables:\n  - name: x\n    annotation: Union[" + ", ".join(f"T{i}" for i in range(members)) + "]\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mib", type=int, default=4, help="size of the condition shapes (and half of it, to see linear cost)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, source in ([("diamond chain, 20 levels", diamond_chain(20)), ("diamond chain, 40 levels", diamond_chain(40)),
                             ("class chain, 400", chain(400)), ("class chain, 800", chain(800)),
                             ("20,000 variables + 20,000 functions", many_names(20000)),
                             ("100,000 variables", many_variables(100000)), ("one class of 50,000 methods", many_methods(50000))]
                             + [(f"{shape}, {size / (1 << 20):g} MiB", text) for size in (args.mib << 19, args.mib << 20) for shape, text in condition_shapes(size)]):
            path = os.path.join(folder, "m.py")
            with open(path, "w") as f:
                f.write(source)
            contract = os.path.join(folder, "c.yml")
            with open(contract, "w") as f:
                f.write("filename: m.py\n")
            parse = best_of(args.repeat, lambda: refused_or(lambda: compile(source, path, "exec", ast.PyCF_ONLY_AST)))
            # A check, not facts_json: a chain's facts list every class's whole MRO and inherited methods,
            # whose JSON text (36 MB for 400 classes) would dominate.
            read = best_of(args.repeat, lambda: (engine.clear_caches(), importspy.check(path, contract)))
            walk = best_of(args.repeat, lambda: (engine.clear_caches(), refused_or(lambda: importspy.check(path, contract, parser="cpython"))))
            rows.append((name, len(source), read, walk, parse))
        for members in (1000, 5000):
            text = union_contract(members)
            load = best_of(args.repeat, lambda: importspy.parse_contract(text))
            parse = best_of(args.repeat, lambda: compile("x: " + text.split("annotation: ")[1], "<u>", "exec", ast.PyCF_ONLY_AST))
            rows.append((f"contract with a {members}-member Union", len(text), load, None, parse))
    print(f"{'input':42} {'bytes':>9} {'reader':>10} {'cpython':>10} {'CPython parse':>14} {'reader/parse':>12} {'cpython/parse':>13}")
    for name, size, ours, walk, baseline in rows:
        walk_text = f"{walk * 1e3:8.2f}ms" if walk is not None else f"{'-':>10}"
        walk_ratio = f"{walk / baseline:13.2f}" if walk is not None else f"{'-':>13}"
        print(f"{name:42} {size:9d} {ours * 1e3:8.2f}ms {walk_text} {baseline * 1e3:12.2f}ms {ours / baseline:12.2f} {walk_ratio}")


if __name__ == "__main__":
    main()
