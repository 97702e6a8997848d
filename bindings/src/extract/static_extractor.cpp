#include "extract/static_extractor.hpp"

#include <nanobind/nanobind.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "interop/errors.hpp"
#include "importspy/util/sha256.hpp"
#include "importspy/util/utf8.hpp"
#include "extract/source_bytes.hpp"
#include "interop/gil_once.hpp"
#include "interop/python_values.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

namespace importspy::bindings {
namespace {

namespace nb = nanobind;

// The AST node classes, fetched once from `_ast` (a builtin module: cheap, and the same objects `ast`
// re-exports). Comparing types by identity keeps the walk fast.
struct AstTypes {
  PyObject *Assign, *AnnAssign, *AugAssign, *Delete, *FunctionDef, *AsyncFunctionDef, *ClassDef, *Import, *ImportFrom, *If, *Try,
      *TryStar, *With, *AsyncWith, *For, *AsyncFor, *While, *Match, *Name, *Attribute, *Tuple, *List, *Set, *Dict, *Constant, *UnaryOp, *Expr,
      *USub, *UAdd, *Subscript, *Starred, *Call, *JoinedStr, *Lambda, *ListComp, *SetComp, *DictComp, *GeneratorExp, *IfExp, *BinOp;

  static const AstTypes& get() {
    static GilSafeOnce<AstTypes> once;  // not a static AstTypes: importing `_ast` may switch threads (gil_once.hpp)
    return once.get([] {
      nb::module_ ast = nb::module_::import_("_ast");
      const auto type = [&](const char* name) -> PyObject* {
        nb::object t = nb::getattr(ast, name, nb::none());
        return t.is_none() ? nullptr : t.release().ptr();  // kept for the life of the process
      };
      return AstTypes{type("Assign"), type("AnnAssign"), type("AugAssign"), type("Delete"), type("FunctionDef"), type("AsyncFunctionDef"),
                      type("ClassDef"), type("Import"), type("ImportFrom"), type("If"), type("Try"), type("TryStar"), type("With"),
                      type("AsyncWith"), type("For"), type("AsyncFor"), type("While"), type("Match"), type("Name"), type("Attribute"),
                      type("Tuple"), type("List"), type("Set"), type("Dict"), type("Constant"), type("UnaryOp"), type("Expr"), type("USub"),
                      type("UAdd"), type("Subscript"), type("Starred"), type("Call"), type("JoinedStr"), type("Lambda"), type("ListComp"),
                      type("SetComp"), type("DictComp"), type("GeneratorExp"), type("IfExp"), type("BinOp")};
    });
  }
};

bool is(nb::handle node, PyObject* type) { return type && Py_TYPE(node.ptr()) == reinterpret_cast<PyTypeObject*>(type); }

nb::object field(nb::handle node, const char* name) { return nb::getattr(node, name, nb::none()); }

int int_field(nb::handle node, const char* name) {
  nb::object value = field(node, name);
  return PyLong_Check(value.ptr()) ? static_cast<int>(PyLong_AsLong(value.ptr())) : 0;
}

std::string str_field(nb::handle node, const char* name) {
  nb::object value = field(node, name);
  return PyUnicode_Check(value.ptr()) ? utf8(value) : std::string();
}

using NameIndex = std::unordered_map<std::string, size_t>;

struct ClassIndex {
  NameIndex methods;
  NameIndex attributes;               // keyed by name and kind
  std::string decorator_material;     // hashes of this module's decorators its methods use
};

class StaticExtractor {
public:
  StaticExtractor(std::string_view source, const std::string& filename, const std::string& module_name, const ExtractOptions& options,
                  const SourceLimits& limits)
      : source_(source), t_(AstTypes::get()), options_(options), limits_(limits) {
    facts_.filename = filename;
    facts_.name = module_name;
    const bool is_package = filename.ends_with("__init__.py");
    const size_t dot = module_name.rfind('.');
    package_ = is_package ? module_name : (dot == std::string::npos ? std::string() : module_name.substr(0, dot));
    line_starts_.push_back(0);
    for (size_t i = 0; i < source_.size(); ++i) {
      if (source_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  ModuleFacts run(nb::handle tree) {
    statements(field(tree, "body"), false);
    if (!deleted_variables_.empty()) {
      std::vector<VariableFact> kept;
      for (size_t i = 0; i < facts_.variables.size(); ++i) {
        if (!deleted_variables_.contains(i)) kept.push_back(std::move(facts_.variables[i]));
      }
      facts_.variables = std::move(kept);
    }
    try {
      complete_classes(facts_, package_, limits_.inheritance);
    } catch (const InheritanceLimitError& error) {
      throw SourceError(error.file(), error.line(), error.column(), error.message());
    }
    return std::move(facts_);
  }

private:
  // The source text of a node, from its positions (UTF-8 byte offsets, as the parser reports them).
  std::string segment(nb::handle node) const {
    const int line = int_field(node, "lineno"), end_line = int_field(node, "end_lineno");
    const int column = int_field(node, "col_offset"), end_column = int_field(node, "end_col_offset");
    if (line < 1 || end_line < line || static_cast<size_t>(end_line) > line_starts_.size()) return {};
    const size_t start = line_starts_[static_cast<size_t>(line - 1)] + static_cast<size_t>(column);
    const size_t end = line_starts_[static_cast<size_t>(end_line - 1)] + static_cast<size_t>(end_column);
    if (start > end || end > source_.size()) return {};
    std::string text(source_.substr(start, end - start));
    // A multi-line annotation reads as one line.
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return text;
  }

  std::optional<std::string> optional_segment(nb::handle node) const {
    if (node.is_none()) return std::nullopt;
    return segment(node);
  }

  static std::string reason_for(nb::handle node, const AstTypes& t) {
    if (is(node, t.Call)) return "computed by a call";
    if (is(node, t.Name)) return "refers to another name";
    if (is(node, t.Attribute)) return "reads an attribute";
    if (is(node, t.JoinedStr)) return "an f-string";
    if (is(node, t.Lambda)) return "a lambda";
    if (is(node, t.ListComp) || is(node, t.SetComp) || is(node, t.DictComp) || is(node, t.GeneratorExp)) return "a comprehension";
    if (is(node, t.Subscript)) return "a subscript";
    if (is(node, t.IfExp)) return "a conditional expression";
    return "a computed expression";
  }

  Value literal(nb::handle node, int depth) const {
    if (depth > 32) return Value::unknown("nested too deeply");
    if (is(node, t_.Constant)) return value_from_python(field(node, "value"));
    if (is(node, t_.UnaryOp)) {
      nb::object op = field(node, "op");
      Value operand = literal(field(node, "operand"), depth + 1);
      if (is(op, t_.UAdd) && (operand.kind() == Value::Kind::integer || operand.kind() == Value::Kind::floating)) return operand;
      if (is(op, t_.USub)) {
        if (operand.kind() == Value::Kind::integer && !operand.is_big_integer() && operand.as_int() != std::numeric_limits<std::int64_t>::min()) {
          return Value::integer(-operand.as_int());
        }
        if (operand.kind() == Value::Kind::integer && operand.is_big_integer()) {
          const std::string& digits = operand.text();
          return Value::big_integer(digits.starts_with("-") ? digits.substr(1) : "-" + digits);
        }
        if (operand.kind() == Value::Kind::floating) return Value::floating(-operand.as_float());
      }
      return Value::unknown("a computed expression");
    }
    if (is(node, t_.List) || is(node, t_.Tuple)) {
      std::vector<Value> items;
      for (nb::handle element : field(node, "elts")) {
        if (is(element, t_.Starred)) return Value::unknown("unpacks another value");
        Value item = literal(element, depth + 1);
        if (item.is_unknown()) return item;
        items.push_back(std::move(item));
      }
      return Value::list(std::move(items));
    }
    if (is(node, t_.Dict)) {
      std::vector<Value::Entry> entries;
      nb::object keys = field(node, "keys"), values = field(node, "values");
      for (size_t i = 0; i < nb::len(keys); ++i) {
        if (nb::handle(keys[i]).is_none()) return Value::unknown("unpacks another mapping");
        Value key = literal(keys[i], depth + 1), value = literal(values[i], depth + 1);
        if (key.is_unknown()) return key;
        if (value.is_unknown()) return value;
        entries.emplace_back(std::move(key), std::move(value));
      }
      return Value::mapping(std::move(entries));
    }
    if (is(node, t_.Set)) return Value::opaque(segment(node), "set");
    if (is(node, t_.Name) && depth == 0) {
      // `DEFAULT = OTHER` where OTHER is a literal defined above: the value is known.
      if (const VariableFact* other = variable(str_field(node, "id")); other && !other->value.is_unknown()) return other->value;
    }
    return Value::unknown(reason_for(node, t_));
  }

  // ---- module level ------------------------------------------------------------------------------

  void statements(nb::handle body, bool conditional) {
    if (body.is_none()) return;
    for (nb::handle statement : body) module_statement(statement, conditional);
  }

  // One import statement's bindings, as the reader records them (core/source/reader.cpp).
  void record_import(nb::handle s, bool lazy, bool type_checking, bool in_class = false) {
    const std::size_t first = facts_.imports.size();
    if (is(s, t_.Import)) {
      for (nb::handle alias : field(s, "names")) {
        const std::string name = str_field(alias, "name"), as = str_field(alias, "asname");
        facts_.imports.push_back({name, "", as.empty() ? name.substr(0, name.find('.')) : as, line_of(s)});
      }
    } else {
      const std::string module = std::string(static_cast<size_t>(int_field(s, "level")), '.') + str_field(s, "module");
      for (nb::handle alias : field(s, "names")) {
        const std::string name = str_field(alias, "name"), as = str_field(alias, "asname");
        if (name != "*") facts_.imports.push_back({module, name, as.empty() ? name : as, line_of(s)});
      }
    }
    for (std::size_t i = first; i < facts_.imports.size(); ++i) {
      facts_.imports[i].lazy = lazy;
      facts_.imports[i].type_checking = type_checking;
      facts_.imports[i].in_class = in_class;
    }
  }

  // Every import statement anywhere in `body` (a function's or method's: lazy; a module-level
  // TYPE_CHECKING branch's: type_checking), as the reader records those it does not run.
  void deferred_imports(nb::handle body, bool lazy, bool type_checking) {
    nb::object walk = nb::module_::import_("ast").attr("walk");
    for (nb::handle statement : body) {
      for (nb::handle node : walk(statement)) {
        if (is(node, t_.Import) || is(node, t_.ImportFrom)) record_import(node, lazy, type_checking);
        import_by_code(node, Where{lazy, type_checking, false});
      }
    }
  }

  // ---- imports by code, as the reader records them (core/source/reader.cpp, note_dynamic_imports) ----
  // A call that imports a module by a literal name is an import (`__import__("x")`,
  // `importlib.import_module("x"[, "pkg"])`, `importlib.__import__("x")`, through an alias of importlib
  // or of the function); any other import by code is an unknown import.

  struct Where {
    bool lazy = false, type_checking = false, in_class = false;
  };

  // The parts of statement `s` that run when the statement does, its nested statements left out (they
  // are read as statements of their own; a function's body is lazy, deferred_imports).
  void imports_by_code(nb::handle s, Where where) {
    nb::object walk = nb::module_::import_("ast").attr("walk");
    const auto each = [&](nb::handle part) {
      if (part.is_none()) return;
      if (PyList_Check(part.ptr())) {
        for (nb::handle item : part) {
          for (nb::handle node : walk(item)) import_by_code(node, where);
        }
        return;
      }
      for (nb::handle node : walk(part)) import_by_code(node, where);
    };
    if (is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef)) {
      each(field(s, "decorator_list"));
      each(field(s, "args"));
      each(field(s, "returns"));
    } else if (is(s, t_.ClassDef)) {
      each(field(s, "decorator_list"));
      each(field(s, "bases"));
      each(field(s, "keywords"));
    } else if (is(s, t_.If) || is(s, t_.While)) {
      each(field(s, "test"));
    } else if (is(s, t_.For) || is(s, t_.AsyncFor)) {
      each(field(s, "iter"));
    } else if (is(s, t_.With) || is(s, t_.AsyncWith)) {
      each(field(s, "items"));
    } else if (is(s, t_.Match)) {
      each(field(s, "subject"));
    } else if (!(is(s, t_.Try) || is(s, t_.TryStar))) {
      each(s);
    }
  }

  // Whether an import bound `name` to `module` (attribute empty) or to its `attribute`: the imports
  // recorded since the last call are indexed, so each is looked at once.
  bool bound_to(const std::string& name, std::string_view module, std::string_view attribute) {
    for (; aliases_seen_ < facts_.imports.size(); ++aliases_seen_) {
      const ImportFact& fact = facts_.imports[aliases_seen_];
      if (!fact.alias.empty()) aliases_.insert(fact.alias + '\0' + fact.module + '\0' + fact.name);
    }
    return !aliases_.empty() && aliases_.contains(name + '\0' + std::string(module) + '\0' + std::string(attribute));
  }

  bool names_importlib(nb::handle node) {
    if (!is(node, t_.Name)) return false;
    const std::string id = str_field(node, "id");
    return id == "importlib" || bound_to(id, "importlib", "");
  }

  bool names_builtins(nb::handle node) {
    if (!is(node, t_.Name)) return false;
    const std::string id = str_field(node, "id");
    return id == "__builtins__" || id == "builtins" || bound_to(id, "builtins", "");
  }

  std::optional<std::string> constant_str(nb::handle node) const {
    if (!is(node, t_.Constant)) return std::nullopt;
    nb::object value = field(node, "value");
    if (!PyUnicode_Check(value.ptr())) return std::nullopt;
    return utf8(value);
  }

  void unknown_import(nb::handle node, std::string reason) {
    if (facts_.unknown_imports.size() >= 20) return;
    facts_.unknown_imports.push_back(UnknownImport{segment(node), std::move(reason), line_of(node)});
  }

  // Argument `index` of a call, or its keyword `keyword`; none when absent; `unpacked` when a `*args`
  // or `**kwargs` may hold it.
  std::optional<nb::object> call_argument(nb::handle call, std::size_t index, const char* keyword, bool& unpacked) const {
    std::size_t at = 0;
    for (nb::handle arg : field(call, "args")) {
      if (is(arg, t_.Starred)) {
        unpacked = true;
        return std::nullopt;
      }
      if (at++ == index) return nb::borrow(arg);
    }
    for (nb::handle kw : field(call, "keywords")) {
      nb::object name = field(kw, "arg");
      if (name.is_none()) {
        unpacked = true;
        continue;
      }
      if (utf8(name) == keyword) return field(kw, "value");
    }
    return std::nullopt;
  }

  void import_by_code(nb::handle node, Where where) {
    // The builtins reached by name: `builtins.__import__`, `__builtins__.exec`, `__builtins__[...]`.
    if (is(node, t_.Attribute) && names_builtins(field(node, "value"))) {
      const std::string attr = str_field(node, "attr");
      if (attr == "__import__" || attr == "exec" || attr == "eval") unknown_import(node, "the builtins reached by name can import any module");
      return;
    }
    if (is(node, t_.Subscript) && names_builtins(field(node, "value"))) return unknown_import(node, "the builtins reached by name can import any module");
    if (!is(node, t_.Call)) return;
    nb::object func = field(node, "func");
    std::string word;
    bool bare = false, owner_importlib = false, owner_imp = false;
    if (is(func, t_.Name)) {
      word = str_field(func, "id");
      bare = true;
    } else if (is(func, t_.Attribute)) {
      word = str_field(func, "attr");
      nb::object owner = field(func, "value");
      if (names_builtins(owner)) return;  // reported as the attribute
      owner_importlib = names_importlib(owner);
      owner_imp = is(owner, t_.Name) && (str_field(owner, "id") == "imp" || bound_to(str_field(owner, "id"), "imp", ""));
    } else {
      return;
    }
    nb::object args = field(node, "args");
    if (bare && (word == "exec" || word == "eval")) return unknown_import(node, "`" + word + "` runs code that can import any module");
    if (bare && word == "getattr" && nb::len(args) > 0 && (names_importlib(args[0]) || names_builtins(args[0]))) {
      return unknown_import(node, "an import function reached through `getattr`");
    }
    if (is_module_loader(word)) {
      return unknown_import(node, "a loader imports a module the source does not name");
    }
    if (owner_imp) {
      if (word != "reload") unknown_import(node, "the `imp` module imports a module the source does not name");
      return;
    }
    const bool builtin_import = bare && word == "__import__" && !bound_to(word, "importlib", "__import__");
    const bool importlib_import = (owner_importlib && (word == "import_module" || word == "__import__")) ||
                                  (bare && (bound_to(word, "importlib", "import_module") || bound_to(word, "importlib", "__import__")));
    if (!bare && word == "__import__" && !owner_importlib) return unknown_import(node, "`__import__` of another object than the builtins");
    if (!builtin_import && !importlib_import) return;
    const bool is_import_module = word == "import_module" || (bare && bound_to(word, "importlib", "import_module"));
    bool unpacked = false;
    const std::optional<nb::object> name_arg = call_argument(node, 0, "name", unpacked);
    const std::optional<std::string> name = name_arg ? constant_str(*name_arg) : std::nullopt;
    if (!name) return unknown_import(node, "the module's name is computed, not a literal");
    const int at = line_of(node);
    const std::size_t first = facts_.imports.size();
    if (is_import_module) {
      const std::optional<nb::object> package_arg = call_argument(node, 1, "package", unpacked);
      const std::optional<std::string> package = package_arg ? constant_str(*package_arg) : std::nullopt;
      const std::optional<std::string> module = import_module_target(*name, package);
      if (!module || (package_arg && !package) || unpacked) return unknown_import(node, "a relative name whose package is not a literal, or not a module name");
      facts_.imports.push_back({*module, "", "", at});
    } else {
      const std::optional<nb::object> level_arg = call_argument(node, 4, "level", unpacked);
      long long level = 0;
      if (level_arg) {
        nb::object value = is(*level_arg, t_.Constant) ? field(*level_arg, "value") : nb::none();
        if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) return unknown_import(node, "the import's level is computed, not a literal");
        level = PyLong_AsLongLong(value.ptr());
        if (level < 0 || level > 100) return unknown_import(node, "the import's level is computed, not a literal");
      }
      if (!is_module_name(*name) && !(level > 0 && name->empty())) return unknown_import(node, "the module's name is not a module name");
      const std::string module = std::string(static_cast<std::size_t>(level), '.') + *name;
      const std::optional<nb::object> fromlist_arg = call_argument(node, 3, "fromlist", unpacked);
      std::vector<std::string> fromlist;
      if (fromlist_arg) {
        nb::handle list = *fromlist_arg;
        const bool none = is(list, t_.Constant) && field(list, "value").is_none();
        if (!none) {
          if (!(is(list, t_.List) || is(list, t_.Tuple))) return unknown_import(node, "the names it imports from the module are computed");
          for (nb::handle item : field(list, "elts")) {
            const std::optional<std::string> text = constant_str(item);
            if (!text) return unknown_import(node, "the names it imports from the module are computed");
            fromlist.push_back(*text);
          }
        }
      }
      if (unpacked) return unknown_import(node, "the names it imports from the module are computed");
      if (fromlist.empty() || level > 0) facts_.imports.push_back({module, "", "", at});
      for (const std::string& item : fromlist) {
        if (item != "*") facts_.imports.push_back({module, item, "", at});
      }
    }
    for (std::size_t k = first; k < facts_.imports.size(); ++k) {
      facts_.imports[k].lazy = where.lazy;
      facts_.imports[k].type_checking = where.type_checking;
      facts_.imports[k].in_class = where.in_class;
    }
  }

  // A class nested in a class: its imports run at import time (in_class), its methods' are lazy, as the
  // reader records them.
  void nested_class_imports(nb::handle body) {
    if (body.is_none()) return;
    for (nb::handle s : body) {
      if (is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef)) {
        deferred_imports(field(s, "body"), true, false);
      } else if (is(s, t_.ClassDef)) {
        nested_class_imports(field(s, "body"));
      } else if (is(s, t_.Import) || is(s, t_.ImportFrom)) {
        record_import(s, false, false, true);
      } else {
        for (const char* name : {"body", "orelse", "finalbody"}) nested_class_imports(field(s, name));
        if (nb::object handlers = field(s, "handlers"); !handlers.is_none()) {
          for (nb::handle handler : handlers) nested_class_imports(field(handler, "body"));
        }
        if (nb::object cases = field(s, "cases"); !cases.is_none()) {
          for (nb::handle c : cases) nested_class_imports(field(c, "body"));
        }
      }
    }
  }

  bool is_type_checking_test(nb::handle test) const {
    const std::string text = segment(test);
    return text == "TYPE_CHECKING" || text == "typing.TYPE_CHECKING" || text == "t.TYPE_CHECKING";
  }

  void module_statement(nb::handle s, bool conditional) {
    if (options_.structure_hashes) note_rebinding(s, conditional);
    note_binding(s, conditional);
    imports_by_code(s, Where{});
    if (is(s, t_.Assign)) {
      nb::object value = field(s, "value"), targets = field(s, "targets");
      // `a = b = {}`: one mutable object under two names; a change through either is invisible here.
      const bool shared = nb::len(targets) > 1 && (is(value, t_.List) || is(value, t_.Dict) || is(value, t_.Set));
      for (nb::handle target : targets) {
        assign(target, value, conditional, line_of(s));
        if (shared && is(target, t_.Name)) mark_changed(str_field(target, "id"));
        changed_through(target);
      }
    } else if (is(s, t_.Expr)) {
      // `registry.update(...)`, `items.append(...)`: the value assigned above is no longer the value.
      nb::object call = field(s, "value");
      if (is(call, t_.Call)) {
        nb::object function = field(call, "func");
        if (is(function, t_.Attribute) && is(field(function, "value"), t_.Name)) mark_changed(str_field(field(function, "value"), "id"));
      }
    } else if (is(s, t_.AnnAssign)) {
      nb::object target = field(s, "target"), value = field(s, "value");
      changed_through(target);
      if (is(target, t_.Name) && !value.is_none()) {
        set_variable(str_field(target, "id"), conditional ? Value::unknown("assigned conditionally") : literal(value, 0), segment(field(s, "annotation")),
                     line_of(s));
      }
    } else if (is(s, t_.AugAssign)) {
      nb::object target = field(s, "target");
      changed_through(target);
      if (is(target, t_.Name)) set_variable(str_field(target, "id"), Value::unknown("changed by an augmented assignment"), std::nullopt, line_of(s));
    } else if (is(s, t_.Delete)) {
      for (nb::handle target : field(s, "targets")) {
        if (!is(target, t_.Name)) continue;
        // Left in place and dropped at the end (`run`): erasing here would make many `del`s quadratic.
        if (const auto at = variable_at_.find(str_field(target, "id")); at != variable_at_.end()) {
          deleted_variables_.insert(at->second);
          variable_at_.erase(at);
        }
      }
    } else if (is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef)) {
      deferred_imports(field(s, "body"), true, false);
      FunctionFact fact = function(s, CallableKind::function);
      fact.unverifiable = decorator_problem(s, nullptr);
      if (conditional && fact.unverifiable.empty()) fact.unverifiable = kDefinedConditionally;
      add_or_replace(facts_.functions, function_at_, std::move(fact), conditional);
    } else if (is(s, t_.ClassDef)) {
      ClassFact fact = class_def(s);
      fact.unverifiable = decorator_problem(s, nullptr);
      if (conditional && fact.unverifiable.empty()) fact.unverifiable = kDefinedConditionally;
      add_or_replace(facts_.classes, class_at_, std::move(fact), conditional);
    } else if (is(s, t_.Import) || is(s, t_.ImportFrom)) {
      record_import(s, false, false);
    } else if (is(s, t_.If)) {
      // Names behind `if TYPE_CHECKING:` exist only for type checkers, never at run time: its imports
      // are recorded as such (ImportFact::type_checking), nothing else is.
      if (!is_type_checking_test(field(s, "test"))) {
        statements(field(s, "body"), true);
      } else {
        deferred_imports(field(s, "body"), false, true);
      }
      statements(field(s, "orelse"), true);
    } else if (is(s, t_.Try) || is(s, t_.TryStar)) {
      statements(field(s, "body"), true);
      for (nb::handle handler : field(s, "handlers")) statements(field(handler, "body"), true);
      statements(field(s, "orelse"), true);
      statements(field(s, "finalbody"), conditional);
    } else if (is(s, t_.With) || is(s, t_.AsyncWith)) {
      statements(field(s, "body"), conditional);
    } else if (is(s, t_.For) || is(s, t_.AsyncFor) || is(s, t_.While)) {
      statements(field(s, "body"), true);
      statements(field(s, "orelse"), true);
    } else if (is(s, t_.Match)) {
      for (nb::handle match_case : field(s, "cases")) statements(field(match_case, "body"), true);
    }
  }

  static int line_of(nb::handle node) { return int_field(node, "lineno"); }

  // This extractor decides no condition (the reader does): a definition under any `if`, loop, `try` or
  // `match` may not be what CPython binds.
  static constexpr const char* kDefinedConditionally = "defined in code that may not run (an `if`, loop, `try` or `case` this parser does not decide)";

  // ---- what keeps a fact from standing for what CPython binds (the reader's rules, core/source/reader.cpp)

  // A function or class bound to `name` so far may not be what the name is bound to when the module has run.
  void may_replace(const std::string& name, const std::string& why) {
    if (const auto f = function_at_.find(name); f != function_at_.end() && facts_.functions[f->second].unverifiable.empty()) {
      facts_.functions[f->second].unverifiable = why;
    }
    if (const auto c = class_at_.find(name); c != class_at_.end() && facts_.classes[c->second].unverifiable.empty()) {
      facts_.classes[c->second].unverifiable = why;
    }
    if (name == "__version__" && (facts_.version || facts_.version_unknown)) facts_.version.reset(), facts_.version_unknown = true;
  }

  void may_replace_targets(nb::handle target, const std::string& why) {
    if (is(target, t_.Name)) return may_replace(str_field(target, "id"), why);
    if (is(target, t_.Starred)) return may_replace_targets(field(target, "value"), why);
    if (is(target, t_.Tuple) || is(target, t_.List)) {
      for (nb::handle element : field(target, "elts")) may_replace_targets(element, why);
    }
  }

  // Binding forms other than assignment and definition, at module level: what they may rebind is
  // unverifiable (the reader also removes what straight-line code certainly rebinds).
  void note_binding(nb::handle s, bool conditional) {
    const std::string at = " at line " + std::to_string(line_of(s));
    if (is(s, t_.Import) || is(s, t_.ImportFrom)) {
      for (nb::handle alias : field(s, "names")) {
        const std::string name = str_field(alias, "name"), as = str_field(alias, "asname");
        if (name == "*") {
          for (const auto& [bound, index] : function_at_) may_replace(bound, "may be rebound by a star import" + at);
          for (const auto& [bound, index] : class_at_) may_replace(bound, "may be rebound by a star import" + at);
          continue;
        }
        may_replace(!as.empty() ? as : is(s, t_.Import) ? name.substr(0, name.find('.')) : name, "rebound by an import" + at);
      }
    } else if (is(s, t_.For) || is(s, t_.AsyncFor)) {
      may_replace_targets(field(s, "target"), "rebound by a `for` loop" + at);
    } else if (is(s, t_.With) || is(s, t_.AsyncWith)) {
      for (nb::handle item : field(s, "items")) {
        if (nb::object vars = field(item, "optional_vars"); !vars.is_none()) may_replace_targets(vars, "rebound by `with ... as`" + at);
      }
    } else if (is(s, t_.Try) || is(s, t_.TryStar)) {
      for (nb::handle handler : field(s, "handlers")) {
        const std::string name = str_field(handler, "name");
        if (!name.empty()) may_replace(name, "may be deleted at the end of the `except` clause at line " + std::to_string(line_of(handler)));
      }
    } else if (is(s, t_.Match)) {
      nb::object walk = nb::module_::import_("ast").attr("walk");
      for (nb::handle match_case : field(s, "cases")) {
        for (nb::handle node : walk(field(match_case, "pattern"))) {
          const std::string captured = str_field(node, "name").empty() ? str_field(node, "rest") : str_field(node, "name");
          if (!captured.empty()) may_replace(captured, "may be rebound by a `case` pattern" + at);
        }
      }
    } else if (is(s, t_.Delete) && conditional) {
      for (nb::handle target : field(s, "targets")) may_replace_targets(target, "may be deleted" + at);
    } else if (is(s, t_.Delete)) {
      for (nb::handle target : field(s, "targets")) {
        if (is(target, t_.Name) && str_field(target, "id") == "__version__") facts_.version.reset(), facts_.version_unknown = false;
      }
    } else if ((is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef) || is(s, t_.ClassDef)) && conditional) {
      may_replace(str_field(s, "name"), "may be defined again" + at);
    }
  }

  // Why the name a decorated definition binds may not be that definition (decorator_keeps_definition),
  // or empty. `cls`: the class whose body holds a method.
  std::string decorator_problem(nb::handle def, const ClassFact* cls) const {
    for (nb::handle decorator : field(def, "decorator_list")) {
      nb::object callee = nb::borrow(decorator);
      std::string arguments;
      if (is(callee, t_.Call)) {
        const std::string whole = segment(callee);
        callee = field(callee, "func");
        arguments = whole.substr(std::min(whole.size(), segment(callee).size()));
      }
      const std::string name = segment(callee);
      const std::string head = name.substr(0, name.find('.'));
      std::string qualified, where;
      if (cls && is(callee, t_.Attribute) && is(field(callee, "value"), t_.Name) && arguments.empty()) {
        const std::string attr = str_field(callee, "attr");
        const auto m = class_index_ ? class_index_->methods.find(head) : NameIndex::iterator();
        if ((attr == "setter" || attr == "getter" || attr == "deleter") && class_index_ && m != class_index_->methods.end() &&
            cls->methods[m->second].kind == CallableKind::property) {
          continue;
        }
      }
      if (!is_dotted_name(name)) {
        where = "an expression";
      } else if (cls && class_index_ && (class_index_->methods.contains(head) || class_index_->attributes.contains(attribute_key(head, AttributeKind::class_attribute)))) {
        where = "bound in the class body";
      } else if (function_at_.contains(head) || class_at_.contains(head) || variable_at_.contains(head)) {
        where = "bound in this module";
      } else if (qualified = resolve_through_imports(facts_.imports, package_, name); !qualified.empty()) {
        where = "imported as " + qualified;
      } else if (head == name) {
        qualified = "builtins." + name;
      }
      if (!qualified.empty() && decorator_keeps_definition(qualified, arguments, cls != nullptr)) continue;
      return "decorated at line " + std::to_string(line_of(decorator)) + " by `" + name + "`" + (where.empty() ? "" : " (" + where + ")") +
             ", whose result the reader cannot know";
    }
    return {};
  }

  // ---- what keeps a structure hash from standing for the code that runs ---------------------------

  // A module-level function or class defined above, or nullptr.
  std::string* unverifiable_slot(const std::string& name) {
    if (const auto f = function_at_.find(name); f != function_at_.end()) return &facts_.functions[f->second].structure_unverifiable;
    if (const auto c = class_at_.find(name); c != class_at_.end()) return &facts_.classes[c->second].structure_unverifiable;
    return nullptr;
  }

  void unverifiable(const std::string& name, const std::string& why) {
    std::string* slot = unverifiable_slot(name);
    if (slot && slot->empty()) *slot = why;
  }

  // Names a binding target binds (`f`, `f, g`, `*f`), and objects it changes (`f.__code__`, `C.m`, `f[k]`).
  void rebinding_target(nb::handle target, int line) {
    if (is(target, t_.Name)) {
      const std::string name = str_field(target, "id");
      unverifiable(name, "`" + name + "` is bound again at line " + std::to_string(line) + ", after its definition");
    } else if (is(target, t_.Tuple) || is(target, t_.List)) {
      for (nb::handle element : field(target, "elts")) rebinding_target(element, line);
    } else if (is(target, t_.Starred)) {
      rebinding_target(field(target, "value"), line);
    } else if (is(target, t_.Attribute) || is(target, t_.Subscript)) {
      nb::object owner = field(target, "value");
      while (is(owner, t_.Subscript) || is(owner, t_.Attribute)) owner = field(owner, "value");
      if (!is(owner, t_.Name)) return;
      const std::string name = str_field(owner, "id");
      const std::string why = "`" + segment(target) + "` is assigned at line " + std::to_string(line) + ", after the definition of `" + name + "`";
      unverifiable(name, why);
      // `C.m = other`: the method is replaced too.
      if (is(target, t_.Attribute) && is(field(target, "value"), t_.Name)) {
        if (const auto c = class_at_.find(name); c != class_at_.end()) {
          for (auto& m : facts_.classes[c->second].methods) {
            if (m.name == str_field(target, "attr") && m.structure_unverifiable.empty()) m.structure_unverifiable = why;
          }
        }
      }
    }
  }

  void note_rebinding(nb::handle s, bool conditional) {
    const int line = line_of(s);
    if (is(s, t_.Assign)) {
      for (nb::handle target : field(s, "targets")) rebinding_target(target, line);
    } else if (is(s, t_.AnnAssign) || is(s, t_.AugAssign)) {
      rebinding_target(field(s, "target"), line);
    } else if (is(s, t_.Delete)) {
      for (nb::handle target : field(s, "targets")) rebinding_target(target, line);
    } else if (is(s, t_.For) || is(s, t_.AsyncFor)) {
      rebinding_target(field(s, "target"), line);
    } else if (is(s, t_.With) || is(s, t_.AsyncWith)) {
      for (nb::handle item : field(s, "items")) {
        if (nb::object vars = field(item, "optional_vars"); !vars.is_none()) rebinding_target(vars, line);
      }
    } else if (is(s, t_.Import) || is(s, t_.ImportFrom)) {
      for (nb::handle alias : field(s, "names")) {
        const std::string name = str_field(alias, "name"), as = str_field(alias, "asname");
        const std::string bound = !as.empty() ? as : is(s, t_.Import) ? name.substr(0, name.find('.')) : name;
        unverifiable(bound, "`" + bound + "` is bound again by an import at line " + std::to_string(line) + ", after its definition");
      }
    } else if (is(s, t_.Expr)) {
      // setattr(f, "__code__", ...), delattr(C, "m")
      nb::object call = field(s, "value");
      if (!is(call, t_.Call) || !is(field(call, "func"), t_.Name)) return;
      const std::string function_name = str_field(field(call, "func"), "id");
      nb::object args = field(call, "args");
      if ((function_name == "setattr" || function_name == "delattr") && nb::len(args) >= 1 && is(args[0], t_.Name)) {
        const std::string name = str_field(args[0], "id");
        unverifiable(name, "`" + name + "` is changed by " + function_name + "() at line " + std::to_string(line) + ", after its definition");
      }
    } else if ((is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef) || is(s, t_.ClassDef)) && conditional) {
      // A conditional definition is not recorded over the first one, but may be the one that runs.
      const std::string name = str_field(s, "name");
      unverifiable(name, "`" + name + "` may be defined again at line " + std::to_string(line));
    }
  }

  // Decorators run code the definition's hash does not contain. One defined in this module is covered
  // by its own hash (and its own problems); one computed at run time cannot be covered. An imported
  // or builtin one is covered by its name only (docs/authoring.md).
  void cover_decorators(nb::handle def, std::optional<std::string>& hash, std::string& problem) const {
    std::string material;
    for (nb::handle decorator : field(def, "decorator_list")) {
      nb::object root = nb::borrow(decorator);
      while (is(root, t_.Call) || is(root, t_.Attribute) || is(root, t_.Subscript)) root = field(root, is(root, t_.Call) ? "func" : "value");
      if (!is(root, t_.Name)) {
        if (problem.empty()) problem = "its decorator `" + segment(decorator) + "` is computed at run time";
        continue;
      }
      const std::string name = str_field(root, "id");
      if (class_index_ && class_index_->methods.contains(name)) continue;  // `@value.setter`: this class's own method
      const FunctionFact* f = function_at_.contains(name) ? &facts_.functions[function_at_.at(name)] : nullptr;
      const ClassFact* c = class_at_.contains(name) ? &facts_.classes[class_at_.at(name)] : nullptr;
      if (f || c) {
        const std::string& own_problem = f ? f->structure_unverifiable : c->structure_unverifiable;
        if (problem.empty() && !own_problem.empty()) problem = "its decorator `" + name + "` cannot be verified (" + own_problem + ")";
        material += name + "=" + (f ? f->structure_hash : c->structure_hash).value_or("?") + ";";
      } else if (variable_at_.contains(name) && problem.empty()) {
        problem = "its decorator `" + name + "` is a value computed at run time";
      }
    }
    if (!material.empty() && hash) hash = "sha256:" + sha256_hex(*hash + "|decorators:" + material);
    // A class's pin covers what its methods' pins cover.
    if (class_index_) class_index_->decorator_material += material;
  }

  // The module variable `name` as assigned so far, or nullptr.
  VariableFact* variable(const std::string& name) {
    const auto at = variable_at_.find(name);
    return at == variable_at_.end() ? nullptr : &facts_.variables[at->second];
  }
  const VariableFact* variable(const std::string& name) const { return const_cast<StaticExtractor*>(this)->variable(name); }

  void mark_changed(const std::string& name) {
    VariableFact* changed = variable(name);
    if (changed && !changed->value.is_unknown() && changed->value.kind() != Value::Kind::null) {
      changed->value = Value::unknown("changed after its assignment");
    }
  }

  // `d[key] = ...`, `d.attr = ...`: the object named by `d` changes.
  void changed_through(nb::handle target) {
    if (is(target, t_.Subscript) || is(target, t_.Attribute)) {
      nb::object owner = field(target, "value");
      while (is(owner, t_.Subscript) || is(owner, t_.Attribute)) owner = field(owner, "value");
      if (is(owner, t_.Name)) mark_changed(str_field(owner, "id"));
    }
  }

  // `index` maps each name in `items` to its position: hostile modules define names by the hundred thousand.
  template <typename T>
  static void add_or_replace(std::vector<T>& items, NameIndex& index, T item, bool conditional) {
    const auto [at, added] = index.try_emplace(item.name, items.size());
    if (added) {
      items.push_back(std::move(item));
    } else if (!conditional) {
      items[at->second] = std::move(item);  // straight-line code: the later definition wins, as at run time
    }                                        // a conditional one may not run
  }

  void assign(nb::handle target, nb::handle value, bool conditional, int line) {
    if (is(target, t_.Name)) {
      set_variable(str_field(target, "id"), conditional ? Value::unknown("assigned conditionally") : literal(value, 0), std::nullopt, line);
      return;
    }
    if (is(target, t_.Tuple) || is(target, t_.List)) {
      nb::object targets = field(target, "elts");
      const bool pairwise = !value.is_none() && (is(value, t_.Tuple) || is(value, t_.List)) && nb::len(field(value, "elts")) == nb::len(targets);
      for (size_t i = 0; i < nb::len(targets); ++i) {
        if (pairwise) {
          assign(targets[i], field(value, "elts")[i], conditional, line);
        } else if (is(targets[i], t_.Name)) {
          set_variable(str_field(targets[i], "id"), Value::unknown("unpacked from another value"), std::nullopt, line);
        } else if (is(targets[i], t_.Starred) && is(field(targets[i], "value"), t_.Name)) {
          set_variable(str_field(field(targets[i], "value"), "id"), Value::unknown("unpacked from another value"), std::nullopt, line);
        }
      }
    }
  }

  void set_variable(const std::string& name, Value value, std::optional<std::string> annotation, int line) {
    if (!module_variable_rule(facts_, name, value, annotation)) return;
    if (VariableFact* existing = variable(name)) {
      existing->value = std::move(value);
      if (annotation) existing->annotation = std::move(annotation);
      existing->line = line;
      return;
    }
    variable_at_.emplace(name, facts_.variables.size());
    facts_.variables.push_back({name, std::move(value), std::move(annotation), line});
  }

  // ---- functions ---------------------------------------------------------------------------------

  FunctionFact function(nb::handle def, CallableKind kind) const {
    FunctionFact fact;
    fact.name = str_field(def, "name");
    fact.kind = kind;
    fact.is_async = is(def, t_.AsyncFunctionDef);
    fact.line = line_of(def);
    nb::object args = field(def, "args");
    const auto parameter = [&](nb::handle arg, ParameterKind parameter_kind) {
      ParameterFact p;
      p.name = str_field(arg, "arg");
      p.kind = parameter_kind;
      p.annotation = optional_segment(field(arg, "annotation"));
      return p;
    };
    std::vector<ParameterFact> positional;
    for (nb::handle arg : field(args, "posonlyargs")) positional.push_back(parameter(arg, ParameterKind::positional_only));
    for (nb::handle arg : field(args, "args")) positional.push_back(parameter(arg, ParameterKind::positional_or_keyword));
    nb::object defaults = field(args, "defaults");
    const size_t default_count = nb::len(defaults);
    for (size_t i = 0; i < default_count && i < positional.size(); ++i) {
      positional[positional.size() - default_count + i].default_value = literal(defaults[i], 0);
    }
    fact.parameters = std::move(positional);
    if (nb::object vararg = field(args, "vararg"); !vararg.is_none()) fact.parameters.push_back(parameter(vararg, ParameterKind::var_positional));
    nb::object kw_defaults = field(args, "kw_defaults");
    size_t k = 0;
    for (nb::handle arg : field(args, "kwonlyargs")) {
      ParameterFact p = parameter(arg, ParameterKind::keyword_only);
      nb::handle default_node = kw_defaults[k++];
      if (!default_node.is_none()) p.default_value = literal(default_node, 0);
      fact.parameters.push_back(std::move(p));
    }
    if (nb::object kwarg = field(args, "kwarg"); !kwarg.is_none()) fact.parameters.push_back(parameter(kwarg, ParameterKind::var_keyword));
    fact.return_annotation = optional_segment(field(def, "returns"));
    if (options_.structure_hashes) {
      fact.structure_hash = structure_hash(def, fact.structure_unverifiable);
      cover_decorators(def, fact.structure_hash, fact.structure_unverifiable);
    }
    return fact;
  }

  // ---- classes -----------------------------------------------------------------------------------

  ClassFact class_def(nb::handle def) {
    ClassFact cls;
    cls.name = str_field(def, "name");
    cls.line = line_of(def);
    for (nb::handle base : field(def, "bases")) {
      nb::handle expression = base;
      nb::object subscripted;
      if (is(base, t_.Subscript)) {
        subscripted = field(base, "value");  // Generic[T] → Generic
        expression = subscripted;
      }
      const std::string text = segment(expression);
      if (!text.empty()) cls.superclasses.push_back({text, ""});
    }
    ClassIndex index;
    class_index_ = &index;
    class_body(field(def, "body"), cls, false);
    class_index_ = nullptr;
    if (options_.structure_hashes) {
      cls.structure_hash = structure_hash(def, cls.structure_unverifiable);
      cover_decorators(def, cls.structure_hash, cls.structure_unverifiable);
      if (!index.decorator_material.empty()) cls.structure_hash = "sha256:" + sha256_hex(*cls.structure_hash + "|methods:" + index.decorator_material);
      for (const auto& m : cls.methods) {
        if (cls.structure_unverifiable.empty() && !m.structure_unverifiable.empty()) {
          cls.structure_unverifiable = "its method `" + m.name + "` cannot be verified (" + m.structure_unverifiable + ")";
        }
      }
    }
    return cls;
  }

  static std::string decorator_name(const std::string& text) {
    const size_t paren = text.find('(');
    return paren == std::string::npos ? text : text.substr(0, paren);
  }

  void class_body(nb::handle body, ClassFact& cls, bool conditional) {
    for (nb::handle s : body) {
      imports_by_code(s, Where{false, false, true});
      if (is(s, t_.Assign)) {
        nb::object value = field(s, "value");
        // `getstate = setstate = _notimplemented`: another name for a method of this class is a method.
        // A copy, not a pointer: each alias added below may grow `cls.methods` and move its elements.
        std::optional<FunctionFact> aliased;
        if (is(value, t_.Name)) {
          if (const auto at = class_index_->methods.find(str_field(value, "id")); at != class_index_->methods.end()) aliased = cls.methods[at->second];
        }
        for (nb::handle target : field(s, "targets")) {
          if (aliased && is(target, t_.Name)) {
            FunctionFact alias = *aliased;
            alias.name = str_field(target, "id");
            add_or_replace(cls.methods, class_index_->methods, std::move(alias), conditional);
          } else if (is(target, t_.Name)) {
            const std::string name = str_field(target, "id");
            if (const auto at = class_index_->methods.find(name); at != class_index_->methods.end() && cls.methods[at->second].structure_unverifiable.empty()) {
              cls.methods[at->second].structure_unverifiable = "`" + name + "` is bound again at line " + std::to_string(line_of(s)) + " in the class body";
            }
            set_attribute(cls, name, AttributeKind::class_attribute, conditional ? Value::unknown("assigned conditionally") : literal(value, 0),
                          std::nullopt, line_of(s));
          }
        }
      } else if (is(s, t_.AnnAssign)) {
        nb::object target = field(s, "target"), value = field(s, "value");
        if (!is(target, t_.Name)) continue;
        const std::string annotation = segment(field(s, "annotation"));
        const bool class_var = annotation.find("ClassVar") != std::string::npos;
        if (value.is_none()) {
          set_attribute(cls, str_field(target, "id"), class_var ? AttributeKind::class_attribute : AttributeKind::instance_attribute,
                        Value::unknown("declared without a value"), annotation, line_of(s));
        } else {
          set_attribute(cls, str_field(target, "id"), AttributeKind::class_attribute, conditional ? Value::unknown("assigned conditionally") : literal(value, 0),
                        annotation, line_of(s));
        }
      } else if (is(s, t_.FunctionDef) || is(s, t_.AsyncFunctionDef)) {
        deferred_imports(field(s, "body"), true, false);
        method(s, cls, conditional);
      } else if (is(s, t_.Import) || is(s, t_.ImportFrom)) {
        record_import(s, false, false, true);
      } else if (is(s, t_.ClassDef)) {
        nested_class_imports(field(s, "body"));
      } else if (is(s, t_.If)) {
        if (!is_type_checking_test(field(s, "test"))) class_body(field(s, "body"), cls, true);
        class_body(field(s, "orelse"), cls, true);
      } else if (is(s, t_.Try) || is(s, t_.TryStar)) {
        class_body(field(s, "body"), cls, true);
        for (nb::handle handler : field(s, "handlers")) class_body(field(handler, "body"), cls, true);
        class_body(field(s, "orelse"), cls, true);
        class_body(field(s, "finalbody"), cls, conditional);
      }
    }
  }

  void method(nb::handle def, ClassFact& cls, bool conditional) {
    CallableKind kind = CallableKind::method;
    for (nb::handle decorator : field(def, "decorator_list")) {
      const std::string name = decorator_name(segment(decorator));
      if (name == "staticmethod") kind = CallableKind::static_method;
      else if (name == "classmethod") kind = CallableKind::class_method;
      else if (name == "property" || name.ends_with("cached_property") || name.ends_with(".setter") || name.ends_with(".getter") ||
               name.ends_with(".deleter")) {
        kind = CallableKind::property;
      }
    }
    FunctionFact fact = function(def, kind);
    fact.unverifiable = decorator_problem(def, &cls);
    // Instance attributes: `self.x = ...` in any method but static ones, `self` being the first parameter.
    if (kind != CallableKind::static_method && !fact.parameters.empty()) {
      const std::string self = fact.parameters.front().name;
      const bool constructor = fact.name == "__init__";
      self_assignments(field(def, "body"), self, cls, !constructor);
    }
    // The getter defines the property; setters follow it.
    if (kind == CallableKind::property && class_index_->methods.contains(fact.name)) return;
    if (conditional && fact.unverifiable.empty()) fact.unverifiable = kDefinedConditionally;
    add_or_replace(cls.methods, class_index_->methods, std::move(fact), conditional);
  }

  void self_assignments(nb::handle body, const std::string& self, ClassFact& cls, bool conditional) {
    for (nb::handle s : body) {
      if (is(s, t_.Assign)) {
        nb::object value = field(s, "value");
        for (nb::handle target : field(s, "targets")) self_target(target, value, self, cls, conditional, std::nullopt, line_of(s));
      } else if (is(s, t_.AnnAssign)) {
        nb::object value = field(s, "value");
        self_target(field(s, "target"), value, self, cls, conditional || value.is_none(), segment(field(s, "annotation")), line_of(s));
      } else if (is(s, t_.AugAssign)) {
        self_target(field(s, "target"), nb::none(), self, cls, true, std::nullopt, line_of(s));
      } else if (is(s, t_.If) || is(s, t_.For) || is(s, t_.AsyncFor) || is(s, t_.While)) {
        self_assignments(field(s, "body"), self, cls, true);
        self_assignments(field(s, "orelse"), self, cls, true);
      } else if (is(s, t_.With) || is(s, t_.AsyncWith)) {
        self_assignments(field(s, "body"), self, cls, conditional);
      } else if (is(s, t_.Try) || is(s, t_.TryStar)) {
        self_assignments(field(s, "body"), self, cls, true);
        for (nb::handle handler : field(s, "handlers")) self_assignments(field(handler, "body"), self, cls, true);
        self_assignments(field(s, "orelse"), self, cls, true);
        self_assignments(field(s, "finalbody"), self, cls, conditional);
      } else if (is(s, t_.Match)) {
        for (nb::handle match_case : field(s, "cases")) self_assignments(field(match_case, "body"), self, cls, true);
      }
    }
  }

  void self_target(nb::handle target, nb::handle value, const std::string& self, ClassFact& cls, bool conditional,
                   const std::optional<std::string>& annotation, int line) {
    if (is(target, t_.Attribute)) {
      nb::object owner = field(target, "value");
      if (!is(owner, t_.Name) || str_field(owner, "id") != self) return;
      Value known = conditional || value.is_none() ? Value::unknown(value.is_none() ? "declared without a value" : "assigned conditionally") : literal(value, 1);
      add_instance_attribute(cls, str_field(target, "attr"), std::move(known), annotation, line);
    } else if (is(target, t_.Tuple) || is(target, t_.List)) {
      nb::object targets = field(target, "elts");
      const bool pairwise = !value.is_none() && (is(value, t_.Tuple) || is(value, t_.List)) && nb::len(field(value, "elts")) == nb::len(targets);
      for (size_t i = 0; i < nb::len(targets); ++i) {
        nb::handle element = targets[i];
        if (is(element, t_.Starred)) element = field(element, "value");
        if (pairwise) {
          self_target(element, field(value, "elts")[i], self, cls, conditional, std::nullopt, line);
        } else {
          self_target(element, nb::none(), self, cls, true, std::nullopt, line);
        }
      }
    }
  }

  void add_instance_attribute(ClassFact& cls, const std::string& name, Value value, const std::optional<std::string>& annotation, int line) {
    bind_instance_attribute(cls, class_index_->attributes, name, std::move(value), annotation, line);
  }

  void set_attribute(ClassFact& cls, const std::string& name, AttributeKind kind, Value value, std::optional<std::string> annotation, int line) {
    bind_class_attribute(cls, class_index_->attributes, name, kind, std::move(value), std::move(annotation), line);
  }

  // ---- structure hashes ---------------------------------------------------------------------------

  // `problem` is set when the text could not stand for the tree (too deep, a constant without a form).
  std::string structure_hash(nb::handle definition, std::string& problem) const {
    std::string text;
    serialize(definition, text, 0, problem);
    return "sha256:" + sha256_hex(text);
  }

  static constexpr int kMaxHashDepth = 2000;

  // A canonical text of a syntax tree: node types and their `_fields` (positions live in `_attributes`,
  // so they never enter), docstrings and type comments left out, constants by repr.
  void serialize(nb::handle node, std::string& out, int depth, std::string& problem) const {
    if (depth > kMaxHashDepth) {
      // Cutting the text here would make different trees hash alike: the pin is unverifiable instead.
      if (problem.empty()) problem = "its syntax tree nests deeper than " + std::to_string(kMaxHashDepth) + " levels";
      return;
    }
    PyObject* o = node.ptr();
    if (o == Py_None) {
      out += 'N';
      return;
    }
    if (PyList_Check(o)) {
      out += '[';
      const Py_ssize_t n = PyList_GET_SIZE(o);
      for (Py_ssize_t i = first_statement(o); i < n; ++i) {
        serialize(nb::handle(PyList_GET_ITEM(o, i)), out, depth + 1, problem);
        out += ',';
      }
      out += ']';
      return;
    }
    if (PyObject_IsInstance(o, ast_base()) == 1) {
      out += type_name_text(Py_TYPE(o));
      out += '(';
      nb::object fields = nb::getattr(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(o))), "_fields", nb::tuple());
      for (nb::handle field_name : fields) {
        const std::string name = utf8(field_name);
        if (name == "type_comment") continue;
        nb::object value = nb::getattr(node, name.c_str(), nb::none());
        // CPython 3.12 added `type_params` to definitions: empty, it is the tree 3.10 and 3.11 build.
        if (name == "type_params" && PyList_Check(value.ptr()) && PyList_GET_SIZE(value.ptr()) == 0) continue;
        // CPython 3.12's f-string parser leaves empty string parts in a format spec (`f"{x:<{w}}"` ends
        // with Constant('')); they carry nothing, and earlier versions have none.
        if (name == "values" && is(node, t_.JoinedStr)) value = without_empty_strings(value);
        out += name;
        out += '=';
        serialize(value, out, depth + 1, problem);
        out += ';';
      }
      out += ')';
      return;
    }
    // str, bytes, int, float, complex, bool, Ellipsis: builtin reprs; a str by ascii(), whose escapes do not
    // depend on which characters the interpreter's Unicode database deems printable, as repr()'s do.
    PyObject* repr = PyUnicode_Check(o) ? PyObject_ASCII(o) : PyObject_Repr(o);
    if (!repr && PyLong_CheckExact(o)) {
      // An int beyond sys.int_info.str_digits_check_threshold has no decimal repr; hexadecimal has no limit.
      PyErr_Clear();
      repr = PyNumber_ToBase(o, 16);
      if (repr) out += "int:";
    }
    if (!repr) {
      PyErr_Clear();
      if (problem.empty()) problem = "a constant in it has no printable form";
      out += '?';
      return;
    }
    out += utf8(nb::handle(repr));
    Py_DECREF(repr);
  }

  // The parts of an f-string without the empty string constants some versions' parsers leave in it.
  nb::object without_empty_strings(nb::object values) const {
    if (!PyList_Check(values.ptr())) return values;
    nb::list kept;
    for (nb::handle part : nb::borrow<nb::list>(values)) {
      if (is(part, t_.Constant)) {
        nb::object constant = nb::getattr(part, "value", nb::none());
        if (PyUnicode_Check(constant.ptr()) && PyUnicode_GET_LENGTH(constant.ptr()) == 0) continue;
      }
      kept.append(part);
    }
    return std::move(kept);
  }

  // A body's docstring (a first statement that is a string constant) is documentation, not structure.
  Py_ssize_t first_statement(PyObject* list) const {
    if (PyList_GET_SIZE(list) == 0) return 0;
    nb::handle first(PyList_GET_ITEM(list, 0));
    if (!is(first, t_.Expr)) return 0;
    nb::object value = field(first, "value");
    if (is(value, t_.Constant) && PyUnicode_Check(field(value, "value").ptr())) return 1;
    return 0;
  }

  static PyObject* ast_base() {
    static GilSafeOnce<PyObject*> once;  // an import may switch threads (gil_once.hpp)
    return once.get([] { return nb::getattr(nb::module_::import_("_ast"), "AST").release().ptr(); });
  }

  std::string_view source_;
  const AstTypes& t_;
  ExtractOptions options_;
  SourceLimits limits_;
  ModuleFacts facts_;
  NameIndex variable_at_, function_at_, class_at_;  // positions in facts_ by name (see add_or_replace)
  std::unordered_set<size_t> deleted_variables_;     // positions of variables removed by `del`
  ClassIndex* class_index_ = nullptr;                // the class statement being read
  std::string package_;
  std::size_t aliases_seen_ = 0;                  // of facts_.imports, in aliases_ (bound_to)
  std::unordered_set<std::string> aliases_;       // "alias\0module\0name" of each import that binds a name
  std::vector<size_t> line_starts_;
};

[[noreturn]] void raise_from_compile_error(const std::string& filename) {
  nb::python_error error;  // takes the pending exception
  nb::object value = nb::borrow(error.value());
  int line = 0, column = 0;
  std::string message;
  if (PyErr_GivenExceptionMatches(error.type().ptr(), PyExc_SyntaxError)) {
    nb::object lineno = nb::getattr(value, "lineno", nb::none()), offset = nb::getattr(value, "offset", nb::none());
    line = PyLong_Check(lineno.ptr()) ? static_cast<int>(PyLong_AsLong(lineno.ptr())) : 0;
    column = PyLong_Check(offset.ptr()) ? static_cast<int>(PyLong_AsLong(offset.ptr())) : 0;
    nb::object msg = nb::getattr(value, "msg", nb::none());
    message = "not valid Python: " + (PyUnicode_Check(msg.ptr()) ? utf8(msg) : std::string("syntax error"));
  } else {
    message = "the Python parser failed: " + std::string(nb::str(nb::handle(error.type()).attr("__name__")).c_str()) + ": " + std::string(nb::str(value).c_str());
  }
  throw SourceError(filename, line, column, message);
}

// CPython's parser, its tree walked in C++. Needs the GIL.
ModuleFacts extract_with_cpython(std::string_view source, const std::string& filename, const std::string& module_name, const ExtractOptions& options,
                                 const SourceLimits& limits) {
  const std::string_view original = source;
  // The text Python runs: decoded as CPython decodes it (BOM, PEP 263 coding declaration).
  const std::string text = decode_python_source(source, filename);
  if (text.find('\0') != std::string::npos) {
    const SourceMark at = mark_at_offset(text, text.find('\0'));
    throw SourceError(filename, at.line, at.column, "the source contains a NUL byte, which Python source cannot");
  }
  // A file name is bytes to the file system: not-UTF-8 bytes are kept as Python keeps them (surrogateescape).
  nb::str name = python_path(filename);
#ifdef Py_LIMITED_API
  // compile(text, name, "exec", ast.PyCF_ONLY_AST, dont_inherit=True): a str has no coding declaration to apply.
  constexpr int kOnlyAst = 0x0400;
  nb::str text_object = python_text(text);
  PyObject* tree = PyObject_CallFunction(limited::types().compile, "OOsii", text_object.ptr(), name.ptr(), "exec", kOnlyAst, 1);
#else
  PyCompilerFlags flags{};
  flags.cf_flags = PyCF_ONLY_AST | PyCF_IGNORE_COOKIE;
  flags.cf_feature_version = PY_MINOR_VERSION;
  PyObject* tree = Py_CompileStringObject(text.c_str(), name.ptr(), Py_file_input, &flags, -1);
#endif
  if (!tree) raise_from_compile_error(filename);
  nb::object owned = nb::steal(tree);
  ModuleFacts facts = StaticExtractor(text, filename, module_name, options, limits).run(owned);
  facts.file_sha256 = sha256_hex(original);  // the file's exact bytes, BOM included
  return facts;
}


// The definition named `name` in `from`: the one on the same line, else the last one by that name.
template <typename T>
const T* counterpart(const std::vector<T>& from, const std::string& name, int line, const std::string& cls = {}) {
  const T* by_name = nullptr;
  for (const auto& item : from) {
    if ((cls.empty() ? item.name : mangle_private(item.name, cls)) != name) continue;
    if (item.line == line) return &item;
    by_name = &item;
  }
  return by_name;
}

// The structure hash and what makes it unverifiable (a later rebinding, a decorator, ...), as CPython's
// tree gives them, onto the reader's definition.
template <typename T, typename U>
void copy_structure(const U* from, T& to) {
  to.structure_hash = from ? from->structure_hash : std::nullopt;
  to.structure_unverifiable = from ? from->structure_unverifiable : std::string();
}

void copy_structure_hashes(const ModuleFacts& from, ModuleFacts& to) {
  for (auto& f : to.functions) copy_structure(counterpart(from.functions, f.name, f.line), f);
  for (auto& c : to.classes) {
    const ClassFact* other = counterpart(from.classes, c.name, c.line);
    copy_structure(other, c);
    if (!other) continue;
    for (auto& m : c.methods) copy_structure(counterpart(other->methods, m.name, m.line, c.name), m);
  }
}

}  // namespace

std::optional<TargetEnvironment> running_target() {
  // The environment this interpreter is: conditions on sys.platform, os.name, platform.system() and
  // sys.version_info are decided for it, as Python decides them when it imports the module here.
  static const std::optional<TargetEnvironment> running = []() -> std::optional<TargetEnvironment> {
    TargetEnvironment env;  // fields set one by one: the reader may add some (with defaults)
#if defined(_WIN32)
    env.sys_platform = "win32", env.os_name = "nt", env.platform_system = "Windows";
#elif defined(__APPLE__)
    env.sys_platform = "darwin", env.os_name = "posix", env.platform_system = "Darwin";
#elif defined(__linux__)
    env.sys_platform = "linux", env.os_name = "posix", env.platform_system = "Linux";
#endif
    env.python_major = python_runtime_major(), env.python_minor = python_runtime_minor(), env.python_micro = python_runtime_micro();
#if defined(_WIN32) || defined(__APPLE__) || defined(__linux__)
    return env;
#else
    return std::nullopt;  // elsewhere (sys.platform "freebsd14", ...) conditions on the platform stay undecided
#endif
  }();
  return running;
}

namespace {
// A target a command named (ReadingTargetScope); none named: the running interpreter.
std::optional<std::optional<TargetEnvironment>> named_target;
}  // namespace

std::optional<TargetEnvironment> reading_target() { return named_target ? *named_target : running_target(); }

bool reading_target_is_named() { return named_target.has_value(); }

ReadingTargetScope::ReadingTargetScope(std::optional<TargetEnvironment> target) : previous_(named_target) { named_target = std::move(target); }

ReadingTargetScope::~ReadingTargetScope() { named_target = previous_; }

std::optional<TargetEnvironment> parse_reading_target_option(const std::string& spec) {
  if (spec == "here") return running_target();
  return parse_reading_target(spec, python_runtime_minor());
}

namespace {
ReadOptions reader_options() {
  ReadOptions options;
  options.target = reading_target();
  return options;
}
}  // namespace

SourceParser parse_source_parser(const std::string& text) {
  if (text == "reader") return SourceParser::reader;
  if (text == "cpython") return SourceParser::cpython;
  throw std::invalid_argument("parser must be \"reader\" or \"cpython\", not \"" + text + "\"");
}

ModuleFacts extract_static_source(std::string_view source, const std::string& filename, const std::string& module_name, const ExtractOptions& options,
                                  const SourceLimits& limits) {
  if (source.size() > limits.max_bytes) {
    throw SourceError(filename, 0, 0,
                      "the source is " + std::to_string(source.size()) + " bytes, more than the limit of " + std::to_string(limits.max_bytes));
  }
  if (options.parser == SourceParser::cpython) {
    nb::gil_scoped_acquire gil;
    return extract_with_cpython(source, filename, module_name, options, limits);
  }
  ModuleFacts facts;
  try {
    ReadOptions options_with_limits = reader_options();
    options_with_limits.inheritance = limits.inheritance;
    options_with_limits.file_sha256 = options.file_sha256 || options.structure_hashes;
    facts = read_module_source(source, filename, module_name, options_with_limits);
  } catch (const SourceReadError& error) {
    if (error.kind() == SourceReadError::Kind::encoding) {
      // Undecodable bytes are reported in the words of the one decoder of every path (source_bytes.hpp),
      // which names the declaration to fix; it takes the GIL, on this error path only.
      nb::gil_scoped_acquire gil;
      decode_python_source(source, filename);  // throws SourceError when it agrees
    }
    throw SourceError(filename, error.line(), error.column(),
                      error.kind() == SourceReadError::Kind::syntax ? "not valid Python: " + error.message() : error.message());
  }
  if (options.structure_hashes) {
    // Structure hashes are defined over CPython's syntax tree (docs/authoring.md): that part needs it.
    nb::gil_scoped_acquire gil;
    copy_structure_hashes(extract_with_cpython(source, filename, module_name, options, limits), facts);
  }
  return facts;
}

ModuleFacts extract_static_file(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options,
                                const SourceLimits& limits) {
  return extract_static_source(read_source_file(path, limits.max_bytes), path.string(), module_name, options, limits);
}

}  // namespace importspy::bindings
