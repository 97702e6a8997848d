"""Embedded mode's warm path: a compliant verdict is remembered, and given up as soon as what it rests on
changes (docs/python-api.md, "What a warm check looks at")."""

import textwrap

CONTRACT = """
filename: target.py
variables:
  - name: engine
    value: docker
functions:
  - name: register
    arguments:
      - name: host
      - name: priority
        value: 10
classes:
  - name: Extension
    methods:
      - name: add_extension
"""

TARGET = """
engine = "docker"
def register(host, priority=10):
    return host
class Extension:
    def add_extension(self):
        return 1
"""

# Runs in the project folder: files dated an hour back (a file modified in the last two seconds is never
# trusted by its stamp, so its verdict would not be remembered), then the snippet.
PRELUDE = """
import os, sys, time, importspy
from importspy import Spy
sys.path.insert(0, os.getcwd())
past = time.time() - 3600
for name in os.listdir("."):
    os.utime(name, (past, past))
import target

def verdict():
    try:
        Spy().importspy(filepath="contract.yml", info_module=target)
        return "ok"
    except importspy.ContractViolation as violation:
        return "violation"
"""


def run(project, snippet):
    project.write("contract.yml", CONTRACT)
    project.write("target.py", TARGET)
    result = project.run("-c", PRELUDE + textwrap.dedent(snippet))
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_warm_check_is_compliant_again(project):
    assert run(project, "print(verdict(), verdict(), verdict())") == ["ok", "ok", "ok"]


def test_a_warm_check_sees_a_variable_rebound(project):
    assert run(project, "print(verdict()); target.engine = 'podman'; print(verdict())") == ["ok", "violation"]


def test_a_warm_check_sees_a_function_replaced(project):
    snippet = "print(verdict()); exec('def register(host):\\n    return host', vars(target)); print(verdict())"
    assert run(project, snippet) == ["ok", "violation"]


def test_a_warm_check_sees_a_default_value_changed_in_place(project):
    assert run(project, "print(verdict()); target.register.__defaults__ = (11,); print(verdict())") == ["ok", "violation"]


# Whether a name or member deleted from the live module breaks the contract is the runtime rules' call (the
# source still defines it); the warm check must answer as a cold check does.
def test_a_warm_check_answers_as_a_cold_one_once_a_method_is_removed_from_a_class(project):
    snippet = "print(verdict()); del target.Extension.add_extension; print(verdict()); importspy._engine.clear_caches(); print(verdict())"
    first, warm, cold = run(project, snippet)
    assert (first, warm) == ("ok", cold)


def test_a_warm_check_answers_as_a_cold_one_once_a_name_is_deleted(project):
    snippet = "print(verdict()); del target.engine; print(verdict()); importspy._engine.clear_caches(); print(verdict())"
    first, warm, cold = run(project, snippet)
    assert (first, warm) == ("ok", cold)


def test_a_warm_check_sees_the_contract_changed(project):
    snippet = """
    print(verdict())
    with open("contract.yml", "a") as contract:
        contract.write("  - name: remove_extension\\n")
    print(verdict())
    """
    assert run(project, snippet) == ["ok", "violation"]


def test_a_warm_check_sees_a_mutable_value_changed_in_place(project):
    project.write("contract.yml", CONTRACT.replace("value: docker", "value: [docker]"))
    project.write("target.py", TARGET.replace('engine = "docker"', 'engine = ["docker"]'))
    snippet = "print(verdict()); target.engine.append('podman'); print(verdict())"
    result = project.run("-c", PRELUDE + snippet)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "violation"]


def test_a_new_importer_with_a_different_value_is_checked_in_full(project):
    project.write("contract.yml", CONTRACT.replace("target.py", "importer.py"))
    project.write("protected.py", "from importspy import Spy\nSpy().importspy(filepath='contract.yml')\n")
    project.write("importer.py", TARGET + "import protected\n")
    # The import statement at its own line of importer.py: the names above it have run, so their live
    # values are what the check reads (a name bound below the running line is read from the source).
    snippet = f"""
    import importer
    template = {{k: v for k, v in vars(importer).items() if k != "__builtins__"}}
    code = compile("\\n" * {TARGET.count(chr(10))} + "import protected", importer.__file__, "exec")
    for engine in ("docker", "docker", "podman", "docker"):
        namespace = dict(template, engine=engine)
        try:
            exec(code, namespace)
            print("ok")
        except importspy.ContractViolation:
            print("violation")
    """
    result = project.run("-c", PRELUDE.replace("import target\n", "") + textwrap.dedent(snippet))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "ok", "violation", "ok"]


def test_a_reloaded_importer_is_checked_again(project):
    project.write("contract.yml", CONTRACT.replace("target.py", "importer.py"))
    project.write("protected.py", "from importspy import Spy\nSpy().importspy(filepath='contract.yml')\n")
    project.write("importer.py", TARGET + "import protected\n")
    snippet = """
    import importlib, importer
    print("ok")
    with open("importer.py") as source:
        text = source.read()
    with open("importer.py", "w") as source:
        source.write(text.replace("docker", "podman"))
    try:
        importlib.reload(importer)
        print("ok")
    except importspy.ContractViolation:
        print("violation")
    """
    result = project.run("-c", PRELUDE.replace("import target\n", "") + textwrap.dedent(snippet))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "violation"]


# ---- Class members that change without changing their class ----
# A class's version tag tells whether the class (or a base) was modified; a method's defaults or code, and a
# list bound as a class attribute, change in place without touching it. Each warm check below must answer
# as a cold check of the same state does (caches cleared), and that answer is a violation.

MEMBERS_CONTRACT = """
filename: target.py
classes:
  - name: Extension
    methods:
      - name: add
        arguments:
          - name: self
          - name: level
            value: 10
      - name: build
        arguments:
          - name: size
            value: 1
    attributes:
      - type: class
        name: tags
        value: [a]
    superclasses:
      - name: Base
"""

MEMBERS_TARGET = """
class Base:
    def add(self, level=10):
        return level

class Other:
    def add(self, level=10):
        return level

class Extension(Base):
    tags = ["a"]

    @staticmethod
    def build(size=1):
        return size
"""


def warm_and_cold(project, change):
    project.write("contract.yml", MEMBERS_CONTRACT)
    project.write("target.py", MEMBERS_TARGET)
    snippet = f"print(verdict(), verdict()); {change}; print(verdict()); importspy._engine.clear_caches(); print(verdict())"
    result = project.run("-c", PRELUDE + snippet)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_warm_check_sees_an_inherited_methods_default_changed_in_place(project):
    assert warm_and_cold(project, "target.Base.add.__defaults__ = (11,)") == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_sees_a_methods_code_replaced_in_place(project):
    change = "target.Base.add.__code__ = (lambda self, level, extra: level).__code__"
    assert warm_and_cold(project, change) == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_sees_the_function_a_staticmethod_wraps_changed_in_place(project):
    assert warm_and_cold(project, "target.Extension.build.__defaults__ = (2,)") == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_sees_a_class_attribute_changed_in_place(project):
    assert warm_and_cold(project, "target.Extension.tags.append('b')") == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_sees_a_method_rebound_on_the_class(project):
    change = "target.Extension.add = lambda self, level=12: level"
    assert warm_and_cold(project, change) == ["ok", "ok", "violation", "violation"]


# What a class's version tag stands for (on the stable-ABI build, which cannot read tags, what it compares
# instead): its bases, its names and its namespace, and those of its bases.
def test_a_warm_check_sees_a_base_classs_method_rebound(project):
    change = "target.Base.add = lambda self, level=12: level"
    assert warm_and_cold(project, change) == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_sees_the_bases_of_a_class_replaced(project):
    assert warm_and_cold(project, "target.Extension.__bases__ = (target.Other,)") == ["ok", "ok", "violation", "violation"]


def test_a_warm_check_answers_as_a_cold_one_once_a_base_class_is_renamed(project):
    first, again, warm, cold = warm_and_cold(project, "target.Base.__name__ = 'Renamed'")
    assert (first, again, warm) == ("ok", "ok", cold)


def test_a_warm_check_sees_a_class_attribute_deleted(project):
    assert warm_and_cold(project, "del target.Extension.tags") == ["ok", "ok", "violation", "violation"]
