#pragma once
// What a module and its environment actually are. Extractors fill these; the checker reads them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "importspy/lang/kinds.hpp"
#include "importspy/lang/value.hpp"

namespace importspy {

struct VariableFact {
  std::string name;
  Value value;  // Value::unknown when the extractor could not know it
  std::optional<std::string> annotation;  // as found; compared through canonical_annotation_or_text
  int line = 0;
  // Why the reader cannot know what CPython binds to this name when the module has run (rebound by a
  // form whose value it cannot follow, ...): a rule on it is unverifiable. Empty when it can.
  std::string unverifiable;
};

struct ParameterFact {
  std::string name;
  ParameterKind kind = ParameterKind::positional_or_keyword;
  std::optional<Value> default_value;  // absent: no default
  std::optional<std::string> annotation;
};

enum class CallableKind { function, method, static_method, class_method, property };

struct FunctionFact {
  std::string name;
  std::optional<std::string> structure_hash;  // "sha256:<hex>" of the normalised syntax tree, when computed
  // Why the hash does not stand for the code that runs (the name is rebound after its definition, a
  // decorator's code is not known, ...): a pin on it cannot be verified. Empty when it can.
  std::string structure_unverifiable;
  std::vector<ParameterFact> parameters;  // in signature order
  std::optional<std::string> return_annotation;
  CallableKind kind = CallableKind::function;
  bool is_async = false;
  int line = 0;
  // Why the reader cannot know that the name is bound to this function when the module has run (a
  // decorator whose code it cannot see may replace it, ...): a rule on it is unverifiable. Empty when it can.
  std::string unverifiable;
};

struct AttributeFact {
  std::string name;
  AttributeKind kind = AttributeKind::class_attribute;
  Value value;
  std::optional<std::string> annotation;
  int line = 0;
};

struct SuperclassFact {
  std::string name;       // `Plugin`
  std::string qualified;  // `plugins.base.Plugin`; empty when unknown
};

struct ClassFact {
  std::string name;
  std::optional<std::string> structure_hash;  // "sha256:<hex>", when computed
  std::string structure_unverifiable;         // as for FunctionFact
  std::vector<AttributeFact> attributes;
  std::vector<FunctionFact> methods;
  std::vector<SuperclassFact> superclasses;  // method resolution order, the class itself excluded
  int line = 0;
  std::string unverifiable;  // as for FunctionFact (a class decorator, a base the reader cannot resolve, ...)
};

// One name an import statement binds: `import os.path` binds `os` (module "os.path", name empty);
// `from .base import Plugin as P` binds `P` (module ".base", name "Plugin").
struct ImportFact {
  std::string module;  // as written, leading dots kept for relative imports
  std::string name;    // the imported attribute; empty for `import module`; `*` for a star import
  std::string alias;   // the local name bound; empty for a star import
  int line = 0;
  // Imports no straight-line module code runs at import time. Extractors that leave such imports out (the
  // CPython-based one) never set these; name resolution (static_rules) ignores imports that have either.
  bool type_checking = false;  // under `if TYPE_CHECKING:` (never true at run time)
  bool lazy = false;           // inside a function or method body: runs when it is called
  // Written directly in a class body: it runs at import time, but binds a class attribute, not a module
  // name, so name resolution ignores it too.
  bool in_class = false;
  // Under `if __name__ == "__main__":` (never run on import, run by `python -m`): recorded from the reader
  // only; name resolution and every rule ignore it.
  bool main_guard = false;
};

// An import the source makes but does not name exactly: `__import__(name)`, `importlib.import_module(f"...")`
// with a computed argument. An import rule cannot be verified against it.
struct UnknownImport {
  std::string text;    // the call as written, one line
  std::string reason;  // why the module it imports cannot be known
  int line = 0;
};

struct ModuleFacts {
  std::string name;      // dotted module name, when known
  std::string filename;  // path of the source file; compared by its last components
  std::optional<std::string> version;  // `__version__`
  bool version_unknown = false;            // `__version__` is assigned, but computed: static extraction cannot know it
  std::optional<std::string> file_sha256;  // hex SHA-256 of the source file's bytes, when computed
  std::vector<VariableFact> variables;
  std::vector<FunctionFact> functions;
  std::vector<ClassFact> classes;
  std::vector<ImportFact> imports;  // from source only; empty for facts taken from a live module
  // Why the source cannot show every name the module binds when it runs (code run at import that changes
  // the namespace: `exec(...)`, `globals()`, `setattr(...)`, `from m import *`, `global` in a class body),
  // each with its line; at most a few. Empty when the source shows them all. From the reader only.
  std::vector<std::string> dynamic_namespace;
  std::vector<UnknownImport> unknown_imports;  // from source only

  const VariableFact* find_variable(std::string_view name) const;
  const FunctionFact* find_function(std::string_view name) const;
  const ClassFact* find_class(std::string_view name) const;
};

const FunctionFact* find_method(const ClassFact& cls, std::string_view name);

// The facts' import facts alone: name, file, `imports` and `unknown_imports`, moved out of `facts`. What
// an imports-only reading keeps (ReadOptions::imports_only), and what a package check keeps of a module
// once it is judged.
ModuleFacts import_facts_of(ModuleFacts&& facts);

struct EnvironmentFacts {
  std::string arch;            // as reported by the platform; normalised by the checker
  std::string os;              // as reported by the platform; normalised by the checker
  std::string python_version;  // e.g. 3.11.7
  std::string interpreter;     // e.g. CPython
  std::map<std::string, std::string, std::less<>> variables;  // the process environment
};

}  // namespace importspy
