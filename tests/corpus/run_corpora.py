"""Every corpus of real code against the reader, in one command: the differential over the
standard library of every installed CPython and over pinned popular packages.

Usage: python run_corpora.py READ_FACTS [--jobs N] [--only 3.12,packages]

For each CPython 3.6 to 3.13 found (scripts/find-python.sh), reader_differential.py compares the
reader's facts for every file of that version's standard library with facts from CPython's `ast`. 3.8
and newer run the comparison under their own interpreter; 3.6 and 3.7 (whose `ast` lacks end positions)
under the newest interpreter found, over their standard library's files. The running interpreter's
version is compared a second time with platform and version branches decided for Linux.

The packages of packages.txt are downloaded once (pip download of their pure-Python wheels) into
$IMPORTSPY_CORPUS_CACHE (default ~/.cache/importspy/corpus) and compared under the newest interpreter,
undecided and for Linux. Without network and without a cached copy, that corpus is skipped with a
message saying so; every other corpus still runs.

Exit status: 0 when every corpus agrees 100 %; 1 otherwise (each disagreement is printed).
"""
import concurrent.futures
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DIFFERENTIAL = os.path.join(HERE, "reader_differential.py")
VERSIONS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def find_python(version):
    result = subprocess.run(["bash", os.path.join(ROOT, "scripts", "find-python.sh"), version], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def stdlib_of(python):
    return subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], capture_output=True, text=True,
                          check=True).stdout.strip()


def packages_folder():
    """The extracted sources of packages.txt, downloading what is not cached; None (and why) without them."""
    cache = os.environ.get("IMPORTSPY_CORPUS_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "importspy", "corpus")
    with open(os.path.join(HERE, "packages.txt")) as f:
        pins = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    wheels, sources = os.path.join(cache, "wheels"), os.path.join(cache, "sources")
    missing = [pin for pin in pins if not os.path.isdir(os.path.join(sources, pin))]
    if missing:
        os.makedirs(wheels, exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--only-binary", ":all:",
                                 "--python-version", "3.13", "--implementation", "py", "--abi", "none", "--platform", "any",
                                 "-d", wheels] + missing, capture_output=True, text=True)
        if result.returncode != 0:
            return None, f"pip download failed (no network?): {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}"
        for pin in missing:
            name, version = pin.split("==")
            wanted = name.lower().replace("-", "_")
            wheel = next((w for w in os.listdir(wheels) if w.lower().startswith(f"{wanted}-{version}-")), None)
            if wheel is None:
                return None, f"no wheel of {pin} in {wheels}"
            target = os.path.join(sources, pin)
            with zipfile.ZipFile(os.path.join(wheels, wheel)) as archive:
                for member in archive.namelist():
                    if member.endswith(".py") and ".dist-info/" not in member:
                        archive.extract(member, target + ".partial")
            os.replace(target + ".partial", target)  # a half-extracted package is never taken for a whole one
    return [os.path.join(sources, pin) for pin in pins], None


def run(label, command):
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    return label, result.returncode, (result.stdout + result.stderr).strip()


def main():
    args = sys.argv[1:]
    tool = os.path.abspath(args.pop(0))
    jobs, only = os.cpu_count() or 2, None
    while args:
        a = args.pop(0)
        if a == "--jobs":
            jobs = int(args.pop(0))
        elif a == "--only":
            only = set(args.pop(0).split(","))
    pythons = {v: find_python(v) for v in VERSIONS if only is None or v in only}
    newest = next((p for v, p in sorted(pythons.items(), key=lambda kv: [int(x) for x in kv[0].split(".")], reverse=True) if p), None)
    if newest is None:
        newest = find_python("3.13") or sys.executable
    runs = []
    for version, python in pythons.items():
        if python is None:
            print(f"corpus: CPython {version} not found here; its standard library is not compared")
            continue
        if tuple(map(int, version.split("."))) >= (3, 8):
            runs.append((f"stdlib {version}", [python, DIFFERENTIAL, tool]))
        else:
            runs.append((f"stdlib {version} (read by {os.path.basename(newest)})", [newest, DIFFERENTIAL, tool, stdlib_of(python)]))
    own = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if only is None or own in only:
        runs.append((f"stdlib {own}, for linux:{sys.version_info[1]}", [sys.executable, DIFFERENTIAL, tool, "--target", f"linux:{sys.version_info[1]}"]))
    if only is None or "packages" in only:
        folders, why = packages_folder()
        if folders is None:
            print(f"corpus: SKIPPED the pinned packages of tests/corpus/packages.txt: {why}")
        else:
            minor = subprocess.run([newest, "-c", "import sys; print(sys.version_info[1])"], capture_output=True, text=True).stdout.strip()
            runs.append(("packages", [newest, DIFFERENTIAL, tool] + folders))
            runs.append((f"packages, for linux:{minor}", [newest, DIFFERENTIAL, tool, "--target", f"linux:{minor}"] + folders))
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for label, status, output in pool.map(lambda r: run(*r), runs):
            print(f"== {label}: {'agrees' if status == 0 else 'DISAGREES'}")
            for line in output.splitlines():
                if not line.startswith("<unknown>:") and "SyntaxWarning" not in line and "DeprecationWarning" not in line:
                    print("   " + line)
            failed += status != 0
    print(f"corpus: {len(runs) - failed} of {len(runs)} runs agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
