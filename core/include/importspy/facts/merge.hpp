#pragma once
// Combining what a module's source says with what its live objects say.

#include <span>
#include <string>

#include "importspy/facts/facts.hpp"

namespace importspy {

// Runtime mode, a module that has run to the end: `live` decides what exists and what it is (values,
// signatures, classes, methods, class attributes, method resolution order, `__version__`). `from_source`
// adds only what a live object cannot tell, and only to the definition it describes (the live function
// or class starts at the source definition's line, or at a decorator above it): annotations as written,
// line numbers, structure hashes (exact line only), instance attributes set through `self.x = ...`; and
// for the module: its imports and the imports it cannot name, and its file's SHA-256. Markers the live
// module settles (`unverifiable`, `dynamic_namespace`, `version_unknown`) are dropped.
ModuleFacts merge_runtime_facts(const ModuleFacts& from_source, ModuleFacts live);

// A module that has run only up to `running_line` (an importer, stopped at its import statement), of
// which `looked_up` names were read live (absent from `live`: not bound now). For each of these names,
// a source definition below `running_line` has not run yet and stands; otherwise the live object
// decides, as in merge_runtime_facts, and a name the source binds above that line but that is not bound
// now (a branch not taken, a `del`) is gone. Other names keep their source facts.
ModuleFacts merge_importer_facts(const ModuleFacts& from_source, const ModuleFacts& live, int running_line, std::span<const std::string> looked_up);

}  // namespace importspy
