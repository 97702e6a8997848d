#pragma once
// Modules that are compiled code (a C extension, a sourceless .pyc): nothing to extract facts from, so
// the only verifiable rule is the contract's pin of the file's exact bytes. Shared by the import hook
// and CI mode.

#include <filesystem>
#include <string>

#include "importspy/contract/contract.hpp"
#include "importspy/report/report.hpp"

namespace importspy::bindings {

// True for a file Python imports as compiled code: *.so, *.pyd, *.pyc.
bool is_compiled_module(const std::filesystem::path& file);

// The report for compiled code whose bytes hash to `sha256`: compliant when the contract's top-level
// `integrity: {sha256}` pins exactly these bytes, `integrity-mismatch` when it pins others, and
// `module-unverifiable` when it pins none.
Report compiled_module_report(const std::string& file, const std::string& sha256, const Contract& contract, const std::string& contract_source);

}  // namespace importspy::bindings
