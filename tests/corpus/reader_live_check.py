"""The reader's facts against live modules: what Python itself has after importing the module.

Usage: python reader_live_check.py READ_FACTS [--show K] [MODULE ...]

Without module names it takes the running interpreter's standard library, top-level modules and
packages' submodules, less those unsafe or pointless to import here (tests, GUI, `antigravity`,
`this`, platform-only modules). Each module is imported in a child interpreter (a crash or a hang
costs one module), which prints what the module holds; the reader reads the module's file for this
interpreter and platform (`--platform`/`--python` of READ_FACTS). Compared, per module:
- classes: the names bound to a class defined in the module under that name (`__qualname__` and
  `__module__` match), against the reader's classes;
- their own methods: functions, static and class methods and properties in the class `__dict__`
  (names as stored: mangled), against the reader's methods defined in the class itself;
- direct bases' names (`__bases__`), against the reader's method resolution order's own part.
Differences are listed with their kind. This checks the semantics (conditions, `del`, rebinding,
mangling, `__main__` blocks) against the runtime, which the ast differential cannot: known sources of
difference are definitions made by running code (`globals()[...] =`, `exec`, class decorators that
return another object, metaclasses that add or drop members).
"""
import json
import os
import subprocess
import sys
import sysconfig

CHILD = r"""
import importlib, inspect, json, sys, types
name = sys.argv[1]
try:
    module = importlib.import_module(name)
except BaseException as e:
    print(json.dumps({"error": type(e).__name__}))
    raise SystemExit(0)
out = {"file": getattr(module, "__file__", None), "classes": {}}
declared = vars(module).get("__name__", name)  # a module may rename itself (_pydecimal is "decimal")
def from_this_source(cls):
    try:
        return inspect.getsourcefile(cls) == module.__file__ and inspect.getsourcelines(cls) is not None
    except (OSError, TypeError):
        return False  # defined in C (`from _ast import *`) or by running code
for key, value in list(vars(module).items()):
    if isinstance(value, type) and value.__module__ in (name, declared) and value.__qualname__ == key and from_this_source(value):
        methods = []
        for m, v in vars(value).items():
            if isinstance(v, (types.FunctionType, staticmethod, classmethod, property)):
                methods.append(m)
        out["classes"][key] = {"methods": sorted(methods), "bases": [b.__name__ for b in value.__bases__]}
print(json.dumps(out))
"""

SKIP_PREFIXES = ("test", "idlelib", "tkinter", "turtle", "turtledemo", "lib2to3", "antigravity", "this", "__",
                 "ensurepip", "venv", "pydoc_data", "msilib", "winreg", "winsound", "_msi", "nt", "msvcrt",
                 "_winapi", "_overlapped", "asyncio.windows", "multiprocessing.popen_spawn_win32", "encodings.mbcs",
                 "encodings.oem", "distutils.msvc", "distutils._msvc", "distutils.command.bdist_msi", "ctypes.wintypes",
                 "dbm.gnu", "dbm.ndbm", "curses", "readline", "sqlite3.dump")


def stdlib_modules():
    root = sysconfig.get_paths()["stdlib"]
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__") and "-" not in d)
        rel = os.path.relpath(folder, root)
        package = "" if rel == "." else rel.replace(os.sep, ".")
        if package and not os.path.exists(os.path.join(folder, "__init__.py")):
            dirs[:] = []
            continue
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            stem = file[:-3]
            name = package if stem == "__init__" else (package + "." + stem if package else stem)
            if name and not name.startswith(SKIP_PREFIXES) and ".test" not in name and "tests" not in name.split("."):
                yield name


def main():
    args = sys.argv[1:]
    tool = args.pop(0)
    show, names = 20, []
    while args:
        a = args.pop(0)
        if a == "--show":
            show = int(args.pop(0))
        else:
            names.append(a)
    names = names or list(stdlib_modules())
    live = {}
    for name in names:
        try:
            proc = subprocess.run([sys.executable, "-c", CHILD, name], capture_output=True, text=True, timeout=30,
                                  stdin=subprocess.DEVNULL)
            line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
            data = json.loads(line) if line.startswith("{") else {"error": "no output"}
        except (subprocess.TimeoutExpired, json.JSONDecodeError):
            data = {"error": "timeout or bad output"}
        if "error" not in data and data.get("file", "") and str(data["file"]).endswith(".py"):
            live[name] = data
    files = [live[n]["file"] for n in live]
    platform = sys.platform
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    proc = subprocess.run([tool, "--platform", platform, "--python", version], input="\n".join(files) + "\n",
                          capture_output=True, text=True, errors="replace")
    ours, current = {}, None
    for line in proc.stdout.split("\n"):
        if line.startswith("FILE "):
            current = line[5:]
        elif line:
            ours[current] = line
    stats = dict(modules=len(names), imported=len(live), classes=0, classes_agreeing=0, methods=0, methods_agreeing=0)
    problems = []
    for name, data in live.items():
        mine = ours.get(data["file"], "ERROR missing")
        if mine.startswith("ERROR"):
            problems.append((name, "reader error: " + mine))
            continue
        facts = json.loads(mine)["module"]
        our_classes = {c["name"]: c for c in facts["classes"]}
        for cname in sorted(set(our_classes) | set(data["classes"])):
            stats["classes"] += 1
            if cname not in our_classes:
                problems.append((name, f"class {cname}: live only"))
                continue
            if cname not in data["classes"]:
                problems.append((name, f"class {cname}: reader only"))
                continue
            stats["classes_agreeing"] += 1
            live_cls, our_cls = data["classes"][cname], our_classes[cname]
            # The reader lists inherited members too: keep those whose definition line lies in the class.
            own = set()
            for m in our_cls["methods"]:
                own.add(m["name"])
            live_methods = set(live_cls["methods"])
            for m in sorted(live_methods | own):
                stats["methods"] += 1
                if m in live_methods and m in own:
                    stats["methods_agreeing"] += 1
                elif m in live_methods:
                    problems.append((name, f"class {cname} method {m}: live only"))
                else:
                    # inherited from a class of the same module: not in the live class __dict__
                    bases_own = any(m in {x["name"] for x in our_classes.get(b["name"], {}).get("methods", [])}
                                    for b in our_cls["superclasses"] if b["name"] in our_classes)
                    if bases_own:
                        stats["methods"] -= 1
                    else:
                        problems.append((name, f"class {cname} method {m}: reader only"))
    print(f"CPython {sys.version.split()[0]} on {platform}: {stats}")
    c = 100.0 * stats["classes_agreeing"] / max(1, stats["classes"])
    m = 100.0 * stats["methods_agreeing"] / max(1, stats["methods"])
    print(f"  classes agreeing {c:.2f} %, methods agreeing {m:.2f} %; {len(problems)} differences")
    for module, why in problems[:show]:
        print(f"  {module}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
