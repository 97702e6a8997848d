"""The engine reads Python source bytes exactly as CPython does (issue 11, finding 2): differential tests
of the one decoder (bindings/src/extract/source_bytes) against importlib.util.decode_source, which is
what CPython's source loader applies (tokenize.detect_encoding: BOM, PEP 263 declaration on line 1 or 2)."""

import importlib.util

import pytest

from importspy import SourceError
from importspy._engine import _decode_source

SAME_AS_CPYTHON = {
    "plain utf-8": "x = 'é'\n".encode(),
    "empty": b"",
    "bom": b"\xef\xbb\xbfx = 1\n",
    "bom with utf-8 declaration": b"\xef\xbb\xbf# coding: utf-8\nx = 1\n",
    "emacs latin-1": "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"),
    "vim latin-1": "# vim: set fileencoding=iso-8859-1 :\nx = 'é'\n".encode("latin-1"),
    "latin_1 underscore spelling": "# coding=latin_1\nx = 'é'\n".encode("latin-1"),
    "upper case utf-8 spelling": "# coding: UTF_8\nx = 'é'\n".encode(),
    "declaration on line 2 after a shebang": "#!/usr/bin/env python\n# coding: cp1252\nx = '€'\n".encode("cp1252"),
    "declaration on line 2 after a blank line": "\n# coding: latin-1\nx = 'é'\n".encode("latin-1"),
    "utf-7 hiding a statement": b"# -*- coding: utf-7 -*-\napi_level = 2 #+AAo-api_level = 1\n",
    "koi8-r": "# coding: koi8-r\nx = 'привет'\n".encode("koi8-r"),
    "declaration after code on line 1 is not one": b"x = 1  # coding: latin-1\ny = 2\n",
    "declaration on line 3 is not one": b"#!/usr/bin/env python\n\n# coding: latin-1\nx = 1\n",
    "line 2 after code on line 1 is not one": b"x = 1\n# coding: latin-1\n",
    "crlf lines": b"# coding: latin-1\r\nx = '\xe9'\r\n",
    "first of two declarations wins": b"# coding: latin-1 coding: utf-8\nx = '\xe9'\n",
}


def cpython(data: bytes) -> str:
    # decode_source also translates newlines; compile() treats \r\n and \n alike, so compare that way.
    return importlib.util.decode_source(data)


@pytest.mark.parametrize("name", sorted(SAME_AS_CPYTHON))
def test_decodes_as_cpython_does(name):
    data = SAME_AS_CPYTHON[name]
    assert _decode_source(data).replace("\r\n", "\n") == cpython(data)


REFUSED_AS_BY_CPYTHON = {
    "unknown encoding": (b"# coding: klingon\nx = 1\n", 1),
    "bom contradicting the declaration": (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", 1),
    "not utf-8 without a declaration": (b"x = 1\ny = '\xe9'\n", 2),
    "not valid in the declared encoding": (b"# coding: ascii\nx = '\xe9'\n", 2),
}


@pytest.mark.parametrize("name", sorted(REFUSED_AS_BY_CPYTHON))
def test_refuses_what_cpython_refuses_with_the_line(name):
    data, line = REFUSED_AS_BY_CPYTHON[name]
    with pytest.raises((SyntaxError, UnicodeDecodeError)):
        cpython(data)
    with pytest.raises(SourceError) as error:
        _decode_source(data, "plugin.py")
    assert error.value.file == "plugin.py" and error.value.line == line, str(error.value)
