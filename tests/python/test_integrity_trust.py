"""A structure pin never stays green after the pinned code changes: either the
hash changes, or the check reports that the pin cannot be verified."""

import pytest

import importspy

PINNED = "def f(x):\n    return x\n"


def pin_of(project, source, name="f"):
    """The contract `importspy hash` gives for `name` in `source` (written to pinned.py)."""
    module = project.write("pinned.py", source)
    result = project.cli("hash", str(module), "--select", name)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def check(project, source, contract_text):
    module = project.write("pinned.py", source)
    contract = project.write("pins.yml", contract_text)
    return importspy.check(str(module), str(contract))


def function_pin(project, source, name="f"):
    return f"functions:\n  - name: {name}\n    hash: \"{pin_of(project, source, name)}\"\n"


def test_huge_integers_hash_by_value_not_as_a_placeholder(project):
    # Beyond 4,300 digits int has no decimal repr: both constants hashed as `?` before.
    one = f"def f():\n    return 0x{'f' * 5000}\n"
    two = f"def f():\n    return 0x{'f' * 4999}e\n"
    assert pin_of(project, one) != pin_of(project, two)


def test_definitions_that_differ_only_below_the_old_depth_cut_off_hash_differently(project):
    # 300 nested lists: the text was cut at depth 200, so the innermost constant did not count.
    def nested(innermost):
        return "def f():\n    return " + "[" * 150 + innermost + "]" * 150 + "\n"

    assert pin_of(project, nested("1")) != pin_of(project, nested("2"))


@pytest.mark.parametrize(
    "later, why",
    [
        ("def g(x):\n    return 0\nf = g\n", "`f` is bound again at line 5, after its definition"),
        ("def g(x):\n    return 0\nf.__code__ = g.__code__\n", "`f.__code__` is assigned at line 5, after the definition of `f`"),
        ("setattr(f, '__code__', (lambda x: 0).__code__)\n", "`f` is changed by setattr() at line 3, after its definition"),
        ("for f in [print]:\n    pass\n", "`f` is bound again at line 3, after its definition"),
        ("if True:\n    def f(x):\n        return 0\n", "`f` may be defined again at line 4"),
        ("try:\n    f, g = print, 1\nexcept Exception:\n    pass\n", "`f` is bound again at line 4, after its definition"),
    ],
)
def test_a_pinned_function_rebound_later_in_the_module_is_reported_unverifiable(project, later, why):
    # The pin's own verdict: the namespace (setattr at module level makes it unknown) is opted out on purpose.
    contract = "when_unsure: {namespace: allow}\n" + function_pin(project, PINNED)
    assert check(project, PINNED, contract).ok
    report = check(project, PINNED + later, contract)
    assert [(v.code, v.path) for v in report.violations] == [("value-unverifiable", "functions.f.hash")]
    assert report.violations[0].message == f"the pin of function `f` cannot be verified: {why}"


def test_a_pinned_function_replaced_by_an_import_is_no_function_of_the_module(project):
    # Straight-line code: the import binds `f` to os.path.join, so the pinned definition is gone.
    contract = function_pin(project, PINNED)
    report = check(project, PINNED + "from os.path import join as f\n", contract)
    assert [(v.code, v.path) for v in report.violations] == [("function-missing", "functions.f")]


def test_a_replacing_decorator_defined_in_the_module_is_covered_by_the_pin(project):
    decorated = "def deco(function):\n    return function\n@deco\ndef f(x):\n    return x\n"
    contract = function_pin(project, decorated)
    assert check(project, decorated, contract).ok
    replacing = decorated.replace("    return function\n", "    return lambda x: 0\n")
    report = check(project, replacing, contract)
    assert [v.code for v in report.violations] == ["hash-mismatch"]


def test_a_decorator_rebound_before_use_makes_the_pin_unverifiable(project):
    source = "def deco(function):\n    return function\ndeco = print\n@deco\ndef f(x):\n    return x\n"
    report = check(project, source, "functions:\n  - name: f\n    hash: \"sha256:" + "0" * 64 + "\"\n")
    assert [v.code for v in report.violations] == ["value-unverifiable"]
    assert "its decorator `deco` cannot be verified (`deco` is bound again at line 3" in report.violations[0].message


def test_a_decorator_computed_at_run_time_makes_the_pin_unverifiable(project):
    source = "import functools\nDECO = functools.lru_cache(maxsize=None)\n@DECO\ndef f(x):\n    return x\n"
    report = check(project, source, "functions:\n  - name: f\n    hash: \"sha256:" + "0" * 64 + "\"\n")
    assert [v.code for v in report.violations] == ["value-unverifiable"]
    assert report.violations[0].message.endswith("its decorator `DECO` is a value computed at run time")


def test_a_method_replaced_on_its_class_is_reported_for_the_method_and_the_class(project):
    source = "class C:\n    def m(self):\n        return 1\n"
    contract = (f"classes:\n  - name: C\n    hash: \"{pin_of(project, source, 'C')}\"\n"
                f"    methods:\n      - name: m\n        hash: \"{pin_of(project, source, 'C.m')}\"\n")
    assert check(project, source, contract).ok
    report = check(project, source + "C.m = lambda self: 2\n", contract)
    assert sorted((v.code, v.path) for v in report.violations) == [
        ("value-unverifiable", "classes.C.hash"), ("value-unverifiable", "classes.C.methods.m.hash")]


def test_a_method_rebound_in_its_class_body_is_reported(project):
    source = "class C:\n    def m(self):\n        return 1\n"
    contract = f"classes:\n  - name: C\n    methods:\n      - name: m\n        hash: \"{pin_of(project, source, 'C.m')}\"\n"
    module = project.write("pinned.py", source + "    m = print\n")
    contract_path = project.write("pins.yml", contract)
    # The reader follows the rebinding: `m` is a class attribute now (print), so the method is gone.
    report = importspy.check(str(module), str(contract_path))
    assert [(v.code, v.path) for v in report.violations] == [("method-missing", "classes.C.methods.m")]
    # CPython's tree walk keeps the definition and says why its pin cannot stand for the code that runs.
    report = importspy.check(str(module), str(contract_path), parser="cpython")
    assert [v.code for v in report.violations] == ["value-unverifiable"]
    assert "`m` is bound again at line 4 in the class body" in report.violations[0].message


def test_generate_writes_no_pin_that_cannot_be_verified(project):
    module = project.write("pinned.py", PINNED + "g = 1\nf.__doc__ = 'changed'\ndef h():\n    return 2\n")
    text = importspy.generate(str(module), with_hashes=True)
    assert "name: h\n    hash:" in text.replace("\r", "")
    assert "name: f\n    hash:" not in text.replace("\r", "")


def test_facts_read_without_hashes_are_not_reused_for_a_pinned_contract(project):
    # The in-process facts cache keyed "with hashes" and "without" alike: a check with no pin, then one
    # with a pin, found no hash and reported the pin unverifiable.
    module = project.write("pinned.py", PINNED)
    plain = project.write("plain.yml", "functions:\n  - name: f\n")
    pinned = project.write("pins.yml", function_pin(project, PINNED))
    assert importspy.check(str(module), str(plain)).ok
    report = importspy.check(str(module), str(pinned))
    assert report.ok, [v.message for v in report.violations]
