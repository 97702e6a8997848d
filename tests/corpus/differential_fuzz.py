"""Differential fuzzer: the C++ reader's facts against the module CPython actually builds.

Usage: python differential_fuzz.py READ_FACTS [--seconds S | --cases N] [--seed K] [--findings DIR]
                                   [--exceptions FILE] [--no-shrink] [--quiet]

Run it with an interpreter that has importspy installed (a venv of scripts/wheel-env.sh or
scripts/python-env.sh): that interpreter is the oracle, and the reader (READ_FACTS, the test-only
driver built from tests/cpp/source/tools/read_facts.cpp) reads for the same target (`--platform
sys.platform --python 3.N`).

Inputs, in turn (deterministic for a seed):
- the regression cases of tests/corpus/regressions/ (one small file per attack class), as they are
  and mutated;
- snippets of this interpreter's own Lib/test inputs: the top-level statements of test_grammar.py,
  test_tokenize.py, test_source_encoding.py and the source strings and byte strings they hold, the
  tokenizer and coding data files (tokenize_tests*.txt, bad_coding*.py, coding20731.py,
  encoded_modules), mutated;
- programs generated from templates aimed at the attack classes (every binding form over a few
  names, conditions on sys.platform / version_info / TYPE_CHECKING / __name__ with the names rebound,
  fullwidth and other NFKC-equivalent identifiers, dynamic imports, decorators that replace);
- programs from hypothesmith's grammar strategy (when hypothesmith is installed), mutated.
Mutations: line ends (LF, CRLF, lone CR, mixed), form feeds, backslash continuations (a line holding
only a backslash), identifiers rewritten in NFKC-equivalent characters, coding declarations on line 1,
2 or 3 with the text encoded in that codec, and size (a statement repeated, deep nesting).

Each input is (a) read by READ_FACTS and (b) imported by CPython in a sandbox: a fork server started
with `-I` (and `unshare -n`, no network, when available as root) forks one child per input, with limits
on CPU, memory, file size and open files, a temporary working directory and a timeout; the child
imports the file as a module through importlib (so the coding declaration and line ends are CPython's),
records every `__import__`/`importlib.import_module` made from the module's code, and takes the live
module's facts with importspy's runtime extractor (`_engine.facts_json(module, "runtime")`, the file name
hidden so no source fact is merged in). Modules that do not exist are served as empty stubs (their
attributes are classes), so generated imports do not stop the module.

Compared (what a rule relies on; a fact the reader marks unknown or unverifiable is never a divergence):
variables with a known value, `__version__`, functions and methods (presence, kind, async, parameter
names, kinds and known defaults), classes (presence, method names, direct-base names, known class
attribute values), and imports (every module CPython imported from the module's code must be among the
reader's imports, unless the reader reports imports it cannot name). A file CPython compiles and the
reader refuses, and a reader crash or timeout, are divergences too; a file CPython refuses is counted and
skipped (the reader does not check the grammar of expressions).

Every divergence not listed in the exceptions file (differential_exceptions.toml) is shrunk by line
deletion (delta debugging, keeping the same divergence) and saved under the findings folder with its
reproducer; the run prints a summary by class and exits 1 when there was any.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REGRESSIONS = os.path.join(HERE, "regressions")
EXCEPTIONS = os.path.join(HERE, "differential_exceptions.toml")
MODULE_NAME = "fuzzcase"

# ---------------------------------------------------------------------------------------------------
# The sandbox: a fork server in a child interpreter; one forked process per input.

SANDBOX = r'''
import builtins, importlib, importlib.abc, importlib.machinery, importlib.util, json, os, resource, signal, sys, types
sys.dont_write_bytecode = True
import importspy._engine as engine

class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Modules that do not exist: empty packages whose attributes are classes."""
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        made = {}
        def __getattr__(attr, _name=module.__name__):
            if attr.startswith("__"):
                raise AttributeError(attr)
            if attr not in made:
                made[attr] = type(attr, (), {"__module__": _name})
            return made[attr]
        module.__getattr__ = __getattr__
        module.__path__ = []

def run_case(path, result_fd):
    resource.setrlimit(resource.RLIMIT_CPU, (5, 6))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    sys.setrecursionlimit(3000)
    os.chdir(os.path.dirname(path))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    out = {"status": "ok", "imports": []}
    namespace = {}
    real_import = builtins.__import__
    def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = real_import(name, globals, locals, fromlist, level)
        mine = namespace.get("dict")
        # An import statement passes its globals; a direct call `__import__("m")` may pass none.
        if level == 0 and (globals is mine or (globals is None and sys._getframe(1).f_globals is mine)):
            out["imports"].append(name)
            for item in fromlist or ():
                if isinstance(item, str) and name + "." + item in sys.modules:
                    out["imports"].append(name + "." + item)
        return module
    builtins.__import__ = recording_import
    real_import_module = importlib.import_module
    def recording_import_module(name, package=None):
        module = real_import_module(name, package)
        if sys._getframe(1).f_globals is namespace.get("dict"):
            # The name asked for (`os.path`), not the module's own (`posixpath`).
            out["imports"].append(importlib.util.resolve_name(name, package) if name.startswith(".") else name)
        return module
    importlib.import_module = recording_import_module
    sys.meta_path.append(StubFinder())
    try:
        spec = importlib.util.spec_from_file_location(__NAME__, path)
        module = importlib.util.module_from_spec(spec)
        namespace["dict"] = module.__dict__
        sys.modules[__NAME__] = module
        try:
            spec.loader.exec_module(module)
        except SyntaxError as e:
            out = {"status": "rejected", "error": "%s: %s (line %s)" % (type(e).__name__, e.msg, e.lineno)}
            raise SystemExit
        except BaseException as e:
            out = {"status": "raised", "error": "%s: %s" % (type(e).__name__, str(e)[:200])}
            raise SystemExit
        builtins.__import__ = real_import
        importlib.import_module = real_import_module
        live = sys.modules.get(__NAME__, module)  # what an importer gets: the module may replace itself
        if not isinstance(live, types.ModuleType):
            out = {"status": "raised", "error": "sys.modules entry replaced by a %s" % type(live).__name__}
            raise SystemExit
        # Hide the file so the runtime extractor gives the live facts alone (no source facts merged in).
        live.__dict__["__file__"] = path + ".live"
        out["facts"] = json.loads(engine.facts_json(live, "runtime"))["module"]
    except SystemExit:
        pass
    except BaseException as e:
        out = {"status": "raised", "error": "extractor: %s: %s" % (type(e).__name__, str(e)[:200])}
    try:
        data = json.dumps(out, default=repr).encode()
    except BaseException as e:
        data = json.dumps({"status": "raised", "error": "result: " + type(e).__name__}).encode()
    while data:
        data = data[os.write(result_fd, data):]
    os._exit(0)

def serve():
    for line in sys.stdin:
        request = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                run_case(request["path"], write_end)
            finally:
                os._exit(3)
        os.close(write_end)
        chunks = []
        import select, time
        deadline = time.monotonic() + request.get("timeout", 10)
        timed_out = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        if timed_out:
            result = {"status": "timeout"}
        else:
            try:
                result = json.loads(b"".join(chunks).decode())
            except ValueError:
                result = {"status": "crashed", "error": "exit status %d" % status}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()

serve()
'''.replace("__NAME__", repr(MODULE_NAME))


class Sandbox:
    """CPython importing files: one fork server, one forked child per file."""

    def __init__(self, python=sys.executable):
        command = [python, "-I", "-c", SANDBOX]
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("unshare"):
            probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
            if probe.returncode == 0:
                command = ["unshare", "-n"] + command
        self.command = command
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(self, path, timeout=10):
        for attempt in range(2):
            try:
                self.process.stdin.write(json.dumps({"path": path, "timeout": timeout}) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
                if line:
                    return json.loads(line)
            except (BrokenPipeError, ValueError):
                pass
            self.close()
            self.start()
        return {"status": "crashed", "error": "sandbox server died"}

    def close(self):
        if self.process:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except Exception:
                self.process.kill()
            self.process = None


class Reader:
    """The C++ reader through its test driver, for this interpreter's target."""

    def __init__(self, driver):
        self.command = [driver, "--no-hash", "--platform", sys.platform, "--python", "%d.%d" % sys.version_info[:2]]

    def run(self, path, timeout=20):
        try:
            proc = subprocess.run(self.command, input=path + "\n", capture_output=True, text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"status": "timeout"}
        if proc.returncode != 0:
            return {"status": "crashed", "error": "exit status %d" % proc.returncode}
        lines = proc.stdout.split("\n")
        body = lines[1] if len(lines) > 1 else ""
        if body.startswith("ERROR"):
            return {"status": "rejected", "error": body[6:]}
        try:
            return {"status": "ok", "facts": json.loads(body)}
        except ValueError:
            return {"status": "crashed", "error": "unreadable output: " + body[:200]}


# ---------------------------------------------------------------------------------------------------
# Comparison.

def unknown(value):
    return isinstance(value, dict) and any(k.startswith("$") and k != "$int" for k in value)


def marked(fact):
    return bool(fact.get("unverifiable") or fact.get("structure_unverifiable") or fact.get("conditional"))


def by_name(items):
    out = {}
    for item in items or ():
        out.setdefault(item["name"], item)
    return out


def signature(function):
    return [(p["name"], p.get("kind", "positional_or_keyword"), "default" in p) for p in function.get("parameters", [])]


def defaults(function):
    return {p["name"]: p["default"] for p in function.get("parameters", []) if "default" in p and not unknown(p["default"])}


def compare_functions(where, ours, live, out):
    if ours.get("kind", "function") != live.get("kind", "function"):
        out.append(("function-kind", where, ours.get("kind"), live.get("kind")))
        return
    if bool(ours.get("async")) != bool(live.get("async")):
        out.append(("function-async", where, ours.get("async"), live.get("async")))
    if live.get("parameters") is None:
        return
    if signature(ours) != signature(live):
        out.append(("function-signature", where, signature(ours), signature(live)))
        return
    d_ours, d_live = defaults(ours), defaults(live)
    for name, value in d_ours.items():
        if name in d_live and value != d_live[name]:
            out.append(("function-default", where + "(" + name + ")", value, d_live[name]))


def superclass_names(cls):
    """Names as the classes call themselves (an alias `Base` of `collections.OrderedDict` is OrderedDict)."""
    out = []
    for s in cls.get("superclasses", []):
        if isinstance(s, dict):
            out.append(s["qualified"].rsplit(".", 1)[-1] if s.get("qualified") else s["name"])
        else:
            out.append(s)
    return out


def subsequence(part, whole):
    """The reader cannot know the bases of an imported class: its order must be a subsequence of CPython's."""
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


def compare(reader_facts, live_facts, live_imports):
    """Divergences as (class, where, reader, cpython) tuples."""
    out = []
    module = reader_facts["module"]
    ours_v, live_v = by_name(module.get("variables")), by_name(live_facts.get("variables"))
    ours_f, live_f = by_name(module.get("functions")), by_name(live_facts.get("functions"))
    ours_c, live_c = by_name(module.get("classes")), by_name(live_facts.get("classes"))
    live_names = set(live_v) | set(live_f) | set(live_c)
    # Names the reader knows an import binds (their values come from another module: not read).
    imported = {imp[2] for imp in reader_facts.get("imports", []) if len(imp) > 2 and imp[2]}
    # The reader says it cannot show every name (exec, globals(), setattr on the module...): names and
    # values it does not list are not divergences then.
    dynamic = bool(module.get("dynamic_namespace"))
    if dynamic:
        # Then every rule on a name is namespace-unverifiable (a "no"), whatever the facts say: only the
        # imports are compared.
        ours_v = ours_f = ours_c = live_v = live_f = live_c = {}
    # `from m import *` binds names the reader cannot list without reading m.
    star = any(len(imp) > 1 and imp[1] == "*" for imp in reader_facts.get("imports", []))
    # Variables: a known value must be the value CPython bound; a variable must exist.
    for name, var in ours_v.items():
        if marked(var):
            continue
        value = var.get("value", {"$unknown": ""})
        if name in live_v:
            if not unknown(value) and not unknown(live_v[name].get("value")) and value != live_v[name].get("value"):
                out.append(("variable-value", name, value, live_v[name].get("value")))
        elif name not in live_names and not unknown(value):
            out.append(("variable-reader-only", name, value, None))
        elif name in live_f or name in live_c:
            out.append(("variable-is-definition-live", name, value, "function" if name in live_f else "class"))
    for name, var in live_v.items():
        # A name bound to a value no rule can name (a module's function, an object) is left out.
        if dynamic or star or name in imported:
            continue
        if name not in ours_v and name not in ours_f and name not in ours_c and not unknown(var.get("value", {"$unknown": ""})):
            out.append(("variable-live-only", name, None, var.get("value")))
    if "version" in module and not module.get("version_unknown") and not dynamic:
        if module.get("version") != live_facts.get("version"):
            out.append(("version", "__version__", module.get("version"), live_facts.get("version")))
    # Functions.
    for name, fn in ours_f.items():
        if marked(fn):
            continue
        if name in live_f:
            compare_functions(name, fn, live_f[name], out)
        else:
            out.append(("function-reader-only", name, signature(fn), "variable" if name in live_v else "class" if name in live_c else None))
    for name in live_f:
        if name not in ours_f and not dynamic and not star:
            out.append(("function-live-only", name, None, signature(live_f[name])))
    # Classes.
    for name, cls in ours_c.items():
        if marked(cls):
            continue
        if name not in live_c:
            out.append(("class-reader-only", name, superclass_names(cls), "variable" if name in live_v else "function" if name in live_f else None))
            continue
        lcls = live_c[name]
        if not subsequence(superclass_names(cls), superclass_names(lcls)):
            out.append(("class-bases", name, superclass_names(cls), superclass_names(lcls)))
        ours_m, live_m = by_name(cls.get("methods")), by_name(lcls.get("methods"))
        for m, fn in ours_m.items():
            if marked(fn):
                continue
            if m in live_m:
                compare_functions(name + "." + m, fn, live_m[m], out)
            else:
                out.append(("method-reader-only", name + "." + m, signature(fn), None))
        # Members inherited from a class of another module are not the reader's to list.
        foreign = any(isinstance(b, dict) and b.get("name") not in ours_c and not str(b.get("qualified", "")).startswith("builtins.")
                      for b in cls.get("superclasses", []))
        for m in live_m:
            if m not in ours_m and not foreign:
                out.append(("method-live-only", name + "." + m, None, signature(live_m[m])))
        ours_a, live_a = by_name(cls.get("attributes")), by_name(lcls.get("attributes"))
        for a, attr in ours_a.items():
            if marked(attr) or attr.get("type") != "class" or a in ours_m:
                continue
            value = attr.get("value", {"$unknown": ""})
            if a in live_a and not unknown(value) and not unknown(live_a[a].get("value")) and value != live_a[a].get("value"):
                out.append(("class-attribute-value", name + "." + a, value, live_a[a].get("value")))
    for name in live_c:
        if name not in ours_c and not dynamic and not star:
            out.append(("class-live-only", name, None, superclass_names(live_c[name])))
    # Imports: whatever CPython imported from the module's code, the reader must name.
    if not any(module.get(k) or reader_facts.get(k) for k in ("unknown_imports", "imports_unknown", "dynamic_imports")):
        named = set()
        for imp in reader_facts.get("imports", []):
            mod, attr = imp[0], imp[1]
            if len(imp) > 5 and imp[5]:
                continue  # under `if TYPE_CHECKING:`: the reader says it never runs
            named.add(mod)
            if attr and attr != "*":
                named.add(mod + "." + attr)
        for name in dict.fromkeys(live_imports):
            if name not in named and not any(n.startswith(name + ".") for n in named):
                out.append(("import-missed", name, sorted(named), name))
    return out


CLASSES = ("variable-value", "variable-reader-only", "variable-is-definition-live", "variable-live-only", "version",
           "function-kind", "function-async", "function-signature", "function-default", "function-reader-only",
           "function-live-only", "class-reader-only", "class-bases", "method-reader-only", "method-live-only",
           "class-attribute-value", "class-live-only", "import-missed", "reader-crash", "reader-timeout", "reader-rejects")


def classify_outcomes(reader, live):
    """Divergences when one side could not produce facts; None when both have facts; [] when skipped."""
    if live["status"] == "rejected":
        return [], "cpython-rejects"
    if live["status"] in ("raised", "timeout", "crashed"):
        if reader["status"] == "crashed":
            return [("reader-crash", "", reader.get("error"), live["status"])], "divergence"
        return [], "cpython-" + live["status"]
    if reader["status"] == "crashed":
        return [("reader-crash", "", reader.get("error"), "ok")], "divergence"
    if reader["status"] == "timeout":
        return [("reader-timeout", "", None, "ok")], "divergence"
    if reader["status"] == "rejected":
        return [("reader-rejects", "", reader.get("error"), "ok")], "divergence"
    return None, "compared"


# ---------------------------------------------------------------------------------------------------
# Exceptions: divergences known and explained, matched by class and patterns.

def load_exceptions(path=EXCEPTIONS):
    if not os.path.exists(path):
        return []
    try:
        import tomllib as toml
    except ImportError:  # 3.10
        import tomli as toml
    with open(path, "rb") as f:
        data = toml.load(f)
    entries = data.get("exception", [])
    for e in entries:
        e["_used"] = 0
    return entries


def source_text(data):
    """The text the exceptions' patterns search: as CPython decodes it (coding declaration, universal
    newlines), else UTF-8 with replacements."""
    try:
        import importlib.util
        return importlib.util.decode_source(data)
    except Exception:
        return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def excepted(divergence, source_text, exceptions, raw=b""):
    """The first entry that matches: `class` (a name, a list of names, or "*"), `where` (a regular expression
    over the place: a name, Class.method), `source` (a regular expression searched in the input, one line
    at a time; `{name}` stands for the divergent name's last dotted part, `{where}` for all of it), `raw`
    (a regular expression over the input's bytes read as Latin-1: line ends as they are), `detail` (over the
    reader's and CPython's sides), `python` (a list of "3.N")."""
    cls, where = divergence[0], divergence[1]
    for e in exceptions:
        classes = e["class"] if isinstance(e["class"], list) else [e["class"]]
        if cls not in classes and "*" not in classes:
            continue
        if "where" in e and not re.fullmatch(e["where"], where):
            continue
        if "source" in e:
            pattern = e["source"].replace("{name}", re.escape(where.rsplit(".", 1)[-1])).replace("{where}", re.escape(where))
            # Continuation lines joined too: `with \\\n x as NAME` is `with x as NAME`; and names as CPython
            # binds them (NFKC: `VERSIＯN = lambda` binds VERSION).
            joined = re.sub(r"\\\n[ \t\f]*", " ", source_text)
            texts = (source_text, joined, unicodedata.normalize("NFKC", source_text))
            if not any(re.search(pattern, text, re.M) for text in texts):
                continue
        if "raw" in e and not re.search(e["raw"], raw.decode("latin-1"), re.M):
            continue
        if "detail" in e and not re.search(e["detail"], repr(divergence[2:])):
            continue
        if "python" in e and "%d.%d" % sys.version_info[:2] not in e["python"]:
            continue
        e["_used"] += 1
        return e
    return None


# ---------------------------------------------------------------------------------------------------
# Inputs.

FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}
MATH_BOLD = {c: chr(0x1D41A + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
LIGATURES = {"fi": "\ufb01", "fl": "\ufb02"}
OTHER_NFKC = {"h": "\u210e", "K": "\u212a", "I": "\u2160", "n": "\u207f", "i": "\u2071", "x": "\u2093"}


def nfkc_spelling(name, rng):
    """Another spelling of `name` that NFKC maps to it (one or more characters replaced)."""
    if not name.isidentifier():
        return name
    chars = list(name)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(chars))
        c = chars[i]
        choices = [t[c] for t in (FULLWIDTH, MATH_BOLD, OTHER_NFKC) if c in t]
        if choices:
            chars[i] = rng.choice(choices)
    out = "".join(chars)
    for a, b in LIGATURES.items():
        if a in out and rng.random() < 0.5:
            out = out.replace(a, b, 1)
    if not out.isidentifier() or unicodedata.normalize("NFKC", out) != name:
        return name
    return out


NAMES = ["x", "flag", "register", "Plugin", "Base", "TYPE_CHECKING", "sys", "t", "__version__", "VERSION", "mode", "run"]
MODULES = ["os", "sys", "json", "subprocess", "typing", "collections", "shutil", "socket", "ctypes", "pickle", "os.path", "missing_pkg.sub", "importlib"]
VALUES = ["1", "2", "0", "-1", "3.0", "'1.0'", "'linux'", "'win32'", "True", "False", "None", "[1, 2]", "(3, 11)", "[3, 11]",
          "{'a': 1}", "1e3", "0x10", "'\\u0041'", "b'x'", "''", "'a' 'b'", "2**3", "1_000"]
CONDITIONS = [
    "sys.platform == 'linux'", "sys.platform == 'win32'", "sys.platform.startswith('linux')", "sys.platform in 'linux64'",
    "sys.platform != 'darwin'", "sys.version_info >= (3, 11)", "sys.version_info[:2] != [3, 11]", "sys.version_info[:2] == (3, 12)",
    "sys.version_info[0] == 3.0", "sys.version_info < (3, 0)", "sys.version_info.minor >= 12", "TYPE_CHECKING", "not TYPE_CHECKING",
    "typing.TYPE_CHECKING", "t.TYPE_CHECKING", "__name__ == '__main__'", "__name__ != '__main__'", "os.name == 'nt'",
    "os.name == 'posix'", "platform.system() == 'Linux'", "sys.byteorder == 'little'", "flag", "x == 1", "True", "False", "0",
    "sys.platform == 'linux' and TYPE_CHECKING", "sys.platform == 'win32' or not TYPE_CHECKING", "os.environ.get('FUZZ_FLAG')",
]
REBINDINGS = [
    "TYPE_CHECKING = True", "TYPE_CHECKING = False", "from typing import TYPE_CHECKING", "import typing as t",
    "class sys:\n    platform = 'win32'\n    version_info = (2, 7)", "class t:\n    TYPE_CHECKING = True",
    "__name__ = '__main__'", "import os as sys", "sys = __import__('sys')", "for TYPE_CHECKING in [True]:\n    pass",
    "import sys", "import os", "import platform", "import typing", "from os import name", "flag = True", "flag = sys.platform == 'win32'",
    "for flag in [0]:\n    pass", "import types\nsys = types.SimpleNamespace(platform='win32', version_info=(2, 7))",
]


def indent(block, prefix="    "):
    return "\n".join(prefix + line if line else line for line in block.split("\n"))


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def name(self):
        return self.rng.choice(NAMES)

    def value(self):
        return self.rng.choice(VALUES)

    def params(self):
        r = self.rng
        parts = []
        for i in range(r.randint(0, 3)):
            parts.append(r.choice(["a", "b", "c", "host", "priority"]) + str(i) + (("=" + self.value()) if r.random() < 0.4 else ""))
        # defaults must not precede non-defaults
        seen_default = False
        fixed = []
        for p in parts:
            if "=" in p:
                seen_default = True
            elif seen_default:
                p += "=None"
            fixed.append(p)
        if r.random() < 0.3:
            fixed.insert(0, "p0, /") if not fixed or "=" not in fixed[0] else None
        if r.random() < 0.3:
            fixed.append("*args")
        if r.random() < 0.3:
            fixed.append(("*, " if "*args" not in fixed else "") + "k=" + self.value())
        if r.random() < 0.2:
            fixed.append("**kw")
        return ", ".join(fixed)

    def simple(self):
        r, n, v = self.rng, self.name(), self.value()
        m = r.choice(MODULES)
        forms = [
            f"{n} = {v}", f"{n}: int = {v}", f"{n} = {self.name()} = {v}", f"{n}, {self.name()} = {v}, {v}", f"{n} += 1",
            f"{n} = [{v}][0]", f"del {n}", f"import {m} as {n}", f"from {m} import {n}", f"import {m}",
            f"from {m} import {r.choice(['run', 'path', 'loads', 'name', 'Base', 'x'])} as {n}",
            f"from {m} import *", f"__import__({m!r})", f"{n} = __import__({m!r})", f"import importlib\nimportlib.import_module({m!r})",
            f"({n} := {v})", f"globals()[{n!r}] = {v}", f"exec({n!r} + ' = ' + {v!r})", f"setattr(sys.modules[__name__], {n!r}, {v})",
            f"__version__ = {r.choice(['1.0', '2.0.dev1'])!r}", f"for {n} in [{v}]:\n    pass", f"for {n} in []:\n    pass",
            f"import contextlib\nwith contextlib.nullcontext({v}) as {n}:\n    pass",
            f"try:\n    raise ValueError\nexcept ValueError as {n}:\n    pass",
            f"match {v}:\n    case {n}:\n        pass" if n not in ("_",) and not n.startswith("__") else f"{n} = {v}",
            f"def _set():\n    global {n}\n    {n} = {v}\n_set()", f"def _set():\n    global {n}\n    {n} = {v}",
            f"import contextlib\nwith contextlib.suppress(Exception):\n    {n} = {v}\n    raise ValueError\n    {n} = {self.value()}",
            f"try:\n    import {m}\nexcept ImportError:\n    {n} = {v}\nelse:\n    {n} = {self.value()}",
            f"{n} = lambda a, b=1: a", f"class {n}:\n    pass", f"{n} = type({n!r}, (), {{}})",
            f"while True:\n    {n} = {v}\n    break\nelse:\n    {n} = {self.value()}",
            f"[{n} for {n} in [{v}]]", f"{n} = {v} if {r.choice(CONDITIONS)} else {self.value()}",
        ]
        return r.choice(forms)

    def function(self):
        r = self.rng
        name = self.name()
        head = "async def" if r.random() < 0.15 else "def"
        deco = ""
        if r.random() < 0.3:
            deco = r.choice(["@staticmethod\n", "@(lambda f: 42)\n", "@_replace\n", "@functools.wraps(print)\n", "@property\n",
                             "@_keep\n", "@_replace\n@_keep\n"])
            prelude = "def _replace(f):\n    return 42\ndef _keep(f):\n    return f\nimport functools\n"
            deco = prelude + deco
        body = r.choice(["pass", "return 1", "yield", "'''doc'''", "import os\n    return os"])
        ann = r.choice(["", " -> int", " -> 'str'", " -> None"])
        return f"{deco}{head} {name}({self.params()}){ann}:\n    {body}"

    def klass(self):
        r = self.rng
        name = r.choice(["Plugin", "Base", "Tool", "sys", "t", "Config"])
        bases = r.choice(["", "(Base)", "(object)", "(dict)", "(Base, object)", "(metaclass=type)", "(Exception)", "(OrderedDict)"])
        prelude = r.choice(["", "class Base:\n    pass\n", "from collections import OrderedDict as Base\n", "from missing_pkg import Base\n",
                            "from collections import OrderedDict\n", "import collections as Base\n"])
        body = []
        for _ in range(r.randint(1, 4)):
            kind = r.random()
            if kind < 0.3:
                body.append(f"def {r.choice(['run', 'register', 'method', '__private', '_x'])}(self{', ' + self.params() if r.random() < 0.5 else ''}):\n    pass")
            elif kind < 0.5:
                body.append(f"{r.choice(['attr', 'mode', 'platform', 'TYPE_CHECKING', 'run', '__slots__'])} = {self.value()}")
            elif kind < 0.6:
                body.append(f"from os import getcwd as {r.choice(['run', 'method', 'attr'])}")
            elif kind < 0.7:
                body.append(f"if {r.choice(CONDITIONS)}:\n    {r.choice(['attr', 'mode'])} = {self.value()}\nelse:\n    {r.choice(['attr', 'mode'])} = {self.value()}")
            elif kind < 0.8:
                body.append(r.choice(["@staticmethod\ndef s(a):\n    pass", "@classmethod\ndef c(cls, a=1):\n    pass",
                                      "@property\ndef p(self):\n    return 1", "run = staticmethod(print)", "del attr"]))
            else:
                body.append(self.simple())
        deco = r.choice(["", "", "", "@(lambda c: c)\n", "@(lambda c: 'gone')\n"])
        text = f"{prelude}{deco}class {name}{bases}:\n" + indent("\n".join(body))
        return text

    def conditional(self, depth):
        r = self.rng
        cond = r.choice(CONDITIONS)
        text = f"if {cond}:\n" + indent(self.block(depth + 1))
        if r.random() < 0.3:
            text += f"\nelif {r.choice(CONDITIONS)}:\n" + indent(self.block(depth + 1))
        if r.random() < 0.5:
            text += "\nelse:\n" + indent(self.block(depth + 1))
        return text

    def statement(self, depth=0):
        r = self.rng.random()
        if r < 0.35:
            return self.simple()
        if r < 0.5:
            return self.function()
        if r < 0.6:
            return self.klass()
        if r < 0.72:
            return self.rng.choice(REBINDINGS)
        if depth < 3:
            return self.conditional(depth)
        return self.simple()

    def block(self, depth):
        return "\n".join(self.statement(depth) for _ in range(self.rng.randint(1, 3)))

    def program(self):
        r = self.rng
        prelude = []
        for imp in ("import sys", "import os", "import typing", "import platform", "from typing import TYPE_CHECKING"):
            if r.random() < 0.6:
                prelude.append(imp)
        if r.random() < 0.4:
            prelude.append("t = typing")
        if r.random() < 0.6:  # names bound first, so fewer programs stop on a NameError
            prelude.append("x = flag = register = mode = run = VERSION = 0\nclass Base:\n    pass\nPlugin = Base")
        body = [self.statement() for _ in range(r.randint(2, 8))]
        return "\n".join(prelude + body) + "\n"


def cpython_test_inputs():
    """(name, bytes) of this interpreter's own test inputs: source snippets of the tokenizer, grammar and
    coding tests, and their data files."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _cpython_test_inputs()


def _cpython_test_inputs():
    root = os.path.join(sysconfig.get_paths()["stdlib"], "test")
    files = ["test_grammar.py", "test_tokenize.py", "test_source_encoding.py", "test_coding.py", "test_utf8source.py",
             "test_unicode_identifiers.py", "test_syntax.py"]
    data = []
    for folder in (root, os.path.join(root, "tokenizedata")):
        for entry in ("tokenize_tests.txt", "tokenize_tests-latin1-coding-cookie-and-utf8-bom-sig.txt",
                      "tokenize_tests-no-coding-cookie-and-utf8-bom-sig-only.txt", "tokenize_tests-utf8-coding-cookie-and-no-utf8-bom-sig.txt",
                      "tokenize_tests-utf8-coding-cookie-and-utf8-bom-sig.txt", "bad_coding.py", "bad_coding2.py", "coding20731.py",
                      "badsyntax_3131.py"):
            path = os.path.join(folder, entry)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data.append((os.path.relpath(path, root), f.read()))
        encoded = os.path.join(folder, "encoded_modules")
        if os.path.isdir(encoded):
            for entry in sorted(os.listdir(encoded)):
                if entry.endswith(".py"):
                    with open(os.path.join(encoded, entry), "rb") as f:
                        data.append(("encoded_modules/" + entry, f.read()))
    for file in files:
        path = os.path.join(root, file)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            raw = f.read()
        try:
            tree = ast.parse(raw)
        except (SyntaxError, ValueError):
            continue
        lines = raw.decode("utf-8", "replace").splitlines(keepends=True)
        for node in tree.body:
            chunk = "".join(lines[node.lineno - 1:node.end_lineno])
            if len(chunk) < 4000:
                data.append((f"{file}:{node.lineno}", chunk.encode("utf-8", "surrogatepass")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and 8 < len(node.value) < 3000:
                value = node.value
                text = value if isinstance(value, str) else None
                if text is not None:
                    text = text.replace(">>> ", "").replace("... ", "")
                    try:
                        ast.parse(text)
                    except (SyntaxError, ValueError, MemoryError, RecursionError):
                        continue
                    data.append((f"{file}:{node.lineno}:str", text.encode("utf-8", "surrogatepass")))
                elif b"\n" in value or b"coding" in value:
                    data.append((f"{file}:{node.lineno}:bytes", value))
    return data


def regression_inputs():
    out = []
    if os.path.isdir(REGRESSIONS):
        for entry in sorted(os.listdir(REGRESSIONS)):
            if entry.endswith(".py"):
                with open(os.path.join(REGRESSIONS, entry), "rb") as f:
                    out.append(("regressions/" + entry, f.read()))
    return out


CODECS = ["latin-1", "utf-8", "cp1252", "utf-7", "gb18030", "koi8-r", "cp037", "shift_jis", "euc_jp", "big5", "iso-8859-15",
          "mac-roman", "cp437", "utf-16", "ascii", "iso2022_jp", "utf_8_sig", "hz", "cp1250", "latin_1"]


class Mutator:
    def __init__(self, rng, generator):
        self.rng = rng
        self.gen = generator

    def line_ends(self, data):
        ending = self.rng.choice([b"\r\n", b"\r", b"\n", None])
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        if ending is None:  # mixed
            return b"".join(line + self.rng.choice([b"\r\n", b"\r", b"\n"]) for line in lines[:-1]) + lines[-1]
        return ending.join(lines)

    def form_feeds(self, data):
        lines = data.split(b"\n")
        for _ in range(self.rng.randint(1, 3)):
            i = self.rng.randrange(len(lines))
            j = self.rng.randint(0, len(lines[i]) - len(lines[i].lstrip()))
            lines[i] = lines[i][:j] + b"\x0c" + lines[i][j:]
        return b"\n".join(lines)

    def backslashes(self, data):
        lines = data.split(b"\n")
        i = self.rng.randrange(len(lines) + 1)
        choice = self.rng.random()
        if choice < 0.5:
            lines.insert(i, b"\\")
        elif choice < 0.8 and i < len(lines) and lines[i].rstrip():
            # break a line between tokens with a continuation
            spaces = [m.start() for m in re.finditer(rb" ", lines[i])]
            if spaces:
                k = self.rng.choice(spaces)
                lines[i] = lines[i][:k] + b" \\\n" + lines[i][k:]
        else:
            lines.insert(i, self.rng.choice([b"    \\", b"\\ ", b"# comment \\", b"\x0c\\"]))
        return b"\n".join(lines)

    def identifiers(self, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        names = sorted(set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", text)))
        if not names:
            return data
        for _ in range(self.rng.randint(1, 3)):
            name = self.rng.choice(names)
            if name in ("import", "from", "def", "class", "if", "else", "for", "in", "as", "pass", "return", "not", "and", "or"):
                continue
            spelled = nfkc_spelling(name, self.rng)
            occurrences = [m.start() for m in re.finditer(r"\b" + re.escape(name) + r"\b", text)]
            if occurrences and spelled != name:
                k = self.rng.choice(occurrences)
                text = text[:k] + spelled + text[k + len(name):]
        return text.encode("utf-8")

    def coding(self, data):
        r = self.rng
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        codec = r.choice(CODECS)
        spelled = r.choice([codec, codec.upper(), codec.replace("-", "_"), codec.replace("_", "-")])
        decl = r.choice([f"# -*- coding: {spelled} -*-", f"# coding={spelled}", f"# vim: set fileencoding={spelled} :",
                         f"#coding:{spelled}", f"# coding: {spelled}\x0c"])
        text = re.sub(r"^#.*coding[:=].*\n", "", text)
        lines = text.split("\n")
        where = r.choice([0, 0, 1, 2])
        pre = [r.choice(["#!/usr/bin/env python", "", "# comment", "\x0c", "\\", "  "]) for _ in range(where)]
        text = "\n".join(pre + [decl] + lines)
        if r.random() < 0.3:
            text = text.replace("'1.0'", "'\u00e9\u20ac\u4e2d'", 1).replace("x = 1", "x = '\u00e9'", 1)
        try:
            body = text.encode(codec)
        except (UnicodeError, LookupError):
            body = text.encode("utf-8")
        return body

    def repeat(self, data):
        lines = data.split(b"\n")
        i = self.rng.randrange(len(lines))
        times = self.rng.choice([2, 10, 200, 2000])
        return b"\n".join(lines[:i] + [lines[i]] * times + lines[i:])

    def deep(self, data):
        depth = self.rng.choice([50, 200, 1000, 3000])
        shape = self.rng.choice(["not " * depth + "x", "(" * depth + "1" + ")" * depth, "x" + ".lower()" * depth,
                                 "1" + " == 1" * depth, "[" * depth + "]" * depth, "-" * depth + "1"])
        return data + b"\nx = 1\ndeep = " + shape.encode() + b"\n"

    def splice(self, data):
        lines = data.split(b"\n")
        i = self.rng.randrange(len(lines) + 1)
        snippet = self.gen.statement().encode()
        # keep the indentation of the line before, so the snippet lands in the same block
        if 0 < i <= len(lines):
            prev = lines[i - 1]
            ind = prev[:len(prev) - len(prev.lstrip(b" \t"))]
            if prev.rstrip().endswith(b":"):
                ind += b"    "
            snippet = b"\n".join(ind + line for line in snippet.split(b"\n"))
        return b"\n".join(lines[:i] + [snippet] + lines[i:])

    def delete(self, data):
        lines = data.split(b"\n")
        if len(lines) > 1:
            del lines[self.rng.randrange(len(lines))]
        return b"\n".join(lines)

    def mutate(self, data):
        ops = [self.line_ends, self.form_feeds, self.backslashes, self.identifiers, self.coding, self.splice, self.splice,
               self.delete, self.repeat, self.deep]
        weights = [3, 2, 3, 4, 3, 5, 0, 1, 1, 1]
        for _ in range(self.rng.randint(1, 3)):
            op = self.rng.choices(ops, weights)[0]
            data = op(data)
        return data


def hypothesmith_inputs(count, seed):
    """Programs from hypothesmith's grammar strategy (empty when hypothesmith is not installed)."""
    try:
        import hypothesmith
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
    except ImportError:
        return []
    out = []

    @hseed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def collect(source):
        out.append(source)

    try:
        collect()
    except Exception as e:  # a failing health check or a strategy error costs this source of inputs only
        print(f"hypothesmith: {type(e).__name__}: {e}", file=sys.stderr)
    return out


# ---------------------------------------------------------------------------------------------------
# Running, shrinking, reporting.

class Fuzzer:
    def __init__(self, driver, findings=None, exceptions_path=EXCEPTIONS, shrink=True, quiet=False):
        self.reader = Reader(driver)
        self.sandbox = Sandbox()
        self.workdir = tempfile.mkdtemp(prefix="difffuzz-")
        self.findings = findings
        self.exceptions = load_exceptions(exceptions_path)
        self.shrink_enabled = shrink
        self.quiet = quiet
        self.counts = {}          # outcome -> number of inputs
        self.by_class = {}        # divergence class -> number of inputs showing it (not excepted)
        self.excepted_by_class = {}
        self.new = []             # (divergence, origin, reproducer bytes)
        self.seen_keys = set()
        self.n = 0

    def close(self):
        self.sandbox.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def evaluate(self, data):
        self.n += 1
        folder = os.path.join(self.workdir, "c%d" % (self.n % 4))
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        path = os.path.join(folder, MODULE_NAME + ".py")
        with open(path, "wb") as f:
            f.write(data)
        reader = self.reader.run(path)
        live = self.sandbox.run(path)
        divergences, outcome = classify_outcomes(reader, live)
        if divergences is None:
            divergences = compare(reader["facts"], live["facts"], live.get("imports", []))
            outcome = "compared"
        return outcome, divergences

    def key(self, divergence):
        return (divergence[0], unicodedata.normalize("NFKC", divergence[1]))

    def shrink(self, data, target):
        """Delta debugging over lines: the smallest set of lines that still shows `target`'s class and place."""
        line_end = b"\r\n" if b"\r\n" in data else b"\r" if b"\r" in data and b"\n" not in data else b"\n"
        lines = data.split(line_end)
        budget = [150]

        def still(candidate):
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            _, found = self.evaluate(line_end.join(candidate) + (line_end if candidate and candidate[-1] else b""))
            return any(self.key(d) == target for d in found)

        n = 2
        while len(lines) >= 2 and budget[0] > 0:
            size = max(1, len(lines) // n)
            reduced = False
            for start in range(0, len(lines), size):
                candidate = lines[:start] + lines[start + size:]
                if candidate and still(candidate):
                    lines, n, reduced = candidate, max(n - 1, 2), True
                    break
            if not reduced:
                if size == 1:
                    break
                n = min(len(lines), n * 2)
        # Blocks: a header and its block deleted, or the header deleted and its block dedented
        # (line deletion alone cannot remove `if ...:` without breaking the indentation).
        def width(line):
            return len(line) - len(line.lstrip(b" \t\x0c"))

        progress = True
        while progress and budget[0] > 0:
            progress = False
            for i, line in enumerate(lines):
                if not line.rstrip().endswith(b":"):
                    continue
                end = i + 1
                while end < len(lines) and (not lines[end].strip() or width(lines[end]) > width(line)):
                    end += 1
                block = lines[i + 1:end]
                inner = min((width(b) for b in block if b.strip()), default=width(line))
                shift = inner - width(line)
                dedented = [b[shift:] if b.strip() else b for b in block]
                for candidate in (lines[:i] + lines[end:], lines[:i] + dedented + lines[end:]):
                    if candidate and still(candidate):
                        lines, progress = candidate, True
                        break
                if progress:
                    break
        for i in reversed(range(len(lines))):  # what the blocks' removal made removable
            candidate = lines[:i] + lines[i + 1:]
            if i < len(lines) and candidate and still(candidate):
                lines = candidate
        return line_end.join(lines) + (line_end if lines and lines[-1] else b"")

    def run_one(self, origin, data):
        outcome, divergences = self.evaluate(data)
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        text = source_text(data)
        reported = set()
        for d in divergences:
            k = self.key(d)
            if k in reported:
                continue
            reported.add(k)
            entry = excepted(d, text, self.exceptions, data)
            if entry is not None:
                self.excepted_by_class[d[0]] = self.excepted_by_class.get(d[0], 0) + 1
                continue
            self.by_class[d[0]] = self.by_class.get(d[0], 0) + 1
            signature_key = (d[0], k[1] if d[0] not in ("reader-crash", "reader-timeout", "reader-rejects") else str(d[2])[:40])
            if signature_key in self.seen_keys and len(self.new) > 0:
                continue  # one reproducer per class and name
            self.seen_keys.add(signature_key)
            small = self.shrink(data, k) if self.shrink_enabled and d[0] not in ("reader-timeout",) and len(data) < 200000 else data
            _, final = self.evaluate(small)
            shown = next((x for x in final if self.key(x) == k), d)
            self.new.append((shown, origin, small))
            self.save(shown, origin, small)
            if not self.quiet:
                print(f"DIVERGENCE {shown[0]} at {shown[1]!r} ({origin}): reader {shown[2]!r}, CPython {shown[3]!r}")
                print("  reproducer: " + repr(small))

    def save(self, divergence, origin, data):
        if not self.findings:
            return
        os.makedirs(self.findings, exist_ok=True)
        digest = hashlib.sha256(data).hexdigest()[:12]
        base = os.path.join(self.findings, "py%d%d-%s-%s" % (sys.version_info[0], sys.version_info[1], divergence[0], digest))
        with open(base + ".py", "wb") as f:
            f.write(data)
        with open(base + ".json", "w") as f:
            json.dump({"class": divergence[0], "where": divergence[1], "reader": divergence[2], "cpython": divergence[3],
                       "origin": origin, "python": sys.version.split()[0], "reproducer": data.decode("utf-8", "backslashreplace")},
                      f, indent=1, default=repr)

    def summary(self):
        lines = [f"CPython {sys.version.split()[0]}: {self.n_inputs} inputs; outcomes {dict(sorted(self.counts.items()))}",
                 f"  divergences by class (inputs): {dict(sorted(self.by_class.items()))}",
                 f"  excepted by class (inputs): {dict(sorted(self.excepted_by_class.items()))}"]
        unused = [e.get("id", e["class"]) for e in self.exceptions if not e["_used"]]
        if unused:
            lines.append(f"  exceptions not met in this run: {unused}")
        return "\n".join(lines)


def inputs(seed, cases, seconds):
    """Endless (origin, bytes) inputs for a seed: regressions first, then a weighted mix."""
    rng = random.Random(seed)
    gen = Generator(rng)
    mut = Mutator(rng, gen)
    regressions = regression_inputs()
    for origin, data in regressions:
        yield origin, data
    tests = cpython_test_inputs()
    hyp = []
    round_ = 0
    while True:
        if not hyp:
            hyp = hypothesmith_inputs(10 if round_ == 0 else 50, seed * 1000 + round_)
            round_ += 1
            if not hyp:
                hyp = [None]
        kind = rng.random()
        if kind < 0.4:
            program = gen.program().encode()
            yield "generated", mut.mutate(program) if rng.random() < 0.5 else program
        elif kind < 0.6 and regressions:
            origin, data = rng.choice(regressions)
            yield origin + "+mutated", mut.mutate(data)
        elif kind < 0.85 and tests:
            parts = [rng.choice(tests) for _ in range(rng.randint(1, 3))]
            data = b"\n".join(p[1] for p in parts)
            yield "cpython-test:" + parts[0][0], mut.mutate(data)
        else:
            source = hyp.pop()
            if source is None:
                program = gen.program().encode()
                yield "generated", mut.mutate(program)
            else:
                yield "hypothesmith", mut.mutate(source.encode("utf-8", "surrogatepass")) if rng.random() < 0.7 else source.encode("utf-8", "surrogatepass")


def fuzz(driver, cases=None, seconds=None, seed=0, findings=None, exceptions_path=EXCEPTIONS, shrink=True, quiet=False):
    import warnings
    warnings.simplefilter("ignore", SyntaxWarning)  # hypothesmith compiles what it generates
    warnings.simplefilter("ignore", DeprecationWarning)
    fuzzer = Fuzzer(driver, findings, exceptions_path, shrink, quiet)
    start = time.monotonic()
    count = 0
    try:
        for origin, data in inputs(seed, cases, seconds):
            if cases is not None and count >= cases:
                break
            if seconds is not None and time.monotonic() - start >= seconds:
                break
            count += 1
            fuzzer.run_one(origin, data)
    finally:
        fuzzer.n_inputs = count
        fuzzer.close()
    return fuzzer


def main(argv):
    args = list(argv)
    if not args or args[0].startswith("-"):
        print(__doc__)
        return 2
    driver = args.pop(0)
    cases = seconds = None
    seed, findings, exceptions_path, shrink, quiet = 0, None, EXCEPTIONS, True, False
    while args:
        a = args.pop(0)
        if a == "--cases":
            cases = int(args.pop(0))
        elif a == "--seconds":
            seconds = float(args.pop(0))
        elif a == "--seed":
            seed = int(args.pop(0))
        elif a == "--findings":
            findings = args.pop(0)
        elif a == "--exceptions":
            exceptions_path = args.pop(0)
        elif a == "--no-shrink":
            shrink = False
        elif a == "--quiet":
            quiet = True
        else:
            print(f"differential_fuzz: unknown argument {a!r}", file=sys.stderr)
            return 2
    if cases is None and seconds is None:
        cases = 200
    fuzzer = fuzz(driver, cases, seconds, seed, findings, exceptions_path, shrink, quiet)
    print(fuzzer.summary())
    return 1 if fuzzer.new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
