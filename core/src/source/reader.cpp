#include "importspy/source/reader.hpp"

// How the reader works: the tokenizer gives logical lines; each line is one simple statement (or
// several, split at `;`) or the header of a compound statement, whose body is either the rest of the
// line after the header's colon or the indented block that follows. Expressions are never built into a
// tree: the few things facts need (literal values, annotation text, dotted names, platform conditions)
// are read straight from the tokens of a line. Function bodies are skipped token by token (INDENT and
// DEDENT counted); method bodies are read only for `self.<name> = ...`.
//
// What it does not check: the grammar inside expressions and inside skipped bodies. A module that
// CPython's tokenizer rejects is rejected here too (with the same kind of message and place); a module
// with a token-level valid but grammatically invalid expression (`x = = 1`) is read as far as facts go.
//
// Conditions (`if`/`elif`/`else`) are decided when they can be, then the branch taken is read as
// straight-line code and the others are dropped:
//   - `TYPE_CHECKING` (bare, `typing.`, `t.`) is false at run time;
//   - `__name__ == "__main__"` is false for an imported module (and `!=` true);
//   - `sys.platform`, `sys.byteorder`, `os.name`, `platform.system()`, `sys.version_info` (also through
//     import aliases, `.lower()`, slices and indexes) compared with literals (==, !=, <, <=, >, >=,
//     chains, in, not in, .startswith) are decided for ReadOptions::target, when given; so is a module
//     name bound earlier to such a decided comparison (`_mswindows = sys.platform == "win32"`);
//   - `not`, `and`, `or`, parentheses, True/False/None and numbers combine these.
// Any other condition is undecided: its branches are read as conditional (values unknown, a definition
// does not replace an earlier one of the same name), as the CPython-based extractor reads them.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "importspy/source/decode.hpp"
#include "importspy/source/literal.hpp"
#include "importspy/source/source_error.hpp"
#include "importspy/source/tokenizer.hpp"
#include "importspy/facts/static_rules.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy {
namespace {

using Span = std::span<const Token>;

enum class Tri { no, yes, unknown };

Tri tri_not(Tri t) { return t == Tri::yes ? Tri::no : t == Tri::no ? Tri::yes : Tri::unknown; }

// Where statements are read: straight-line code or conditional code.
struct Flow {
  bool conditional = false;
};

// How an import statement that module code does not run at import time is recorded (ImportFact): lazy
// inside a function or method body, whatever the branch; type_checking in a module-level
// `if TYPE_CHECKING:` branch (a function in it included).
struct Deferred {
  bool lazy = false;
  bool type_checking = false;
  bool in_class = false;  // not deferred: run at import time, in a class body (ImportFact::in_class)
  bool any() const { return lazy || type_checking; }
};
constexpr Deferred kLazy{true, false};
constexpr Deferred kTypeChecking{false, true};
constexpr Deferred kInClassBody{false, false, true};

// A method body being scanned for `self.x = ...`.
struct MethodScan {
  std::string self;
  ClassFact* cls = nullptr;
};

// Where each fact bound so far sits in its vector, by key (the name; for attributes the name and kind), so
// that binding the millionth name costs what binding the first did. An unbound fact keeps its place with
// an empty name until its scope is read (compact), so positions never move while reading.
using Positions = std::unordered_map<std::string, std::size_t>;

template <typename T>
T* find_at(std::vector<T>& items, const Positions& at, const std::string& key) {
  const auto it = at.find(key);
  return it == at.end() ? nullptr : &items[it->second];
}

template <typename T>
const T* find_at(const std::vector<T>& items, const Positions& at, const std::string& key) {
  const auto it = at.find(key);
  return it == at.end() ? nullptr : &items[it->second];
}

template <typename T>
void bind_at(std::vector<T>& items, Positions& at, const std::string& key, T item, bool conditional) {
  const auto [it, added] = at.try_emplace(key, items.size());
  if (added) {
    items.push_back(std::move(item));
  } else if (!conditional) {
    items[it->second] = std::move(item);  // straight-line code: the later definition wins, as at run time
  }                                       // a conditional one may not run: the first is kept
}

template <typename T>
void unbind_at(std::vector<T>& items, Positions& at, const std::string& key) {
  const auto it = at.find(key);
  if (it == at.end()) return;
  items[it->second].name.clear();
  at.erase(it);
}

template <typename T>
void compact(std::vector<T>& items) {
  std::erase_if(items, [](const T& item) { return item.name.empty(); });
}

class Reader {
public:
  Reader(const DecodedSource& source, const std::string& filename, const std::string& module_name, const ReadOptions& options)
      : tokenizer_(source.text(), filename, source.utf8_unchecked()), src_(source.text()), options_(options) {
    facts_.filename = filename;
    facts_.name = module_name;
    const bool is_package = filename.ends_with("__init__.py");
    const std::size_t dot = module_name.rfind('.');
    package_ = is_package ? module_name : (dot == std::string::npos ? std::string() : module_name.substr(0, dot));
  }

  ModuleFacts run() {
    advance();
    block_statements(Scope::module, Flow{}, nullptr, nullptr, true);
    compact(facts_.variables);
    compact(facts_.functions);
    compact(facts_.classes);
    mark_function_globals();
    try {
      complete_classes(facts_, package_, options_.inheritance);
    } catch (const InheritanceLimitError& error) {
      throw SourceReadError(SourceReadError::Kind::limit, error.file(), error.line(), error.column(), error.message());
    }
    return std::move(facts_);
  }

private:
  enum class Scope { module, class_body, method_body };

  // ---- tokens and lines ----------------------------------------------------------------------------

  void advance() {
    do {
      tok_ = tokenizer_.next();
    } while (tok_.kind == TokenKind::comment || tok_.kind == TokenKind::nl);
    check_adjacent();
  }

  // The one grammar rule checked on every token, skipped bodies included: two operands never follow
  // each other (`print "x"`, `exec code`, `ur''`, `x y`), which catches most Python 2 sources and
  // typos that CPython refuses. Soft keywords opening a statement (`match x:`, `case y:`, `type X =`)
  // are the exception. Strings may follow strings (implicit concatenation).
  void check_adjacent() {
    const Token before = previous_;
    const Token before_that = previous2_;
    previous2_ = previous_;
    previous_ = tok_;
    if (tok_.kind == TokenKind::newline || tok_.kind == TokenKind::indent || tok_.kind == TokenKind::dedent) {
      previous_ = previous2_ = Token{};  // end_marker kind: no operand
      return;
    }
    const bool strings = (before.kind == TokenKind::string || before.kind == TokenKind::fstring) &&
                         (tok_.kind == TokenKind::string || tok_.kind == TokenKind::fstring);
    if (strings || !starts_operand(tok_) || !ends_operand(before)) return;
    if (before.kind == TokenKind::ellipsis &&
        (is_word(before_that, "from") || before_that.kind == TokenKind::dot || before_that.kind == TokenKind::ellipsis)) {
      return;  // `from ...pkg import x`: dots of a relative import
    }
    if (before.kind == TokenKind::name && !ends_operand(before_that)) {
      const std::string_view soft = text(before);
      if (soft == "match" || soft == "case" || soft == "type") return;
    }
    fail_at(tok_, "invalid syntax: expected an operator, a comma or the end of the statement after " + describe(before) + ", found " + describe(tok_));
  }

  static bool is_hard_keyword(std::string_view w) {
    static constexpr std::string_view keywords[] = {"and",   "as",   "assert", "async",  "await",    "break", "class",  "continue",
                                                    "def",   "del",  "elif",   "else",   "except",   "finally", "for", "from",
                                                    "global", "if",  "import", "in",     "is",       "lambda", "nonlocal", "not",
                                                    "or",    "pass", "raise",  "return", "try",      "while", "with",   "yield"};
    return std::find(std::begin(keywords), std::end(keywords), w) != std::end(keywords);
  }

  bool ends_operand(const Token& t) const {
    switch (t.kind) {
      case TokenKind::number:
      case TokenKind::string:
      case TokenKind::fstring:
      case TokenKind::rpar:
      case TokenKind::rsqb:
      case TokenKind::rbrace:
      case TokenKind::ellipsis: return true;
      case TokenKind::name: return !is_hard_keyword(text(t));  // None, True, False are no keywords here
      default: return false;
    }
  }

  bool starts_operand(const Token& t) const {
    switch (t.kind) {
      case TokenKind::number:
      case TokenKind::string:
      case TokenKind::fstring:
      case TokenKind::lbrace: return true;
      case TokenKind::name: {
        const std::string_view w = text(t);
        return !is_hard_keyword(w) || w == "lambda" || w == "await" || w == "yield";
      }
      default: return false;
    }
  }

  std::string_view text(const Token& t) const { return t.text(src_); }
  bool is_word(const Token& t, std::string_view word) const { return t.kind == TokenKind::name && text(t) == word; }

  [[noreturn]] void fail_at(const Token& t, const std::string& message) const { tokenizer_.fail(t.begin, message); }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case TokenKind::end_marker: return "the end of the file";
      case TokenKind::newline: return "the end of the line";
      case TokenKind::indent: return "an indented line";
      case TokenKind::dedent: return "the end of the indented block";
      default: return "'" + std::string(text(t)) + "'";
    }
  }

  // The tokens of the logical line that starts at the current token; consumes its NEWLINE.
  Span read_line() {
    if (depth_ >= buffers_.size()) buffers_.resize(depth_ + 1);
    std::vector<Token>& buffer = buffers_[depth_];
    buffer.clear();
    while (tok_.kind != TokenKind::newline && tok_.kind != TokenKind::end_marker) {
      if (tok_.kind == TokenKind::indent || tok_.kind == TokenKind::dedent) fail_at(tok_, "unexpected indentation inside a line");
      buffer.push_back(tok_);
      advance();
    }
    if (tok_.kind == TokenKind::newline) advance();
    return Span(buffer);
  }

  // Skips an indented block whose INDENT is the current token, token by token. With `deferred` set, the
  // import statements of the block are still recorded, with those flags (lazy: a function body;
  // type_checking: an `if TYPE_CHECKING:` branch): a statement starts a line, or follows `;` or a block
  // header's `:` on its line, and only an import statement starts with `import` or `from`.
  void skip_block(Deferred deferred = {}) {
    int depth = 0;
    int brackets = 0;
    bool statement_start = true;
    do {
      if (tok_.kind == TokenKind::indent) ++depth;
      if (tok_.kind == TokenKind::dedent) --depth;
      if (tok_.kind == TokenKind::end_marker) return;
      if (deferred.any() && statement_start && brackets == 0 && (is_word(tok_, "import") || is_word(tok_, "from"))) {
        deferred_statement(deferred);
        statement_start = false;
        continue;
      }
      if (deferred.any()) skipped_line(deferred);
      if (opens(tok_.kind)) ++brackets;
      if (closes(tok_.kind) && brackets > 0) --brackets;
      statement_start = tok_.kind == TokenKind::newline || tok_.kind == TokenKind::indent || tok_.kind == TokenKind::dedent ||
                        (brackets == 0 && (tok_.kind == TokenKind::semi || tok_.kind == TokenKind::colon));
      advance();
    } while (depth > 0);
  }

  // Reads one import statement of a skipped block (the current token is its `import` or `from`), up to
  // its `;` or the end of its line (neither consumed).
  void deferred_statement(Deferred deferred) {
    std::vector<Token> statement;
    int brackets = 0;
    while (tok_.kind != TokenKind::newline && tok_.kind != TokenKind::end_marker && !(brackets == 0 && tok_.kind == TokenKind::semi)) {
      if (opens(tok_.kind)) ++brackets;
      if (closes(tok_.kind) && brackets > 0) --brackets;
      statement.push_back(tok_);
      advance();
    }
    import_statement(Span(statement), deferred);
  }

  // The import statements of a skipped body written on its header's line (`def f(): import x`).
  void deferred_line(Span rest, Deferred deferred) {
    note_dynamic_imports(rest, deferred);
    if (deferred.lazy && !rest.empty() && is_word(rest[0], "global")) note_function_global(rest);
    for (Span part : split_top(rest, TokenKind::semi)) {
      if (!part.empty() && (is_word(part[0], "import") || is_word(part[0], "from"))) import_statement(part, deferred);
    }
  }

  // ---- spans ---------------------------------------------------------------------------------------

  static bool opens(TokenKind k) { return k == TokenKind::lpar || k == TokenKind::lsqb || k == TokenKind::lbrace; }
  static bool closes(TokenKind k) { return k == TokenKind::rpar || k == TokenKind::rsqb || k == TokenKind::rbrace; }

  // Index of the bracket closing the one at `open` (the tokenizer has matched them already).
  static std::size_t matching(Span s, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
      if (opens(s[i].kind)) ++depth;
      if (closes(s[i].kind) && --depth == 0) return i;
    }
    return s.size();
  }

  // Visits the tokens at bracket depth 0 that are not inside a lambda's parameters (so the `:` and `=`
  // and `,` of `lambda a, b=1: a` are not taken for the statement's own). `visit(i)` returns true to stop.
  template <typename Visit>
  void top_level(Span s, Visit visit) const {
    int depth = 0, lambdas = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const TokenKind k = s[i].kind;
      if (opens(k)) {
        ++depth;
      } else if (closes(k)) {
        --depth;
      } else if (depth == 0) {
        if (is_word(s[i], "lambda")) {
          ++lambdas;
        } else if (lambdas > 0 && k == TokenKind::colon) {
          --lambdas;
        } else if (lambdas == 0 && visit(i)) {
          return;
        }
      }
    }
  }

  std::size_t find_top(Span s, TokenKind kind) const {
    std::size_t found = s.size();
    top_level(s, [&](std::size_t i) {
      if (s[i].kind != kind) return false;
      found = i;
      return true;
    });
    return found;
  }

  std::size_t find_top_word(Span s, std::string_view word) const {
    std::size_t found = s.size();
    top_level(s, [&](std::size_t i) {
      if (!is_word(s[i], word)) return false;
      found = i;
      return true;
    });
    return found;
  }

  std::vector<Span> split_top(Span s, TokenKind separator) const {
    std::vector<Span> parts;
    std::size_t start = 0;
    top_level(s, [&](std::size_t i) {
      if (s[i].kind == separator) {
        parts.push_back(s.subspan(start, i - start));
        start = i + 1;
      }
      return false;
    });
    parts.push_back(s.subspan(start));
    return parts;
  }

  // The source text of a span, one line: within a line as written; across lines, one space (none
  // after an opening or before a closing bracket or a comma), comments dropped.
  std::string span_text(Span s) const {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i > 0) {
        const std::string_view between = src_.substr(s[i - 1].end, s[i].begin - s[i - 1].end);
        if (between.find_first_of("\n\r#\\") == std::string_view::npos) {
          out += between;
        } else if (!opens(s[i - 1].kind) && !closes(s[i].kind) && s[i].kind != TokenKind::comma) {
          out += ' ';
        }
      }
      const std::string_view t = text(s[i]);
      if (t.find_first_of("\n\r") == std::string_view::npos) {
        out += t;
      } else {
        for (char c : t) out += c == '\n' || c == '\r' ? ' ' : c;  // a multi-line string reads as one line
      }
    }
    return out;
  }

  // An annotation as CPython's tree has it: grouping parentheses are no part of the expression
  // (`x: (\n  A | B\n)` is `A | B`), those of a tuple or a generator are.
  std::string annotation_text(Span s) const {
    while (s.size() > 2 && s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) {
      const Span inner = s.subspan(1, s.size() - 2);
      if (find_top(inner, TokenKind::comma) < inner.size() || find_top_word(inner, "for") < inner.size() || is_word(inner[0], "yield")) break;
      s = inner;
    }
    return span_text(s);
  }

  // `a.b.c` as text when the span is a dotted name, else empty.
  std::string dotted(Span s) const {
    if (s.empty() || s.size() % 2 == 0) return {};
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i % 2 == 0 && s[i].kind != TokenKind::name) return {};
      if (i % 2 == 1 && s[i].kind != TokenKind::dot) return {};
      out += text(s[i]);
    }
    return out;
  }

  // ---- values --------------------------------------------------------------------------------------

  std::string reason_for(Span s) const {
    if (s.empty()) return "a computed expression";
    if (is_word(s[0], "lambda")) return "a lambda";
    if (find_top_word(s, "if") < s.size()) return "a conditional expression";
    if (s.size() == 1 && s[0].kind == TokenKind::name) return "refers to another name";
    if (s.size() == 1 && s[0].kind == TokenKind::fstring) return "an f-string";
    if (opens(s[0].kind) && matching(s, 0) == s.size() - 1) {
      for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (is_word(s[i], "for")) return "a comprehension";
      }
    }
    if (closes(s.back().kind)) {
      std::size_t open = 0;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (opens(s[i].kind) && matching(s, i) == s.size() - 1) {
          open = i;
          break;
        }
      }
      if (open > 0 && s.back().kind == TokenKind::rpar) return "computed by a call";
      if (open > 0 && s.back().kind == TokenKind::rsqb) return "a subscript";
    }
    if (!dotted(s).empty()) return "reads an attribute";
    return "a computed expression";
  }

  Value sequence(Span inner, int depth, bool allow_names) const {
    std::vector<Value> items;
    std::vector<Span> parts = split_top(inner, TokenKind::comma);
    if (!parts.empty() && parts.back().empty()) parts.pop_back();  // trailing comma
    for (Span part : parts) {
      if (part.empty()) return Value::unknown("a computed expression");
      if (part[0].kind == TokenKind::star) return Value::unknown("unpacks another value");
      Value item = literal(part, depth + 1, allow_names);
      if (item.is_unknown()) return item;
      items.push_back(std::move(item));
    }
    return Value::list(std::move(items));
  }

  // The value of an expression when it is a literal (or, at depth 0, a name bound to a known literal).
  Value literal(Span s, int depth, bool allow_names) const {
    if (depth > 32) return Value::unknown("nested too deeply");
    if (s.empty()) return Value::unknown("a computed expression");
    if (find_top(s, TokenKind::comma) < s.size()) {
      if (find_top_word(s, "for") < s.size()) return Value::unknown("a comprehension");
      return sequence(s, depth, allow_names);  // a tuple without parentheses
    }
    const Token& first = s[0];
    if (s.size() == 1) {
      switch (first.kind) {
        case TokenKind::number: return number_value(text(first));
        case TokenKind::string:
        case TokenKind::fstring: return strings_value(s, src_);
        case TokenKind::ellipsis: return Value::opaque("Ellipsis", "ellipsis");
        case TokenKind::name: {
          const std::string_view word = text(first);
          if (word == "None") return Value::none();
          if (word == "True") return Value::boolean(true);
          if (word == "False") return Value::boolean(false);
          if (allow_names && depth == 0) {
            // `DEFAULT = OTHER` where OTHER is a literal defined above: the value is known.
            if (const VariableFact* other = find_at(facts_.variables, variable_at_, std::string(word)); other && !other->value.is_unknown()) {
              return other->value;
            }
          }
          return Value::unknown("refers to another name");
        }
        default: break;
      }
    }
    if (std::all_of(s.begin(), s.end(), [](const Token& t) { return t.kind == TokenKind::string || t.kind == TokenKind::fstring; })) {
      return strings_value(s, src_);
    }
    if (first.kind == TokenKind::minus || first.kind == TokenKind::plus) {
      const Value operand = literal(s.subspan(1), depth + 1, false);
      if (operand.kind() == Value::Kind::integer || operand.kind() == Value::Kind::floating) {
        if (first.kind == TokenKind::plus) return operand;
        if (operand.kind() == Value::Kind::floating) return Value::floating(-operand.as_float());
        if (operand.is_big_integer()) {
          const std::string& digits = operand.text();
          return Value::big_integer(digits.starts_with("-") ? digits.substr(1) : "-" + digits);
        }
        if (operand.as_int() == std::numeric_limits<std::int64_t>::min()) return Value::unknown("a computed expression");
        return Value::integer(-operand.as_int());
      }
      return Value::unknown("a computed expression");
    }
    if (opens(first.kind) && matching(s, 0) == s.size() - 1) {
      const Span inner = s.subspan(1, s.size() - 2);
      if (find_top_word(inner, "for") < inner.size() || find_top_word(inner, "async") < inner.size()) return Value::unknown("a comprehension");
      if (first.kind == TokenKind::lsqb) return sequence(inner, depth, allow_names);
      if (first.kind == TokenKind::lpar) {
        if (inner.empty()) return Value::list({});
        if (find_top(inner, TokenKind::comma) < inner.size()) return sequence(inner, depth, allow_names);
        if (inner[0].kind == TokenKind::name && inner.size() > 1 && is_word(inner[0], "yield")) return Value::unknown("a computed expression");
        return literal(inner, depth, allow_names);  // parentheses only group
      }
      return braces(s, inner, depth, allow_names);
    }
    return Value::unknown(reason_for(s));
  }

  Value braces(Span whole, Span inner, int depth, bool allow_names) const {
    if (inner.empty()) return Value::mapping({});
    if (find_top(inner, TokenKind::colon) == inner.size() && find_top(inner, TokenKind::doublestar) == inner.size()) {
      return Value::opaque(span_text(whole), "set");
    }
    std::vector<Value::Entry> entries;
    std::unordered_map<std::string, std::size_t> string_keys;
    std::vector<Span> parts = split_top(inner, TokenKind::comma);
    if (!parts.empty() && parts.back().empty()) parts.pop_back();
    for (Span part : parts) {
      if (!part.empty() && part[0].kind == TokenKind::doublestar) return Value::unknown("unpacks another mapping");
      const std::size_t colon = find_top(part, TokenKind::colon);
      if (colon == part.size()) return Value::unknown("a computed expression");
      Value key = literal(part.first(colon), depth + 1, allow_names);
      if (key.is_unknown()) return key;
      Value value = literal(part.subspan(colon + 1), depth + 1, allow_names);
      if (value.is_unknown()) return value;
      // A repeated key keeps its first place and takes the last value, as a dict display does. String
      // keys (nearly all) are found through an index: large tables stay linear.
      if (key.kind() == Value::Kind::string) {
        const auto [at, inserted] = string_keys.try_emplace(key.text(), entries.size());
        if (!inserted) {
          entries[at->second].second = std::move(value);
          continue;
        }
        entries.emplace_back(std::move(key), std::move(value));
        continue;
      }
      const auto same = std::find_if(entries.begin(), entries.end(), [&](const Value::Entry& e) { return e.first == key; });
      if (same != entries.end()) {
        same->second = std::move(value);
      } else {
        entries.emplace_back(std::move(key), std::move(value));
      }
    }
    return Value::mapping(std::move(entries));
  }

  // ---- conditions ----------------------------------------------------------------------------------

  // A tuple or single literal of strings, for `in` and `.startswith`.
  std::vector<std::string> strings_of(Span s) const {
    if (s.size() > 2 && s[0].kind == TokenKind::lbrace && matching(s, 0) == s.size() - 1 && find_top(s.subspan(1, s.size() - 2), TokenKind::colon) == s.size() - 2) {
      s = s.subspan(1, s.size() - 2);  // a set display: its items, as a tuple's
    }
    const Value v = literal(s, 1, false);
    std::vector<std::string> out;
    if (v.kind() == Value::Kind::string) out.push_back(v.text());
    if (v.kind() == Value::Kind::list) {
      for (const Value& item : v.items()) {
        if (item.kind() != Value::Kind::string) return {};
        out.push_back(item.text());
      }
    }
    return out;
  }

  static Tri from_bool(bool b) { return b ? Tri::yes : Tri::no; }

  // What an environment expression evaluates to for the target: a str (`sys.platform`), an int
  // (`sys.version_info[0]`) or a tuple (`sys.version_info`, `sys.version_info[:2]`).
  struct EnvValue {
    enum class Kind { string, integer, tuple } kind = Kind::string;
    std::string str;
    std::vector<Value> items;  // the tuple's items; one item for an integer
  };

  // Python's ordering of two scalars: -1, 0, 1; 2 when they do not order (int against str).
  static int order_of(const Value& a, const Value& b) {
    if (a.kind() == Value::Kind::integer && b.kind() == Value::Kind::integer && !a.is_big_integer() && !b.is_big_integer()) {
      return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
    }
    if (a.kind() == Value::Kind::string && b.kind() == Value::Kind::string) return a.text() < b.text() ? -1 : a.text() > b.text() ? 1 : 0;
    return 2;
  }

  static Tri apply(TokenKind op, int order) {
    if (order == 2) {
      // Mixed types: == and != still answer, orderings raise TypeError (undecided here).
      if (op == TokenKind::eqequal) return Tri::no;
      if (op == TokenKind::notequal) return Tri::yes;
      return Tri::unknown;
    }
    switch (op) {
      case TokenKind::eqequal: return from_bool(order == 0);
      case TokenKind::notequal: return from_bool(order != 0);
      case TokenKind::less: return from_bool(order < 0);
      case TokenKind::lessequal: return from_bool(order <= 0);
      case TokenKind::greater: return from_bool(order > 0);
      case TokenKind::greaterequal: return from_bool(order >= 0);
      default: return Tri::unknown;
    }
  }

  // `left op right` as Python compares them, tuples item by item.
  static Tri compare(const EnvValue& left, TokenKind op, const Value& right) {
    if (left.kind == EnvValue::Kind::string) {
      if (right.kind() != Value::Kind::string) return apply(op, 2);
      return apply(op, order_of(Value::string(left.str), right));
    }
    if (left.kind == EnvValue::Kind::integer) return apply(op, order_of(left.items.front(), right));
    if (right.kind() != Value::Kind::list) return apply(op, 2);
    const std::vector<Value>& items = right.items();
    const std::size_t n = std::min(left.items.size(), items.size());
    for (std::size_t i = 0; i < n; ++i) {
      const int order = order_of(left.items[i], items[i]);
      if (order == 2) return op == TokenKind::eqequal || op == TokenKind::notequal ? apply(op, 2) : Tri::unknown;
      if (order != 0) return apply(op, order);
    }
    return apply(op, left.items.size() < items.size() ? -1 : left.items.size() > items.size() ? 1 : 0);
  }

  static TokenKind flipped(TokenKind op) {
    switch (op) {
      case TokenKind::less: return TokenKind::greater;
      case TokenKind::lessequal: return TokenKind::greaterequal;
      case TokenKind::greater: return TokenKind::less;
      case TokenKind::greaterequal: return TokenKind::lessequal;
      default: return op;
    }
  }

  // A slice bound or index: a non-negative int literal.
  std::optional<std::int64_t> small_int(const Token& t) const {
    if (t.kind != TokenKind::number) return std::nullopt;
    const Value v = number_value(text(t));
    if (v.kind() != Value::Kind::integer || v.is_big_integer() || v.as_int() < 0) return std::nullopt;
    return v.as_int();
  }

  bool environment_value(Span s, EnvValue& out) const {
    // String methods and slices that platform tests apply: `sys.platform.lower()`, `sys.platform[:3]`.
    if (s.size() > 4 && s[s.size() - 4].kind == TokenKind::dot && s[s.size() - 2].kind == TokenKind::lpar && s.back().kind == TokenKind::rpar &&
        (is_word(s[s.size() - 3], "lower") || is_word(s[s.size() - 3], "upper"))) {
      if (!environment_value(s.first(s.size() - 4), out) || out.kind != EnvValue::Kind::string) return false;
      const bool to_lower = is_word(s[s.size() - 3], "lower");
      for (char& c : out.str) {
        if (to_lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (!to_lower && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return true;
    }
    // Subscripts: `[i]`, `[:j]`, `[i:j]` on a string or on version_info.
    if (s.size() > 3 && s.back().kind == TokenKind::rsqb) {
      std::size_t open = s.size();
      for (std::size_t k = 1; k < s.size(); ++k) {
        if (s[k].kind == TokenKind::lsqb && matching(s, k) == s.size() - 1) {
          open = k;
          break;
        }
      }
      if (open == s.size()) return false;
      const Span index = s.subspan(open + 1, s.size() - open - 2);
      if (!environment_value(s.first(open), out) || out.kind == EnvValue::Kind::integer) return false;
      const std::size_t size = out.kind == EnvValue::Kind::string ? out.str.size() : out.items.size();
      std::optional<std::int64_t> from = 0, to;
      bool slice = false;
      if (index.size() == 1) {
        from = small_int(index[0]);
        if (!from || static_cast<std::size_t>(*from) >= size) return false;
      } else if (index.size() == 2 && index[0].kind == TokenKind::colon) {
        slice = true, to = small_int(index[1]);
      } else if (index.size() == 3 && index[1].kind == TokenKind::colon) {
        slice = true, from = small_int(index[0]), to = small_int(index[2]);
      } else {
        return false;
      }
      if (!from || (slice && !to)) return false;
      const std::size_t begin = std::min(static_cast<std::size_t>(*from), size);
      if (!slice) {
        if (out.kind == EnvValue::Kind::string) {
          out.str = out.str.substr(begin, 1);
        } else {
          const Value item = out.items[begin];
          if (item.kind() == Value::Kind::string) {
            out.kind = EnvValue::Kind::string, out.str = item.text();
          } else {
            out.kind = EnvValue::Kind::integer, out.items = {item};
          }
        }
        return true;
      }
      const std::size_t end = std::max(begin, std::min(static_cast<std::size_t>(*to), size));
      if (out.kind == EnvValue::Kind::string) {
        out.str = out.str.substr(begin, end - begin);
      } else {
        out.items = std::vector<Value>(out.items.begin() + static_cast<std::ptrdiff_t>(begin), out.items.begin() + static_cast<std::ptrdiff_t>(end));
      }
      return true;
    }
    const std::string name = canonical(s);
    if (name == "__name__") {
      out.kind = EnvValue::Kind::string;
      out.str = facts_.name.empty() ? "<module>" : facts_.name;  // an imported module is never __main__
      return true;
    }
    if (!options_.target) return false;
    const TargetEnvironment& env = *options_.target;
    out.kind = EnvValue::Kind::string;
    if (name == "sys.platform") return out.str = env.sys_platform, true;
    if (name == "sys.byteorder") return out.str = env.byteorder, true;
    if (name == "os.name") return out.str = env.os_name, true;
    if (s.size() >= 3 && s[s.size() - 2].kind == TokenKind::lpar && s.back().kind == TokenKind::rpar &&
        canonical(s.first(s.size() - 2)) == "platform.system") {
      return out.str = env.platform_system, true;
    }
    if (name == "sys.version_info") {
      out.kind = EnvValue::Kind::tuple;
      out.items = {Value::integer(env.python_major), Value::integer(env.python_minor), Value::integer(env.python_micro), Value::string("final"),
                   Value::integer(0)};
      return true;
    }
    out.kind = EnvValue::Kind::integer;
    if (name == "sys.version_info.major") return out.items = {Value::integer(env.python_major)}, true;
    if (name == "sys.version_info.minor") return out.items = {Value::integer(env.python_minor)}, true;
    if (name == "sys.version_info.micro") return out.items = {Value::integer(env.python_micro)}, true;
    return false;
  }

  static bool is_comparison(TokenKind k) {
    return k == TokenKind::eqequal || k == TokenKind::notequal || k == TokenKind::less || k == TokenKind::lessequal || k == TokenKind::greater ||
           k == TokenKind::greaterequal;
  }

  // One `left op right` where one side is an environment expression and the other a literal.
  Tri compare_operands(Span left, TokenKind op, Span right) const {
    EnvValue env;
    Span literal_side = right;
    if (!environment_value(left, env)) {
      if (!environment_value(right, env)) return Tri::unknown;
      literal_side = left;
      op = flipped(op);
    }
    const Value other = literal(literal_side, 1, false);
    if (other.is_unknown() || other.kind() == Value::Kind::opaque) return Tri::unknown;
    return compare(env, op, other);
  }

  Tri comparison(Span s) const {
    // `X.startswith(...)` on an environment string
    if (s.size() >= 4 && s.back().kind == TokenKind::rpar) {
      for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (s[i].kind == TokenKind::dot && is_word(s[i + 1], "startswith") && s[i + 2].kind == TokenKind::lpar && matching(s, i + 2) == s.size() - 1) {
          EnvValue env;
          if (!environment_value(s.first(i), env) || env.kind != EnvValue::Kind::string) return Tri::unknown;
          const std::vector<std::string> prefixes = strings_of(s.subspan(i + 3, s.size() - i - 4));
          if (prefixes.empty()) return Tri::unknown;
          return from_bool(std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return env.str.starts_with(p); }));
        }
      }
    }
    // Comparison operators at depth 0: one, or a chain (`a <= X < b` is `a <= X and X < b`).
    std::vector<std::size_t> ops;
    std::size_t membership = s.size();
    top_level(s, [&](std::size_t i) {
      if (is_comparison(s[i].kind)) ops.push_back(i);
      if (is_word(s[i], "in") || is_word(s[i], "is")) membership = i;
      return false;
    });
    if (membership < s.size()) {
      if (!ops.empty() || !is_word(s[membership], "in")) return Tri::unknown;
      const bool negated = membership > 0 && is_word(s[membership - 1], "not");
      EnvValue env;
      if (!environment_value(s.first(negated ? membership - 1 : membership), env) || env.kind != EnvValue::Kind::string) return Tri::unknown;
      const std::vector<std::string> options = strings_of(s.subspan(membership + 1));
      if (options.empty()) return Tri::unknown;
      const bool found = std::find(options.begin(), options.end(), env.str) != options.end();
      return from_bool(found != negated);
    }
    if (ops.empty()) return Tri::unknown;
    Tri result = Tri::yes;
    std::size_t start = 0;
    for (std::size_t k = 0; k < ops.size(); ++k) {
      const std::size_t end = k + 1 < ops.size() ? ops[k + 1] : s.size();
      const Tri t = compare_operands(s.subspan(start, ops[k] - start), s[ops[k]].kind, s.subspan(ops[k] + 1, end - ops[k] - 1));
      if (t == Tri::no) return Tri::no;
      if (t == Tri::unknown) result = Tri::unknown;
      start = ops[k] + 1;
    }
    return result;
  }

  static bool is_type_checking_name(const std::string& name) {
    return name == "TYPE_CHECKING" || name == "typing.TYPE_CHECKING" || name == "t.TYPE_CHECKING";
  }

  // The condition is exactly `TYPE_CHECKING` (bare, `typing.`, `t.`).
  bool is_type_checking(Span s) const {
    while (s.size() > 2 && s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) s = s.subspan(1, s.size() - 2);
    return !s.empty() && is_type_checking_name(dotted(s));
  }

  Tri condition(Span s) const {
    if (s.empty()) return Tri::unknown;
    if (const std::vector<Span> parts = split_top_words(s, "or"); parts.size() > 1) {
      Tri result = Tri::no;
      for (Span part : parts) {
        const Tri t = condition(part);
        if (t == Tri::yes) return Tri::yes;
        if (t == Tri::unknown) result = Tri::unknown;
      }
      return result;
    }
    if (const std::vector<Span> parts = split_top_words(s, "and"); parts.size() > 1) {
      Tri result = Tri::yes;
      for (Span part : parts) {
        const Tri t = condition(part);
        if (t == Tri::no) return Tri::no;
        if (t == Tri::unknown) result = Tri::unknown;
      }
      return result;
    }
    if (is_word(s[0], "not")) return tri_not(condition(s.subspan(1)));
    if (s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) return condition(s.subspan(1, s.size() - 2));
    const std::string name = dotted(s);
    if (is_type_checking(s)) return Tri::no;
    if (s.size() == 1) {
      // A literal, or a name bound above to a known literal (`_mswindows = sys.platform == "win32"`).
      const Value v = literal(s, 0, true);
      switch (v.kind()) {
        case Value::Kind::boolean: return from_bool(v.as_bool());
        case Value::Kind::null: return Tri::no;
        case Value::Kind::integer: return v.is_big_integer() ? Tri::yes : from_bool(v.as_int() != 0);
        case Value::Kind::floating: return from_bool(v.as_float() != 0.0);
        case Value::Kind::string: return from_bool(!v.text().empty());
        case Value::Kind::list: return from_bool(!v.items().empty());
        case Value::Kind::mapping: return from_bool(!v.entries().empty());
        default: return Tri::unknown;
      }
    }
    return comparison(s);
  }

  // The value of an expression that is a bool whatever its operands (a comparison, `not`,
  // `.startswith(...)`), when the condition it states is decided; `and`/`or` are left out: they give
  // one of their operands, not necessarily a bool.
  std::optional<bool> decided_bool(Span s) const {
    while (s.size() > 2 && s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) s = s.subspan(1, s.size() - 2);
    if (s.size() < 2 || find_top_word(s, "and") < s.size() || find_top_word(s, "or") < s.size() || find_top_word(s, "if") < s.size()) return std::nullopt;
    bool shaped = is_word(s[0], "not");
    top_level(s, [&](std::size_t i) {
      if (is_comparison(s[i].kind) || is_word(s[i], "in")) shaped = true;
      return shaped;
    });
    if (!shaped && s.size() >= 4 && s.back().kind == TokenKind::rpar) {
      for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (s[i].kind == TokenKind::dot && is_word(s[i + 1], "startswith") && matching(s, i + 2) == s.size() - 1) shaped = true;
      }
    }
    if (!shaped) return std::nullopt;
    const Tri t = condition(s);
    if (t == Tri::unknown) return std::nullopt;
    return t == Tri::yes;
  }

  std::vector<Span> split_top_words(Span s, std::string_view word) const {
    std::vector<Span> parts;
    std::size_t start = 0;
    top_level(s, [&](std::size_t i) {
      if (is_word(s[i], word)) {
        parts.push_back(s.subspan(start, i - start));
        start = i + 1;
      }
      return false;
    });
    parts.push_back(s.subspan(start));
    return parts;
  }

  // ---- statements ----------------------------------------------------------------------------------

  // Reads statements until the DEDENT that ends the block (consumed) or the end of the file.
  void block_statements(Scope scope, Flow flow, ClassFact* cls, const MethodScan* method, bool top) {
    while (true) {
      if (tok_.kind == TokenKind::end_marker) {
        if (!top) return;
        return;
      }
      if (tok_.kind == TokenKind::dedent) {
        if (top) fail_at(tok_, "unexpected dedent");
        advance();
        return;
      }
      if (tok_.kind == TokenKind::indent) fail_at(tok_, "unexpected indent: expected a statement at the indentation of the block");
      statement(scope, flow, cls, method);
    }
  }

  // The body of a compound statement whose header ended at its colon: the rest of the header line, or
  // the indented block that follows. `dead`: the body never runs (it is still checked token by token).
  // `deferred`: for a dead body, how its import statements are still recorded (none by default).
  void body(Span rest, const Token& header, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method, bool dead, Deferred deferred = {}) {
    if (!rest.empty()) {
      if (!dead) {
        note_dynamic_imports(rest, deferred_in(scope));
        simple_statements(rest, scope, flow, cls, method);
      } else if (deferred.any()) {
        deferred_line(rest, deferred);
      }
      return;
    }
    if (tok_.kind != TokenKind::indent) {
      fail_at(tok_, "expected an indented block after '" + std::string(text(header)) + "' statement on line " + std::to_string(header.line) +
                        ", found " + describe(tok_));
    }
    if (dead) {
      skip_block(deferred);
      return;
    }
    advance();
    if (++depth_ > 200) fail_at(tok_, "too many nested blocks (more than 200)");
    block_statements(scope, flow, cls, method, false);
    --depth_;
  }

  // Index of the colon that ends a compound statement's header.
  std::size_t header_colon(Span line) const {
    const std::size_t colon = find_top(line, TokenKind::colon);
    if (colon == line.size()) fail_at(line.back(), "expected ':' at the end of the '" + std::string(text(line[0])) + "' header, found " + describe(line.back()));
    return colon;
  }

  void statement(Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    // Decorators: kept as text until their definition.
    std::vector<std::string> decorators;
    while (tok_.kind == TokenKind::at) {
      const Span line = read_line();
      decorators.push_back(span_text(line.subspan(1)));
      if (tok_.kind != TokenKind::name && tok_.kind != TokenKind::at) fail_at(tok_, "expected a definition after a decorator, found " + describe(tok_));
    }
    // The line views this depth's buffer: a body's statements are read into the next depth's, and the
    // next line at this depth (an `elif`, the next statement) is read only when this one is done.
    const Span line = read_line();
    if (line.empty()) return;
    if (scope != Scope::method_body) note_dynamic_namespace(line, scope);
    const Token& first = line[0];
    const std::string_view word = first.kind == TokenKind::name ? text(first) : std::string_view();
    const bool is_async = word == "async" && line.size() > 1;
    const std::string_view keyword = is_async ? text(line[1]) : word;
    {
      // A compound statement's header here; its body where it is read (block or same line: body()).
      const bool compound = keyword == "def" || keyword == "class" || keyword == "if" || keyword == "while" || keyword == "for" ||
                            keyword == "with" || keyword == "try";
      note_dynamic_imports(compound ? line.first(find_top(line, TokenKind::colon)) : line, deferred_in(scope));
    }

    if (!decorators.empty() && keyword != "def" && keyword != "class") fail_at(first, "expected 'def' or 'class' after decorators, found " + describe(first));
    if (keyword == "def") return function_def(line, decorators, is_async, scope, flow, cls, method);
    if (keyword == "class") return class_def(line, scope, flow, cls, method);
    if (keyword == "if") return if_chain(line, scope, flow, cls, method);
    if (keyword == "while" || keyword == "for") {
      const std::size_t colon = header_colon(line);
      body(line.subspan(colon + 1), first, scope, Flow{true}, cls, method, false);
      else_clause(scope, Flow{true}, cls, method);
      return;
    }
    if (keyword == "with") {
      const std::size_t colon = header_colon(line);
      return body(line.subspan(colon + 1), first, scope, flow, cls, method, false);
    }
    if (keyword == "try") return try_chain(line, scope, flow, cls, method);
    if (word == "match" && line.size() > 2 && line.back().kind == TokenKind::colon && tok_.kind == TokenKind::indent && find_top(line, TokenKind::equal) == line.size()) {
      return match_block(line, scope, cls, method);
    }
    if (word == "elif" || word == "else" || word == "except" || word == "finally") {
      fail_at(first, "'" + std::string(word) + "' without the statement it continues");
    }
    simple_statements(line, scope, flow, cls, method);
  }

  // Code that runs at import and binds names the source does not show (deny-when-unsure, 0.5 policies):
  // a call of exec, eval, globals, locals, vars, setattr or delattr (not an attribute such as `obj.exec(`,
  // not a definition's name), a star import, `global` in a class body. Function bodies never get here.
  void note_dynamic_namespace(Span line, Scope scope) {
    static constexpr std::string_view kDynamic[] = {"exec", "eval", "globals", "locals", "vars", "setattr", "delattr"};
    constexpr std::size_t kKept = 5;
    if (facts_.dynamic_namespace.size() >= kKept) return;
    const auto note = [&](const Token& at, const std::string& what) {
      facts_.dynamic_namespace.push_back(what + " at line " + std::to_string(at.line));
    };
    if (scope == Scope::class_body && is_word(line[0], "global")) return note(line[0], "`global` in a class body");
    for (std::size_t i = 0; i < line.size(); ++i) {
      const Token& t = line[i];
      if (t.kind == TokenKind::star && i > 0 && is_word(line[i - 1], "import")) return note(t, "`import *`");
      if (t.kind != TokenKind::name) continue;
      const std::string_view word = text(t);
      const bool called = i + 1 < line.size() && line[i + 1].kind == TokenKind::lpar;
      const bool after_dot = i > 0 && line[i - 1].kind == TokenKind::dot;
      const bool dynamic = std::find(std::begin(kDynamic), std::end(kDynamic), word) != std::end(kDynamic);
      // The module object or a frame's globals reached at import: `sys.modules[__name__]`, `sys._getframe()`,
      // `inspect.currentframe()`, `.f_globals`; the builtins reached by name; `importlib.reload(...)`.
      if (word == "modules" && after_dot && i + 2 < line.size() && line[i + 1].kind == TokenKind::lsqb && is_word(line[i + 2], "__name__")) {
        return note(t, "`sys.modules[__name__]`");
      }
      if ((word == "_getframe" || word == "currentframe") && called) return note(t, "`" + std::string(word) + "()`");
      if ((word == "f_globals" || word == "f_locals") && after_dot) return note(t, "a frame's `" + std::string(word) + "`");
      if (word == "__builtins__" && !after_dot) return note(t, "`__builtins__`");
      if (word == "builtins" && !after_dot && i + 2 < line.size() && line[i + 1].kind == TokenKind::dot &&
          std::find(std::begin(kDynamic), std::end(kDynamic), text(line[i + 2])) != std::end(kDynamic)) {
        return note(t, "`builtins." + std::string(text(line[i + 2])) + "`");
      }
      if (word == "reload" && called) return note(t, "`reload(...)`");
      if (!dynamic || after_dot || (i > 0 && (is_word(line[i - 1], "def") || is_word(line[i - 1], "class")))) continue;
      if (called) return note(t, "`" + std::string(word) + "(...)`");
      // `e = exec`, `from builtins import exec as run`: called later under another name. Not a keyword
      // argument or an assignment's target (`f(eval=True)`, `vars = {}`).
      if (i + 1 < line.size() && line[i + 1].kind == TokenKind::equal) continue;
      return note(t, "`" + std::string(word) + "` used as a value");
    }
  }

  // ---- imports by code ----------------------------------------------------------------------------
  // A call that imports a module by its name (`__import__("x")`, `importlib.import_module("x")` or
  // `importlib.__import__("x")`, through an alias of importlib or of the function) is an import when
  // the name is a literal: an ImportFact with the `deferred` flags of where the call runs. Any other
  // import by code (a computed name, the builtins' `__import__`, `getattr(importlib, ...)`, exec and
  // eval, runpy, imp, a loader) is an UnknownImport: an import rule cannot be verified against it.

  // The tokens of one logical line of a skipped block (a function body), read a token at a time by
  // skip_block; scanned when the line ends. Only lines that could call something are kept.
  void skipped_line(Deferred deferred) {
    const TokenKind k = tok_.kind;
    if (k == TokenKind::newline || k == TokenKind::indent || k == TokenKind::dedent || k == TokenKind::end_marker) {
      if (!skipped_.empty()) {
        const Span line(skipped_);
        note_dynamic_imports(line, deferred);
        if (deferred.lazy && is_word(line[0], "global")) note_function_global(line);
        skipped_.clear();
      }
      return;
    }
    if (k == TokenKind::comment || k == TokenKind::nl) return;
    if (skipped_.size() < 100000) skipped_.push_back(tok_);
  }

  // `global a, b` in a function body: when the function runs (at import, perhaps) it may rebind them.
  void note_function_global(Span line) {
    for (std::size_t i = 1; i < line.size() && function_globals_.size() < 10000; ++i) {
      if (line[i].kind == TokenKind::name) function_globals_.emplace_back(std::string(text(line[i])), static_cast<int>(line[i].line));
      if (line[i].kind == TokenKind::semi) break;
    }
  }

  // A definition whose name some function declares `global` may be rebound when that function runs: a
  // rule on it is unverifiable (ImportSpy cannot know whether the function runs at import).
  void mark_function_globals() {
    for (const auto& [name, line] : function_globals_) {
      const std::string why = "a function declares `global " + name + "` (line " + std::to_string(line) + ") and may rebind it when it runs";
      for (auto& v : facts_.variables) {
        if (v.name == name && v.unverifiable.empty()) v.unverifiable = why;
      }
      for (auto& f : facts_.functions) {
        if (f.name == name && f.unverifiable.empty()) f.unverifiable = why;
      }
      for (auto& c : facts_.classes) {
        if (c.name == name && c.unverifiable.empty()) c.unverifiable = why;
      }
    }
  }

  // A decorator may bind the name to another object than the function: one the reader does not know
  // to return the function itself (or a descriptor of it) makes the function unverifiable.
  static void note_unknown_decorators(FunctionFact& fact, const std::vector<std::string>& decorators) {
    static constexpr std::string_view kKnown[] = {"staticmethod", "classmethod", "property", "functools.cached_property", "cached_property",
                                                  "abstractmethod", "abc.abstractmethod", "final", "typing.final", "override", "typing.override",
                                                  "typing_extensions.final", "typing_extensions.override"};
    for (const std::string& decorator : decorators) {
      const std::string name = decorator.substr(0, decorator.find('('));
      const bool accessor = name.ends_with(".setter") || name.ends_with(".getter") || name.ends_with(".deleter");
      if (accessor || std::find(std::begin(kKnown), std::end(kKnown), name) != std::end(kKnown)) continue;
      if (fact.unverifiable.empty()) fact.unverifiable = "decorated by `@" + decorator + "`, which may bind the name to another object";
      return;
    }
  }

  // The names import statements bound so far to importlib, builtins or imp (`import importlib as il`),
  // or to an import function (`from importlib import import_module as im`): the imports recorded since
  // the last call are added, so each is looked at once.
  void refresh_import_aliases() {
    for (; aliases_seen_ < facts_.imports.size(); ++aliases_seen_) {
      const ImportFact& fact = facts_.imports[aliases_seen_];
      if (fact.alias.empty()) continue;
      if (fact.name.empty()) {
        if (fact.module == "importlib") import_aliases_.modules[fact.alias] = 'L';
        if (fact.module == "builtins") import_aliases_.modules[fact.alias] = 'B';
        if (fact.module == "imp") import_aliases_.modules[fact.alias] = 'I';
      } else if (fact.module == "importlib" && (fact.name == "import_module" || fact.name == "__import__")) {
        import_aliases_.functions[fact.alias] = fact.name;
      }
    }
  }

  char module_alias(std::string_view word) {
    refresh_import_aliases();
    if (import_aliases_.modules.empty()) return 0;
    const auto it = import_aliases_.modules.find(std::string(word));
    return it == import_aliases_.modules.end() ? 0 : it->second;
  }

  // `import_module` or `__import__` when `word` names importlib's function of that name; empty otherwise.
  std::string import_function(std::string_view word) {
    refresh_import_aliases();
    if (import_aliases_.functions.empty()) return {};
    const auto it = import_aliases_.functions.find(std::string(word));
    return it == import_aliases_.functions.end() ? std::string() : it->second;
  }

  bool names_importlib(const Token& t) {
    if (t.kind != TokenKind::name) return false;
    const std::string_view word = text(t);
    return word == "importlib" || module_alias(word) == 'L';
  }

  bool names_builtins(const Token& t) {
    if (t.kind != TokenKind::name) return false;
    const std::string_view word = text(t);
    return word == "__builtins__" || word == "builtins" || module_alias(word) == 'B';
  }

  void unknown_import(Span line, std::size_t from, std::size_t to, std::string reason) {
    if (facts_.unknown_imports.size() >= 20) return;
    facts_.unknown_imports.push_back(UnknownImport{span_text(line.subspan(from, std::min(to, line.size() - 1) - from + 1)), std::move(reason),
                                                   static_cast<int>(line[from].line)});
  }

  // One argument of a call: positional `index`, or the keyword `keyword`. Empty when absent.
  std::optional<Span> argument(const std::vector<Span>& args, std::size_t index, std::string_view keyword) const {
    std::size_t positional = 0;
    for (Span arg : args) {
      if (arg.size() >= 2 && arg[0].kind == TokenKind::name && arg[1].kind == TokenKind::equal) {
        if (text(arg[0]) == keyword) return arg.subspan(2);
        continue;
      }
      if (!arg.empty() && (arg[0].kind == TokenKind::star || arg[0].kind == TokenKind::doublestar)) return Span();  // unpacked: unknown
      if (positional++ == index) return arg;
    }
    return std::nullopt;
  }

  std::optional<std::string> literal_string(Span s) const {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](const Token& t) { return t.kind == TokenKind::string; })) return std::nullopt;
    const Value v = strings_value(s, src_);
    if (v.kind() != Value::Kind::string) return std::nullopt;
    return v.text();
  }

  static bool is_module_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
      return c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c & 0x80);
    });
  }

  // `import_module(name, package)`: a relative name resolved against a literal package, as importlib does.
  static std::optional<std::string> resolve_import_module(const std::string& name, const std::optional<std::string>& package) {
    if (!name.starts_with('.')) return is_module_name(name) ? std::optional(name) : std::nullopt;
    if (!package || !is_module_name(*package)) return std::nullopt;
    const std::size_t level = name.find_first_not_of('.') == std::string::npos ? name.size() : name.find_first_not_of('.');
    std::string base = *package;
    for (std::size_t up = 1; up < level; ++up) {
      const std::size_t dot = base.rfind('.');
      if (dot == std::string::npos) return std::nullopt;  // beyond the top-level package: ImportError
      base.resize(dot);
    }
    const std::string rest = name.substr(level);
    if (rest.empty()) return base;
    return is_module_name(rest) ? std::optional(base + "." + rest) : std::nullopt;
  }

  static Deferred deferred_in(Scope scope) { return scope == Scope::method_body ? kLazy : scope == Scope::class_body ? kInClassBody : Deferred{}; }

  void note_dynamic_imports(Span line, Deferred deferred) {
    static constexpr std::string_view kLoaders[] = {"run_module", "run_path", "spec_from_file_location", "spec_from_loader", "module_from_spec",
                                                    "exec_module", "load_module", "load_source", "load_compiled", "load_dynamic", "load_package",
                                                    "SourceFileLoader", "SourcelessFileLoader", "ExtensionFileLoader", "resolve_name", "find_and_load"};
    // A `def` line's body runs when the function is called: only its header (defaults, annotations) runs here.
    if (!line.empty() && (is_word(line[0], "def") || (is_word(line[0], "async") && line.size() > 1 && is_word(line[1], "def")))) {
      const std::size_t colon = find_top(line, TokenKind::colon);
      if (colon < line.size()) {
        note_dynamic_imports(line.first(colon), deferred);
        Deferred lazy = kLazy;
        lazy.type_checking = deferred.type_checking;
        note_dynamic_imports(line.subspan(colon + 1), lazy);
        return;
      }
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      const Token& t = line[i];
      if (t.kind != TokenKind::name) continue;
      const bool after_dot = i > 0 && line[i - 1].kind == TokenKind::dot;
      const bool called = i + 1 < line.size() && line[i + 1].kind == TokenKind::lpar;
      const std::string_view word = text(t);
      if (!after_dot && names_builtins(t) && i + 1 < line.size() && (line[i + 1].kind == TokenKind::dot || line[i + 1].kind == TokenKind::lsqb) &&
          !(i > 0 && (is_word(line[i - 1], "import") || is_word(line[i - 1], "from")))) {
        const std::size_t end = line[i + 1].kind == TokenKind::lsqb ? matching(line, i + 1) : i + 2 < line.size() ? i + 2 : i + 1;
        const std::string_view member =
            line[i + 1].kind == TokenKind::dot && i + 2 < line.size() && line[i + 2].kind == TokenKind::name ? text(line[i + 2]) : std::string_view();
        if (line[i + 1].kind == TokenKind::lsqb || member == "__import__" || member == "exec" || member == "eval") {
          unknown_import(line, i, end, "the builtins reached by name can import any module");
        }
        continue;
      }
      if (!called || (i > 0 && (is_word(line[i - 1], "def") || is_word(line[i - 1], "class")))) continue;
      const std::size_t close = matching(line, i + 1);
      const std::vector<Span> args = split_top(line.subspan(i + 2, close - i - 2), TokenKind::comma);
      // The callee: `NAME(`, or `OWNER.NAME(` with OWNER a plain name.
      const bool owner_importlib = after_dot && i >= 2 && names_importlib(line[i - 2]) && !(i >= 3 && line[i - 3].kind == TokenKind::dot);
      const std::size_t start = owner_importlib ? i - 2 : i;
      if (!after_dot && (word == "exec" || word == "eval")) {
        unknown_import(line, i, close, "`" + std::string(word) + "` runs code that can import any module");
        continue;
      }
      if (!after_dot && word == "getattr" && !args.empty() && args[0].size() == 1 && (names_importlib(args[0][0]) || names_builtins(args[0][0]))) {
        unknown_import(line, i, close, "an import function reached through `getattr`");
        continue;
      }
      if (std::find(std::begin(kLoaders), std::end(kLoaders), word) != std::end(kLoaders)) {
        unknown_import(line, start, close, "a loader imports a module the source does not name");
        continue;
      }
      if (after_dot && i >= 2 && line[i - 2].kind == TokenKind::name && (text(line[i - 2]) == "imp" || module_alias(text(line[i - 2])) == 'I')) {
        if (word != "reload") unknown_import(line, i - 2, close, "the `imp` module imports a module the source does not name");
        continue;
      }
      const std::string function = after_dot ? std::string() : import_function(word);
      const bool builtin_import = !after_dot && word == "__import__" && function.empty();
      const bool importlib_import = (owner_importlib && (word == "import_module" || word == "__import__")) || !function.empty();
      if (after_dot && word == "__import__" && !owner_importlib && !(i >= 2 && names_builtins(line[i - 2]))) {
        unknown_import(line, i, close, "`__import__` of another object than the builtins");
        continue;
      }
      if (!builtin_import && !importlib_import) continue;
      const bool is_import_module = owner_importlib ? word == "import_module" : function == "import_module";
      const std::optional<Span> name_arg = argument(args, 0, "name");
      const std::optional<std::string> name = name_arg ? literal_string(*name_arg) : std::nullopt;
      if (!name) {
        unknown_import(line, start, close, "the module's name is computed, not a literal");
        continue;
      }
      const int at = static_cast<int>(t.line);
      const std::size_t first = facts_.imports.size();
      if (is_import_module) {
        const std::optional<Span> package_arg = argument(args, 1, "package");
        const std::optional<std::string> package = package_arg ? literal_string(*package_arg) : std::nullopt;
        const std::optional<std::string> module = resolve_import_module(*name, package);
        if (!module || (package_arg && !package)) {
          unknown_import(line, start, close, "a relative name whose package is not a literal, or not a module name");
          continue;
        }
        facts_.imports.push_back({*module, "", "", at});
      } else {
        // `__import__(name, globals, locals, fromlist, level)`: `level` makes it relative; `fromlist`
        // imports the submodules it names.
        const std::optional<Span> level_arg = argument(args, 4, "level");
        std::int64_t level = 0;
        if (level_arg) {
          const Value v = level_arg->empty() ? Value::unknown("unpacked") : literal(*level_arg, 1, false);
          if (v.kind() != Value::Kind::integer || v.as_int() < 0 || v.as_int() > 100) {
            unknown_import(line, start, close, "the import's level is computed, not a literal");
            continue;
          }
          level = v.as_int();
        }
        if (!is_module_name(*name) && !(level > 0 && name->empty())) {
          unknown_import(line, start, close, "the module's name is not a module name");
          continue;
        }
        const std::string module = std::string(static_cast<std::size_t>(level), '.') + *name;
        const std::optional<Span> fromlist_arg = argument(args, 3, "fromlist");
        std::vector<std::string> fromlist;
        if (fromlist_arg) {
          const Value v = fromlist_arg->empty() ? Value::unknown("unpacked") : literal(*fromlist_arg, 1, false);
          bool known = v.kind() == Value::Kind::null || v.kind() == Value::Kind::list;
          if (known && v.kind() != Value::Kind::null) {
            for (const Value& item : v.items()) {
              if (item.kind() != Value::Kind::string) known = false;
              else fromlist.push_back(item.text());
            }
          }
          if (!known) {
            unknown_import(line, start, close, "the names it imports from the module are computed");
            continue;
          }
        }
        if (fromlist.empty() || level > 0) facts_.imports.push_back({module, "", "", at});
        for (const std::string& item : fromlist) {
          if (item != "*") facts_.imports.push_back({module, item, "", at});
        }
      }
      for (std::size_t k = first; k < facts_.imports.size(); ++k) {
        facts_.imports[k].lazy = deferred.lazy;
        facts_.imports[k].type_checking = deferred.type_checking;
        facts_.imports[k].in_class = deferred.in_class;
      }
    }
  }

  void else_clause(Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    if (!is_word(tok_, "else")) return;
    const Span header = read_line();
    const std::size_t colon = header_colon(header);
    body(header.subspan(colon + 1), header[0], scope, flow, cls, method, false);
  }

  void if_chain(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    bool taken = false, maybe = false;
    Span h = line;
    while (true) {
      const bool is_else = is_word(h[0], "else");
      const std::size_t colon = header_colon(h);
      const Tri t = is_else ? Tri::yes : condition(h.subspan(1, colon - 1));
      const bool dead = taken || t == Tri::no;
      Flow branch = flow;
      if (!dead && (t == Tri::unknown || maybe)) branch.conditional = true;
      Deferred deferred;  // what a dead branch's imports are recorded as
      if (scope == Scope::method_body) {
        deferred = kLazy;
      } else if (scope == Scope::module && !is_else && is_type_checking(h.subspan(1, colon - 1))) {
        deferred = kTypeChecking;
      }
      body(h.subspan(colon + 1), h[0], scope, branch, cls, method, dead, deferred);
      if (t == Tri::yes) taken = true;
      if (t == Tri::unknown) maybe = true;
      if (is_else || !(is_word(tok_, "elif") || is_word(tok_, "else"))) return;
      h = read_line();
    }
  }

  void try_chain(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    Span h = line;
    while (true) {
      const std::size_t colon = header_colon(h);
      // The try body may stop at any statement; handlers and else may not run: all conditional.
      // `finally` always runs.
      const bool is_finally = is_word(h[0], "finally");
      body(h.subspan(colon + 1), h[0], scope, is_finally ? flow : Flow{true}, cls, method, false);
      if (!(is_word(tok_, "except") || is_word(tok_, "else") || is_word(tok_, "finally"))) return;
      h = read_line();
    }
  }

  void match_block(Span line, Scope scope, ClassFact* cls, const MethodScan* method) {
    // `match subject:` then one `case pattern [if guard]:` clause per line, each a conditional body.
    advance();  // INDENT
    while (tok_.kind != TokenKind::dedent && tok_.kind != TokenKind::end_marker) {
      const Span header = read_line();
      if (header.empty() || !is_word(header[0], "case")) fail_at(header.empty() ? tok_ : header[0], "expected 'case' in a match statement");
      const std::size_t colon = header_colon(header);
      body(header.subspan(colon + 1), header[0], scope, Flow{true}, cls, method, false);
    }
    if (tok_.kind == TokenKind::dedent) advance();
    (void)line;
  }

  // ---- definitions ---------------------------------------------------------------------------------

  void function_def(Span line, const std::vector<std::string>& decorators, bool is_async, Scope scope, Flow flow, ClassFact* cls,
                    const MethodScan* method) {
    std::size_t i = is_async ? 2 : 1;
    if (i >= line.size() || line[i].kind != TokenKind::name) fail_at(line[std::min(i, line.size() - 1)], "expected a function name after 'def'");
    const Token& name_token = line[i++];
    if (i < line.size() && line[i].kind == TokenKind::lsqb) i = matching(line, i) + 1;  // PEP 695 type parameters
    if (i >= line.size() || line[i].kind != TokenKind::lpar) fail_at(line[std::min(i, line.size() - 1)], "expected '(' after the function name");
    const std::size_t close = matching(line, i);
    const Span parameters = line.subspan(i + 1, close - i - 1);
    std::size_t colon = close + 1;
    std::optional<std::string> returns;
    if (colon < line.size() && line[colon].kind == TokenKind::rarrow) {
      const Span rest = line.subspan(colon + 1);
      const std::size_t end = find_top(rest, TokenKind::colon);
      returns = annotation_text(rest.first(end));
      colon = colon + 1 + end;
    }
    if (colon >= line.size() || line[colon].kind != TokenKind::colon) {
      fail_at(line[std::min(colon, line.size() - 1)], "expected ':' after the function signature, found " + describe(line[std::min(colon, line.size() - 1)]));
    }
    const Span rest = line.subspan(colon + 1);

    if (scope == Scope::method_body) return body(rest, line[0], scope, flow, cls, method, true, kLazy);  // a nested function: skipped

    FunctionFact fact;
    fact.name = std::string(text(name_token));
    fact.is_async = is_async;
    fact.line = static_cast<int>(line[is_async ? 1 : 0].line);
    fact.return_annotation = returns;
    fact.kind = scope == Scope::class_body ? CallableKind::method : CallableKind::function;
    if (scope == Scope::class_body) {
      for (const std::string& decorator : decorators) {
        const std::string name = decorator.substr(0, decorator.find('('));
        if (name == "staticmethod") {
          fact.kind = CallableKind::static_method;
        } else if (name == "classmethod") {
          fact.kind = CallableKind::class_method;
        } else if (name == "property" || name.ends_with("cached_property") || name.ends_with(".setter") || name.ends_with(".getter") ||
                   name.ends_with(".deleter")) {
          fact.kind = CallableKind::property;
        }
      }
    }
    fact.parameters = signature(parameters);
    note_unknown_decorators(fact, decorators);

    if (scope == Scope::module) {
      body(rest, line[0], scope, flow, cls, method, true, kLazy);
      bind_function(std::move(fact), flow.conditional);
      return;
    }
    // A method: its body is read for `self.x = ...` (not in static methods), then it is bound.
    fact.name = mangle_private(fact.name, cls->name);
    if (fact.kind != CallableKind::static_method && !fact.parameters.empty() && fact.parameters.front().kind != ParameterKind::var_positional &&
        fact.parameters.front().kind != ParameterKind::var_keyword) {
      MethodScan scan{fact.parameters.front().name, cls};
      body(rest, line[0], Scope::method_body, Flow{fact.name != "__init__"}, cls, &scan, false);
    } else {
      body(rest, line[0], scope, flow, cls, method, true, kLazy);
    }
    if (fact.kind == CallableKind::property && find_at(cls->methods, class_members_.methods, fact.name)) return;  // the getter defines it; setters follow
    remove_attribute(*cls, fact.name, flow.conditional);
    const std::string name = fact.name;
    bind_at(cls->methods, class_members_.methods, name, std::move(fact), flow.conditional);
  }

  std::vector<ParameterFact> signature(Span parameters) const {
    std::vector<ParameterFact> out;
    std::vector<Span> parts = split_top(parameters, TokenKind::comma);
    if (!parts.empty() && parts.back().empty()) parts.pop_back();
    bool keyword_only = false;
    for (Span part : parts) {
      if (part.empty()) continue;
      if (part.size() == 1 && part[0].kind == TokenKind::slash) {
        for (auto& p : out) p.kind = ParameterKind::positional_only;
        continue;
      }
      if (part.size() == 1 && part[0].kind == TokenKind::star) {
        keyword_only = true;
        continue;
      }
      ParameterFact p;
      std::size_t i = 0;
      if (part[0].kind == TokenKind::star) {
        p.kind = ParameterKind::var_positional;
        keyword_only = true;
        i = 1;
      } else if (part[0].kind == TokenKind::doublestar) {
        p.kind = ParameterKind::var_keyword;
        i = 1;
      } else {
        p.kind = keyword_only ? ParameterKind::keyword_only : ParameterKind::positional_or_keyword;
      }
      if (i >= part.size() || part[i].kind != TokenKind::name) fail_at(part[std::min(i, part.size() - 1)], "expected a parameter name, found " + describe(part[std::min(i, part.size() - 1)]));
      p.name = std::string(text(part[i]));
      const Span rest = part.subspan(i + 1);
      const std::size_t equal = find_top(rest, TokenKind::equal);
      if (!rest.empty() && rest[0].kind == TokenKind::colon) p.annotation = annotation_text(rest.subspan(1, equal - 1));
      if (equal < rest.size()) p.default_value = literal(rest.subspan(equal + 1), 0, true);
      out.push_back(std::move(p));
    }
    return out;
  }

  void class_def(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    if (line.size() < 2 || line[1].kind != TokenKind::name) fail_at(line[std::min<std::size_t>(1, line.size() - 1)], "expected a class name after 'class'");
    const std::size_t colon = header_colon(line);
    const Span rest = line.subspan(colon + 1);
    if (scope != Scope::module) return body(rest, line[0], scope, flow, cls, method, true, scope == Scope::method_body ? kLazy : Deferred{});  // nested classes: not read

    ClassFact fact;
    fact.name = std::string(text(line[1]));
    fact.line = static_cast<int>(line[0].line);
    std::size_t i = 2;
    if (i < line.size() && line[i].kind == TokenKind::lsqb) i = matching(line, i) + 1;  // PEP 695 type parameters
    if (i < line.size() && line[i].kind == TokenKind::lpar) {
      const std::size_t close = matching(line, i);
      std::vector<Span> arguments = split_top(line.subspan(i + 1, close - i - 1), TokenKind::comma);
      for (Span argument : arguments) {
        if (argument.empty() || argument[0].kind == TokenKind::star || argument[0].kind == TokenKind::doublestar) continue;
        if (argument.size() > 1 && argument[0].kind == TokenKind::name && argument[1].kind == TokenKind::equal) continue;  // metaclass=, keywords
        Span base = argument;
        if (base.back().kind == TokenKind::rsqb) {
          for (std::size_t k = 1; k < base.size(); ++k) {
            if (base[k].kind == TokenKind::lsqb && matching(base, k) == base.size() - 1) {
              base = base.first(k);  // Generic[T] → Generic
              break;
            }
          }
        }
        fact.superclasses.push_back({span_text(base), ""});
      }
    }
    class_members_ = {};
    body(rest, line[0], Scope::class_body, Flow{}, &fact, nullptr, false);
    compact(fact.methods);
    compact(fact.attributes);
    bind_class(std::move(fact), flow.conditional);
  }

  // ---- simple statements ---------------------------------------------------------------------------

  void simple_statements(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    if (find_top(line, TokenKind::semi) == line.size()) return simple_statement(line, scope, flow, cls, method);  // the usual case
    for (Span s : split_top(line, TokenKind::semi)) {
      if (!s.empty()) simple_statement(s, scope, flow, cls, method);
    }
  }

  static bool is_augmented(TokenKind k) { return k >= TokenKind::plusequal && k <= TokenKind::doubleslashequal; }

  void simple_statement(Span s, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    const int line = static_cast<int>(s[0].line);
    if (scope == Scope::module) {
      if (is_word(s[0], "import")) return import_names(s.subspan(1), s[0], line);
      if (is_word(s[0], "from") && find_top_word(s, "import") < s.size()) return import_from(s, line);
      if (is_word(s[0], "del")) return delete_names(s.subspan(1), flow, nullptr);
      if (is_word(s[0], "type") && s.size() > 2 && s[1].kind == TokenKind::name && (s[2].kind == TokenKind::equal || s[2].kind == TokenKind::lsqb)) {
        return set_variable(std::string(text(s[1])), Value::unknown("a type alias"), std::nullopt, line, flow.conditional);
      }
    } else if (scope == Scope::class_body && is_word(s[0], "del")) {
      return delete_names(s.subspan(1), flow, cls);
    } else if (scope == Scope::class_body && (is_word(s[0], "import") || is_word(s[0], "from"))) {
      return import_statement(s, kInClassBody);
    } else if (scope == Scope::method_body && (is_word(s[0], "import") || is_word(s[0], "from"))) {
      return import_statement(s, kLazy);
    }
    // Assignment forms.
    std::size_t annotation_colon = s.size(), first_equal = s.size(), augmented = s.size();
    top_level(s, [&](std::size_t i) {
      const TokenKind k = s[i].kind;
      if (k == TokenKind::colon && annotation_colon == s.size() && first_equal == s.size()) annotation_colon = i;
      if (k == TokenKind::equal && first_equal == s.size()) first_equal = i;
      if (is_augmented(k) && augmented == s.size()) augmented = i;
      return false;
    });
    if (annotation_colon < s.size()) {
      const Span target = s.first(annotation_colon);
      const Span annotation = s.subspan(annotation_colon + 1, first_equal - annotation_colon - 1);
      const std::optional<Span> value = first_equal < s.size() ? std::optional<Span>(s.subspan(first_equal + 1)) : std::nullopt;
      return annotated(target, annotation_text(annotation), value, scope, flow, cls, method, line);
    }
    if (augmented < s.size()) {
      const Span target = s.first(augmented);
      if (scope == Scope::method_body) return self_target(target, std::nullopt, *method, true, std::nullopt, line);
      changed_through(target, scope, cls);
      if (target.size() == 1 && target[0].kind == TokenKind::name) {
        const std::string name(text(target[0]));
        if (scope == Scope::module) set_variable(name, Value::unknown("changed by an augmented assignment"), std::nullopt, line, flow.conditional);
        if (scope == Scope::class_body) set_attribute(*cls, mangle_private(name, cls->name), AttributeKind::class_attribute, Value::unknown("changed by an augmented assignment"), std::nullopt, line);
      }
      return;
    }
    if (first_equal < s.size()) {
      const std::vector<Span> parts = split_top(s, TokenKind::equal);
      const Span value = parts.back();
      const std::span<const Span> targets(parts.data(), parts.size() - 1);
      if (scope == Scope::method_body) {
        for (Span target : targets) self_target(target, value, *method, flow.conditional, std::nullopt, line);
        return;
      }
      return assignment(targets, value, scope, flow, cls, line);
    }
    if (scope == Scope::module && s.size() >= 4 && s.back().kind == TokenKind::rpar) {
      // `registry.update(...)`, `items.append(...)`: the value assigned above is no longer the value.
      if (s[0].kind == TokenKind::name && s[1].kind == TokenKind::dot && s[2].kind == TokenKind::name && s[3].kind == TokenKind::lpar &&
          matching(s, 3) == s.size() - 1) {
        mark_changed(std::string(text(s[0])));
      }
    }
  }

  void annotated(Span target, const std::string& annotation, std::optional<Span> value, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method,
                 int line) {
    if (scope == Scope::method_body) return self_target(target, value, *method, flow.conditional || !value, annotation, line);
    changed_through(target, scope, cls);
    const bool simple = target.size() == 1 && target[0].kind == TokenKind::name;
    if (!simple) return;
    const std::string name(text(target[0]));
    if (scope == Scope::module) {
      if (!value) return;  // `x: int` binds nothing
      set_variable(name, flow.conditional ? Value::unknown("assigned conditionally") : literal(*value, 0, true), annotation, line, flow.conditional);
      return;
    }
    const std::string attribute = mangle_private(name, cls->name);
    const bool class_var = annotation.find("ClassVar") != std::string::npos;
    if (!value) {
      set_attribute(*cls, attribute, class_var ? AttributeKind::class_attribute : AttributeKind::instance_attribute, Value::unknown("declared without a value"),
                    annotation, line);
    } else {
      set_attribute(*cls, attribute, AttributeKind::class_attribute, flow.conditional ? Value::unknown("assigned conditionally") : literal(*value, 0, false),
                    annotation, line);
    }
  }

  void assignment(std::span<const Span> targets, Span value, Scope scope, Flow flow, ClassFact* cls, int line) {
    if (scope == Scope::class_body) {
      // `getstate = setstate = _notimplemented`: another name for a method of this class is a method.
      // Copied before any insertion: the methods vector may grow while the aliases are added.
      std::optional<FunctionFact> aliased;
      if (value.size() == 1 && value[0].kind == TokenKind::name) {
        if (const FunctionFact* m = find_at(cls->methods, class_members_.methods, mangle_private(text(value[0]), cls->name))) aliased = *m;
      }
      for (Span target : targets) {
        if (target.size() == 1 && target[0].kind == TokenKind::name) {
          const std::string name = mangle_private(text(target[0]), cls->name);
          if (aliased) {
            FunctionFact alias = *aliased;
            alias.name = name;
            remove_attribute(*cls, name, flow.conditional);
            bind_at(cls->methods, class_members_.methods, name, std::move(alias), flow.conditional);
          } else {
            if (!flow.conditional) unbind_at(cls->methods, class_members_.methods, name);
            set_attribute(*cls, name, AttributeKind::class_attribute, flow.conditional ? Value::unknown("assigned conditionally") : literal(value, 0, false),
                          std::nullopt, line);
          }
        } else {
          class_unpack(target, value, flow, *cls, line);
        }
      }
      return;
    }
    // `load = _load`: another name for a function of this module is that function, as at run time.
    std::optional<FunctionFact> aliased;
    if (value.size() == 1 && value[0].kind == TokenKind::name) {
      if (const FunctionFact* f = find_at(facts_.functions, function_at_, std::string(text(value[0])))) aliased = *f;
    }
    if (aliased) {
      for (Span target : targets) {
        if (target.size() == 1 && target[0].kind == TokenKind::name && !is_dunder(text(target[0]))) {
          FunctionFact alias = *aliased;
          alias.name = std::string(text(target[0]));
          bind_function(std::move(alias), flow.conditional);
        } else {
          module_target(target, value, flow, line);
        }
      }
      return;
    }
    // `a = b = {}`: one mutable object under two names; a change through either is invisible here.
    const bool shared = targets.size() > 1 && !value.empty() && (value[0].kind == TokenKind::lsqb || value[0].kind == TokenKind::lbrace) &&
                        matching(value, 0) == value.size() - 1;
    for (Span target : targets) {
      module_target(target, value, flow, line);
      if (shared && target.size() == 1 && target[0].kind == TokenKind::name) mark_changed(std::string(text(target[0])));
      changed_through(target, scope, cls);
    }
  }

  // The elements of a target list or value tuple: `a, b`, `(a, b)`, `[a, b]`.
  std::optional<std::vector<Span>> elements(Span s) const {
    if (s.empty()) return std::nullopt;
    if (find_top(s, TokenKind::comma) < s.size()) {
      std::vector<Span> parts = split_top(s, TokenKind::comma);
      if (parts.back().empty()) parts.pop_back();
      return parts;
    }
    if ((s[0].kind == TokenKind::lpar || s[0].kind == TokenKind::lsqb) && matching(s, 0) == s.size() - 1) {
      const Span inner = s.subspan(1, s.size() - 2);
      if (inner.empty()) return std::vector<Span>{};
      if (find_top(inner, TokenKind::comma) == inner.size() && s[0].kind == TokenKind::lpar) return std::nullopt;  // `(a)` is `a`
      if (find_top_word(inner, "for") < inner.size()) return std::nullopt;
      std::vector<Span> parts = split_top(inner, TokenKind::comma);
      if (parts.back().empty()) parts.pop_back();
      return parts;
    }
    return std::nullopt;
  }

  static Span unparenthesized(Span s) {
    while (s.size() > 2 && s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) s = s.subspan(1, s.size() - 2);
    return s;
  }

  void module_target(Span target, std::optional<Span> value, Flow flow, int line) {
    target = unparenthesized(target);
    if (target.size() == 1 && target[0].kind == TokenKind::name) {
      Value v = !value || flow.conditional ? Value::unknown(value ? "assigned conditionally" : "unpacked from another value") : literal(*value, 0, true);
      if (v.is_unknown() && value && !flow.conditional) {
        if (const std::optional<bool> b = decided_bool(*value)) v = Value::boolean(*b);
      }
      set_variable(std::string(text(target[0])), v, std::nullopt, line, flow.conditional);
      return;
    }
    if (target.size() == 2 && target[0].kind == TokenKind::star && target[1].kind == TokenKind::name) {
      set_variable(std::string(text(target[1])), Value::unknown("unpacked from another value"), std::nullopt, line, flow.conditional);
      return;
    }
    const auto names = elements(target);
    if (!names) return;
    const auto values = value ? elements(*value) : std::nullopt;
    const bool pairwise = values && values->size() == names->size();
    for (std::size_t i = 0; i < names->size(); ++i) module_target((*names)[i], pairwise ? std::optional<Span>((*values)[i]) : std::nullopt, flow, line);
  }

  void class_unpack(Span target, Span value, Flow flow, ClassFact& cls, int line) {
    const auto names = elements(unparenthesized(target));
    if (!names) return;
    const auto values = elements(value);
    const bool pairwise = values && values->size() == names->size();
    for (std::size_t i = 0; i < names->size(); ++i) {
      Span name = unparenthesized((*names)[i]);
      if (name.size() == 2 && name[0].kind == TokenKind::star) name = name.subspan(1);
      if (name.size() != 1 || name[0].kind != TokenKind::name) continue;
      const Value v = pairwise && !flow.conditional ? literal((*values)[i], 0, false) : Value::unknown(pairwise ? "assigned conditionally" : "unpacked from another value");
      set_attribute(cls, mangle_private(text(name[0]), cls.name), AttributeKind::class_attribute, v, std::nullopt, line);
    }
  }

  // ---- instance attributes -------------------------------------------------------------------------

  void self_target(Span target, std::optional<Span> value, const MethodScan& method, bool conditional, const std::optional<std::string>& annotation,
                   int line) {
    target = unparenthesized(target);
    if (target.size() == 3 && target[0].kind == TokenKind::name && text(target[0]) == method.self && target[1].kind == TokenKind::dot &&
        target[2].kind == TokenKind::name) {
      const Value known = conditional || !value ? Value::unknown(!value ? "declared without a value" : "assigned conditionally") : literal(*value, 1, false);
      add_instance_attribute(*method.cls, mangle_private(text(target[2]), method.cls->name), known, annotation, line);
      return;
    }
    const auto names = elements(target);
    if (!names) return;
    const auto values = value ? elements(*value) : std::nullopt;
    const bool pairwise = values && values->size() == names->size();
    for (std::size_t i = 0; i < names->size(); ++i) {
      Span element = (*names)[i];
      if (!element.empty() && element[0].kind == TokenKind::star) element = element.subspan(1);
      if (pairwise) {
        self_target(element, (*values)[i], method, conditional, std::nullopt, line);
      } else {
        self_target(element, std::nullopt, method, true, std::nullopt, line);
      }
    }
  }

  void add_instance_attribute(ClassFact& cls, const std::string& name, Value value, const std::optional<std::string>& annotation, int line) {
    bind_instance_attribute(cls, class_members_.attributes, name, std::move(value), annotation, line);
  }

  void set_attribute(ClassFact& cls, const std::string& name, AttributeKind kind, Value value, std::optional<std::string> annotation, int line) {
    bind_class_attribute(cls, class_members_.attributes, name, kind, std::move(value), std::move(annotation), line);
  }

  void remove_attribute(ClassFact& cls, const std::string& name, bool conditional) {
    if (!conditional) unbind_at(cls.attributes, class_members_.attributes, attribute_key(name, AttributeKind::class_attribute));
  }

  // ---- module bindings -----------------------------------------------------------------------------

  // A name bound unconditionally is what it was bound to last: a variable no longer, or a class no
  // longer (`error = (error, OSError)` after `class error`).
  void unbind_others(const std::string& name, bool variable, bool function, bool cls) {
    if (variable) unbind_at(facts_.variables, variable_at_, name);
    if (function) unbind_at(facts_.functions, function_at_, name);
    if (cls) unbind_at(facts_.classes, class_at_, name);
  }

  void bind_function(FunctionFact fact, bool conditional) {
    if (!conditional) unbind_others(fact.name, true, false, true);
    const std::string name = fact.name;
    bind_at(facts_.functions, function_at_, name, std::move(fact), conditional);
  }

  void bind_class(ClassFact fact, bool conditional) {
    if (!conditional) unbind_others(fact.name, true, true, false);
    const std::string name = fact.name;
    bind_at(facts_.classes, class_at_, name, std::move(fact), conditional);
  }

  void set_variable(const std::string& name, Value value, std::optional<std::string> annotation, int line, bool conditional) {
    if (!module_variable_rule(facts_, name, value, annotation)) return;
    if (!conditional) unbind_others(name, false, true, true);
    const auto [at, added] = variable_at_.try_emplace(name, facts_.variables.size());
    if (added) {
      facts_.variables.push_back({name, std::move(value), std::move(annotation), line});
      return;
    }
    VariableFact& existing = facts_.variables[at->second];
    existing.value = std::move(value);
    if (annotation) existing.annotation = std::move(annotation);
    existing.line = line;
  }

  void delete_names(Span targets, Flow flow, ClassFact* cls) {
    if (flow.conditional) return;  // may or may not run: what was bound is still reported
    for (Span target : split_top(targets, TokenKind::comma)) {
      target = unparenthesized(target);
      if (target.size() != 1 || target[0].kind != TokenKind::name) {
        if (const auto names = elements(target)) {
          for (Span name : *names) delete_names(name, flow, cls);
        }
        continue;
      }
      const std::string name(text(target[0]));
      if (cls) {
        const std::string mangled = mangle_private(name, cls->name);
        remove_attribute(*cls, mangled, false);
        unbind_at(cls->methods, class_members_.methods, mangled);
      } else {
        unbind_others(name, true, true, true);
      }
    }
  }

  void mark_changed(const std::string& name) {
    VariableFact* variable = find_at(facts_.variables, variable_at_, name);
    if (variable && !variable->value.is_unknown() && variable->value.kind() != Value::Kind::null) {
      variable->value = Value::unknown("changed after its assignment");
    }
  }

  // `d[key] = ...`, `d.attr = ...`: the object named by `d` changes.
  void changed_through(Span target, Scope scope, ClassFact*) {
    if (scope != Scope::module || target.size() < 2 || target[0].kind != TokenKind::name) return;
    if (target[1].kind == TokenKind::dot || target[1].kind == TokenKind::lsqb) mark_changed(std::string(text(target[0])));
  }

  // ---- imports -------------------------------------------------------------------------------------

  // An import statement module code does not run at import time, or runs in a class body (Deferred);
  // malformed ones are left alone
  // (the reader does not check the grammar of bodies it skips).
  void import_statement(Span s, Deferred deferred) {
    if (s.empty()) return;
    const int line = static_cast<int>(s[0].line);
    const std::size_t first = facts_.imports.size();
    if (is_word(s[0], "import")) {
      if (s.size() < 2) return;
      import_names(s.subspan(1), s[0], line);
    } else if (find_top_word(s, "import") < s.size()) {
      import_from(s, line);
    }
    for (std::size_t i = first; i < facts_.imports.size(); ++i) {
      facts_.imports[i].lazy = deferred.lazy;
      facts_.imports[i].type_checking = deferred.type_checking;
      facts_.imports[i].in_class = deferred.in_class;
    }
  }

  void import_names(Span s, const Token& statement_start, int line) {
    for (Span part : split_top(s, TokenKind::comma)) {
      const std::size_t as = find_top_word(part, "as");
      const std::string module = dotted(part.first(as));
      if (module.empty()) fail_at(part.empty() ? statement_start : part[0], "expected a module name after 'import', found " + (part.empty() ? std::string("nothing") : describe(part[0])));
      const std::string alias = as < part.size() && as + 1 < part.size() ? std::string(text(part[as + 1])) : module.substr(0, module.find('.'));
      facts_.imports.push_back({module, "", alias, line});
    }
  }

  void import_from(Span s, int line) {
    const std::size_t import = find_top_word(s, "import");
    std::string module;
    for (std::size_t i = 1; i < import; ++i) module += text(s[i]);  // dots (`...` is one token) and names
    Span names = s.subspan(import + 1);
    if (!names.empty() && names[0].kind == TokenKind::lpar) names = names.subspan(1, names.size() - 2);
    for (Span part : split_top(names, TokenKind::comma)) {
      if (part.empty()) continue;
      const std::string name(text(part[0]));
      if (name == "*") {
        facts_.imports.push_back({module, "*", "", line});  // a dependency that binds no name the source shows
        continue;
      }
      const std::string alias = part.size() == 3 && is_word(part[1], "as") ? std::string(text(part[2])) : name;
      facts_.imports.push_back({module, name, alias, line});
    }
  }

  // ---- after the whole module is read --------------------------------------------------------------

  // A dotted name as the modules it goes through name it (see resolve_through_imports).
  std::string canonical(Span s) const {
    const std::string name = dotted(s);
    if (name.empty()) return name;
    std::string path = resolve_through_imports(facts_.imports, package_, name);
    return path.empty() ? name : path;
  }

  Tokenizer tokenizer_;
  std::string_view src_;
  ReadOptions options_;
  Token tok_;
  Token previous_, previous2_;  // the two tokens before tok_ on its logical line (check_adjacent)
  ModuleFacts facts_;
  Positions variable_at_, function_at_, class_at_;  // of facts_ (find_at, bind_at, unbind_at)
  struct {
    Positions methods, attributes;  // of the class statement being read (attributes by attribute_key)
  } class_members_;
  std::string package_;
  std::size_t depth_ = 0;
  std::vector<std::vector<Token>> buffers_;
  std::vector<Token> skipped_;  // the logical line of a skipped block being read (skipped_line)
  std::vector<std::pair<std::string, int>> function_globals_;  // `global NAME` in a function body, with its line
  std::size_t aliases_seen_ = 0;  // of facts_.imports, in import_aliases_
  struct {
    std::unordered_map<std::string, char> modules;        // alias → 'L' importlib, 'B' builtins, 'I' imp
    std::unordered_map<std::string, std::string> functions;  // alias → importlib's `import_module` or `__import__`
  } import_aliases_;
};

}  // namespace

ModuleFacts read_module_source(std::string_view bytes, const std::string& filename, const std::string& module_name, const ReadOptions& options) {
  const DecodedSource source = decode_source(bytes, filename);
  ModuleFacts facts = Reader(source, filename, module_name, options).run();
  if (options.file_sha256) facts.file_sha256 = sha256_hex(bytes);  // the file's exact bytes, BOM included
  return facts;
}

}  // namespace importspy
