#pragma once
// Python identifiers as CPython binds them: every name is NFKC-normalised while parsing (language
// reference, lexical analysis), so `ｓubprocess` imports `subprocess` and `ﬁle` binds `file`.

#include <string>
#include <string_view>

namespace importspy {

// True when `word` is one of Python's keywords as written (keyword.kwlist of CPython 3.7 to 3.15: the
// 35 words, `None`, `True` and `False` among them; soft keywords such as `match` are names). Tokenizers
// match keywords before NFKC normalisation, so pass the text as written.
bool is_keyword(std::string_view word);

// True when `name` is pure ASCII: CPython leaves such a name as written, and so does identifier_nfkc.
bool is_ascii_name(std::string_view name);

// The NFKC form of the valid UTF-8 text `name` (Unicode 15.1, CPython 3.13's tables: see nfkc_table.inc).
// Meant for identifiers: full for every XID_Continue character; any other character is kept as written
// (it is decomposed and composed by its canonical class only). Invalid UTF-8 is returned unchanged.
std::string identifier_nfkc(std::string_view name);

}  // namespace importspy
