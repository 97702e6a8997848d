"""Prints tests/corpus/utf7_cases.txt: UTF-7 source bodies and what CPython makes of them, for the
reader's own UTF-7 decoder (tests/cpp/source/decode_test.cpp, Decode.decodes_utf7_as_every_cpython_does).

    python tests/corpus/make_utf7_cases.py [PYTHON ...] > tests/corpus/utf7_cases.txt

Each line: the hex of a body, a tab, then the hex of the UTF-8 text that compile() tokenizes for
b"# coding: utf-7\\n" + body + b"\\n", or "refused" when CPython cannot decode it (UnicodeDecodeError, or a
lone surrogate that compile() cannot re-encode) or the text holds a CR or NUL, which ImportSpy refuses.
A case enters only when every PYTHON (default: ~/.pyenv/versions/3.1[0-9]*) agrees.
"""
import glob
import os
import random
import subprocess
import sys

PROBE = r'''
import sys
for line in sys.stdin:
    body = bytes.fromhex(line.strip())
    data = b"# coding: utf-7\n" + body + b"\n"
    try:
        text = data.decode("utf-7")
        out = text.encode("utf-8")
        print("refused" if ("\r" in text or "\0" in text) else out.hex())
    except (UnicodeDecodeError, UnicodeEncodeError):
        print("refused")
'''

VALID = [b"-", b"+-", b"+AAo-", b"+ACM-", b"+2D3cAA-", b"A", b"a", b"/", b"0", b"+AGE", b"+AGEAYg-", b"+ZeVnLIqe-", b"x = 1", b" ", b"#",
         b"\n", b"~", b"\\", b"+AGE-", b"+AGEAYgBj-", b"+2D3cAA", b"'", b'"', b"+/v8-", b"+AOk-"]
RISKY = [b"+", b"+AA0-", b"+2D3", b"+3AA-", b"+2D0-", b"\x80", b"\xff", b"+AAA-", b"+AGEA", b"+/v8", b"+AG", b"+AGF-"]


def bodies(count, seed=21):
    rng = random.Random(seed)
    out = {b"", b"+", b"+-", b"+AAo-", b"+2D3cAA-"}
    while len(out) < count:
        body = b"".join(rng.choice(RISKY if rng.random() < 0.08 else VALID) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.2:  # random base64 after a '+'
            body += b"+" + bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(rng.randint(1, 9)))
            body += rng.choice([b"", b"-", b" ", b"x", b"+"])
        out.add(body.replace(b"\r", b""))
    return sorted(out)


def main():
    pythons = sys.argv[1:] or sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[0-9]*/bin/python"))) or [sys.executable]
    cases = bodies(2000)
    stdin = "".join(body.hex() + "\n" for body in cases)
    answers = [subprocess.run([p, "-c", PROBE], input=stdin, capture_output=True, text=True, check=True).stdout.split("\n") for p in pythons]
    for i, body in enumerate(cases):
        results = {a[i] for a in answers}
        if len(results) == 1:
            print(body.hex() + "\t" + results.pop())


if __name__ == "__main__":
    main()
