#pragma once
// Static facts of unchanged source files served from memory: warm embedded validation must not parse
// the importer again on every import.

#include <filesystem>
#include <memory>
#include <string>

#include "importspy/facts/facts.hpp"
#include "extract/static_extractor.hpp"

namespace importspy::bindings {

// Thread-safe; the same staleness rule as the contract cache (importspy/util/file_stamp.hpp).
// Throws SourceError as extract_static_file() does.
std::shared_ptr<const ModuleFacts> cached_static_facts(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options = {});

// The facts of `bytes`, the content of `path` the caller has read: served from the cache only when the
// cached entry was extracted from exactly these bytes. What the import hook checks is what it runs.
std::shared_ptr<const ModuleFacts> static_facts_of_bytes(const std::filesystem::path& path, const std::string& bytes, const std::string& module_name,
                                                         const ExtractOptions& options = {});

void clear_static_facts_cache();

}  // namespace importspy::bindings
