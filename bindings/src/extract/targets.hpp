#pragma once
// What the user names (a module object, a path to a .py file, a dotted module name) → facts.

#include <nanobind/nanobind.h>

#include <memory>
#include <string>

#include "importspy/contract/contract.hpp"
#include "importspy/facts/facts.hpp"
#include "extract/static_extractor.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

enum class Mode { static_source, runtime };

// "static" or "runtime"; anything else throws std::invalid_argument (ValueError in Python).
Mode parse_mode(const std::string& text);

// Static mode never executes the target: a path is parsed, a dotted name is located on sys.path without
// importing anything (not even its parent packages), a module object is read from its source file.
// Runtime mode imports a path or dotted name (a path's folder goes first on sys.path meanwhile, as when
// running a script) and reads the live objects, completed by the source. An import that raises becomes
// a SourceError naming the file and line where it raised.
ModuleFacts facts_for_target(nb::handle target, Mode mode, const ExtractOptions& options = {});

// Live facts of `module` completed by its source's facts, when it has a source file.
ModuleFacts runtime_facts(nb::handle module, const ExtractOptions& options = {});

// A contract given as a path (str or os.PathLike) or as a loaded Contract.
std::shared_ptr<const Contract> contract_from(nb::handle contract);

// Writes a debug line to the `importspy` logger, only when debug logging was asked for.
void log_debug(const std::string& message);
void enable_logging(nb::handle level);

}  // namespace importspy::bindings
