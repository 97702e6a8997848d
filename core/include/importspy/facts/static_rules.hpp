#pragma once
// The fact rules every static extractor applies, whatever parser read the source (the C++ reader of
// core/source, or CPython's parser walked by the bindings): how names resolve through imports, which
// assignments are module facts, and the method resolution order with the members classes inherit.
// One implementation, so the two parsers cannot disagree on a rule, and its limits hold on both paths.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "importspy/facts/facts.hpp"
#include "importspy/util/located_error.hpp"

namespace importspy {

// `__name__`: a name Python reserves; never a variable, function or attribute fact.
bool is_dunder(std::string_view name);

// Private name mangling: `__x` in class `_C` is `_C__x` (no mangling for dunders, dotted names or classes
// whose name is all underscores).
std::string mangle_private(std::string_view name, std::string_view class_name);

// `a.b.c`: a name that can be followed through imports; a call or an expression is not.
bool is_dotted_name(std::string_view text);

std::string last_component(std::string_view dotted);

// `.base` in package `pkg.sub` → `pkg.sub.base`; `..x` goes one package up.
std::string resolve_relative(const std::string& written, const std::string& package);

// A module name as an import by code takes it (`pkg.mod`, identifiers beyond ASCII included): no leading,
// trailing or doubled dot.
bool is_module_name(std::string_view name);

// The module `importlib.import_module(name, package)` imports: a relative name resolved against a literal
// package, as importlib does; nullopt when it is no module name or climbs beyond the top-level package.
std::optional<std::string> import_module_target(const std::string& name, const std::optional<std::string>& package);

// A function that loads a module the source does not name (runpy, importlib.util and importlib.machinery
// loaders, imp, pkgutil.resolve_name): a call of one is an unknown import.
bool is_module_loader(std::string_view function);

// `_os.name` after `import os as _os` → `os.name`; `platform` after `from sys import platform` →
// `sys.platform`; "" when the first name is bound by none of `imports` (the last binding wins).
std::string resolve_through_imports(const std::vector<ImportFact>& imports, const std::string& package, const std::string& name);

// The `__mro__` of the builtin class `name` (`IOError` is `OSError`), or nullptr when `name` is no builtin
// class. The table is the union over the CPython versions we support (tests/corpus/make_builtin_table.py).
const std::vector<SuperclassFact>* builtin_class_mro(std::string_view name);

// A decorator that returns the very object it decorates (changed perhaps, never replaced), so that what the
// source shows of the definition is what the name is bound to: `qualified` is what the decorator's callee
// names, through imports (`functools.total_ordering`, `builtins.staticmethod`), `arguments` the text
// inside its call's parentheses (empty when it is not called). Checked on CPython 3.10-3.13:
// typing.final/no_type_check/override/runtime_checkable/dataclass_transform(...), abc.abstractmethod,
// atexit.register, dataclasses.dataclass (not with `slots=True`: a new class), functools.total_ordering,
// enum.unique; in a class body, staticmethod/classmethod/property/functools.cached_property too (the
// extractors read those as the method's kind). typing.overload (a placeholder), functools.wraps (another
// signature), functools.cache/lru_cache (a wrapper object) and every other decorator replace it.
bool decorator_keeps_definition(std::string_view qualified, std::string_view arguments, bool in_class);

// A context manager, by the qualified name of what its `with` item calls, that never suppresses an
// exception (its `__exit__` returns a false value): the body of the `with` runs to its end or the module
// fails. Any other (`contextlib.suppress`, one whose code the reader cannot see) may cut the body short.
bool context_manager_keeps_exceptions(std::string_view qualified);

// A module-level assignment `name = value`, as the runtime shows it. Returns false when the name is no
// variable fact: `__version__` sets the module's version (or version_unknown when not a string), other
// dunders are skipped. Otherwise `annotation` is completed with the value's type when it is known
// (runtime facts annotate an unannotated variable with its value's type; so do static ones).
bool module_variable_rule(ModuleFacts& facts, const std::string& name, const Value& value, std::optional<std::string>& annotation);

// A class statement's attributes by attribute_key (name and kind), so that binding its ten-thousandth
// attribute costs what binding the first did. Extractors keep one per class statement being read.
using AttributePositions = std::unordered_map<std::string, std::size_t>;
std::string attribute_key(std::string_view name, AttributeKind kind);

// `self.name = value` in a method: the first assignment (the constructor's, usually) gives the value;
// later ones may add a type.
void bind_instance_attribute(ClassFact& cls, AttributePositions& positions, const std::string& name, Value value,
                             const std::optional<std::string>& annotation, int line);

// `name = value` in a class body (or an attribute of `kind` bound again): the last binding wins; dunders
// are no facts; a known value without annotation is annotated with its type, as at run time.
void bind_class_attribute(ClassFact& cls, AttributePositions& positions, const std::string& name, AttributeKind kind, Value value,
                          std::optional<std::string> annotation, int line);

// Bounds against hostile inheritance: each is a class statement or a module the extractor refuses.
struct InheritanceLimits {
  std::size_t max_superclasses = 1000;              // length of one class's method resolution order
  std::size_t max_bases = 1000;                     // bases written in one class statement
  std::size_t max_inheritance_entries = 1'000'000;  // superclass entries and inherited members, whole module
};

// A limit above was passed; names the module's file and the line of the class.
class InheritanceLimitError : public LocatedError {
public:
  InheritanceLimitError(const std::string& file, int line, const std::string& message)
      : LocatedError(file, line, 0, file + ":" + std::to_string(line) + ": " + message), message_(message) {}
  const std::string& message() const { return message_; }

private:
  std::string message_;
};

// Once the whole module is read, with each class's `superclasses` the bases as written (dotted names, or
// other expressions kept as their text): replaces them with the method resolution order as Python
// computes it (C3) over what the source shows, and adds the members inherited from classes of this module.
// Classes of this module are followed through their own bases; builtins through their known order; a
// `typing.NamedTuple` base is `tuple`, a `TypedDict` base `dict`; any other base counts as itself then
// object. `package` resolves relative imports. Each class is linearised once and merged in time linear in
// what is merged, so the cost is bounded by the output, which `limits` bounds (InheritanceLimitError).
void complete_classes(ModuleFacts& facts, const std::string& package, const InheritanceLimits& limits = {});

}  // namespace importspy
