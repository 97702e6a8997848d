"""Every binding form the reader applies, against what CPython itself has bound once the module has run.

Each case is written as a real file, read by the static extractor (the C++ reader), and executed by every
installed CPython 3.10-3.13 in a child process that prints the module's namespace. Whatever the reader
reports as known must be what CPython bound: functions and classes defined in the module under their
names, their own methods, direct bases, variables with literal values, `__version__`. Names the reader
marks unverifiable (the `unverifiable` field of a fact) are not compared; each case lists them, and the
facts must say so when the facts carry the field.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import importspy._engine as engine

PYTHONS = [p for p in (Path.home() / ".pyenv" / "versions").glob("3.1[0-3]*/bin/python")] or [Path(sys.executable)]

CHILD = r"""
import importlib.util, inspect, json, sys
path, name = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location(name, path)
module = importlib.util.module_from_spec(spec)
sys.modules[name] = module
spec.loader.exec_module(module)
LITERAL = (bool, int, float, str, type(None))
def value(v):
    if isinstance(v, LITERAL):
        return v
    if isinstance(v, (list, tuple)) and all(isinstance(x, LITERAL) for x in v):
        return list(v)
    return {"$unknown": type(v).__name__}
out = {"functions": [], "classes": {}, "variables": {}, "version": None}
for key, v in vars(module).items():
    if key == "__version__":
        out["version"] = v if isinstance(v, str) else {"$unknown": ""}
        continue
    if key.startswith("__") and key.endswith("__") or inspect.ismodule(v):
        continue
    if inspect.isfunction(v):
        if v.__module__ == name:
            out["functions"].append(key)
    elif inspect.isclass(v):
        if v.__module__ == name and v.__name__ == key:
            methods = [m for m, x in vars(v).items()
                       if inspect.isfunction(x) or isinstance(x, (staticmethod, classmethod, property))]
            bases = [b.__module__ + "." + b.__qualname__ for b in v.__bases__]
            out["classes"][key] = {"methods": methods, "bases": bases}
    else:
        out["variables"][key] = value(v)
print(json.dumps(out))
"""

# (source, names the reader marks unverifiable)
CASES = {
    "import_as_over_a_function": ("def register():\n    pass\nimport os as register\n", set()),
    "from_import_as_over_a_class": ("class Plugin:\n    pass\nfrom json import JSONDecoder as Plugin\n", set()),
    "import_in_a_class_body_over_a_method": ("class C:\n    def x(self):\n        pass\n    import os as x\n", set()),
    "for_over_a_literal": ("def f():\n    pass\nfor f in [1, 2]:\n    pass\n", set()),
    "for_over_a_call": ("import os\ndef f():\n    pass\nfor f in range(2):\n    pass\n", {"f"}),
    "with_as": ("def data():\n    pass\nwith open(__file__) as data:\n    pass\n", set()),
    "with_suppress": (
        "import contextlib\nX = 1\nwith contextlib.suppress(ZeroDivisionError):\n    1 / 0\n    X = 2\n", set()),
    "walrus_at_module_level": ("def f():\n    pass\nx = (f := 3)\n", set()),
    "walrus_in_a_comprehension": ("def last():\n    pass\nvalues = [(last := v) for v in range(3)]\n", {"last"}),
    "walrus_in_a_lambda": ("def f():\n    pass\ng = [lambda: (f := 1)]\n", set()),
    "except_as_deletes": ("try:\n    import missing_module_xyz\nexcept ImportError as error:\n    pass\n", set()),
    "except_as_over_a_function": (
        "def error():\n    pass\ntry:\n    raise ValueError\nexcept ValueError as error:\n    pass\n", {"error"}),
    "case_captures": (
        "def a():\n    pass\ndef b():\n    pass\nmatch [1, 2]:\n    case [1, *a] as b:\n        pass\n", {"a", "b"}),
    "del_version": ("__version__ = '1.0'\ndel __version__\n", set()),
    "del_in_a_branch": ("import os\ndef f():\n    pass\nif not os.environ.get('NOPE_XYZ'):\n    del f\n", {"f"}),
    "global_in_a_function_run_at_import": (
        "X = 1\ndef f():\n    pass\ndef setup():\n    global X, f\n    X = 2\n    f = 3\nsetup()\n", {"X", "f"}),
    "global_in_a_decorator": (
        "X = 1\ndef deco(fn):\n    global X\n    X = fn\n    return fn\n@deco\ndef g():\n    pass\n", {"X"}),
    "replacing_decorator": ("def register(fn):\n    return 1\n@register\ndef hook():\n    pass\n", {"hook"}),
    "replacing_class_decorator": ("def register(cls):\n    return 1\n@register\nclass Plugin:\n    pass\n", {"Plugin"}),
    "identity_decorators": (
        "import abc, atexit, dataclasses, functools, typing\n@abc.abstractmethod\ndef a():\n    pass\n@typing.final\ndef b():\n"
        "    pass\n@dataclasses.dataclass(frozen=True)\n@functools.total_ordering\nclass A:\n    x: int = 0\n"
        "    def __lt__(self, other):\n        return False\n", set()),
    "overload_and_cache": (
        "import functools\nfrom typing import overload\n@overload\ndef a(x: int) -> int: ...\n@functools.lru_cache(maxsize=None)\n"
        "def b():\n    pass\n", {"a", "b"}),
    "method_decorators": (
        "import functools\nclass C:\n    @staticmethod\n    def s():\n        pass\n    @classmethod\n    def k(cls):\n        pass\n"
        "    @property\n    def p(self):\n        return 1\n    @p.setter\n    def p(self, v):\n        pass\n", set()),
    "local_class_shadows_an_imported_base": (
        "from json import JSONDecoder as Plugin\nclass Plugin:\n    def run(self):\n        pass\nclass X(Plugin):\n    pass\n", set()),
    "star_import": ("def sqrt():\n    pass\nfrom math import *\n", {"sqrt"}),
}


def live(python, path, name):
    result = subprocess.run([str(python), "-c", CHILD, str(path), name], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def known(fact, unsure):
    return fact["name"] not in unsure and not fact.get("unverifiable")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_reader_binds_what_cpython_binds(case, tmp_path):
    source, unsure = CASES[case]
    path = tmp_path / f"{case}.py"
    path.write_text(textwrap.dedent(source))
    static = json.loads(engine.facts_json(str(path), "static"))["module"]
    everything = static["functions"] + static["classes"] + static["variables"]
    if any("unverifiable" in fact for fact in everything):  # the facts carry the field: it must say so
        for name in unsure:
            assert any(f["name"] == name and f.get("unverifiable") for f in everything), f"{case}: {name} should be unverifiable"
    name = static.get("name") or case
    for python in PYTHONS:
        runtime = live(python, path, name)
        where = f"{case} on {python}"
        functions = {f["name"]: f for f in static["functions"]}
        classes = {c["name"]: c for c in static["classes"]}
        variables = {v["name"]: v for v in static["variables"]}
        for f in functions.values():
            if known(f, unsure):
                assert f["name"] in runtime["functions"], f"{where}: the reader reports function {f['name']}"
        for f in runtime["functions"]:
            assert f in functions or f in unsure, f"{where}: CPython binds function {f}"
        for c in classes.values():
            if not known(c, unsure):
                continue
            assert c["name"] in runtime["classes"], f"{where}: the reader reports class {c['name']}"
            live_class = runtime["classes"][c["name"]]
            public = lambda names: {n for n in names if not (n.startswith("__") and n.endswith("__"))}
            own = public(m["name"] for m in c.get("methods", []) if m.get("line", 0) >= c.get("line", 0))
            assert own == public(live_class["methods"]), f"{where}: methods of {c['name']}"
            bases = [b["qualified"] for b in c.get("superclasses", [])][: len(live_class["bases"])]
            assert bases == live_class["bases"], f"{where}: bases of {c['name']}"
        for c in runtime["classes"]:
            assert c in classes or c in unsure, f"{where}: CPython binds class {c}"
        for v in variables.values():
            if not known(v, unsure):
                continue
            assert v["name"] in runtime["variables"], f"{where}: the reader reports variable {v['name']}"
            mine, theirs = v["value"], runtime["variables"][v["name"]]
            if not (isinstance(mine, dict) and "$unknown" in mine):
                assert mine == theirs, f"{where}: value of {v['name']}"
        for v in runtime["variables"]:
            # A star import binds names the source does not show (a dynamic namespace, not a binding fact).
            assert v in variables or v in unsure or "import *" in source, f"{where}: CPython binds variable {v}"
        version = static.get("version")
        if version is not None:
            assert runtime["version"] == version, where
        elif not static.get("version_unknown"):
            assert runtime["version"] is None, f"{where}: CPython binds __version__"
