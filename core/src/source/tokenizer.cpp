#include "importspy/source/tokenizer.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <limits>
#include <span>
#include <utility>

#include "importspy/lang/identifier.hpp"
#include "importspy/source/decode.hpp"
#include "importspy/source/source_error.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {
namespace {

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// Non-ASCII bytes count as identifier characters (see tokenizer.hpp).
bool starts_name(unsigned char c) { return is_ascii_letter(c) || c == '_' || c >= 0x80; }
bool continues_name(unsigned char c) { return starts_name(c) || is_digit(c); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A string prefix (any case): r u b f t (t: template strings, 3.14), and rb br fr rf tr rt.
bool is_string_prefix(std::string_view word, bool& raw, bool& formatted) {
  if (word.size() > 2) return false;
  bool r = false, u = false, b = false, f = false, t = false;
  for (char c : word) {
    switch (lower(c)) {
      case 'r': if (r) return false; r = true; break;
      case 'u': if (u) return false; u = true; break;
      case 'b': if (b) return false; b = true; break;
      case 'f': if (f) return false; f = true; break;
      case 't': if (t) return false; t = true; break;
      default: return false;
    }
  }
  if (u && word.size() > 1) return false;
  if ((b ? 1 : 0) + (f ? 1 : 0) + (t ? 1 : 0) > 1) return false;
  raw = r;
  formatted = f || t;
  return true;
}

struct CodeRange {
  std::uint32_t first, last;
};
#include "identifier_table.inc"

bool in_ranges(std::span<const CodeRange> table, std::uint32_t cp) {
  const auto after = std::upper_bound(table.begin(), table.end(), cp, [](std::uint32_t c, const CodeRange& r) { return c < r.first; });
  return after != table.begin() && cp <= std::prev(after)->last;
}

// The code point at `pos` of valid UTF-8 and its length in bytes; length 0 when the bytes are invalid.
std::pair<std::uint32_t, std::size_t> code_point_at(std::string_view s, std::size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  const std::size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (length == 0 || pos + length > s.size()) return {0, 0};
  std::uint32_t cp = length == 1 ? c : c & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[pos + k]);
    if ((next & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (next & 0x3F);
  }
  return {cp, length};
}

std::string describe_char(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "the end of the file";
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c == '\n' || c == '\r') return "the end of the line";
  if (c < 0x20 || c == 0x7F) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", c);
    return std::string("control character ") + buffer;
  }
  if (c < 0x80) return "'" + std::string(1, static_cast<char>(c)) + "'";
  // The whole character, never one byte of it: a message is UTF-8 text (Python's str, JSON, SARIF).
  char buffer[32];
  const auto [cp, length] = code_point_at(text, pos);
  if (length == 0) {
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X, which is not UTF-8", c);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, " (U+%04X)", static_cast<unsigned>(cp));
  return "'" + std::string(text.substr(pos, length)) + "'" + buffer;
}

}  // namespace

Tokenizer::Tokenizer(std::string_view text, std::string filename, bool check_utf8)
    : text_(text), filename_(std::move(filename)), check_utf8_(check_utf8) {
  if (text_.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw SourceReadError(SourceReadError::Kind::syntax, filename_, 0, 0, "the source is larger than 4 GiB, which the tokenizer cannot address");
  }
}

void Tokenizer::fail(std::size_t offset, const std::string& message) const {
  const SourceMark at = character_mark(text_, offset);
  throw SourceReadError(SourceReadError::Kind::syntax, filename_, at.line, at.column, message);
}

Token Tokenizer::make(TokenKind kind, std::size_t begin, std::size_t end) const {
  Token t;
  t.kind = kind;
  t.begin = static_cast<std::uint32_t>(begin);
  t.end = static_cast<std::uint32_t>(end);
  t.line = line_;
  t.column = static_cast<std::uint32_t>(begin - line_start_);
  return t;
}

bool Tokenizer::at_newline(std::size_t pos) const { return pos < text_.size() && (text_[pos] == '\n' || text_[pos] == '\r'); }

std::size_t Tokenizer::newline_length(std::size_t pos) const {
  if (text_[pos] == '\r' && pos + 1 < text_.size() && text_[pos + 1] == '\n') return 2;
  return 1;
}

// Lines inside a multi-line token: the next token's line and column must count them.
void Tokenizer::note_newlines(std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text_[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n'))) {
      ++line_;
      line_start_ = i + 1;
    }
  }
}

// At the start of a logical line: the indentation decides INDENT, DEDENTs, or nothing. Blank lines and
// comment-only lines leave it unchanged.
//
// A backslash that joins lines before the first token (CPython 3.10-3.13 alike): the blanks go on counting
// on the next line, and the column of the first backslash not at column 0 is the line's indentation
// (`\` alone at column 0 leaves the count to the next line: `\` then `b = 2` at column 0 is a dedent).
bool Tokenizer::measure_indentation(Token& out) {
  int column = 0, alt = 0;
  int continued_column = 0;  // CPython's cont_line_col: 0 means none
  std::size_t p = pos_;
  for (; p < text_.size(); ++p) {
    const char c = text_[p];
    if (c == ' ') {
      ++column, ++alt;
    } else if (c == '\t') {
      column = (column / 8 + 1) * 8;
      ++alt;
    } else if (c == '\f') {
      column = alt = 0;  // CPython: a form feed resets the count
    } else if (c == '\\' && at_newline(p + 1)) {
      if (continued_column == 0) continued_column = column;
      const std::size_t backslash = p;
      p += newline_length(p + 1);  // the loop steps over the backslash
      ++line_;
      line_start_ = p + 1;
      if (p + 1 >= text_.size()) fail(backslash, "unexpected end of file after a line continuation character: expected another line");
    } else {
      break;
    }
  }
  pos_ = p;
  if (p >= text_.size() || text_[p] == '#' || text_[p] == '\n' || text_[p] == '\r') {
    blank_line_ = p < text_.size();
    return false;
  }
  if (continued_column != 0) column = alt = continued_column;
  blank_line_ = false;
  if (column == indents_.back()) {
    if (alt != alt_indents_.back()) fail(p, "inconsistent use of tabs and spaces in indentation (TabError)");
    return false;
  }
  if (column > indents_.back()) {
    if (alt <= alt_indents_.back()) fail(p, "inconsistent use of tabs and spaces in indentation (TabError)");
    if (indents_.size() >= 100) fail(p, "too many levels of indentation: more than 100 nested blocks");  // CPython's MAXINDENT
    indents_.push_back(column);
    alt_indents_.push_back(alt);
    out = make(TokenKind::indent, line_start_, p);
    return true;
  }
  while (indents_.size() > 1 && column < indents_.back()) {
    indents_.pop_back();
    alt_indents_.pop_back();
    ++pending_dedents_;
  }
  if (column != indents_.back()) {
    fail(p, "unindent does not match any outer indentation level: expected a column of " + std::to_string(indents_.back()) + ", found " +
                std::to_string(column));
  }
  if (alt != alt_indents_.back()) fail(p, "inconsistent use of tabs and spaces in indentation (TabError)");
  return false;
}

Token Tokenizer::end_of_file() {
  const std::size_t end = text_.size();
  if (!brackets_.empty()) {
    const Bracket& open = brackets_.back();
    fail(open.offset, std::string("'") + open.open + "' was never closed: expected its closing bracket before the end of the file");
  }
  if (!at_line_start_ && (line_has_tokens_ || blank_line_)) {
    // A last line without a line break ends as if it had one (CPython adds it).
    const TokenKind kind = line_has_tokens_ ? TokenKind::newline : TokenKind::nl;
    at_line_start_ = true;
    line_has_tokens_ = false;
    blank_line_ = false;
    return make(kind, end, end);
  }
  if (eof_dedents_ < 0) eof_dedents_ = static_cast<int>(indents_.size()) - 1;
  if (eof_dedents_ > 0) {
    --eof_dedents_;
    return make(TokenKind::dedent, end, end);
  }
  finished_ = true;
  return make(TokenKind::end_marker, end, end);
}

Token Tokenizer::next() {
  Token t = next_token();
  if (check_utf8_ && t.kind != TokenKind::comment && t.end > t.begin) {
    const std::string_view bytes = t.text(text_);
    if (const std::size_t bad = first_invalid_utf8(bytes); bad != std::string_view::npos) fail_invalid_utf8(filename_, text_, t.begin + bad, false);
  }
  if (t.kind == TokenKind::name) normalize_name(t);
  return t;
}

// ASCII names (nearly all) are left as they are; others are checked, then normalised if NFKC changes them.
void Tokenizer::normalize_name(Token& t) {
  const std::string_view name = t.text(text_);
  if (is_ascii_name(name)) return;
  verify_name(t);
  std::string normal = identifier_nfkc(name);
  if (normal == name) return;
  if (normalized_names_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) fail(t.begin, "too many non-ASCII names to normalise");
  normalized_names_.push_back(std::move(normal));
  t.normalized = static_cast<std::uint32_t>(normalized_names_.size());
}

// CPython takes every non-ASCII character into a name, then checks the whole name: XID_Start first,
// XID_Continue after (on the name as written; NFKC normalisation comes later).
void Tokenizer::verify_name(const Token& t) const {
  const std::string_view name = t.text(text_);
  for (std::size_t i = 0; i < name.size();) {
    const auto [cp, length] = code_point_at(name, i);
    if (length == 0) fail_invalid_utf8(filename_, text_, t.begin + i, false);
    const bool ok = cp < 0x80 ? (i > 0 || !is_digit(static_cast<unsigned char>(cp)))
                              : in_ranges(i == 0 ? std::span<const CodeRange>(kXidStart) : std::span<const CodeRange>(kXidContinue), cp);
    if (!ok) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", cp);
      fail(t.begin + i, "invalid character '" + std::string(name.substr(i, length)) + "' (" + code +
                            "): expected a letter, a digit or '_' (Unicode XID) in a name");
    }
    i += length;
  }
}

Token Tokenizer::next_token() {
  if (finished_) return make(TokenKind::end_marker, text_.size(), text_.size());
  while (true) {
    if (pending_dedents_ > 0) {
      --pending_dedents_;
      return make(TokenKind::dedent, pos_, pos_);
    }
    if (at_line_start_) {
      at_line_start_ = false;
      blank_line_ = false;
      if (brackets_.empty()) {
        Token indent;
        if (measure_indentation(indent)) return indent;
        if (pending_dedents_ > 0) continue;
      }
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\f')) ++pos_;
    if (pos_ >= text_.size()) return end_of_file();

    const std::size_t start = pos_;
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
      return make(TokenKind::comment, start, pos_);
    }
    if (c == '\n' || c == '\r') {
      pos_ += newline_length(pos_);
      const TokenKind kind = brackets_.empty() && line_has_tokens_ ? TokenKind::newline : TokenKind::nl;
      Token t = make(kind, start, pos_);
      if (kind == TokenKind::newline) line_has_tokens_ = false;
      ++line_;
      line_start_ = pos_;
      at_line_start_ = true;
      return t;
    }
    if (c == '\\') {
      if (at_newline(pos_ + 1)) {
        pos_ += 1 + newline_length(pos_ + 1);
        ++line_;
        line_start_ = pos_;
        if (pos_ >= text_.size()) fail(start, "unexpected end of file after a line continuation character: expected another line");
        continue;
      }
      if (start + 1 >= text_.size()) fail(start, "unexpected end of file after a line continuation character: expected another line");
      fail(start + 1, "unexpected character after line continuation character: expected the end of the line, found " + describe_char(text_, start + 1));
    }
    line_has_tokens_ = true;
    if (starts_name(c)) {
      pos_ = scan_name(pos_);
      bool raw = false, formatted = false;
      if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"') && is_string_prefix(text_.substr(start, pos_ - start), raw, formatted)) {
        pos_ = scan_string(start, pos_ - start, formatted);
        Token t = make(formatted ? TokenKind::fstring : TokenKind::string, start, pos_);
        note_newlines(start, pos_);
        return t;
      }
      return make(TokenKind::name, start, pos_);
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      pos_ = scan_number(pos_);
      return make(TokenKind::number, start, pos_);
    }
    if (c == '\'' || c == '"') {
      bool formatted = false;
      pos_ = scan_string(start, 0, formatted);
      Token t = make(TokenKind::string, start, pos_);
      note_newlines(start, pos_);
      return t;
    }
    TokenKind kind = TokenKind::end_marker;
    pos_ = scan_operator(pos_, kind);
    return make(kind, start, pos_);
  }
}

std::size_t Tokenizer::scan_name(std::size_t pos) const {
  while (pos < text_.size() && continues_name(static_cast<unsigned char>(text_[pos]))) ++pos;
  return pos;
}

std::size_t Tokenizer::scan_number(std::size_t pos) const {
  const std::size_t start = pos;
  const auto at = [&](std::size_t p) -> unsigned char { return p < text_.size() ? static_cast<unsigned char>(text_[p]) : 0; };
  // Digits with single underscores between them; returns the position after them (== p if none).
  const auto digits = [&](std::size_t p, bool (*accept)(unsigned char)) {
    if (!accept(at(p))) return p;
    ++p;
    while (true) {
      if (accept(at(p))) {
        ++p;
      } else if (at(p) == '_' && accept(at(p + 1))) {
        p += 2;
      } else {
        return p;
      }
    }
  };
  if (at(pos) == '0' && (lower(static_cast<char>(at(pos + 1))) == 'x' || lower(static_cast<char>(at(pos + 1))) == 'o' ||
                         lower(static_cast<char>(at(pos + 1))) == 'b')) {
    const char base = lower(static_cast<char>(at(pos + 1)));
    bool (*accept)(unsigned char) = base == 'x' ? is_hex_digit
                                    : base == 'o' ? +[](unsigned char d) { return d >= '0' && d <= '7'; }
                                                  : +[](unsigned char d) { return d == '0' || d == '1'; };
    std::size_t p = pos + 2;
    if (at(p) == '_') ++p;  // 0x_FF is valid
    const std::size_t end = digits(p, accept);
    if (end == p) fail(p, std::string("invalid ") + (base == 'x' ? "hexadecimal" : base == 'o' ? "octal" : "binary") + " literal: expected a digit, found " + describe_char(text_, p));
    return end;
  }
  std::size_t p = digits(pos, is_digit);
  bool is_integer = true;
  if (at(p) == '.') {
    is_integer = false;
    p = digits(p + 1, is_digit);
  }
  if (lower(static_cast<char>(at(p))) == 'e') {
    std::size_t q = p + 1;
    if (at(q) == '+' || at(q) == '-') ++q;
    const std::size_t end = digits(q, is_digit);
    if (end > q) {
      p = end;
      is_integer = false;
    }
  }
  if (lower(static_cast<char>(at(p))) == 'j') return p + 1;
  if (is_integer && text_[start] == '0') {
    for (std::size_t i = start; i < p; ++i) {
      if (text_[i] != '0' && text_[i] != '_') fail(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    }
  }
  return p;
}

std::size_t Tokenizer::scan_string(std::size_t start, std::size_t prefix_length, bool& formatted) {
  bool raw = false;
  formatted = false;
  is_string_prefix(text_.substr(start, prefix_length), raw, formatted);
  std::size_t p = start + prefix_length;
  const char quote = text_[p];
  const bool triple = p + 2 < text_.size() && text_[p + 1] == quote && text_[p + 2] == quote;
  p += triple ? 3 : 1;
  if (formatted) return scan_formatted_body(p, quote, triple, raw, start);
  while (true) {
    if (p >= text_.size()) {
      fail(start, std::string(triple ? "unterminated triple-quoted string literal" : "unterminated string literal") + " (detected at line " +
                      std::to_string(character_mark(text_, text_.size()).line) + "): expected a closing " + std::string(triple ? 3 : 1, quote) +
                      ", found the end of the file");
    }
    const char c = text_[p];
    if (c == '\\') {
      // In raw strings too a backslash keeps the next character (a quote, a line break) in the string.
      p += p + 1 < text_.size() ? 1 + newline_length(p + 1) : 1;
      continue;
    }
    if (c == quote) {
      if (!triple) return p + 1;
      if (p + 2 < text_.size() && text_[p + 1] == quote && text_[p + 2] == quote) return p + 3;
    } else if ((c == '\n' || c == '\r') && !triple) {
      fail(start, "unterminated string literal (detected at line " + std::to_string(character_mark(text_, p).line) + "): expected a closing " +
                      std::string(1, quote) + ", found the end of the line");
    }
    ++p;
  }
}


// The literal part of an f-string (or t-string): `{{` and `}}` are text, `{` opens a replacement field.
std::size_t Tokenizer::scan_formatted_body(std::size_t p, char quote, bool triple, bool raw, std::size_t start) {
  const auto unterminated = [&](const std::string& found) {
    fail(start, std::string(triple ? "unterminated triple-quoted f-string literal" : "unterminated f-string literal") + " (detected at line " +
                    std::to_string(character_mark(text_, p).line) + "): expected a closing " + std::string(triple ? 3 : 1, quote) + ", found " + found);
  };
  while (true) {
    if (p >= text_.size()) unterminated("the end of the file");
    const char c = text_[p];
    if (c == '\\') {
      if (p + 1 >= text_.size()) unterminated("the end of the file");
      const char next = text_[p + 1];
      if (!raw && next == 'N' && p + 2 < text_.size() && text_[p + 2] == '{') {
        // \N{NAME}: the braces belong to the escape, not to a replacement field.
        const std::size_t close = text_.find('}', p + 3);
        if (close == std::string_view::npos) unterminated("the end of the file");
        p = close + 1;
      } else if (next == '{' || next == '}') {
        ++p;  // `\{`: the backslash is text, the brace keeps its meaning
      } else {
        p += 1 + newline_length(p + 1);
      }
      continue;
    }
    if (c == '{') {
      if (p + 1 < text_.size() && text_[p + 1] == '{') {
        p += 2;
      } else {
        p = scan_replacement_field(p + 1, quote, triple, start);
      }
      continue;
    }
    if (c == '}') {
      if (p + 1 < text_.size() && text_[p + 1] == '}') {
        p += 2;
        continue;
      }
      fail(p, "f-string: single '}' is not allowed: expected '}}' for a literal brace");
    }
    if (c == quote) {
      if (!triple) return p + 1;
      if (p + 2 < text_.size() && text_[p + 1] == quote && text_[p + 2] == quote) return p + 3;
    } else if ((c == '\n' || c == '\r') && !triple) {
      unterminated("the end of the line");
    }
    ++p;
  }
}

// A replacement field after its `{`: an expression (with nested brackets, strings and f-strings, as PEP
// 701 allows), then `=`, `!conversion` and `:format spec` (which may hold fields itself), then `}`.
// Returns the position after the closing `}`.
std::size_t Tokenizer::scan_replacement_field(std::size_t p, char quote, bool triple, std::size_t start) {
  // Nested f-strings and format specs recurse: bounded like CPython's own limits (150 nested f-strings).
  if (++fstring_depth_ > 150) fail(p, "f-string: too many nested f-strings or replacement fields (more than 150)");
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{fstring_depth_};
  int depth = 0;
  bool in_spec = false;
  const auto expecting = [&](std::size_t at) {
    fail(at, "f-string: expecting '}' to close the replacement field opened here, found " + describe_char(text_, at));
  };
  while (true) {
    if (p >= text_.size()) expecting(p);
    const char c = text_[p];
    if (in_spec) {
      // A format spec is text up to `}`; `{` opens a nested field. The string's own quote ends it.
      if (c == '{') {
        p = scan_replacement_field(p + 1, quote, triple, start);
      } else if (c == '}') {
        return p + 1;
      } else if (c == '\\') {
        p += p + 1 < text_.size() ? 1 + newline_length(p + 1) : 1;
      } else if ((c == quote && (!triple || (p + 2 < text_.size() && text_[p + 1] == quote && text_[p + 2] == quote))) ||
                 ((c == '\n' || c == '\r') && !triple)) {
        expecting(p);
      } else {
        ++p;
      }
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '#') {
      while (p < text_.size() && text_[p] != '\n' && text_[p] != '\r') ++p;
    } else if (c == '\'' || c == '"') {
      bool formatted = false;
      p = scan_string(p, 0, formatted);
    } else if (starts_name(u)) {
      const std::size_t word = p;
      p = scan_name(p);
      bool raw = false, formatted = false;
      if (p < text_.size() && (text_[p] == '\'' || text_[p] == '"') && is_string_prefix(text_.substr(word, p - word), raw, formatted)) {
        p = scan_string(word, p - word, formatted);
      }
    } else if (is_digit(u) || (c == '.' && p + 1 < text_.size() && is_digit(static_cast<unsigned char>(text_[p + 1])))) {
      p = scan_number(p);
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
      ++p;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c == '}') return p + 1;
        fail(p, std::string("f-string: unmatched '") + c + "': expected '}' to close the replacement field");
      }
      --depth;
      ++p;
    } else if (c == '!' && depth == 0 && !(p + 1 < text_.size() && text_[p + 1] == '=')) {
      ++p;  // a conversion: the name follows, then `:` or `}`
    } else if (c == '!' || c == '=' || c == '<' || c == '>') {
      p += p + 1 < text_.size() && text_[p + 1] == '=' ? 2 : 1;
    } else if (c == ':' && depth == 0) {
      in_spec = true;
      ++p;
    } else {
      ++p;  // operators, blanks, line breaks (the string's own quotes were handled above)
    }
  }
}

std::size_t Tokenizer::scan_operator(std::size_t pos, TokenKind& kind) {
  const char c = text_[pos];
  const char c1 = pos + 1 < text_.size() ? text_[pos + 1] : '\0';
  const char c2 = pos + 2 < text_.size() ? text_[pos + 2] : '\0';
  const auto one = [&](TokenKind k) { kind = k; return pos + 1; };
  const auto two = [&](TokenKind k) { kind = k; return pos + 2; };
  const auto three = [&](TokenKind k) { kind = k; return pos + 3; };
  const auto open = [&](TokenKind k) {
    // CPython's limit (MAXLEVEL); it also bounds every recursion over brackets in the reader.
    if (brackets_.size() >= 200) fail(pos, "too many nested parentheses: more than 200 brackets are open here");
    brackets_.push_back({c, static_cast<std::uint32_t>(pos)});
    return one(k);
  };
  const auto close = [&](TokenKind k, char expected_open) {
    if (brackets_.empty()) fail(pos, std::string("unmatched '") + c + "': no bracket is open");
    const Bracket open_bracket = brackets_.back();
    if (open_bracket.open != expected_open) {
      const char wanted = open_bracket.open == '(' ? ')' : open_bracket.open == '[' ? ']' : '}';
      const SourceMark at = character_mark(text_, open_bracket.offset);
      fail(pos, std::string("closing parenthesis '") + c + "' does not match opening parenthesis '" + open_bracket.open + "' on line " +
                    std::to_string(at.line) + ": expected '" + wanted + "'");
    }
    brackets_.pop_back();
    return one(k);
  };
  switch (c) {
    case '(': return open(TokenKind::lpar);
    case '[': return open(TokenKind::lsqb);
    case '{': return open(TokenKind::lbrace);
    case ')': return close(TokenKind::rpar, '(');
    case ']': return close(TokenKind::rsqb, '[');
    case '}': return close(TokenKind::rbrace, '{');
    case ',': return one(TokenKind::comma);
    case ';': return one(TokenKind::semi);
    case '~': return one(TokenKind::tilde);
    case '.': return c1 == '.' && c2 == '.' ? three(TokenKind::ellipsis) : one(TokenKind::dot);
    case ':': return c1 == '=' ? two(TokenKind::colonequal) : one(TokenKind::colon);
    case '=': return c1 == '=' ? two(TokenKind::eqequal) : one(TokenKind::equal);
    case '!': return c1 == '=' ? two(TokenKind::notequal) : one(TokenKind::exclamation);
    case '+': return c1 == '=' ? two(TokenKind::plusequal) : one(TokenKind::plus);
    case '-': return c1 == '=' ? two(TokenKind::minequal) : c1 == '>' ? two(TokenKind::rarrow) : one(TokenKind::minus);
    case '%': return c1 == '=' ? two(TokenKind::percentequal) : one(TokenKind::percent);
    case '&': return c1 == '=' ? two(TokenKind::amperequal) : one(TokenKind::amper);
    case '|': return c1 == '=' ? two(TokenKind::vbarequal) : one(TokenKind::vbar);
    case '^': return c1 == '=' ? two(TokenKind::circumflexequal) : one(TokenKind::circumflex);
    case '@': return c1 == '=' ? two(TokenKind::atequal) : one(TokenKind::at);
    case '*':
      if (c1 == '*') return c2 == '=' ? three(TokenKind::doublestarequal) : two(TokenKind::doublestar);
      return c1 == '=' ? two(TokenKind::starequal) : one(TokenKind::star);
    case '/':
      if (c1 == '/') return c2 == '=' ? three(TokenKind::doubleslashequal) : two(TokenKind::doubleslash);
      return c1 == '=' ? two(TokenKind::slashequal) : one(TokenKind::slash);
    case '<':
      if (c1 == '<') return c2 == '=' ? three(TokenKind::leftshiftequal) : two(TokenKind::leftshift);
      return c1 == '=' ? two(TokenKind::lessequal) : one(TokenKind::less);
    case '>':
      if (c1 == '>') return c2 == '=' ? three(TokenKind::rightshiftequal) : two(TokenKind::rightshift);
      return c1 == '=' ? two(TokenKind::greaterequal) : one(TokenKind::greater);
    default: break;
  }
  fail(pos, "invalid character " + describe_char(text_, pos) + " in Python source: expected a name, a number, a string or an operator");
}

std::vector<Token> tokenize(std::string_view text, const std::string& filename, bool check_utf8) {
  Tokenizer tokenizer(text, filename, check_utf8);
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 4 + 16);
  while (true) {
    tokens.push_back(tokenizer.next());
    if (tokens.back().kind == TokenKind::end_marker) return tokens;
  }
}

}  // namespace importspy
