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
//   - typing's `TYPE_CHECKING` (`from typing import TYPE_CHECKING`, `typing.`, any alias of typing or
//     typing_extensions) is false at run time;
//   - `__name__ == "__main__"` is false for an imported module (and `!=` true);
//   - `sys.platform`, `sys.byteorder`, `os.name`, `platform.system()`, `sys.version_info` (also through
//     import aliases, `.lower()`, slices and indexes) compared with literals (==, !=, <, <=, >, >=,
//     chains, in, not in, .startswith) are decided for ReadOptions::target, when given; so is a module
//     name bound earlier to a known value (`_mswindows = sys.platform == "win32"`, `TYPE_CHECKING = False`);
//   - `not`, `and`, `or`, parentheses, True/False/None and numbers combine these.
// A name decides a condition only when it is provably what it looks like at that point (BindingWatch):
// bound by a module-level import (or, for a variable, by the plain assignment whose value the facts
// hold) and not rebound since by any binding form (assignment, augmented or annotated assignment,
// `for`, `with ... as`, `except ... as`, walrus, `import ... as`, `def`, `class`, `del`, `case`,
// `global` in a function), not changed through (`sys.platform = ...`, also in a function body), not
// handed to other code (`f(sys)`, `x = sys`; the first argument of hasattr/getattr/isinstance/... is
// read only), and a module not imported after `sys.modules`, an import hook or `__import__` may have been
// replaced; `__name__` only while the module never binds it. A function's parameters and locals shadow
// the module's names in its body; in a class body whose namespace a metaclass prepares (a `metaclass=`
// other than abc.ABCMeta or type, `*`/`**` arguments, a computed base, a base of this module so made)
// nothing is proven. Bindings in a branch proved dead do not count. What another module does when this
// one imports it (patching sys.platform, binding names through `from m import *`) is not seen: one file
// is read, not the program.
// Comparisons follow Python: a tuple never equals a list and does not order against one; an int equals
// the float of the same value; `in` on a str is a substring test, on a tuple, list or set an equality
// with an item; an ordering between a str and an int, `startswith` with a list, a test on non-ASCII text
// (`.lower()` by Unicode tables) are undecided, never guessed.
// Any other condition is undecided: its branches are read as conditional (values unknown, a definition
// does not replace an earlier one of the same name), as the CPython-based extractor reads them.
//
// Bindings are applied in source order, as CPython runs the module (docs/python-api.md, "Binding rules"):
// assignments, definitions, `del`, import aliases (module and class body), `for` and `with` targets,
// assignment expressions (comprehensions included, lambda bodies not), `except ... as` (deleted when the
// handler ends), `case` captures. Straight-line code replaces what was bound; code that may not run
// (loops, undecided branches, try bodies, `with` bodies under a context manager not known to let
// exceptions through) makes what was bound before unverifiable (FunctionFact::unverifiable, ...) or its
// value unknown. So do a star import, a decorator that may replace the definition (decorator_keeps_definition),
// and a function whose body declares names `global` when a line run at import names it (runs_functions).
//
// Cost: linear in the file's size for every shape. Nothing recurses with the input's length: chains of
// `not`, `.lower()`, subscripts, `and`/`or` and comparisons are walked by loops; what recurses does so
// per bracket level (at most 200, the tokenizer's limit, as CPython's), per block (at most 100 indents,
// CPython's) or per literal level (32). A module deeper than CPython accepts for other shapes (3,000
// chained `not` or `elif`, 1,500 chained calls on CPython 3.10-3.12) is still read, in linear time: it
// never imports, so its facts describe nothing that runs. Imports are found by name through an index.

#include <algorithm>
#include <cstdint>
#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "importspy/source/decode.hpp"
#include "importspy/source/literal.hpp"
#include "importspy/source/source_error.hpp"
#include "importspy/source/tokenizer.hpp"
#include "importspy/facts/static_rules.hpp"
#include "importspy/lang/identifier.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy {
namespace {

using Span = std::span<const Token>;

enum class Tri { no, yes, unknown };

Tri tri_not(Tri t) { return t == Tri::yes ? Tri::no : t == Tri::no ? Tri::yes : Tri::unknown; }

// Where statements are read: straight-line code or conditional code.
struct Flow {
  bool conditional = false;
  // When conditional, the statement that may not run the code, for the reasons facts give: `where` is
  // "the `if` statement", `because` "which may not run it", `line` the statement's first line.
  const char* where = nullptr;
  const char* because = nullptr;
  int line = 0;

  static Flow under(const char* where, const char* because, const Token& at) { return Flow{true, where, because, static_cast<int>(at.line)}; }

  // Why a definition read in this flow may not be what CPython binds ("defined in the `if` statement at
  // line 3, which may not run it").
  std::string why_defined() const {
    if (!where) return "defined in code that may not run";
    return std::string("defined in ") + where + " at line " + std::to_string(line) + ", " + because;
  }
};

// How an import statement that module code does not run at import time is recorded (ImportFact): lazy
// inside a function or method body, whatever the branch; type_checking in a module-level
// `if TYPE_CHECKING:` branch (a function in it included); main_guard in a module-level
// `if __name__ == "__main__":` branch.
struct Deferred {
  bool lazy = false;
  bool type_checking = false;
  bool in_class = false;  // not deferred: run at import time, in a class body (ImportFact::in_class)
  bool main_guard = false;
  bool any() const { return lazy || type_checking || main_guard; }
  bool records() const { return any() || in_class; }  // a skipped body's imports are still recorded
};
constexpr Deferred kLazy{true, false};
constexpr Deferred kTypeChecking{false, true};
constexpr Deferred kInClassBody{false, false, true};
constexpr Deferred kMainGuard{false, false, false, true};

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

// Equal texts; the words compared are short, so a loop beats a call of memcmp.
inline bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Which names the code read so far may have rebound, for conditions (see the header comment). Every
// token of the module passes through `token` in order, the bodies the reader skips included; each
// logical line is judged as a whole when its NEWLINE arrives, so a line is judged before the reader
// reads its statement. The judgement is by token shapes and errs on the side of "may have rebound": a
// name counts as rebound when it appears where a binding form could bind it, and a module object as
// changed when it could have been handed to other code or assigned through.
class BindingWatch {
public:
  enum class Kind : std::uint8_t { none, import, assignment, other };
  struct Last {
    Kind kind = Kind::none;
    std::size_t seq = 0;      // the logical line (counted from 1) of the last binding
    std::uint32_t line = 0;   // its source line
    std::size_t escape = 0;   // the last logical line where the bound object could reach other code
    bool aliased = false;     // an import bound it with `as` (`import a.b as a` binds a.b, not a)
  };

  // Names are read in their NFKC form, as CPython binds them (the tokenizer's), keywords too: a name
  // spelled with compatibility characters is the name it normalises to.
  explicit BindingWatch(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

  // While muted (a branch the reader proved dead is being skipped), lines bind nothing: they never run.
  void mute(bool on) { muted_ = on; }

  void token(const Token& t) {
    switch (t.kind) {
      case TokenKind::newline:
      case TokenKind::end_marker: return finish_line();
      case TokenKind::indent:
        scopes_.push_back(std::move(pending_));
        pending_ = {};
        return;
      case TokenKind::dedent:
        if (!scopes_.empty()) {
          for (const std::string& name : scopes_.back().locals) --locals_[name];
          scopes_.pop_back();
        }
        return;
      default: line_.push_back(t);
    }
  }

  Last last(std::string_view name) const {
    const auto it = names_.find(std::string(name));
    return it == names_.end() ? Last{} : it->second;
  }
  // Whether a name bound at logical line `seq` may have been rebound since by code this reader cannot
  // follow: a function that changes or rebinds it (it may run at any later point), or code that binds
  // names through a namespace mapping.
  bool unsure_since(std::string_view name, std::size_t seq) const {
    return (dynamic_ != 0 && dynamic_ >= seq) || poisoned_.contains(std::string(name));
  }

  // A function body hands the object of this name to other code (`f(sys)`), whenever it runs.
  bool escapes_in_a_function(std::string_view name) const { return escaped_in_function_.contains(std::string(name)); }

  // A local of a function being read (a parameter or a name its body binds): not the module's name.
  bool is_local(std::string_view name) const {
    const auto it = locals_.find(std::string(name));
    return it != locals_.end() && it->second > 0;
  }
  // The last line that may have replaced modules for later imports (sys.modules, import hooks,
  // __import__).
  std::size_t modules_seq() const { return modules_; }
  // In a class body whose namespace its metaclass prepares (a class with bases or keywords): a name
  // read there may come from that namespace.
  bool in_prepared_class() const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->kind != ScopeKind::other) return it->kind == ScopeKind::prepared_class;
    }
    return false;
  }

private:
  enum class ScopeKind : std::uint8_t { other, function, plain_class, prepared_class };
  struct ScopeEntry {
    ScopeKind kind = ScopeKind::other;
    std::vector<std::string> locals;  // of a function: names it binds (its parameters first)
  };

  std::string_view text(const Token& t) const { return tokenizer_.text_of(t); }
  bool is_word(const Token& t, std::string_view w) const { return t.kind == TokenKind::name && same_text(text(t), w); }
  static bool opens(TokenKind k) { return k == TokenKind::lpar || k == TokenKind::lsqb || k == TokenKind::lbrace; }
  static bool closes(TokenKind k) { return k == TokenKind::rpar || k == TokenKind::rsqb || k == TokenKind::rbrace; }
  static bool is_augmented(TokenKind k) { return k >= TokenKind::plusequal && k <= TokenKind::doubleslashequal; }

  ScopeKind scope() const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->kind != ScopeKind::other) return it->kind;
    }
    return ScopeKind::other;  // module level
  }

  // Binds a name of the module (or of the class body being read), or in a function body a local of
  // the innermost function.
  void bind(std::string_view name, Kind kind, std::uint32_t line, bool aliased = false) {
    if (judging_function_) return add_local(name);
    Last& last = names_[std::string(name)];
    last.kind = kind, last.seq = seq_, last.line = line, last.aliased = aliased;
  }
  void add_local(std::string_view name) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->kind != ScopeKind::function) continue;
      it->locals.emplace_back(name);
      ++locals_[it->locals.back()];
      return;
    }
  }

  void escape(std::string_view name) {
    if (judging_function_) escaped_in_function_.emplace(name);  // in a function: whenever it runs
    const auto it = names_.find(std::string(name));
    if (it != names_.end()) it->second.escape = seq_;
  }

  // Bare names (not after a dot, no keyword) of tokens [from, to) as rebound (kind `other`).
  void bind_all(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (bare(i)) bind(text(line_[i]), Kind::other, line_[i].line);
    }
  }

  bool bare(std::size_t i) const {
    if (line_[i].kind != TokenKind::name || (i > 0 && line_[i - 1].kind == TokenKind::dot)) return false;
    return !is_keyword(text(line_[i]));
  }

  void finish_line() {
    ++seq_;
    pending_ = {};
    pending_locals_.clear();
    if (!line_.empty() && !muted_) {
      judge_line();
      judging_function_ = false;
      // The header of a block opened by this line (its last token a colon): what scope its body is.
      const std::size_t k = is_word(line_[0], "async") ? 1 : 0;
      const bool class_prepared = k < line_.size() && is_word(line_[k], "class") && prepared(k);
      if (line_.back().kind == TokenKind::colon) {
        if (k < line_.size() && is_word(line_[k], "def")) {
          pending_.kind = ScopeKind::function;
          for (std::string& name : pending_locals_) {
            ++locals_[name];
            pending_.locals.push_back(std::move(name));
          }
        }
        if (k < line_.size() && is_word(line_[k], "class")) pending_.kind = class_prepared ? ScopeKind::prepared_class : ScopeKind::plain_class;
      }
    }
    line_.clear();
  }

  // Whether the class whose header starts at token `k` may have its namespace prepared by a metaclass
  // (`__prepare__` can put any name in it): a `metaclass=` other than abc.ABCMeta or type, `*`/`**`
  // arguments, a base computed by a call, or a base that is a class of this module whose namespace is
  // prepared or a name the module bound to something else than a class statement or an import. Bases
  // imported from other modules are taken as what they are: another module can change this one's
  // names anyway (see the header comment).
  bool prepared(std::size_t k) {
    bool result = false;
    if (k + 2 < line_.size() && line_[k + 1].kind == TokenKind::name && line_[k + 2].kind == TokenKind::lpar) {
      int depth = 0;
      std::size_t start = k + 3;
      for (std::size_t i = k + 2; i < line_.size() && !result; ++i) {
        const TokenKind kind = line_[i].kind;
        if (opens(kind) && ++depth == 1) continue;
        if (closes(kind)) --depth;
        if (depth == 0 || (depth == 1 && kind == TokenKind::comma)) {
          result = argument_prepares(start, i);
          start = i + 1;
          if (depth == 0) break;
        }
      }
    }
    if (k + 1 < line_.size() && line_[k + 1].kind == TokenKind::name) classes_[std::string(text(line_[k + 1]))] = {seq_, result};
    return result;
  }

  bool argument_prepares(std::size_t from, std::size_t to) const {
    if (from >= to) return false;
    if (line_[from].kind == TokenKind::star || line_[from].kind == TokenKind::doublestar) return true;
    if (from + 1 < to && line_[from].kind == TokenKind::name && line_[from + 1].kind == TokenKind::equal) {
      if (text(line_[from]) != "metaclass") return false;  // a keyword for __init_subclass__
      std::string meta;
      for (std::size_t i = from + 2; i < to; ++i) meta += text(line_[i]);
      const Last head = last(meta.substr(0, meta.find('.')));
      if (meta == "type") return head.kind != Kind::none;
      return !((meta == "ABCMeta" || meta == "abc.ABCMeta") && head.kind == Kind::import);
    }
    // A base: a dotted name, possibly subscripted (`Generic[T]`).
    std::size_t end = from;
    while (end < to && (line_[end].kind == TokenKind::name || line_[end].kind == TokenKind::dot)) ++end;
    if (end == from || (end < to && line_[end].kind != TokenKind::lsqb)) return true;
    const Last head = last(text(line_[from]));
    if (head.kind == Kind::none || head.kind == Kind::import) return false;
    const auto cls = classes_.find(std::string(text(line_[from])));
    return cls == classes_.end() || cls->second.seq != head.seq || cls->second.prepared;
  }

  void judge_line() {
    // Statements of the line: split at `;` and after a compound header's colon.
    static constexpr std::string_view compound[] = {"if", "elif", "else", "while", "for", "with", "try", "except", "finally", "class", "def", "async"};
    const bool is_compound = line_[0].kind == TokenKind::name && std::find(std::begin(compound), std::end(compound), text(line_[0])) != std::end(compound);
    const bool function_header = is_word(line_[0], "def") || (is_word(line_[0], "async") && line_.size() > 1 && is_word(line_[1], "def"));
    int depth = 0;
    bool header_open = is_compound;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line_.size(); ++i) {
      const bool end = i == line_.size();
      if (!end) {
        const TokenKind k = line_[i].kind;
        if (opens(k)) ++depth;
        if (closes(k) && depth > 0) --depth;
        if (depth > 0 || (k != TokenKind::semi && !(header_open && k == TokenKind::colon))) continue;
      }
      // A def's parameters and body written on its line are the function's own.
      const ScopeKind part_scope = function_header && start > 0 ? ScopeKind::function : scope();
      judge_statement(start, i, part_scope);
      if (!end && line_[i].kind == TokenKind::colon) header_open = false;
      start = i + 1;
    }
    watch_modules();
    watch_namespaces();
  }

  // One statement (or compound header) of the line: tokens [from, to).
  void judge_statement(std::size_t from, std::size_t to, ScopeKind scope) {
    if (from >= to) return;
    const bool function = scope == ScopeKind::function;
    const bool module = scope == ScopeKind::other;
    const Token& first = line_[from];
    judging_function_ = false;
    if (is_word(first, "global")) {
      // A function's `global NAME`: the function may rebind the module's name whenever it runs.
      for (std::size_t i = from + 1; i < to && function; ++i) {
        if (bare(i)) poisoned_.emplace(text(line_[i]));
      }
      return bind_all(from + 1, to);
    }
    judging_function_ = function;  // bindings below are the function's locals
    if (is_word(first, "import") || (is_word(first, "from") && find_word(from, to, "import") < to)) return import_names(from, to, module);
    if (is_word(first, "def") || is_word(first, "class") || (is_word(first, "async") && from + 2 < to)) {
      const std::size_t name = is_word(first, "async") ? from + 2 : from + 1;
      if (name < to && line_[name].kind == TokenKind::name) bind(text(line_[name]), Kind::other, line_[name].line);
      if (is_word(first, "def") || is_word(first, "async")) {
        parameters(name + 1, to);
        escapes(from + 1, to);  // defaults and decorators of the signature are evaluated here
        return;
      }
    }
    if (is_word(first, "del") || is_word(first, "case")) {
      if (function) mutations(from + 1, to);
      return bind_all(from + 1, to);
    }
    // Targets: before the last `=` or an augmented operator at depth 0; after `for` up to `in`; after
    // `as`; before `:=`; an annotated name with a value.
    std::size_t target_end = from;
    int depth = 0;
    for (std::size_t i = from; i < to; ++i) {
      const TokenKind k = line_[i].kind;
      if (opens(k)) ++depth;
      if (closes(k) && depth > 0) --depth;
      if (depth == 0 && (k == TokenKind::equal || is_augmented(k))) {
        target_end = i;
        if (is_augmented(k)) break;
      }
    }
    if (function) mutations(from, target_end);
    if (module && target_end > from && (target_end == from + 1 || line_[from + 1].kind == TokenKind::colon) && bare(from) && line_[target_end].kind == TokenKind::equal &&
               simple_value(target_end + 1, to)) {
      bind(text(line_[from]), Kind::assignment, line_[from].line);
    } else if (module && chained_names(from, target_end) && simple_value(target_end + 1, to)) {
      for (std::size_t i = from; i < target_end; i += 2) bind(text(line_[i]), Kind::assignment, line_[i].line);  // `a = b = False`
    } else {
      bind_all(from, target_end);
    }
    for (std::size_t i = from; i < to; ++i) {
      if (line_[i].kind == TokenKind::colonequal && i > from && bare(i - 1)) bind(text(line_[i - 1]), Kind::other, line_[i - 1].line);
      if (is_word(line_[i], "for") && i == from) {
        std::size_t in = i + 1;
        while (in < to && !is_word(line_[in], "in")) ++in;
        bind_all(i + 1, in);
      }
      if (is_word(line_[i], "as") && i + 1 < to) {
        std::size_t end = i + 2;
        if (opens(line_[i + 1].kind)) {
          int d = 0;
          for (end = i + 1; end < to; ++end) {
            if (opens(line_[end].kind)) ++d;
            if (closes(line_[end].kind) && --d == 0) break;
          }
        }
        bind_all(i + 1, std::min(end, to));
      }
    }
    escapes(target_end == from ? from : target_end + 1, to);
  }

  // `a = b = ` up to the last `=`: names only.
  bool chained_names(std::size_t from, std::size_t to) const {
    if (to <= from || line_[to].kind != TokenKind::equal || (to - from) % 2 != 1) return false;
    for (std::size_t i = from; i < to; i += 2) {
      if (!bare(i) || line_[i + 1].kind != TokenKind::equal) return false;
    }
    return true;
  }

  std::size_t find_word(std::size_t from, std::size_t to, std::string_view word) const {
    while (from < to && !is_word(line_[from], word)) ++from;
    return from;
  }

  // The parameters of a def header (tokens from its `(` or type parameters on): locals of its body.
  void parameters(std::size_t from, std::size_t to) {
    int depth = 0;
    for (std::size_t i = from; i < to; ++i) {
      if (opens(line_[i].kind)) ++depth;
      if (closes(line_[i].kind)) --depth;
      if (depth == 1 && bare(i) && i + 1 < to &&
          (line_[i + 1].kind == TokenKind::comma || closes(line_[i + 1].kind) || line_[i + 1].kind == TokenKind::equal || line_[i + 1].kind == TokenKind::colon)) {
        pending_locals_.emplace_back(text(line_[i]));
      }
    }
  }

  // `NAME = value` binds NAME to the value, with no other binding in the value (no `:=`, no second `=`).
  bool simple_value(std::size_t from, std::size_t to) const {
    for (std::size_t i = from; i < to; ++i) {
      if (line_[i].kind == TokenKind::colonequal || line_[i].kind == TokenKind::equal) return false;
    }
    return from < to;
  }

  // In a function body, assignments bind locals; an attribute or subscript target reached through a
  // name (`sys.platform = ...`, `del os.name`) changes the object the module's name is bound to.
  // The function may run at any later point (it is called after its definition): such a name is never
  // proven again (poisoned).
  void mutations(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i + 1 < to; ++i) {
      if (bare(i) && (line_[i + 1].kind == TokenKind::dot || line_[i + 1].kind == TokenKind::lsqb)) poisoned_.emplace(text(line_[i]));
    }
  }

  // Names whose object may reach other code here: used as a value (`f(sys)`, `x = sys`), not through
  // an attribute, subscript, call, comparison or test.
  void escapes(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (!bare(i) || read_only_argument(i)) continue;
      const TokenKind next = i + 1 < to ? line_[i + 1].kind : TokenKind::newline;
      if (next == TokenKind::comma || closes(next) || next == TokenKind::newline || next == TokenKind::equal || next == TokenKind::colon ||
          next == TokenKind::semi) {
        if (next == TokenKind::colon && i > 0 && line_[i - 1].kind == TokenKind::name && !is_word(line_[i - 1], "lambda") &&
            (is_word(line_[i - 1], "if") || is_word(line_[i - 1], "elif") || is_word(line_[i - 1], "while") || is_word(line_[i - 1], "not"))) {
          continue;  // `if TYPE_CHECKING:`
        }
        escape(text(line_[i]));
      }
    }
  }

  // The first argument of a builtin that only reads it (`hasattr(os, 'x')`), the builtin not rebound.
  bool read_only_argument(std::size_t i) const {
    static constexpr std::string_view readers[] = {"hasattr", "getattr", "isinstance", "issubclass", "id", "type", "repr", "str", "callable", "dir", "print"};
    if (i < 2 || line_[i - 1].kind != TokenKind::lpar || !bare(i - 2)) return false;
    const std::string_view f = text(line_[i - 2]);
    return std::find(std::begin(readers), std::end(readers), f) != std::end(readers) && last(f).kind == Kind::none && !is_local(f);
  }

  // `import a.b as c, d` / `from m import x as y, *`.
  void import_names(std::size_t from, std::size_t to, bool module) {
    const Kind kind = module ? Kind::import : Kind::other;
    if (is_word(line_[from], "from")) {
      std::size_t i = from + 1;
      while (i < to && !is_word(line_[i], "import")) ++i;
      for (++i; i < to; ++i) {
        const Token& t = line_[i];
        if (t.kind != TokenKind::name || is_word(t, "as")) continue;
        if (i + 1 < to && is_word(line_[i + 1], "as")) continue;  // the alias follows
        bind(text(t), kind, t.line);
      }
      return;
    }
    for (std::size_t i = from + 1; i < to; ++i) {
      const Token& t = line_[i];
      if (t.kind != TokenKind::name || is_word(t, "as")) continue;
      if (i > from + 1 && line_[i - 1].kind == TokenKind::dot) continue;
      const bool start = line_[i - 1].kind == TokenKind::comma || i == from + 1;
      if (is_word(line_[i - 1], "as") || start) {
        // A module path's first name, unless an alias follows the path.
        std::size_t j = i;
        while (j + 2 < to && line_[j + 1].kind == TokenKind::dot) j += 2;
        if (start && j + 1 < to && is_word(line_[j + 1], "as")) continue;
        bind(text(t), kind, t.line, !start);
      }
    }
  }

  // What may make a later import bind another object than the module: writing sys.modules, import
  // hooks (meta_path, path_hooks), replacing __import__.
  // Code that reads or writes a namespace as a mapping (`globals()`, `vars(m)`, `exec`, a frame's
  // f_globals, a module's __dict__) can bind any name: at module level from that line on, in a function
  // whenever it runs, so for the rest of the module.
  void watch_namespaces() {
    static constexpr std::string_view mappings[] = {"globals", "vars", "locals"};
    static constexpr std::string_view attributes[] = {"f_globals", "f_locals", "__dict__", "f_builtins"};
    const bool function = scope() == ScopeKind::function;
    for (std::size_t i = 0; i < line_.size(); ++i) {
      if (line_[i].kind != TokenKind::name) continue;
      const std::string_view w = text(line_[i]);
      const bool call = bare(i) && i + 1 < line_.size() && line_[i + 1].kind == TokenKind::lpar;
      bool dynamic = false;
      if (call && (w == "exec" || (w == "eval" && !function))) {
        // exec(code) runs in this namespace (`global` reaches the module's from a function); eval can
        // bind with `:=` at module level. An explicit namespace other than globals() binds nothing here.
        const std::size_t close = closing(i + 1);
        dynamic = !function || find_comma(i + 2, close) == close;
      } else if (call && std::find(std::begin(mappings), std::end(mappings), w) != std::end(mappings)) {
        const std::size_t after = closing(i + 1) + 1;
        dynamic = (function && w == "locals") ? false : mutating_use(after);
        if (dynamic && one_key(after, function, line_[i].line)) continue;
        if (dynamic && i > 0 && !handed_on(i - 1) && (after >= line_.size() || (line_[after].kind != TokenKind::lsqb && line_[after].kind != TokenKind::dot))) {
          dynamic = false;
        }
      } else if (w == "modules" && i > 0 && line_[i - 1].kind == TokenKind::dot && reaches_this_module(i + 1)) {
        // `sys.modules[__name__]`, `sys.modules.get(__name__)`: this module's object, whose names
        // `setattr(...)` or an attribute assignment binds.
        dynamic = true;
      } else if (i > 0 && line_[i - 1].kind == TokenKind::dot && std::find(std::begin(attributes), std::end(attributes), w) != std::end(attributes)) {
        // `obj.__dict__` of any object is read often; only a write through it counts. A frame's
        // namespace handed on counts too.
        dynamic = mutating_use(i + 1) && (w != "__dict__" || (i + 1 < line_.size() && (line_[i + 1].kind == TokenKind::dot || line_[i + 1].kind == TokenKind::lsqb)));
        if (dynamic && one_key(i + 1, function, line_[i].line)) continue;
      }
      if (!dynamic) continue;
      dynamic_ = function ? std::numeric_limits<std::size_t>::max() : std::max(dynamic_, seq_);
    }
  }

  // `[__name__]` or `.get(__name__, ...)` at `at`: the key names this module, whose object `setattr(...)`
  // or an attribute assignment can then bind names of. (A key that only holds the name, such as
  // `n = __name__; sys.modules[n]`, is not followed; `setattr` and `vars` still make the namespace
  // unknown, reported as `namespace-unverifiable`.)
  bool reaches_this_module(std::size_t at) const {
    std::size_t key = 0;
    if (at + 1 < line_.size() && line_[at].kind == TokenKind::lsqb) {
      key = at + 1;
    } else if (at + 3 < line_.size() && line_[at].kind == TokenKind::dot && is_word(line_[at + 1], "get") && line_[at + 2].kind == TokenKind::lpar) {
      key = at + 3;
    } else {
      return false;
    }
    return is_word(line_[key], "__name__");
  }

  // `<mapping>['name'] = ...` (the subscript at `at`): that one name is bound, from here on (in a
  // function: whenever it runs), not every name.
  bool one_key(std::size_t at, bool function, std::uint32_t line) {
    if (at + 2 >= line_.size() || line_[at].kind != TokenKind::lsqb || line_[at + 1].kind != TokenKind::string || line_[at + 2].kind != TokenKind::rsqb) return false;
    const std::string_view key = text(line_[at + 1]);
    if (key.size() < 2 || (key[0] != '\'' && key[0] != '"') || key.back() != key[0] || key.find('\\') != std::string_view::npos) return false;
    const std::string name(key.substr(1, key.size() - 2));
    poisoned_.insert(name);
    if (!function) bind(name, Kind::other, line);
    return true;
  }

  // The value at `before`'s right is handed to other code: a call argument or an assigned value (not an
  // operand such as `__doc__ % globals()`).
  bool handed_on(std::size_t before) const {
    const TokenKind k = line_[before].kind;
    return k == TokenKind::lpar || k == TokenKind::comma || k == TokenKind::equal || k == TokenKind::colonequal || k == TokenKind::lsqb ||
           k == TokenKind::lbrace || k == TokenKind::colon || is_word(line_[before], "return") || is_word(line_[before], "yield");
  }

  std::size_t closing(std::size_t open) const {
    int depth = 0;
    for (std::size_t i = open; i < line_.size(); ++i) {
      if (opens(line_[i].kind)) ++depth;
      if (closes(line_[i].kind) && --depth == 0) return i;
    }
    return line_.size();
  }

  std::size_t find_comma(std::size_t from, std::size_t to) const {
    int depth = 0;
    for (std::size_t i = from; i < to; ++i) {
      if (opens(line_[i].kind)) ++depth;
      if (closes(line_[i].kind)) --depth;
      if (depth == 0 && line_[i].kind == TokenKind::comma) return i;
    }
    return to;
  }

  // A namespace mapping used at token `at` (just after it): written through (`[k] = `, `del ...[k]`,
  // `.update(...)`), or handed on (`f(globals())`, `g = globals()`); not a plain read (`globals()[k]`,
  // `.get(k)`, `k in globals()`).
  bool mutating_use(std::size_t at) const {
    static constexpr std::string_view mutators[] = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__", "__ior__"};
    if (at >= line_.size()) return std::any_of(line_.begin(), line_.end(), [](const Token& t) { return t.kind == TokenKind::equal; });
    const TokenKind next = line_[at].kind;
    if (next == TokenKind::dot) {
      return at + 1 < line_.size() && std::find(std::begin(mutators), std::end(mutators), text(line_[at + 1])) != std::end(mutators);
    }
    if (next == TokenKind::lsqb) {
      if (is_word(line_[0], "del")) return true;
      for (std::size_t i = closing(at) + 1; i < line_.size(); ++i) {
        if (line_[i].kind == TokenKind::equal || is_augmented(line_[i].kind)) return true;
        if (line_[i].kind != TokenKind::rpar) break;
      }
      return false;
    }
    return next == TokenKind::comma || next == TokenKind::rpar || next == TokenKind::equal || next == TokenKind::semi || next == TokenKind::colonequal;
  }

  void watch_modules() {
    static constexpr std::string_view hooks[] = {"meta_path", "path_hooks", "path_importer_cache", "__import__", "__builtins__"};
    static constexpr std::string_view mutators[] = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"};
    for (std::size_t i = 0; i < line_.size(); ++i) {
      if (line_[i].kind != TokenKind::name) continue;
      const std::string_view w = text(line_[i]);
      if (std::find(std::begin(hooks), std::end(hooks), w) != std::end(hooks)) {
        if (w != "__import__" || line_.size() <= i + 1 || line_[i + 1].kind != TokenKind::lpar) modules_ = seq_;  // calling __import__ replaces nothing
      }
      if (w == "modules" && i > 0 && line_[i - 1].kind == TokenKind::dot) {
        if (i + 2 < line_.size() && line_[i + 1].kind == TokenKind::dot &&
            std::find(std::begin(mutators), std::end(mutators), text(line_[i + 2])) != std::end(mutators)) {
          modules_ = seq_;
        }
        // `sys.modules[...] = ...`, `del sys.modules[...]`, `x = sys.modules` (then changed through x)
        if (is_word(line_[0], "del") || i + 1 >= line_.size() || line_[i + 1].kind != TokenKind::lsqb) modules_ = seq_;
        for (std::size_t k = i + 1; k < line_.size(); ++k) {
          if (line_[k].kind == TokenKind::equal || is_augmented(line_[k].kind)) modules_ = seq_;
        }
      }
    }
  }

  const Tokenizer& tokenizer_;
  std::vector<Token> line_;
  std::vector<ScopeEntry> scopes_;
  ScopeEntry pending_;
  std::unordered_map<std::string, Last> names_;
  struct ClassHeader {
    std::size_t seq = 0;
    bool prepared = false;
  };
  std::unordered_map<std::string, ClassHeader> classes_;  // class statements by name: where, and whether prepared
  std::vector<std::string> pending_locals_;            // parameters of the def header just read
  std::unordered_map<std::string, int> locals_;       // locals of the functions being read, counted
  bool judging_function_ = false;                     // bind() binds locals of the innermost function
  bool muted_ = false;
  std::unordered_set<std::string> poisoned_;  // names a function body may rebind or change whenever it runs
  std::unordered_set<std::string> escaped_in_function_;  // names whose object a function body hands on
  std::size_t dynamic_ = 0;                   // the last line whose code may bind any name (max: a function's)
  std::size_t seq_ = 0, modules_ = 0;
};

class Reader {
public:
  Reader(const DecodedSource& source, const std::string& filename, const std::string& module_name, const ReadOptions& options)
      : tokenizer_(source.text(), filename, source.utf8_unchecked()),
        src_(source.text()),
        options_(options),
        syntax_minor_(options.target && options.target->python_major == 3 ? options.target->python_minor : std::numeric_limits<int>::max()),
        watch_(tokenizer_) {
    facts_.filename = filename;
    facts_.name = module_name;
    const bool is_package = filename.ends_with("__init__.py");
    const std::size_t dot = module_name.rfind('.');
    package_ = is_package ? module_name : (dot == std::string::npos ? std::string() : module_name.substr(0, dot));
    is_package_ = is_package && !module_name.empty();
  }

  ModuleFacts run() {
    advance();
    block_statements(Scope::module, Flow{}, nullptr, nullptr, true);
    compact(facts_.variables);
    compact(facts_.functions);
    compact(facts_.classes);
    mark_function_globals();
    if (options_.imports_only) return import_facts_of(std::move(facts_));  // no inheritance to resolve
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
    watch_.token(tok_);
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
      except_header_.open = false;
      return;
    }
    if (tok_.kind == TokenKind::fstring && is_template(tok_)) {
      require_version(tok_, 14, "a template string (t-string, PEP 750)", "use an f-string, or run the module (and ImportSpy) on Python 3.14 or newer");
    }
    const bool strings = (before.kind == TokenKind::string || before.kind == TokenKind::fstring) &&
                         (tok_.kind == TokenKind::string || tok_.kind == TokenKind::fstring);
    if (strings && is_template(before) != is_template(tok_)) {
      fail_at(tok_, "cannot mix t-string literals with string or bytes literals: a template string concatenates only with template strings; "
                    "join them with `+` after conversion, or make both t-strings");
    }
    if (before.kind == TokenKind::end_marker && is_word(tok_, "except")) except_header_ = {true, 0, std::nullopt};
    else if (except_header_.open) except_clause_token();
    if (before.kind == TokenKind::name && before_that.kind == TokenKind::end_marker && raw(before) == "lazy" &&
        (is_word(tok_, "import") || is_word(tok_, "from"))) {
      require_version(before, 15, "`lazy import` (PEP 810)", "write a plain import, or run the module (and ImportSpy) on Python 3.15 or newer");
    }
    if (strings || !starts_operand(tok_) || !ends_operand(before)) return;
    if (before.kind == TokenKind::ellipsis &&
        (is_word(before_that, "from") || before_that.kind == TokenKind::dot || before_that.kind == TokenKind::ellipsis)) {
      return;  // `from ...pkg import x`: dots of a relative import
    }
    if (before.kind == TokenKind::name && !ends_operand(before_that)) {
      const std::string_view soft = raw(before);
      if (soft == "match" || soft == "case" || soft == "type") return;
    }
    fail_at(tok_, "invalid syntax: expected an operator, a comma or the end of the statement after " + describe(before) + ", found " + describe(tok_));
  }

  // Syntax newer than the target's grammar: CPython of that version refuses the module (a SyntaxError
  // when it is imported), so the reader does too, saying which version the construct needs.
  void require_version(const Token& at, int minor, std::string_view construct, std::string_view fix) const {
    if (syntax_minor_ >= minor) return;
    fail_at(at, std::string(construct) + " is Python 3." + std::to_string(minor) + " syntax, and this module is read for Python 3." +
                    std::to_string(syntax_minor_) + ", where importing it is a SyntaxError: " + std::string(fix));
  }

  // A t-string (PEP 750): its prefix, before the quote, has a `t`.
  bool is_template(const Token& t) const {
    if (t.kind != TokenKind::fstring) return false;
    for (std::size_t i = t.begin; i < t.end && src_[i] != '\'' && src_[i] != '"'; ++i) {
      if (src_[i] == 't' || src_[i] == 'T') return true;
    }
    return false;
  }

  // One token of an `except` clause's header (except_header_): several exception types are written in
  // parentheses before Python 3.14, and always when the clause names the exception with `as` (PEP 758).
  void except_clause_token() {
    auto& header = except_header_;
    if (opens(tok_.kind)) ++header.brackets;
    else if (closes(tok_.kind) && header.brackets > 0) --header.brackets;
    if (header.brackets > 0) return;
    if (tok_.kind == TokenKind::comma && !header.comma) header.comma = tok_;
    if (is_word(tok_, "as") && header.comma) {
      fail_at(*header.comma, "multiple exception types must be parenthesized when using 'as': write `except (A, B) as name:`");
    }
    if (tok_.kind == TokenKind::colon) {
      header.open = false;
      if (header.comma) require_version(*header.comma, 14, "`except A, B:` without parentheses (PEP 758)", "write `except (A, B):`");
    }
  }

  // A keyword that is no operand (None, True and False are operands).
  static bool is_hard_keyword(std::string_view w) { return is_keyword(w) && w != "None" && w != "True" && w != "False"; }

  bool ends_operand(const Token& t) const {
    switch (t.kind) {
      case TokenKind::number:
      case TokenKind::string:
      case TokenKind::fstring:
      case TokenKind::rpar:
      case TokenKind::rsqb:
      case TokenKind::rbrace:
      case TokenKind::ellipsis: return true;
      case TokenKind::name: return !is_hard_keyword(raw(t));  // None, True, False are no keywords here
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
        const std::string_view w = raw(t);
        return !is_hard_keyword(w) || w == "lambda" || w == "await" || w == "yield";
      }
      default: return false;
    }
  }

  // What a token stands for: a name in its NFKC form, as CPython binds it (`ｓubprocess` is `subprocess`).
  std::string_view text(const Token& t) const { return tokenizer_.text_of(t); }
  // As written: CPython matches keywords before normalising, so `ｉｆ` is the name `if`, no keyword.
  std::string_view raw(const Token& t) const { return t.text(src_); }
  static bool is_keyword_spelling(std::string_view w) {
    return is_keyword(w) || w == "match" || w == "case" || w == "type";
  }
  // A name whose bytes are its NFKC form (all ASCII names) is its bytes; one that is not cannot be an
  // ASCII keyword as written, and is compared by the name it binds.
  bool is_word(const Token& t, std::string_view word) const {
    if (t.kind != TokenKind::name) return false;
    if (t.normalized == 0) return same_text(raw(t), word);
    return !is_keyword_spelling(word) && text(t) == word;
  }

  [[noreturn]] void fail_at(const Token& t, const std::string& message) const { tokenizer_.fail(t.begin, message); }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case TokenKind::end_marker: return "the end of the file";
      case TokenKind::newline: return "the end of the line";
      case TokenKind::indent: return "an indented line";
      case TokenKind::dedent: return "the end of the indented block";
      default: return "'" + std::string(raw(t)) + "'";
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
    bool global_names = false;  // in a `global` statement, when globals_ collects them
    // In a nested class's body (deferred.in_class): a method's imports are lazy. `def_header`: a `def`
    // header on this line (its body may follow on the line); `method_from`: the depth of the method body
    // being skipped (0: none).
    bool def_header = false, def_block = false, async_word = false;
    bool lazy_word = false;  // the statement starts with `lazy`: a PEP 810 lazy import when `import` or `from` follows
    int method_from = 0;
    do {
      if (tok_.kind == TokenKind::indent) ++depth;
      if (tok_.kind == TokenKind::dedent) --depth;
      if (tok_.kind == TokenKind::end_marker) return;
      if (deferred.in_class) {
        const TokenKind k = tok_.kind;
        if (k == TokenKind::indent && def_block && method_from == 0) method_from = depth;
        if (k == TokenKind::dedent && depth < method_from) method_from = 0;
        if (k == TokenKind::newline) def_block = def_header;
        else if (k != TokenKind::indent && k != TokenKind::nl && k != TokenKind::comment) def_block = false;
        if (k == TokenKind::newline || k == TokenKind::dedent || k == TokenKind::indent) def_header = false;
        if (brackets == 0 && is_word(tok_, "def") && (statement_start || async_word)) def_header = true;
        async_word = statement_start && brackets == 0 && is_word(tok_, "async");
      }
      const Deferred here = deferred.in_class && (def_header || method_from > 0) ? kLazy : deferred;
      if (globals_ && tok_.kind == TokenKind::name) {
        if (global_names) globals_->emplace_back(text(tok_));
        if (statement_start && brackets == 0 && is_word(tok_, "global")) global_names = true;
      } else if (tok_.kind != TokenKind::comma) {
        global_names = false;
      }
      if (lazy_word && (is_word(tok_, "import") || is_word(tok_, "from"))) {
        // check_adjacent refused it already before Python 3.15.
        if (here.lazy || deferred.in_class) {
          fail_at(tok_, std::string("a lazy import is not allowed ") + (here.lazy ? "inside a function" : "in a class body") +
                            " (PEP 810): only at module level, outside `try`; write a plain import");
        }
        lazy_word = false;
        if (here.records()) {
          Deferred lazy = here;
          lazy.lazy = true;
          deferred_statement(lazy);
          continue;
        }
      }
      lazy_word = statement_start && brackets == 0 && is_word(tok_, "lazy");
      if (here.records() && statement_start && brackets == 0 && (is_word(tok_, "import") || is_word(tok_, "from"))) {
        deferred_statement(here);
        statement_start = false;
        continue;
      }
      if (here.records()) skipped_line(here);
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
          const bool as_written = raw(first) == word;  // `Ｔrue` is a name that normalises to True: no literal
          if (as_written && word == "None") return Value::none();
          if (as_written && word == "True") return Value::boolean(true);
          if (as_written && word == "False") return Value::boolean(false);
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

  // Python's `in` for the right-hand side of a membership test or `.startswith`'s argument: its items
  // as a tuple's (a set display's too), or a str (substring test), or nothing when it is neither.
  struct Container {
    enum class Kind { none, str, items } kind = Kind::none;
    Value value;
  };

  static Span ungrouped(Span s) {
    while (s.size() > 2 && s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) s = s.subspan(1, s.size() - 2);
    return s;
  }

  // A list display, not a tuple (Value does not tell them apart): `[...]` as written.
  static bool is_list_display(Span s) {
    s = ungrouped(s);
    return s.size() >= 2 && s[0].kind == TokenKind::lsqb && matching(s, 0) == s.size() - 1;
  }

  Container container_of(Span s) const {
    Container out;
    s = ungrouped(s);
    if (s.size() > 2 && s[0].kind == TokenKind::lbrace && matching(s, 0) == s.size() - 1 && find_top(s.subspan(1, s.size() - 2), TokenKind::colon) == s.size() - 2) {
      s = s.subspan(1, s.size() - 2);  // a set display: its items, as a tuple's
      if (find_top(s, TokenKind::comma) == s.size()) {
        out.value = literal(s, 1, false);
        if (out.value.is_unknown() || out.value.kind() == Value::Kind::opaque) return {};
        out.kind = Container::Kind::items;
        out.value = Value::list({out.value});
        return out;
      }
    }
    out.value = literal(s, 1, false);
    if (out.value.kind() == Value::Kind::string) out.kind = Container::Kind::str;
    if (out.value.kind() == Value::Kind::list) out.kind = Container::Kind::items;
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

  // Python's ordering of two scalars: -1, 0, 1; kDifferent when they do not order and are unequal
  // (int against str: == is False, < raises TypeError); kUnsure when this reader cannot tell.
  static constexpr int kDifferent = 2, kUnsure = 3;

  static bool is_number(const Value& v) {
    return v.kind() == Value::Kind::boolean || v.kind() == Value::Kind::integer || v.kind() == Value::Kind::floating;
  }

  static int order_of(const Value& a, const Value& b) {
    if (is_number(a) && is_number(b)) {
      if (a.is_big_integer() || b.is_big_integer()) return kUnsure;
      const auto as_long = [](const Value& v) -> std::int64_t { return v.kind() == Value::Kind::boolean ? (v.as_bool() ? 1 : 0) : v.as_int(); };
      if (a.kind() != Value::Kind::floating && b.kind() != Value::Kind::floating) {
        const std::int64_t x = as_long(a), y = as_long(b);
        return x < y ? -1 : x > y ? 1 : 0;
      }
      // int against float: Python compares exactly; exact here for ints up to 2**53, the only ones a
      // condition compares with a float (versions, counts).
      constexpr std::int64_t kExact = std::int64_t{1} << 53;
      const auto as_double = [&](const Value& v, bool& exact) -> double {
        if (v.kind() == Value::Kind::floating) return v.as_float();
        const std::int64_t i = as_long(v);
        exact = i > -kExact && i < kExact;
        return static_cast<double>(i);
      };
      bool exact_a = true, exact_b = true;
      const double x = as_double(a, exact_a), y = as_double(b, exact_b);
      if (!exact_a || !exact_b || x != x || y != y) return kUnsure;  // NaN compares unordered
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.kind() == Value::Kind::string && b.kind() == Value::Kind::string) return a.text() < b.text() ? -1 : a.text() > b.text() ? 1 : 0;  // code points: UTF-8 bytes order them
    if (a.is_unknown() || b.is_unknown() || a.kind() == Value::Kind::opaque || b.kind() == Value::Kind::opaque) return kUnsure;
    if (a.kind() == Value::Kind::list || b.kind() == Value::Kind::list || a.kind() == Value::Kind::mapping || b.kind() == Value::Kind::mapping) return kUnsure;
    return kDifferent;  // str against a number or None
  }

  static Tri apply(TokenKind op, int order) {
    if (order == kUnsure) return Tri::unknown;
    if (order == kDifferent) {
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

  // `left op right` as Python compares them, tuples item by item. `right_is_list`: the literal is a
  // list display; a tuple never equals a list and does not order against one (TypeError).
  static Tri compare(const EnvValue& left, TokenKind op, const Value& right, bool right_is_list) {
    if (left.kind == EnvValue::Kind::string) {
      if (right.kind() == Value::Kind::list) return apply(op, kDifferent);
      return apply(op, order_of(Value::string(left.str), right));
    }
    if (left.kind == EnvValue::Kind::integer) {
      if (right.kind() == Value::Kind::list) return apply(op, kDifferent);
      return apply(op, order_of(left.items.front(), right));
    }
    if (right.kind() != Value::Kind::list || right_is_list) {
      if (right.is_unknown() || right.kind() == Value::Kind::opaque) return Tri::unknown;
      return apply(op, kDifferent);
    }
    const std::vector<Value>& items = right.items();
    const std::size_t n = std::min(left.items.size(), items.size());
    for (std::size_t i = 0; i < n; ++i) {
      const int order = order_of(left.items[i], items[i]);
      if (order == kUnsure) return Tri::unknown;
      if (order == kDifferent) return op == TokenKind::eqequal || op == TokenKind::notequal ? apply(op, kDifferent) : Tri::unknown;
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

  // `.lower()`/`.upper()` or a subscript applied to an environment value, innermost first.
  struct Suffix {
    enum class Kind { lower, upper, subscript } kind = Kind::lower;
    Span index;
  };

  bool apply_suffix(const Suffix& suffix, EnvValue& out) const {
    if (suffix.kind != Suffix::Kind::subscript) {
      if (out.kind != EnvValue::Kind::string) return false;
      const bool to_lower = suffix.kind == Suffix::Kind::lower;
      for (char& c : out.str) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;  // str.lower() of non-ASCII text: Unicode tables, not decided here
        if (to_lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (!to_lower && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return true;
    }
    if (out.kind == EnvValue::Kind::integer) return false;
    if (out.kind == EnvValue::Kind::string && std::any_of(out.str.begin(), out.str.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      return false;  // indexes count code points, not bytes
    }
    const Span index = suffix.index;
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

  // The bracket opening the one that closes `s` (found from the end: linear in the subscript's length).
  static std::size_t opening_of_last(Span s) {
    int depth = 0;
    for (std::size_t i = s.size(); i-- > 0;) {
      if (closes(s[i].kind)) ++depth;
      if (opens(s[i].kind) && --depth == 0) return i;
    }
    return s.size();
  }

  bool environment_value(Span s, EnvValue& out) const {
    // String methods and subscripts that platform tests apply (`sys.platform.lower()`,
    // `sys.version_info[:2]`), peeled off from the right without recursion: a chain of any length costs
    // its length.
    std::vector<Suffix> suffixes;
    while (true) {
      if (s.size() > 4 && s[s.size() - 4].kind == TokenKind::dot && s[s.size() - 2].kind == TokenKind::lpar && s.back().kind == TokenKind::rpar &&
          (is_word(s[s.size() - 3], "lower") || is_word(s[s.size() - 3], "upper"))) {
        suffixes.push_back({is_word(s[s.size() - 3], "lower") ? Suffix::Kind::lower : Suffix::Kind::upper, {}});
        s = s.first(s.size() - 4);
        continue;
      }
      if (s.size() > 3 && s.back().kind == TokenKind::rsqb) {
        const std::size_t open = opening_of_last(s);
        if (open == 0 || open >= s.size() || s[open].kind != TokenKind::lsqb) return false;
        suffixes.push_back({Suffix::Kind::subscript, s.subspan(open + 1, s.size() - open - 2)});
        s = s.first(open);
        continue;
      }
      break;
    }
    if (!base_environment_value(s, out)) return false;
    for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it) {
      if (!apply_suffix(*it, out)) return false;
    }
    return true;
  }

  bool base_environment_value(Span s, EnvValue& out) const {
    if (s.size() >= 3 && s[s.size() - 2].kind == TokenKind::lpar && s.back().kind == TokenKind::rpar) {
      if (!options_.target || condition_name(s.first(s.size() - 2)) != "platform.system") return false;
      out.kind = EnvValue::Kind::string;
      return out.str = options_.target->platform_system, true;
    }
    const std::string name = condition_name(s);
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

  // ---- what the names of a condition are bound to --------------------------------------------------

  // The last import statement run at module level (not in a function or class body, not in a branch
  // proved dead or under TYPE_CHECKING) that binds `alias`.
  const ImportFact* import_binding(const std::string& alias) const {
    const auto it = import_of_.find(alias);
    return it == import_of_.end() ? nullptr : &facts_.imports[it->second];
  }

  static bool is_immutable_value(const std::string& path) {
    return path == "sys.platform" || path == "sys.byteorder" || path == "os.name" || path == "sys.version_info" || path == "typing.TYPE_CHECKING" ||
           path == "typing_extensions.TYPE_CHECKING";
  }

  // A dotted name of a condition as the module it reads names it (`_sys.platform` after `import sys as
  // _sys` is `sys.platform`), when its first name is provably bound here to what it names: by an import
  // at module level never rebound since (BindingWatch), or `__name__` never bound by the module. Empty
  // otherwise: the condition is then undecided. In a class body with bases or keywords the metaclass
  // prepares the namespace names are first looked up in: nothing is proven there.
  std::string condition_name(Span s) const {
    const std::string name = dotted(s);
    if (name.empty() || watch_.in_prepared_class()) return {};
    const std::string head = name.substr(0, name.find('.'));
    if (watch_.is_local(head)) return {};
    const BindingWatch::Last last = watch_.last(head);
    if (head == "__name__") return name == head && last.kind == BindingWatch::Kind::none && !watch_.unsure_since(head, 0) ? name : std::string();
    if (last.kind != BindingWatch::Kind::import || watch_.unsure_since(head, last.seq)) return {};
    const ImportFact* fact = import_binding(head);
    if (!fact) return {};
    if (last.aliased && fact->name.empty() && fact->module.find('.') != std::string::npos) return {};  // `import a.b as a`: facts read it as `import a.b`
    const std::string path = resolve_through_imports(std::vector<ImportFact>{*fact}, package_, name);
    if (path.empty()) return {};
    const std::string bound = resolve_through_imports(std::vector<ImportFact>{*fact}, package_, head);
    if (!is_immutable_value(bound)) {
      // A module object: it must not have been handed to other code or assigned through since, nor
      // imported after something could have replaced modules (sys.modules, import hooks).
      if (last.escape >= last.seq || watch_.escapes_in_a_function(head) || (watch_.modules_seq() != 0 && watch_.modules_seq() < last.seq)) return {};
    }
    return path;
  }

  // A module variable read by a condition (`_mswindows`): its recorded value is its value here when the
  // last binding of the name is the plain assignment that recorded it (not a `for`, `with ... as`,
  // walrus, class or def since, which the facts may not show).
  bool trusted_variable(std::string_view name) const {
    if (watch_.in_prepared_class() || watch_.is_local(name)) return false;
    const BindingWatch::Last last = watch_.last(name);
    if (last.kind != BindingWatch::Kind::assignment || watch_.unsure_since(name, last.seq)) return false;
    const VariableFact* variable = find_at(facts_.variables, variable_at_, std::string(name));
    return variable && variable->line == static_cast<int>(last.line);
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
    return compare(env, op, other, is_list_display(literal_side));
  }

  // `env in container` as Python answers it: a substring test on a str, equality with an item of a
  // tuple, list or set; anything else (a TypeError, a mapping) is undecided.
  Tri membership(const EnvValue& env, Span container) const {
    const Container c = container_of(container);
    if (c.kind == Container::Kind::str) {
      if (env.kind != EnvValue::Kind::string) return Tri::unknown;  // `3 in "x"` raises TypeError
      return from_bool(c.value.text().find(env.str) != std::string::npos);
    }
    if (c.kind != Container::Kind::items) return Tri::unknown;
    Tri result = Tri::no;
    for (const Value& item : c.value.items()) {
      if (item.kind() == Value::Kind::list) return Tri::unknown;  // a nested tuple or list: not told apart here
      const Tri t = compare(env, TokenKind::eqequal, item, false);
      if (t == Tri::yes) return Tri::yes;
      if (t == Tri::unknown) result = Tri::unknown;
    }
    return result;
  }

  Tri comparison(Span s) const {
    // `X.startswith(...)` on an environment string: a str or a tuple of str (a list raises TypeError)
    if (s.size() >= 4 && s.back().kind == TokenKind::rpar) {
      for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (s[i].kind == TokenKind::dot && is_word(s[i + 1], "startswith") && s[i + 2].kind == TokenKind::lpar && matching(s, i + 2) == s.size() - 1) {
          EnvValue env;
          if (!environment_value(s.first(i), env) || env.kind != EnvValue::Kind::string) return Tri::unknown;
          const Span argument = s.subspan(i + 3, s.size() - i - 4);
          if (is_list_display(argument) || find_top(argument, TokenKind::lbrace) < argument.size()) return Tri::unknown;
          const Container c = container_of(argument);
          std::vector<std::string> prefixes;
          if (c.kind == Container::Kind::str) prefixes.push_back(c.value.text());
          if (c.kind == Container::Kind::items) {
            for (const Value& item : c.value.items()) {
              if (item.kind() != Value::Kind::string) return Tri::unknown;
              prefixes.push_back(item.text());
            }
          }
          if (c.kind == Container::Kind::none) return Tri::unknown;
          return from_bool(std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return env.str.starts_with(p); }));
        }
      }
    }
    // Comparison operators at depth 0: one, or a chain (`a <= X < b` is `a <= X and X < b`).
    std::vector<std::size_t> ops;
    std::size_t membership_at = s.size();
    top_level(s, [&](std::size_t i) {
      if (is_comparison(s[i].kind)) ops.push_back(i);
      if (is_word(s[i], "in") || is_word(s[i], "is")) membership_at = i;
      return false;
    });
    if (membership_at < s.size()) {
      if (!ops.empty() || !is_word(s[membership_at], "in")) return Tri::unknown;
      const bool negated = membership_at > 0 && is_word(s[membership_at - 1], "not");
      EnvValue env;
      if (!environment_value(s.first(negated ? membership_at - 1 : membership_at), env)) return Tri::unknown;
      const Tri found = membership(env, s.subspan(membership_at + 1));
      return negated ? tri_not(found) : found;
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

  // The condition reads `TYPE_CHECKING`, alone or as one operand of `and` (`TYPE_CHECKING and X`): bound
  // (typing's, under any import alias) or spelled so (`TYPE_CHECKING`, `typing.`, `t.`): what a dead
  // branch's imports are recorded as.
  bool is_type_checking(Span s) const {
    s = ungrouped(s);
    if (const std::vector<Span> parts = split_top_words(s, "and"); parts.size() > 1) {
      return std::any_of(parts.begin(), parts.end(), [&](Span part) {
        part = ungrouped(part);
        return !part.empty() && (is_type_checking_name(dotted(part)) || bound_type_checking(part));
      });
    }
    return !s.empty() && (is_type_checking_name(dotted(s)) || bound_type_checking(s));
  }

  // The condition is `__name__ == "__main__"` (either way round), alone or as one operand of `and`.
  bool is_main_guard(Span s) const {
    const auto guard = [&](Span part) {
      part = ungrouped(part);
      if (part.size() != 3 || part[1].kind != TokenKind::eqequal) return false;
      const auto main = [&](const Token& t) {
        if (t.kind != TokenKind::string) return false;
        const Value v = literal(Span(&t, 1), 0, false);
        return v.kind() == Value::Kind::string && v.text() == "__main__";
      };
      return (is_word(part[0], "__name__") && main(part[2])) || (main(part[0]) && is_word(part[2], "__name__"));
    };
    const std::vector<Span> parts = split_top_words(ungrouped(s), "and");
    return parts.size() > 1 ? std::any_of(parts.begin(), parts.end(), guard) : guard(s);
  }

  // The condition is typing's TYPE_CHECKING, provably (condition_name): False at run time.
  bool bound_type_checking(Span s) const {
    const std::string name = condition_name(ungrouped(s));
    return name == "typing.TYPE_CHECKING" || name == "typing_extensions.TYPE_CHECKING";
  }

  // Whether a condition holds at import time, when that is known. Without recursion over `not`
  // chains (counted) and linear in the condition's length but for its brackets (at most 200 deep).
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
    std::size_t nots = 0;
    while (nots < s.size() && is_word(s[nots], "not")) ++nots;
    if (nots > 0) {
      const Tri t = condition(s.subspan(nots));
      return nots % 2 == 0 ? t : tri_not(t);
    }
    if (s[0].kind == TokenKind::lpar && matching(s, 0) == s.size() - 1) return condition(s.subspan(1, s.size() - 2));
    if (bound_type_checking(s)) return Tri::no;
    if (s.size() == 1) {
      // A literal, or a name bound above to a known literal (`_mswindows = sys.platform == "win32"`).
      if (s[0].kind == TokenKind::name && !is_word(s[0], "True") && !is_word(s[0], "False") && !is_word(s[0], "None") && !trusted_variable(text(s[0]))) {
        return Tri::unknown;
      }
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
      } else if (deferred.records()) {
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
    // Decorators: kept as text until their definition, with the first one whose result the reader cannot
    // know (decorator_problem). Each runs at import time, before the definition is bound.
    std::vector<std::string> decorators;
    std::string decorated;
    while (tok_.kind == TokenKind::at) {
      const Span line = read_line();
      if (scope != Scope::method_body) {
        runs_functions(line, scope, cls, flow);
        walrus_bindings(line.subspan(1), scope, cls, flow);
        if (decorated.empty() && line.size() > 1) decorated = decorator_problem(line.subspan(1), scope, cls);
      }
      decorators.push_back(span_text(line.subspan(1)));
      if (tok_.kind != TokenKind::name && tok_.kind != TokenKind::at) fail_at(tok_, "expected a definition after a decorator, found " + describe(tok_));
    }
    // The line views this depth's buffer: a body's statements are read into the next depth's, and the
    // next line at this depth (an `elif`, the next statement) is read only when this one is done.
    const Span line = read_line();
    if (line.empty()) return;
    if (scope != Scope::method_body) note_dynamic_namespace(line, scope);
    if (scope != Scope::method_body) runs_functions(line, scope, cls, flow);
    const Token& first = line[0];
    const std::string_view word = first.kind == TokenKind::name ? raw(first) : std::string_view();  // keywords as written
    const bool is_async = word == "async" && line.size() > 1;
    const std::string_view keyword = is_async ? raw(line[1]) : word;
    {
      // A compound statement's header here; its body where it is read (block or same line: body()).
      const bool compound = keyword == "def" || keyword == "class" || keyword == "if" || keyword == "while" || keyword == "for" ||
                            keyword == "with" || keyword == "try";
      note_dynamic_imports(compound ? line.first(find_top(line, TokenKind::colon)) : line, deferred_in(scope));
    }

    if (!decorators.empty() && keyword != "def" && keyword != "class") fail_at(first, "expected 'def' or 'class' after decorators, found " + describe(first));
    if (keyword == "def") return function_def(line, decorators, decorated, is_async, scope, flow, cls, method);
    if (keyword == "class") return class_def(line, decorated, scope, flow, cls, method);
    if (keyword == "if") return if_chain(line, scope, flow, cls, method);
    if (keyword == "while" || keyword == "for") {
      const std::size_t colon = header_colon(line);
      if (scope != Scope::method_body) {
        const Span header = line.subspan(is_async ? 2 : 1, colon - (is_async ? 2 : 1));
        walrus_bindings(header, scope, cls, flow);
        if (keyword == "for") for_targets(header, scope, cls, flow);
      }
      const Flow loop = keyword == "for" ? Flow::under("the `for` loop", "which may not run it", first) : Flow::under("the `while` loop", "which may not run it", first);
      body(line.subspan(colon + 1), first, scope, loop, cls, method, false);
      else_clause(scope, loop, cls, method);
      return;
    }
    if (keyword == "with") {
      const std::size_t colon = header_colon(line);
      Flow inside = flow;
      if (scope != Scope::method_body) {
        const Span header = line.subspan(is_async ? 2 : 1, colon - (is_async ? 2 : 1));
        walrus_bindings(header, scope, cls, flow);
        if (with_items(header, scope, cls, flow)) inside = Flow::under("the `with` statement", "whose context manager may suppress an exception before it", first);
      }
      return body(line.subspan(colon + 1), first, scope, inside, cls, method, false);
    }
    if (keyword == "try") return try_chain(line, scope, flow, cls, method);
    if (word == "match" && line.size() > 2 && line.back().kind == TokenKind::colon && tok_.kind == TokenKind::indent && find_top(line, TokenKind::equal) == line.size()) {
      return match_block(line, scope, flow, cls, method);
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

  static Deferred deferred_in(Scope scope) { return scope == Scope::method_body ? kLazy : scope == Scope::class_body ? kInClassBody : Deferred{}; }

  void note_dynamic_imports(Span line, Deferred deferred) {
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
      const bool defined_here = i > 0 && (is_word(line[i - 1], "def") || is_word(line[i - 1], "class"));
      // `run = exec`, `f(__import__)`, `from builtins import exec as run`: handed on, then called under a
      // name the reader does not follow. Not a keyword argument or an assignment's target (`eval=True`).
      if (!called && !after_dot && !defined_here && (word == "exec" || word == "eval" || word == "__import__") &&
          !(i + 1 < line.size() && line[i + 1].kind == TokenKind::equal)) {
        unknown_import(line, i, i, "`" + std::string(word) + "` handed on as a value: code run through it can import any module");
        continue;
      }
      if (!called || defined_here) continue;
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
      if (is_module_loader(word)) {
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
        const std::optional<std::string> module = import_module_target(*name, package);
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
        facts_.imports[k].main_guard = deferred.main_guard;
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
      if (!is_else && !taken && scope != Scope::method_body) walrus_bindings(h.subspan(1, colon - 1), scope, cls, maybe ? Flow::under("the `elif` clause", "which may not be reached", h[0]) : flow);
      const bool dead = taken || t == Tri::no;
      Flow branch = flow;
      if (!dead && (t == Tri::unknown || maybe)) {
        branch = Flow::under(is_else ? "the `else` clause" : is_word(h[0], "elif") ? "the `elif` clause" : "the `if` statement", "which may not run it", h[0]);
      }
      Deferred deferred;  // what a dead branch's imports are recorded as
      if (scope == Scope::method_body) {
        deferred = kLazy;
      } else if (scope == Scope::module && !is_else && is_type_checking(h.subspan(1, colon - 1))) {
        deferred = kTypeChecking;
      } else if (scope == Scope::module && !is_else && t == Tri::no && is_main_guard(h.subspan(1, colon - 1))) {
        deferred = kMainGuard;
      }
      watch_.mute(dead);  // a branch proved dead binds nothing (BindingWatch)
      body(h.subspan(colon + 1), h[0], scope, branch, cls, method, dead, deferred);
      watch_.mute(false);
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
      // `except E as name:` binds the name in the handler and deletes it when the handler ends.
      std::optional<std::string> caught;
      bool bound_before = false;
      if (scope != Scope::method_body && is_word(h[0], "except")) {
        const Span clause = h.first(colon);
        const std::size_t as = find_top_word(clause, "as");
        if (as + 2 == clause.size() && clause[as + 1].kind == TokenKind::name) {
          caught = std::string(text(clause[as + 1]));
          bound_before = is_bound(*caught, scope, cls);
          rebind(*caught, Value::unknown("the exception an `except` clause caught"), scope, cls, true, static_cast<int>(h[0].line), "an `except` clause");
        }
      }
      const Flow clause = is_word(h[0], "try")      ? Flow::under("the `try` body", "which may stop before it", h[0])
                          : is_word(h[0], "except") ? Flow::under("the `except` clause", "which may not run", h[0])
                                                    : Flow::under("the `else` clause of a `try`", "which may not run", h[0]);
      ++try_depth_;
      body(h.subspan(colon + 1), h[0], scope, is_finally ? flow : clause, cls, method, false);
      --try_depth_;
      if (caught) handler_deletes(*caught, bound_before, scope, cls, static_cast<int>(h[0].line));
      if (!(is_word(tok_, "except") || is_word(tok_, "else") || is_word(tok_, "finally"))) return;
      h = read_line();
    }
  }

  void match_block(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    // `match subject:` then one `case pattern [if guard]:` clause per line, each a conditional body.
    if (scope != Scope::method_body) walrus_bindings(line.subspan(1, line.size() - 2), scope, cls, flow);
    advance();  // INDENT
    while (tok_.kind != TokenKind::dedent && tok_.kind != TokenKind::end_marker) {
      const Span header = read_line();
      if (header.empty() || !is_word(header[0], "case")) fail_at(header.empty() ? tok_ : header[0], "expected 'case' in a match statement");
      const std::size_t colon = header_colon(header);
      if (scope != Scope::method_body) {
        // A pattern that fails may still have bound some of its names: every capture is conditional.
        const Span clause = header.subspan(1, colon - 1);
        const std::size_t guard = find_top_word(clause, "if");
        for (const std::string& name : pattern_captures(clause.first(guard))) {
          rebind(name, Value::unknown("captured by a `case` pattern"), scope, cls, true, static_cast<int>(header[0].line), "a `case` pattern");
        }
        if (guard < clause.size()) walrus_bindings(clause.subspan(guard + 1), scope, cls, Flow::under("the `case` clause", "which may not be tried", header[0]));
      }
      body(header.subspan(colon + 1), header[0], scope, Flow::under("the `case` clause", "which may not match", header[0]), cls, method, false);
    }
    if (tok_.kind == TokenKind::dedent) advance();
  }

  // ---- definitions ---------------------------------------------------------------------------------

  void function_def(Span line, const std::vector<std::string>& decorators, const std::string& decorated, bool is_async, Scope scope, Flow flow,
                    ClassFact* cls, const MethodScan* method) {
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
    fact.unverifiable = decorated;
    walrus_bindings(parameters, scope, cls, flow);  // defaults run when the definition does

    if (scope == Scope::module) {
      std::vector<std::string> globals = global_statements(rest);
      std::vector<std::string>* outer = std::exchange(globals_, &globals);
      body(rest, line[0], scope, flow, cls, method, true, kLazy);
      globals_ = outer;
      if (globals.empty()) {
        global_writers_.erase(fact.name);
      } else {
        global_writers_[fact.name] = {std::move(globals), fact.line};
      }
      bind_function(std::move(fact), flow);
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
    defined_conditionally(fact, flow);
    if (flow.conditional) {
      // The method bound when the class body has run is the earlier one or this one: not known.
      if (FunctionFact* earlier = find_at(cls->methods, class_members_.methods, name); earlier && earlier->unverifiable.empty()) {
        earlier->unverifiable = "may be defined again at line " + std::to_string(fact.line);
      }
    }
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

  void class_def(Span line, const std::string& decorated, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    if (line.size() < 2 || line[1].kind != TokenKind::name) fail_at(line[std::min<std::size_t>(1, line.size() - 1)], "expected a class name after 'class'");
    const std::size_t colon = header_colon(line);
    const Span rest = line.subspan(colon + 1);
    // Nested classes: not read; the imports of one in a class body run at import time (its methods' are lazy).
    // A nested class binds its name in the class body: a method of that name is gone (or may be).
    if (scope == Scope::class_body && cls) rebind_member(mangle_private(text(line[1]), cls->name), *cls, flow, static_cast<int>(line[0].line));
    if (scope != Scope::module) return body(rest, line[0], scope, flow, cls, method, true, scope == Scope::method_body ? kLazy : kInClassBody);

    ClassFact fact;
    fact.name = std::string(text(line[1]));
    fact.line = static_cast<int>(line[0].line);
    fact.unverifiable = decorated;
    walrus_bindings(line.subspan(2, colon - 2), scope, cls, flow);
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
    // `class Base(Base)` after a local `Base`: the base is what the name is bound to before this
    // statement, which the class model (one class per name) cannot follow.
    for (const SuperclassFact& base : fact.superclasses) {
      if (base.name == fact.name && fact.unverifiable.empty() &&
          (class_at_.contains(fact.name) || function_at_.contains(fact.name) || variable_at_.contains(fact.name))) {
        fact.unverifiable = "its base `" + fact.name + "` is the name this class statement binds again, and the earlier binding is not followed";
      }
    }
    class_members_ = {};
    std::vector<std::string> globals = global_statements(rest);
    std::vector<std::string>* outer = std::exchange(globals_, &globals);
    body(rest, line[0], Scope::class_body, Flow{}, &fact, nullptr, false);
    globals_ = outer;
    if (globals.empty()) {
      global_writers_.erase(fact.name);
    } else {
      // The class body may already call those methods (`_set()` in the body runs at import).
      globals_may_be_rebound(globals, "may be rebound by a method of class `" + fact.name + "` (line " + std::to_string(fact.line) + "), which declares it `global`",
                             fact.line);
      global_writers_[fact.name] = {std::move(globals), fact.line};  // its methods' (`C()` runs `__init__`)
    }
    compact(fact.methods);
    compact(fact.attributes);
    const std::string name = fact.name;
    std::vector<std::string> base_heads;
    for (const SuperclassFact& base : fact.superclasses) base_heads.push_back(base.name.substr(0, base.name.find('.')));
    bind_class(std::move(fact), flow);
    // The bases were read through what their names are bound to now; a later binding must not change them.
    for (std::string& head : base_heads) classes_by_base_[std::move(head)].push_back(name);
  }

  // ---- simple statements ---------------------------------------------------------------------------

  void simple_statements(Span line, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    if (find_top(line, TokenKind::semi) == line.size()) return simple_statement(line, scope, flow, cls, method);  // the usual case
    for (Span s : split_top(line, TokenKind::semi)) {
      if (!s.empty()) simple_statement(s, scope, flow, cls, method);
    }
  }

  static bool is_augmented(TokenKind k) { return k >= TokenKind::plusequal && k <= TokenKind::doubleslashequal; }

  // `lazy import m` or `lazy from m import x` (PEP 810, Python 3.15); `lazy` is a keyword only there.
  bool is_lazy_import(Span s) const {
    return s.size() > 2 && is_word(s[0], "lazy") && (is_word(s[1], "import") || (is_word(s[1], "from") && find_top_word(s, "import") < s.size()));
  }

  // Where PEP 810 refuses a lazy import (a SyntaxError on Python 3.15): anywhere but module level (`where`
  // says where it is instead), in a `try` statement, as a star import or of `__future__`.
  void lazy_import_allowed(Span s, const char* where) const {
    require_version(s[0], 15, "`lazy import` (PEP 810)", "write a plain import, or run the module (and ImportSpy) on Python 3.15 or newer");
    if (where) fail_at(s[0], std::string("a lazy import is not allowed ") + where + " (PEP 810): only at module level, outside `try`; write a plain import");
    if (is_word(s[1], "from")) {
      const std::size_t import = find_top_word(s, "import");
      if (import == 3 && raw(s[2]) == "__future__") fail_at(s[0], "`lazy from __future__ import` is not allowed (PEP 810): a future statement is never lazy");
      if (import + 1 < s.size() && s[import + 1].kind == TokenKind::star) fail_at(s[0], "`lazy from ... import *` is not allowed (PEP 810): a star import cannot be lazy");
    }
  }

  void simple_statement(Span s, Scope scope, Flow flow, ClassFact* cls, const MethodScan* method) {
    const int line = static_cast<int>(s[0].line);
    if (scope == Scope::module) {
      const std::size_t first_import = facts_.imports.size();
      if (is_word(s[0], "import")) return import_names(s.subspan(1), s[0], line), imports_bind(first_import, scope, cls, flow);
      if (is_word(s[0], "from") && find_top_word(s, "import") < s.size()) return import_from(s, line), imports_bind(first_import, scope, cls, flow);
      // PEP 810 (Python 3.15): `lazy import m`, `lazy from m import x` bind the name now and import on first
      // use. `lazy` is a keyword only there (`lazy = 1`, `lazy(x)` stay what they are).
      if (is_lazy_import(s)) {
        lazy_import_allowed(s, try_depth_ > 0 ? "inside a `try` statement" : nullptr);
        return import_statement(s.subspan(1), kLazy), imports_bind(first_import, scope, cls, flow);
      }
      if (is_word(s[0], "del")) return delete_names(s.subspan(1), flow, nullptr);
      if (is_word(s[0], "type") && s.size() > 2 && s[1].kind == TokenKind::name && (s[2].kind == TokenKind::equal || s[2].kind == TokenKind::lsqb)) {
        return set_variable(std::string(text(s[1])), Value::unknown("a type alias"), std::nullopt, line, flow.conditional);
      }
    } else if (is_lazy_import(s)) {
      lazy_import_allowed(s, scope == Scope::class_body ? "in a class body" : "inside a function");
    } else if (scope == Scope::class_body && is_word(s[0], "del")) {
      return delete_names(s.subspan(1), flow, cls);
    } else if (scope == Scope::class_body && (is_word(s[0], "import") || is_word(s[0], "from"))) {
      const std::size_t first_import = facts_.imports.size();
      return import_statement(s, kInClassBody), imports_bind(first_import, scope, cls, flow);
    } else if (scope == Scope::method_body && (is_word(s[0], "import") || is_word(s[0], "from"))) {
      return import_statement(s, kLazy);
    } else if (scope == Scope::method_body && is_word(s[0], "global")) {
      if (globals_) {
        for (std::size_t i = 1; i < s.size(); ++i) {
          if (s[i].kind == TokenKind::name) globals_->emplace_back(text(s[i]));
        }
      }
      return;
    } else if (scope == Scope::class_body && is_word(s[0], "global")) {
      // The class body's own assignments to these names bind module names (noted as a dynamic namespace).
      for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i].kind == TokenKind::name) maybe_rebound(std::string(text(s[i])), Scope::module, nullptr, "declared `global` in the class body at line " + std::to_string(line), true);
      }
      return;
    }
    walrus_bindings(s, scope, cls, flow);
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
      rebind_member(attribute, *cls, flow, line);
      set_attribute(*cls, attribute, AttributeKind::class_attribute, flow.conditional ? Value::unknown("assigned conditionally") : literal(*value, 0, false),
                    annotation, line);
    }
  }

  // A class-body assignment to `member` (mangled): in straight-line code the method of that name is gone;
  // in code that may not run, it may be.
  void rebind_member(const std::string& member, ClassFact& cls, Flow flow, int line) {
    if (!flow.conditional) return unbind_at(cls.methods, class_members_.methods, member);
    if (FunctionFact* m = find_at(cls.methods, class_members_.methods, member); m && m->unverifiable.empty()) {
      m->unverifiable = "may be rebound at line " + std::to_string(line);
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
            defined_conditionally(alias, flow);
            remove_attribute(*cls, name, flow.conditional);
            bind_at(cls->methods, class_members_.methods, name, std::move(alias), flow.conditional);
          } else {
            rebind_member(name, *cls, flow, line);
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
          bind_function(std::move(alias), flow);
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
      const std::string member = mangle_private(text(name[0]), cls.name);
      rebind_member(member, cls, flow, line);
      set_attribute(cls, member, AttributeKind::class_attribute, v, std::nullopt, line);
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

  // A definition in code that may not run may leave the name unbound, or bound to what it was before:
  // CPython may bind something else, and the fact says so.
  template <typename Fact>
  static void defined_conditionally(Fact& fact, const Flow& flow) {
    if (flow.conditional && fact.unverifiable.empty()) fact.unverifiable = flow.why_defined();
  }

  void bind_function(FunctionFact fact, const Flow& flow) {
    defined_conditionally(fact, flow);
    bound_by_definition(fact.name, fact.line, flow.conditional, false);
    const std::string name = fact.name;
    note_bound(name);
    bind_at(facts_.functions, function_at_, name, std::move(fact), flow.conditional);
  }

  void bind_class(ClassFact fact, const Flow& flow) {
    defined_conditionally(fact, flow);
    bound_by_definition(fact.name, fact.line, flow.conditional, true);
    const std::string name = fact.name;
    note_bound(name);
    bind_at(facts_.classes, class_at_, name, std::move(fact), flow.conditional);
  }

  // What a `def` or `class` at `line` does to what `name` was bound to: in straight-line code it is gone
  // (a `__version__` too: the running module's is then a function or class, no version); in code that
  // may not run, it may be replaced, so a variable of that name is no longer known to be one.
  void bound_by_definition(const std::string& name, int line, bool conditional, bool is_class) {
    if (conditional) return maybe_rebound(name, Scope::module, nullptr, "may be defined again at line " + std::to_string(line), true);
    unbind_others(name, true, is_class, !is_class);
    if (name == "__version__") facts_.version.reset(), facts_.version_unknown = false;
  }

  void set_variable(const std::string& name, Value value, std::optional<std::string> annotation, int line, bool conditional) {
    if (!module_variable_rule(facts_, name, value, annotation)) return;
    if (!conditional) unbind_others(name, false, true, true);
    // Code that may not run may still rebind a function or class of that name; and a name it binds
    // first may not be bound at all.
    if (conditional) maybe_rebound(name, Scope::module, nullptr, "may be rebound at line " + std::to_string(line));
    if (conditional && !variable_at_.contains(name)) {
      note_bound(name);
      facts_.variables.push_back({name, std::move(value), std::move(annotation), line, "may not be bound: line " + std::to_string(line) + " is in code that may not run"});
      variable_at_.emplace(name, facts_.variables.size() - 1);
      return;
    }
    note_bound(name);
    const auto [at, added] = variable_at_.try_emplace(name, facts_.variables.size());
    if (added) {
      facts_.variables.push_back({name, std::move(value), std::move(annotation), line, {}});
      return;
    }
    VariableFact& existing = facts_.variables[at->second];
    existing.value = std::move(value);
    if (annotation) existing.annotation = std::move(annotation);
    existing.line = line;
  }

  void delete_names(Span targets, Flow flow, ClassFact* cls) {
    for (Span target : split_top(targets, TokenKind::comma)) {
      target = unparenthesized(target);
      if (target.size() != 1 || target[0].kind != TokenKind::name) {
        if (const auto names = elements(target)) {
          for (Span name : *names) delete_names(name, flow, cls);
        } else if (!target.empty()) {
          changed_through(target, cls ? Scope::class_body : Scope::module, cls);  // `del d[k]`, `del d.attr`
        }
        continue;
      }
      const std::string name(text(target[0]));
      if (flow.conditional) {
        // May or may not run: what was bound is still reported, as what may be gone.
        maybe_rebound(name, cls ? Scope::class_body : Scope::module, cls, "may be deleted at line " + std::to_string(target[0].line), true);
        continue;
      }
      if (name == "__version__" && !cls) facts_.version.reset(), facts_.version_unknown = false;
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

  // ---- binding forms other than assignment, definition and `del` --------------------------------------

  void note_bound(const std::string& name) {
    ++bindings_;
    bound_since_star_.push_back(name);
    base_rebound(name);
  }

  // `name` bound again after a class statement read it as a base: the reader resolves bases through the
  // module's final bindings, CPython used the one at the class statement. Those classes' bases are not
  // known then.
  void base_rebound(const std::string& name) {
    if (classes_by_base_.empty()) return;
    const auto users = classes_by_base_.find(name);
    if (users == classes_by_base_.end()) return;
    for (const std::string& user : users->second) {
      if (ClassFact* c = find_at(facts_.classes, class_at_, user); c && c->unverifiable.empty()) {
        c->unverifiable = "its base `" + name + "` is bound again after the class statement, which used the earlier binding";
      }
    }
    classes_by_base_.erase(users);
  }

  // Whether `name` is bound in the scope being read (the module, or the class body `cls`).
  bool is_bound(const std::string& name, Scope scope, const ClassFact* cls) const {
    if (scope == Scope::class_body && cls) {
      const std::string member = mangle_private(name, cls->name);
      return class_members_.methods.contains(member) || class_members_.attributes.contains(attribute_key(member, AttributeKind::class_attribute));
    }
    return variable_at_.contains(name) || function_at_.contains(name) || class_at_.contains(name) ||
           (name == "__version__" && (facts_.version || facts_.version_unknown));
  }

  // What is bound to `name` so far may be replaced when the module runs (`why`), or `deleted`: a function
  // or class (a method) becomes unverifiable, a variable's (attribute's) value unknown, and a variable
  // that may be gone unverifiable too.
  void maybe_rebound(const std::string& name, Scope scope, ClassFact* cls, const std::string& why, bool deleted = false) {
    if (scope == Scope::class_body && cls) {
      const std::string member = mangle_private(name, cls->name);
      if (FunctionFact* m = find_at(cls->methods, class_members_.methods, member); m && m->unverifiable.empty()) m->unverifiable = why;
      if (AttributeFact* a = find_at(cls->attributes, class_members_.attributes, attribute_key(member, AttributeKind::class_attribute))) {
        a->value = Value::unknown(why);
      }
      return;
    }
    if (FunctionFact* f = find_at(facts_.functions, function_at_, name); f && f->unverifiable.empty()) f->unverifiable = why;
    if (ClassFact* c = find_at(facts_.classes, class_at_, name); c && c->unverifiable.empty()) c->unverifiable = why;
    if (VariableFact* v = find_at(facts_.variables, variable_at_, name)) {
      v->value = Value::unknown(why);
      if (deleted && v->unverifiable.empty()) v->unverifiable = why;
    }
    if (name == "__version__" && (facts_.version || facts_.version_unknown)) facts_.version.reset(), facts_.version_unknown = true;
  }

  // `name` bound by a form whose value the reader does not follow (`how`: "a `for` loop", ...) at `line`:
  // in straight-line code it is that value now (no function, class or method any more); in conditional
  // code what was bound before may be replaced.
  void rebind(const std::string& name, Value value, Scope scope, ClassFact* cls, bool conditional, int line, const std::string& how) {
    const std::string why = "may be rebound by " + how + " at line " + std::to_string(line);
    if (conditional) maybe_rebound(name, scope, cls, why);
    if (scope == Scope::class_body && cls) {
      const std::string member = mangle_private(name, cls->name);
      if (!conditional) unbind_at(cls->methods, class_members_.methods, member);
      set_attribute(*cls, member, AttributeKind::class_attribute, conditional ? Value::unknown(why) : std::move(value), std::nullopt, line);
      return;
    }
    set_variable(name, conditional ? Value::unknown(why) : std::move(value), std::nullopt, line, conditional);
  }

  // The names a target list binds (`x`, `x, (y, *z)`, `[a, b]`); `d[k]` and `o.attr` change `d` and `o`.
  void bind_targets(Span target, const Value& value, Scope scope, ClassFact* cls, bool conditional, int line, const std::string& how) {
    target = unparenthesized(target);
    if (target.size() == 2 && target[0].kind == TokenKind::star) target = target.subspan(1);
    if (target.size() == 1 && target[0].kind == TokenKind::name) return rebind(std::string(text(target[0])), value, scope, cls, conditional, line, how);
    if (const auto names = elements(target)) {
      for (Span name : *names) bind_targets(name, value, scope, cls, conditional, line, how);
      return;
    }
    changed_through(target, scope, cls);
  }

  // `for TARGET in ITERABLE` (the header without `for` and colon): the targets are bound when the loop
  // runs once, which only a non-empty literal iterable makes sure of.
  void for_targets(Span header, Scope scope, ClassFact* cls, Flow flow) {
    const std::size_t in = find_top_word(header, "in");
    if (in == 0 || in == header.size()) return;
    const Value iterable = literal(header.subspan(in + 1), 0, false);
    const bool runs = (iterable.kind() == Value::Kind::list && !iterable.items().empty()) || (iterable.kind() == Value::Kind::string && !iterable.text().empty());
    bind_targets(header.first(in), Value::unknown("bound by a `for` loop"), scope, cls, flow.conditional || !runs, static_cast<int>(header[0].line),
                 "a `for` loop");
  }

  // The items of a `with` header (without `with` and colon): binds their `as` targets and returns whether
  // the body may be cut short, by a context manager the reader does not know to let exceptions through
  // (`contextlib.suppress(...)`, or any whose code it cannot see): what the body binds is then conditional.
  bool with_items(Span header, Scope scope, ClassFact* cls, Flow flow) {
    Span items = header;
    if (items.size() > 2 && items[0].kind == TokenKind::lpar && matching(items, 0) == items.size() - 1) {
      const Span inner = items.subspan(1, items.size() - 2);
      if (find_top_word(inner, "as") < inner.size() || find_top(inner, TokenKind::comma) < inner.size()) items = inner;  // `with (A as a, B):`
    }
    bool may_suppress = false;
    for (Span item : split_top(items, TokenKind::comma)) {
      if (item.empty()) continue;
      const std::size_t as = find_top_word(item, "as");
      if (as + 1 < item.size()) {
        bind_targets(item.subspan(as + 1), Value::unknown("bound by `with ... as`"), scope, cls, flow.conditional || may_suppress,
                     static_cast<int>(item[0].line), "`with ... as`");
      }
      if (!context_manager_keeps_exceptions(callee_of(item.first(as), scope, cls).qualified)) may_suppress = true;
    }
    return may_suppress;
  }

  // The names a `case` pattern captures (`x`, `[a, *rest]`, `{"k": v, **kw}`, `Point(x=v)`, `P() as p`);
  // not `_`, dotted value patterns, class names or keyword names.
  std::vector<std::string> pattern_captures(Span p) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i].kind != TokenKind::name) continue;
      const std::string_view w = text(p[i]);
      if (w == "_" || w == "None" || w == "True" || w == "False" || w == "as" || w == "if" || w == "case" || w == "not" || w == "and" || w == "or") continue;
      if (i > 0 && p[i - 1].kind == TokenKind::dot) continue;
      if (i + 1 < p.size() && (p[i + 1].kind == TokenKind::dot || p[i + 1].kind == TokenKind::lpar || p[i + 1].kind == TokenKind::equal)) continue;
      out.emplace_back(w);
    }
    return out;
  }

  // Assignment expressions (`(NAME := value)`) in an expression the scope evaluates, a comprehension's
  // included (it binds in the enclosing scope), not inside a lambda's body. Under `and`, `or`, `if` or
  // `for` it may not run: conditional.
  void walrus_bindings(Span s, Scope scope, ClassFact* cls, Flow flow) {
    if (scope == Scope::method_body || std::none_of(s.begin(), s.end(), [](const Token& t) { return t.kind == TokenKind::colonequal; })) return;
    const bool uncertain = flow.conditional || std::any_of(s.begin(), s.end(), [&](const Token& t) {
      return is_word(t, "and") || is_word(t, "or") || is_word(t, "if") || is_word(t, "for");
    });
    int depth = 0;
    std::vector<std::pair<int, bool>> lambdas;  // (depth, body started)
    for (std::size_t i = 0; i < s.size(); ++i) {
      const TokenKind k = s[i].kind;
      if (opens(k)) {
        ++depth;
      } else if (closes(k)) {
        while (!lambdas.empty() && lambdas.back().first >= depth) lambdas.pop_back();
        --depth;
      } else if (is_word(s[i], "lambda")) {
        lambdas.emplace_back(depth, false);
      } else if (k == TokenKind::colon && !lambdas.empty() && lambdas.back().first == depth && !lambdas.back().second) {
        lambdas.back().second = true;
      } else if (k == TokenKind::comma && !lambdas.empty() && lambdas.back().first == depth && lambdas.back().second) {
        lambdas.pop_back();
      } else if (k == TokenKind::colonequal && i > 0 && s[i - 1].kind == TokenKind::name &&
                 std::none_of(lambdas.begin(), lambdas.end(), [](const auto& l) { return l.second; })) {
        rebind(std::string(text(s[i - 1])), Value::unknown("bound by an assignment expression"), scope, cls, uncertain, static_cast<int>(s[i].line),
               "an assignment expression");
      }
    }
  }

  // The names `global` statements declare in a body written on its header's line (`def f(): global x`).
  std::vector<std::string> global_statements(Span rest) const {
    std::vector<std::string> out;
    for (Span part : split_top(rest, TokenKind::semi)) {
      if (part.empty() || !is_word(part[0], "global")) continue;
      for (std::size_t i = 1; i < part.size(); ++i) {
        if (part[i].kind == TokenKind::name) out.emplace_back(text(part[i]));
      }
    }
    return out;
  }

  // A line run at import time that names a function (or class) whose body declares names `global`: it
  // may call it (directly, as a decorator, through another object), which may rebind or delete those
  // names. What is bound to them becomes unverifiable; a name bound nowhere else may exist.
  void runs_functions(Span line, Scope scope, ClassFact* cls, Flow flow) {
    if (global_writers_.empty()) return;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i].kind != TokenKind::name) continue;
      if (i > 0 && (line[i - 1].kind == TokenKind::dot || is_word(line[i - 1], "def") || is_word(line[i - 1], "class"))) continue;
      const auto writer = global_writers_.find(std::string(text(line[i])));
      if (writer == global_writers_.end() || writer->second.applied_at == bindings_) continue;
      const std::string why = "may be rebound by `" + writer->first + "` (line " + std::to_string(writer->second.line) +
                              "), which declares it `global` and runs at line " + std::to_string(line[i].line);
      globals_may_be_rebound(writer->second.names, why, static_cast<int>(line[i].line));
      writer->second.applied_at = bindings_;
    }
    (void)scope, (void)cls, (void)flow;
  }

  // Names a function declares `global`, when that function may run (at `line`): what is bound to them
  // becomes unverifiable, and a name bound nowhere else may exist.
  void globals_may_be_rebound(const std::vector<std::string>& names, const std::string& why, int line) {
    for (const std::string& name : names) {
      if (!is_bound(name, Scope::module, nullptr)) set_variable(name, Value::unknown(why), std::nullopt, line, true);
      maybe_rebound(name, Scope::module, nullptr, why, true);
    }
  }

  // `except ... as name:` deletes the name when its handler ends: unbound after the try statement unless
  // it was bound before (then it may be gone).
  void handler_deletes(const std::string& name, bool bound_before, Scope scope, ClassFact* cls, int line) {
    if (bound_before) {
      return maybe_rebound(name, scope, cls, "may be deleted at the end of the `except` clause at line " + std::to_string(line), true);
    }
    if (scope == Scope::class_body && cls) {
      const std::string member = mangle_private(name, cls->name);
      remove_attribute(*cls, member, false);
      unbind_at(cls->methods, class_members_.methods, member);
      return;
    }
    unbind_others(name, true, true, true);
    if (name == "__version__") facts_.version.reset(), facts_.version_unknown = false;
  }

  // What an expression calls or names, through imports: `functools.lru_cache(maxsize=None)` is
  // {functools.lru_cache, "(maxsize=None)"}. `qualified` is empty when the name is bound in this module
  // (`where` says where) or is no dotted name; a bare name bound nowhere is a builtin.
  struct Callee {
    std::string name, qualified, arguments, where;
  };

  Callee callee_of(Span s, Scope scope, const ClassFact* cls) const {
    Callee out;
    Span callee = s;
    if (!s.empty() && s.back().kind == TokenKind::rpar) {
      for (std::size_t k = 1; k < s.size(); ++k) {
        if (s[k].kind == TokenKind::lpar && matching(s, k) == s.size() - 1) {
          callee = s.first(k);
          out.arguments = span_text(s.subspan(k));
          break;
        }
      }
    }
    out.name = dotted(callee);
    if (out.name.empty()) {
      out.name = span_text(s);
      out.where = "an expression";
      return out;
    }
    const std::string head = out.name.substr(0, out.name.find('.'));
    if (scope == Scope::class_body && cls && is_bound(head, scope, cls)) {
      out.where = "bound in the class body";
      return out;
    }
    const auto line_of = [&](const auto& items, const Positions& at) { return std::to_string(items[at.at(head)].line); };
    if (function_at_.contains(head)) return out.where = "defined at line " + line_of(facts_.functions, function_at_), out;
    if (class_at_.contains(head)) return out.where = "defined at line " + line_of(facts_.classes, class_at_), out;
    if (variable_at_.contains(head)) return out.where = "assigned at line " + line_of(facts_.variables, variable_at_), out;
    // Through the last import that binds the name (import_of_): one lookup, however many imports there are.
    if (const auto import = import_of_.find(head); import != import_of_.end()) {
      out.qualified = resolve_through_imports({facts_.imports[import->second]}, package_, out.name);
    }
    if (!out.qualified.empty()) {
      out.where = "imported as " + out.qualified;
    } else if (!star_import_.empty()) {
      out.where = "perhaps bound by " + star_import_;
    } else if (head == out.name) {
      out.qualified = "builtins." + out.name;
    } else {
      out.where = "`" + head + "` is bound by nothing the reader sees";
    }
    return out;
  }

  // Why the name a decorated definition binds may not be that definition (empty when the decorator
  // returns it: decorator_keeps_definition, or a property accessor `@x.setter` of this class).
  std::string decorator_problem(Span d, Scope scope, const ClassFact* cls) const {
    if (scope == Scope::class_body && cls && d.size() == 3 && d[1].kind == TokenKind::dot &&
        (is_word(d[2], "setter") || is_word(d[2], "getter") || is_word(d[2], "deleter"))) {
      const FunctionFact* m = find_at(cls->methods, class_members_.methods, mangle_private(text(d[0]), cls->name));
      if (m && m->kind == CallableKind::property) return {};
    }
    const Callee callee = callee_of(d, scope, cls);
    if (!callee.qualified.empty() && decorator_keeps_definition(callee.qualified, callee.arguments, scope == Scope::class_body)) return {};
    return "decorated at line " + std::to_string(d[0].line) + " by `" + callee.name + "`" + (callee.where.empty() ? "" : " (" + callee.where + ")") +
           ", whose result the reader cannot know";
  }

  // The names the import statements from `first` on bind in the scope being read (module or class body).
  void imports_bind(std::size_t first, Scope scope, ClassFact* cls, Flow flow) {
    for (std::size_t i = first; i < facts_.imports.size(); ++i) {
      const ImportFact& import = facts_.imports[i];
      const std::string statement = import.name.empty() ? "`import " + import.module + "`" : "`from " + import.module + " import " + import.name + "`";
      const std::string at = " at line " + std::to_string(import.line);
      if (import.name == "*") {
        // Binds names the source does not show: any bound so far may be replaced.
        star_import_ = statement + at;
        for (const std::string& name : bound_since_star_) maybe_rebound(name, Scope::module, nullptr, "may be rebound by " + star_import_);
        bound_since_star_.clear();
        continue;
      }
      const std::string& name = import.alias;
      if (scope == Scope::module) import_of_[name] = i, base_rebound(name);
      if (scope == Scope::class_body && cls) {
        const std::string member = mangle_private(name, cls->name);
        if (flow.conditional) {
          maybe_rebound(name, scope, cls, "may be rebound by " + statement + at);
        } else {
          unbind_at(cls->methods, class_members_.methods, member);
        }
        set_attribute(*cls, member, AttributeKind::class_attribute, Value::unknown("bound by " + statement + at), std::nullopt, import.line);
        continue;
      }
      if (flow.conditional) {
        maybe_rebound(name, scope, cls, "may be rebound by " + statement + at);
      } else {
        unbind_others(name, true, true, true);
        if (name == "__version__") facts_.version.reset(), facts_.version_unknown = true;
      }
      ++bindings_;
      // In a package's __init__.py, importing a submodule binds its name in the package (`from .sub import
      // x` binds `sub`), the first time it is imported.
      if (!is_package_) continue;
      std::string target = resolve_relative(import.module, package_);
      if (!import.name.empty()) target += "." + import.name;
      if (!target.starts_with(package_ + ".")) continue;
      const std::string rest = target.substr(package_.size() + 1);
      const std::string head = rest.substr(0, rest.find('.'));
      if (head != name) maybe_rebound(head, Scope::module, nullptr, "may be rebound to the submodule " + package_ + "." + head + " by " + statement + at);
    }
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
      facts_.imports[i].main_guard = deferred.main_guard;
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

  Tokenizer tokenizer_;
  std::string_view src_;
  ReadOptions options_;
  int syntax_minor_;  // the Python 3 minor version whose grammar applies: the target's; none (every version's) without one
  struct {
    bool open = false;  // between an `except` opening a statement and its header's `:`
    int brackets = 0;
    std::optional<Token> comma;  // the header's first comma outside brackets
  } except_header_;
  int try_depth_ = 0;  // module-level `try` statements being read (a `lazy import` may not be inside one)
  Token tok_;
  Token previous_, previous2_;  // the two tokens before tok_ on its logical line (check_adjacent)
  ModuleFacts facts_;
  Positions variable_at_, function_at_, class_at_;  // of facts_ (find_at, bind_at, unbind_at)
  struct {
    Positions methods, attributes;  // of the class statement being read (attributes by attribute_key)
  } class_members_;
  std::string package_;
  std::size_t depth_ = 0;
  bool is_package_ = false;  // the module is a package's __init__.py: importing a submodule binds its name here
  // Functions (and classes, for their methods) whose bodies declare names `global`, by the name they are
  // bound to: code that calls them at import time may rebind those names (runs_functions).
  struct GlobalWriter {
    std::vector<std::string> names;
    int line = 0;
    std::size_t applied_at = std::numeric_limits<std::size_t>::max();  // bindings_ when last applied
  };
  std::unordered_map<std::string, GlobalWriter> global_writers_;
  std::vector<std::string>* globals_ = nullptr;  // where skip_block collects `global` names, when set
  std::size_t bindings_ = 0;                     // module bindings made so far
  std::vector<std::string> bound_since_star_;    // module names bound since the last `from m import *`
  std::string star_import_;                      // the last `from m import *`, as "`from m import *` at line N"
  std::unordered_map<std::string, std::size_t> import_of_;  // module name → the last import (in facts_.imports) binding it
  std::unordered_map<std::string, std::vector<std::string>> classes_by_base_;  // a base's first name → the module's classes it is a base of
  std::vector<std::vector<Token>> buffers_;
  BindingWatch watch_;  // what the names of conditions are bound to (condition_name)
  std::vector<Token> skipped_;  // the logical line of a skipped block being read (skipped_line)
  std::vector<std::pair<std::string, int>> function_globals_;  // `global NAME` in a function body, with its line
  std::size_t aliases_seen_ = 0;  // of facts_.imports, in import_aliases_
  struct {
    std::unordered_map<std::string, char> modules;        // alias → 'L' importlib, 'B' builtins, 'I' imp
    std::unordered_map<std::string, std::string> functions;  // alias → importlib's `import_module` or `__import__`
  } import_aliases_;
};

}  // namespace

std::optional<TargetEnvironment> parse_reading_target(std::string_view spec, int default_minor) {
  if (spec == "any") return std::nullopt;
  const auto invalid = [&](const std::string& why) {
    return std::invalid_argument("`" + std::string(spec) + "`: " + why +
                                 "; expected `any` (every branch), `here` (this interpreter), or PLATFORM[:3.N] with PLATFORM linux, win32 or darwin "
                                 "(for example `win32:3.12`)");
  };
  const std::size_t colon = spec.find(':');
  const std::string_view platform = spec.substr(0, colon);
  TargetEnvironment target;
  target.python_minor = default_minor;
  target.sys_platform = std::string(platform);
  if (platform == "linux") target.os_name = "posix", target.platform_system = "Linux";
  else if (platform == "darwin") target.os_name = "posix", target.platform_system = "Darwin";
  else if (platform == "win32") target.os_name = "nt", target.platform_system = "Windows";
  else throw invalid("unknown platform `" + std::string(platform) + "`");
  if (colon != std::string_view::npos) {
    const std::string_view version = spec.substr(colon + 1);
    int minor = 0;
    const char* end = version.data() + version.size();
    if (!version.starts_with("3.") || version.size() < 3 || version.size() > 4) throw invalid("the version must read 3.N");
    const auto parsed = std::from_chars(version.data() + 2, end, minor);
    if (parsed.ec != std::errc{} || parsed.ptr != end || minor < 6) throw invalid("the version must read 3.N, with N from 6 on");
    target.python_major = 3, target.python_minor = minor, target.python_micro = 0;
  }
  return target;
}

std::string reading_target_label(const std::optional<TargetEnvironment>& target) {
  if (!target) return "any";
  return target->sys_platform + ":" + std::to_string(target->python_major) + "." + std::to_string(target->python_minor);
}

ModuleFacts read_module_source(std::string_view bytes, const std::string& filename, const std::string& module_name, const ReadOptions& options) {
  const DecodedSource source = decode_source(bytes, filename);
  ModuleFacts facts = Reader(source, filename, module_name, options).run();
  if (options.file_sha256 && !options.imports_only) facts.file_sha256 = sha256_hex(bytes);  // the file's exact bytes, BOM included
  return facts;
}

}  // namespace importspy
