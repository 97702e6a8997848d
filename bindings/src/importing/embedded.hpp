#pragma once
// Embedded mode: `Spy().importspy(filepath=...)` inside a protected module validates its importer.

#include <nanobind/nanobind.h>

#include <filesystem>
#include <string>

namespace importspy::bindings {

namespace nb = nanobind;

// Called from the Python facade inside the protected module's import. Finds the real importer (the
// nearest frame outside the protected module, importlib's machinery and this package), builds its
// facts from its source merged with what has already run (it is never executed again), checks them and
// the environment against the contract, and returns the importer module (None when there is none,
// e.g. the protected module runs as a script: then only the environment is checked).
// `filepath` relative: the protected module's folder first, then the working directory.
// `info_module` given: that module is validated instead, at runtime. Raises ContractViolation.
// Also makes every later import statement that names the protected module check the module running it
// (once per module while its file is unchanged), through a function put in front of builtins.__import__.
nb::object validate_importer(nb::handle filepath, nb::handle info_module);

// Where a relative contract path leads, the one rule of Spy and of the import hook: beside the file that
// names it (the protected module; the module that calls install() with a dict), else in the working
// directory (ImportSpy 0.x's behaviour, and the place an error then names). An absolute path as it is.
std::filesystem::path resolve_contract_path(const std::string& written, const std::string& naming_file);

// Forgets which importers were validated (importspy._engine.clear_caches()).
void forget_validated_importers();

}  // namespace importspy::bindings
