"""Differential test of the C++ tokenizer against CPython's own `tokenize` module.

Usage: python tokenizer_differential.py DUMP_TOKENS [--limit N] [--show K] [FILES_OR_DIRS...]

Run it with the interpreter whose tokenize is the oracle (one CPython per run). Without paths it takes
that interpreter's standard library (site-packages excluded). DUMP_TOKENS is the test-only driver built
from tests/cpp/source/tools/dump_tokens.cpp.

Granularity (why tokens are comparable across versions):
- f-strings: 3.12+ tokenize splits them into FSTRING_START/MIDDLE/END and the expression tokens; our
  tokenizer keeps one STRING token per f-string (the reader needs only its extent), so the split tokens
  are joined into one STRING from the start of FSTRING_START to the end of FSTRING_END.
- Operators are compared by exact type (LPAR, COLONEQUAL...), positions as byte offsets into the UTF-8
  text (Python's character columns converted).
- Zero-width tokens (DEDENT, ENDMARKER, a NEWLINE/NL added at the end of a file without a final line
  break) are compared by kind and order only: their positions are conventions that differ between
  CPython versions.
- NEWLINE and NL are compared by their start (tokenize's end for "\r\n" differs between versions).
- ENCODING (tokenize's first token) is dropped.
A file that CPython's tokenize rejects (exception or ERRORTOKEN) counts as agreement when ours rejects
it too.
"""
import io
import os
import subprocess
import sys
import sysconfig
import time
import tokenize
import token as token_module

ZERO_WIDTH = {"DEDENT", "ENDMARKER"}

# Differences explained in tests/corpus/README.md: (path suffix, CPython versions or None for all, why).
KNOWN = [
    ("test/test_unicode_identifiers.py", None, "tokenize (3.8-3.11, a regex) rejects U+E0100 in a name; CPython accepts it"),
    ("badsyntax_3131.py", None, "`€ = 2`: tokenize of 3.12+ accepts it, CPython's compiler and we reject it"),
    ("test_importlib/test_main.py", (3, 12), "tokenize 3.12 ends a multi-line string with non-ASCII text one column late"),
    ("test_peg_generator/test_pegen.py", (3, 12), "tokenize 3.12 ends a multi-line string with non-ASCII text one column late"),
    ("py2_test_grammar.py", None, "`0377`: tokenize accepts it, CPython's compiler and we reject it"),
]


def known(path):
    for suffix, version, why in KNOWN:
        if path.endswith(suffix) and (version is None or tuple(sys.version_info[:2]) == version):
            return why
    return None


def python_files(paths):
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
            for name in sorted(files):
                if name.endswith(".py"):
                    yield os.path.join(folder, name)


def python_tokens(path):
    """(tokens, None) or (None, reason): tokens as (type, begin, end) with byte offsets."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except Exception as e:  # undecodable: the oracle refuses the file
        return None, f"decode: {e}"
    if text.startswith("\ufeff"):
        text = text[1:]
    starts = [0]
    lines = text.split("\n")
    for line in lines:
        starts.append(starts[-1] + len(line.encode("utf-8")) + 1)

    def offset(row, col):
        if row - 1 >= len(lines):
            return starts[-1] - 1
        return starts[row - 1] + len(lines[row - 1][:col].encode("utf-8"))

    out = []
    fstring_depth = 0
    fstring_begin = None
    try:
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            name = token_module.tok_name[tok.exact_type]
            if name == "ENCODING":
                continue
            if name == "ERRORTOKEN":
                return None, f"ERRORTOKEN {tok.string!r} at {tok.start}"
            if name in ("FSTRING_START", "TSTRING_START"):
                if fstring_depth == 0:
                    fstring_begin = offset(*tok.start)
                fstring_depth += 1
                continue
            if name in ("FSTRING_END", "TSTRING_END"):
                fstring_depth -= 1
                if fstring_depth == 0:
                    out.append(("STRING", fstring_begin, offset(*tok.end)))
                continue
            if fstring_depth:
                continue
            begin, end = offset(*tok.start), offset(*tok.end)
            out.append((name, begin, end))
    except (tokenize.TokenError, SyntaxError, IndentationError) as e:
        return None, f"tokenize: {e}"
    return out, None


def our_tokens(dump, files):
    proc = subprocess.run([dump], input="\n".join(files) + "\n", capture_output=True, text=True, errors="replace")
    result = {}
    current = None
    for line in proc.stdout.splitlines():
        if line.startswith("FILE "):
            current = line[5:]
            result[current] = []
        elif line == "END":
            pass
        elif line.startswith("ERROR "):
            result[current] = line
        else:
            kind, begin, end = line.split()
            result[current].append((kind, int(begin), int(end)))
    return result


def same(a, b):
    if a[0] != b[0]:
        return False
    if a[0] in ZERO_WIDTH or (a[0] in ("NEWLINE", "NL") and (a[1] == a[2] or b[1] == b[2])):
        return True
    if a[0] in ("NEWLINE", "NL"):
        return a[1] == b[1]  # "\r\n": tokenize's end column differs between versions
    return a[1:] == b[1:]


def main():
    args = sys.argv[1:]
    dump = args.pop(0)
    limit, show = None, 10
    paths = []
    while args:
        a = args.pop(0)
        if a == "--limit":
            limit = int(args.pop(0))
        elif a == "--show":
            show = int(args.pop(0))
        else:
            paths.append(a)
    if not paths:
        paths = [sysconfig.get_paths()["stdlib"]]
    files = list(python_files(paths))[:limit]
    started = time.perf_counter()
    ours = our_tokens(dump, files)
    stats = dict(files=len(files), both_accept=0, both_reject=0, only_python_rejects=0, only_we_reject=0,
                 files_identical=0, tokens_compared=0, tokens_agreeing=0)
    problems = []
    py_seconds = 0.0
    for path in files:
        t0 = time.perf_counter()
        theirs, reason = python_tokens(path)
        py_seconds += time.perf_counter() - t0
        mine = ours.get(path)
        if theirs is None:
            if isinstance(mine, str):
                stats["both_reject"] += 1
            else:
                stats["only_python_rejects"] += 1
                problems.append((path, f"python rejects ({reason}), we accept"))
            continue
        if isinstance(mine, str) or mine is None:
            stats["only_we_reject"] += 1
            problems.append((path, f"we reject: {mine}"))
            continue
        stats["both_accept"] += 1
        n = max(len(theirs), len(mine))
        agree = sum(1 for a, b in zip(theirs, mine) if same(a, b))
        stats["tokens_compared"] += n
        stats["tokens_agreeing"] += agree
        if agree == n:
            stats["files_identical"] += 1
        else:
            first = next((i for i, (a, b) in enumerate(zip(theirs, mine)) if not same(a, b)), min(len(theirs), len(mine)))
            problems.append((path, f"token {first}: python {theirs[first:first+3]} ours {mine[first:first+3]} (counts {len(theirs)} vs {len(mine)})"))
    version = ".".join(map(str, sys.version_info[:3]))
    pct = 100.0 * stats["tokens_agreeing"] / max(1, stats["tokens_compared"])
    print(f"CPython {version}: {stats}")
    print(f"  token agreement {pct:.4f} %, files identical {stats['files_identical']}/{stats['both_accept']}; python tokenize {py_seconds:.1f} s")
    unexplained = [(path, why) for path, why in problems if not known(path)]
    for path, why in problems[:show]:
        print(f"  {path}: {why}" + (f"  [known: {known(path)}]" if known(path) else ""))
    if len(problems) > show:
        print(f"  ... {len(problems) - show} more")
    print(f"  {len(problems) - len(unexplained)} known differences, {len(unexplained)} unexplained")
    return 0 if not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())
