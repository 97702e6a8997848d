#pragma once
// Facts from source text without executing it: CPython's own parser (compile(..., PyCF_ONLY_AST)),
// its tree walked in C++.

#include <filesystem>
#include <string>
#include <string_view>

#include "importspy/facts.hpp"

namespace importspy::bindings {

struct SourceLimits {
  std::size_t max_bytes = 16u << 20;  // larger sources are refused with a SourceError
};

// Facts of `source` (UTF-8 Python). `filename` names it in facts and errors; `module_name` (dotted, may be
// empty) resolves relative imports and qualifies the module's own classes. Throws SourceError for text
// that is too large, not UTF-8 or not Python. Values that need running code are Value::unknown.
ModuleFacts extract_static_source(std::string_view source, const std::string& filename, const std::string& module_name,
                                  const SourceLimits& limits = {});

// The same for a file. Throws SourceError when it cannot be read.
ModuleFacts extract_static_file(const std::filesystem::path& path, const std::string& module_name, const SourceLimits& limits = {});

}  // namespace importspy::bindings
