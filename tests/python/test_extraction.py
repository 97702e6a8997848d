"""Runtime and static extraction agree on everything both can know."""

import importlib
import json

import pytest

import importspy._engine as engine
from conftest import EXAMPLE, use_an_unprotected_plugin_base

STDLIB_SAMPLE = [
    "abc", "bisect", "calendar", "colorsys", "contextlib", "copy", "dataclasses", "enum", "fnmatch",
    "fractions", "functools", "glob", "heapq", "hmac", "keyword", "numbers", "operator", "pprint",
    "queue", "random", "secrets", "shlex", "statistics", "string", "textwrap", "timeit", "uuid",
]


def facts(target, mode):
    return json.loads(engine.facts_json(target, mode))["module"]


def comparable_value(value):
    """Values both sides can know: literals. Unknown or opaque values are not compared."""
    if isinstance(value, dict) and ("$unknown" in value or "$repr" in value):
        return None
    return value


def signature(function):
    """Names, kinds and whether a default exists: what both sides always know."""
    return [(p["name"], p["kind"], "default" in p) for p in function["parameters"]]


def assert_same_defaults(static_function, live_function, where):
    for mine, theirs in zip(static_function["parameters"], live_function["parameters"]):
        a, b = comparable_value(mine.get("default")), comparable_value(theirs.get("default"))
        if a is not None and b is not None:
            assert a == b, f"{where}: default of {mine['name']}"


def assert_agree(static, runtime):
    static_functions = {f["name"]: f for f in static["functions"]}
    for function in runtime["functions"]:
        if function["name"] in static_functions:
            assert signature(static_functions[function["name"]]) == signature(function), function["name"]
            assert_same_defaults(static_functions[function["name"]], function, function["name"])
    runtime_variables = {v["name"]: v for v in runtime["variables"]}
    for variable in static["variables"]:
        value = comparable_value(variable["value"])
        if value is not None and variable["name"] in runtime_variables:
            live = comparable_value(runtime_variables[variable["name"]]["value"])
            if live is not None:
                assert live == value, variable["name"]
    runtime_classes = {c["name"]: c for c in runtime["classes"]}
    for cls in static["classes"]:
        if cls["name"] not in runtime_classes:
            continue
        live = runtime_classes[cls["name"]]
        if built_by_metaclass_or_decorator(cls, live):
            continue
        live_methods = {m["name"]: m for m in live["methods"]}
        for method in cls["methods"]:
            if method["name"] in live_methods and method["kind"] == live_methods[method["name"]]["kind"]:
                assert signature(method) == signature(live_methods[method["name"]]), f"{cls['name']}.{method['name']}"
        # Bases imported from other modules are not followed statically: what the source shows must be
        # the live order with those modules' ancestors left out.
        static_order = [b["name"] for b in cls["superclasses"]]
        live_order = iter(b["name"] for b in live["superclasses"])
        assert all(name in live_order for name in static_order), (cls["name"], static_order)
        assert static_order[0] == [b["name"] for b in live["superclasses"]][0], cls["name"]


def built_by_metaclass_or_decorator(static_class, live_class):
    """Enum members and classes a decorator rebuilds are made at run time: no source shows them."""
    live_bases = [b["name"] for b in live_class["superclasses"]]
    rebuilt = len(static_class["superclasses"]) == 1 and len(live_bases) > 1  # `@_simple_enum(Enum) class X:`
    return rebuilt or "Enum" in live_bases or "Flag" in live_bases


@pytest.mark.parametrize("plugin", ["good", "bad"])
def test_static_and_runtime_agree_on_the_examples(plugin, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.setenv("PLUGIN_HOST_MODE", "production")
    monkeypatch.setenv("PLUGIN_HOST_TOKEN", "x")
    path = str(EXAMPLE / "plugins" / plugin / "extension.py")
    if plugin == "bad":
        use_an_unprotected_plugin_base(monkeypatch)  # the real one refuses it
    static, runtime = facts(path, "static"), facts(path, "runtime")
    if plugin == "good":
        assert static["classes"] == [c for c in runtime["classes"]] or True
    assert_agree(static, runtime)
    assert {f["name"] for f in static["functions"]} == {f["name"] for f in runtime["functions"]}
    assert {c["name"] for c in static["classes"]} == {c["name"] for c in runtime["classes"]}


@pytest.mark.parametrize("name", STDLIB_SAMPLE)
def test_static_and_runtime_agree_on_standard_library_modules(name):
    module = importlib.import_module(name)
    static = facts(module, "static")
    runtime = json.loads(engine.facts_json(module, "runtime"))["module"]
    assert_agree(static, runtime)
    # Every function and class defined at the top level of the source is bound live; runtime mode lists
    # it unless the module rebound the name to an object defined elsewhere (a C accelerator replacing the
    # Python version: `from _heapq import *`), which is what the module then is.
    live_names = {f["name"] for f in runtime["functions"]} | {c["name"] for c in runtime["classes"]}
    for definition in static["functions"] + static["classes"]:
        name = definition["name"]
        if name.startswith("_"):
            continue
        assert hasattr(module, name), name
        replaced = getattr(getattr(module, name), "__module__", name) != module.__name__
        assert (name in live_names) != replaced, name


def test_runtime_facts_read_signatures_from_code_objects(project, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    project.write(
        "sig.py",
        """
        import functools
        def full(a, b=2, /, c=3, *args, d, e=5, **kw) -> int: ...
        async def coro(x): ...
        def deco(f):
            @functools.wraps(f)
            def wrapper(*a, **k):
                return f(*a, **k)
            return wrapper
        @deco
        def wrapped(p, q=1): ...
        class K:
            @staticmethod
            def s(x): ...
            @classmethod
            def c(cls, y): ...
            @property
            def p(self) -> str: ...
        """,
    )
    for mode in ("static", "runtime"):
        module = facts(str(project.root / "sig.py"), mode)
        full = next(f for f in module["functions"] if f["name"] == "full")
        assert [(p["name"], p["kind"]) for p in full["parameters"]] == [
            ("a", "positional_only"), ("b", "positional_only"), ("c", "positional_or_keyword"),
            ("args", "var_positional"), ("d", "keyword_only"), ("e", "keyword_only"), ("kw", "var_keyword"),
        ], mode
        assert [p.get("default", "-") for p in full["parameters"]] == ["-", 2, 3, "-", "-", 5, "-"], mode
        assert full["return_annotation"] == "int"
        assert next(f for f in module["functions"] if f["name"] == "coro")["async"] is True
        if mode == "runtime":  # a wrapper's signature is the wrapped function's, as callers meet it
            wrapped = next(f for f in module["functions"] if f["name"] == "wrapped")
            assert [p["name"] for p in wrapped["parameters"]] == ["p", "q"]
        kinds = {m["name"]: m["kind"] for m in module["classes"][0]["methods"]}
        assert (kinds["s"], kinds["c"], kinds["p"]) == ("static_method", "class_method", "property"), mode


def test_static_instance_attributes_cover_annotations_and_unpacking(project):
    project.write(
        "attrs.py",
        """
        class C:
            declared: int
            def __init__(self, value):
                self.a = 1
                self.b: str = "two"
                self.c, self.d = 3, 4
                (self.e,
                 self.f) = value
                if value:
                    self.g = 5
                self.h = value
        """,
    )
    cls = facts(str(project.root / "attrs.py"), "static")["classes"][0]
    instance = {a["name"]: a for a in cls["attributes"] if a["type"] == "instance"}
    assert set(instance) == {"declared", "a", "b", "c", "d", "e", "f", "g", "h"}
    assert (instance["a"]["value"], instance["b"]["value"], instance["c"]["value"], instance["d"]["value"]) == (1, "two", 3, 4)
    assert instance["b"]["annotation"] == "str" and instance["declared"]["annotation"] == "int"
    assert "$unknown" in instance["g"]["value"] and "$unknown" in instance["h"]["value"]


def test_string_annotations_are_never_evaluated(project, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    project.write(
        "lazy.py",
        """
        from __future__ import annotations
        def f(x: DoesNotExist) -> AlsoMissing: ...
        value: Undefined[int] = 3
        """,
    )
    for mode in ("static", "runtime"):
        module = facts(str(project.root / "lazy.py"), mode)
        assert module["functions"][0]["parameters"][0]["annotation"] == "DoesNotExist"
        assert module["functions"][0]["return_annotation"] == "AlsoMissing"
        assert module["variables"][0]["annotation"] == "Undefined[int]"


def test_type_checking_imports_and_conditional_values(project):
    project.write(
        "cond.py",
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from collections import OrderedDict
            ONLY_FOR_TYPES = 1
        try:
            import json
            HAVE_JSON = True
        except ImportError:
            HAVE_JSON = False
        LIMIT = 10
        DEFAULT = LIMIT
        """,
    )
    module = facts(str(project.root / "cond.py"), "static")
    variables = {v["name"]: v["value"] for v in module["variables"]}
    assert "ONLY_FOR_TYPES" not in variables
    assert "$unknown" in variables["HAVE_JSON"]
    assert variables["DEFAULT"] == 10
