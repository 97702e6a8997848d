#pragma once
// Facts from live Python objects (runtime mode), read through the C API: no inspect.signature.

#include <nanobind/nanobind.h>

#include "importspy/facts/facts.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// The facts of a module object: its variables, the functions and classes defined in it (not imported
// into it; their lines only when their code was compiled from the module's file), `__version__` and file
// name. Instance attributes are not knowable from live objects (no
// instance exists), except the names Python 3.13+ records in `__static_attributes__`; complete them
// with merge_runtime_facts() over the source's facts.
ModuleFacts extract_live_module(nb::handle module);

// The facts of what an import of module `module_name` (file `filename`) gives: the module object, or the
// object the module put in its place in sys.modules (its attributes, when it has a `__dict__`).
ModuleFacts extract_live_object(nb::handle object, const std::string& module_name, const std::string& filename);

// The same over a namespace that is not (yet) a module object: an importer's globals mid-import.
ModuleFacts extract_live_namespace(nb::handle globals, const std::string& module_name, const std::string& filename);

// The same, for `names` only (referenced_module_names of a contract): each looked up, none walked; what a
// check of that contract can use, at a fraction of the cost for a large namespace.
ModuleFacts extract_live_names(nb::handle globals, const std::string& module_name, const std::string& filename, const std::vector<std::string>& names);

// The facts of one class object, with its method resolution order and inherited members.
ClassFact class_fact_of(nb::handle cls);

// The facts of one function object (methods and decorated functions included).
FunctionFact function_fact(nb::handle function, std::string name, CallableKind kind);

}  // namespace importspy::bindings
