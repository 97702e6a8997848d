#pragma once
// Python source text → tokens, as the language reference's lexical analysis defines them for Python
// 3.8 to 3.14: logical and physical lines, INDENT/DEDENT (tabs to multiples of 8, checked against
// tabs-as-1 like CPython's TabError), explicit and implicit line joining, every string prefix and
// PEP 701 f-strings, numbers, operators. Soft keywords (match, case, type, _) stay NAMEs.
//
// Identifiers: as CPython, every non-ASCII character is read into a name, then the name is checked
// against XID_Start/XID_Continue (Unicode 15.1, CPython 3.13's tables) and NFKC-normalised
// (lang/identifier.hpp): text_of gives the normalised name, which is what CPython binds and imports
// (`ｓubprocess` is `subprocess`). Keywords are matched as written, as CPython's parser does: `ｉｆ` is
// the name `if`, never the keyword. ASCII names are never copied.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/source/token.hpp"

namespace importspy {

class Tokenizer {
public:
  // `text` is the decoded UTF-8 source (see decode.hpp); it must outlive the tokenizer and its tokens.
  // `filename` names the file in errors.
  // `check_utf8`: the text may hold invalid UTF-8 (DecodedSource::utf8_unchecked()); every token but
  // comments is then checked, as CPython decodes tokens and leaves comments alone.
  Tokenizer(std::string_view text, std::string filename, bool check_utf8 = false);

  // The next token; after the end marker, the end marker again. Throws SourceReadError (kind syntax)
  // for an unterminated string, an unmatched or unclosed bracket, an inconsistent dedent, a stray
  // character. Comments and NL tokens are returned too; callers skip what they do not need.
  Token next();

  std::string_view text() const { return text_; }
  // The text a token stands for: a name's NFKC form, any other token as written. The view lives as
  // long as the tokenizer.
  std::string_view text_of(const Token& t) const {
    return t.normalized != 0 ? std::string_view(normalized_names_[t.normalized - 1]) : t.text(text_);
  }
  const std::string& filename() const { return filename_; }

  // Raises a syntax error at byte `offset` (line and column in characters, as CPython reports them).
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const;

private:
  struct Bracket {
    char open;
    std::uint32_t offset;
  };

  Token next_token();
  void verify_name(const Token& t) const;
  void normalize_name(Token& t);
  Token make(TokenKind kind, std::size_t begin, std::size_t end) const;
  bool measure_indentation(Token& out);
  Token end_of_file();
  std::size_t scan_name(std::size_t pos) const;
  std::size_t scan_number(std::size_t pos) const;
  std::size_t scan_string(std::size_t pos, std::size_t prefix_length, bool& formatted);
  std::size_t scan_formatted_body(std::size_t pos, char quote, bool triple, bool raw, std::size_t start);
  std::size_t scan_replacement_field(std::size_t pos, char quote, bool triple, std::size_t start);
  std::size_t scan_operator(std::size_t pos, TokenKind& kind);
  void note_newlines(std::size_t begin, std::size_t end);
  bool at_newline(std::size_t pos) const;
  std::size_t newline_length(std::size_t pos) const;

  std::string_view text_;
  std::string filename_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  bool at_line_start_ = true;
  bool blank_line_ = false;       // the current physical line holds no token but a comment
  bool line_has_tokens_ = false;  // the current logical line has a token: EOF then ends it with NEWLINE
  bool finished_ = false;
  bool check_utf8_ = false;
  int pending_dedents_ = 0;
  int fstring_depth_ = 0;
  int eof_dedents_ = -1;
  std::vector<int> indents_{0};     // columns, tabs to multiples of 8
  std::vector<int> alt_indents_{0};  // columns, tabs as 1: they must order the same way (TabError)
  std::vector<Bracket> brackets_;
  std::deque<std::string> normalized_names_;  // NFKC forms of non-ASCII names (a deque: views stay valid)
};

// All tokens of `text`, the end marker last.
std::vector<Token> tokenize(std::string_view text, const std::string& filename, bool check_utf8 = false);

}  // namespace importspy
