#pragma once
// One token of Python source: a kind and a byte range into the decoded text. Tokens own nothing, so
// producing one never allocates; a non-ASCII name, whose NFKC form may differ from its bytes, refers to
// that form in its tokenizer (Tokenizer::text_of).

#include <cstdint>
#include <string_view>

namespace importspy {

// Kinds follow CPython's token module; operators have one kind each, named as token.tok_name names
// them (LPAR, COLONEQUAL, ...). An f-string or t-string is one token from its prefix to its closing
// quote (`fstring`): the reader needs its extent, not its parts.
enum class TokenKind : std::uint8_t {
  end_marker,
  name,
  number,
  string,
  fstring,  // f"...", rf'...', t"..." (3.14): replacement fields scanned per PEP 701
  newline,  // end of a logical line
  nl,       // a line break that ends no logical line (blank line, comment line, inside brackets)
  comment,
  indent,
  dedent,
  // operators and delimiters
  lpar, rpar, lsqb, rsqb, lbrace, rbrace,
  colon, comma, semi, dot, ellipsis,
  plus, minus, star, slash, vbar, amper, less, greater, equal, percent, tilde, circumflex, at, exclamation,
  eqequal, notequal, lessequal, greaterequal, leftshift, rightshift, doublestar, doubleslash, rarrow, colonequal,
  plusequal, minequal, starequal, slashequal, percentequal, amperequal, vbarequal, circumflexequal, atequal,
  leftshiftequal, rightshiftequal, doublestarequal, doubleslashequal,
};

struct Token {
  TokenKind kind = TokenKind::end_marker;
  std::uint32_t begin = 0;   // byte offset of the first byte
  std::uint32_t end = 0;     // byte offset one past the last byte
  std::uint32_t line = 0;    // 1-based line of `begin`
  std::uint32_t column = 0;  // 0-based byte column of `begin`, as ast's col_offset
  std::uint32_t normalized = 0;  // a name whose NFKC form differs from its bytes: 1 + its index in the tokenizer

  // The bytes as written; for a name, Tokenizer::text_of gives the name CPython binds.

  std::string_view text(std::string_view source) const { return source.substr(begin, end - begin); }
  bool is(TokenKind k) const { return kind == k; }
};

// CPython's name of a kind: "NAME", "OP" for every operator, "STRING" for f-strings too.
std::string_view token_type_name(TokenKind kind);
// The exact name: "LPAR", "COLONEQUAL", ...; the same as token_type_name for non-operators.
std::string_view token_exact_name(TokenKind kind);
bool is_operator(TokenKind kind);

}  // namespace importspy
