"""Exhaustive check of our NFKC of identifiers (core/src/lang/identifier.cpp) against the running CPython's
unicodedata.normalize("NFKC", ...), the function its parser applies to every non-ASCII name.

For every non-ASCII character c in XID_Continue it tries the identifiers c (when c may start a name),
"a" + c, "e" + c (a base that composes with many marks), "_" + c + c, "_" + c + U+0301 and
"_" + c + U+0323 + U+0302 (marks to reorder and compose), c + U+1161 and c + U+11A8 (Hangul vowel and
final jamo: syllables compose by arithmetic), each kept when the running CPython accepts it
as an identifier. Prints the counts and every difference; exits 1 on a difference.

    python tests/corpus/nfkc_differential.py build/tests/cpp/importspy_dump_tokens

The tables are CPython 3.13's (Unicode 15.1); run it with each CPython 3.10-3.13 (Unicode 13.0, 14.0,
15.0, 15.1): an older CPython refuses names with characters assigned after its Unicode version, and
characters it knows normalise the same (Unicode's normalization stability policy)."""
import subprocess
import sys
import unicodedata


def candidates():
    for cp in range(0x80, 0x110000):
        c = chr(cp)
        if not ("a" + c).isidentifier():
            continue
        for name in (c, "a" + c, "e" + c, "_" + c + c, "_" + c + "\u0301", "_" + c + "\u0323\u0302", c + "\u1161", c + "\u11a8"):
            if name.isidentifier():
                yield name


def main():
    driver = sys.argv[1]
    names = list(candidates())
    data = "".join(n + "\n" for n in names).encode("utf-8", "surrogatepass")
    out = subprocess.run([driver, "--nfkc"], input=data, stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    ours = out.split("\n")[:-1]
    assert len(ours) == len(names), (len(ours), len(names))
    differences = [(n, o, unicodedata.normalize("NFKC", n)) for n, o in zip(names, ours) if o != unicodedata.normalize("NFKC", n)]
    changed = sum(1 for n in names if unicodedata.normalize("NFKC", n) != n)
    print(f"Python {sys.version.split()[0]} (Unicode {unicodedata.unidata_version}): {len(names)} identifiers, "
          f"{changed} changed by NFKC, {len(differences)} differences")
    for name, ours_, theirs in differences[:50]:
        print(f"  {' '.join(f'U+{ord(x):04X}' for x in name)}: ours {' '.join(f'U+{ord(x):04X}' for x in ours_)}, "
              f"CPython {' '.join(f'U+{ord(x):04X}' for x in theirs)}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
