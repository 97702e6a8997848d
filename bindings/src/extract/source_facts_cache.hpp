#pragma once
// Static facts of unchanged source files served from memory: warm embedded validation must not parse
// the importer again on every import. Below memory, the per-user store (per_user_store.hpp) keeps the
// reader's facts between processes, keyed by the exact bytes read: a fresh process checking a source it
// has checked before reads its facts back instead of reading the source again.

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

// How this process's source facts were served: from memory, read from the source, or read back from the
// per-user store.
struct SourceFactsStats {
  std::size_t hits = 0, reads = 0, stored = 0;
};
SourceFactsStats source_facts_stats();

// Forgets what memory holds (the per-user store is kept: its entries stand only for the bytes they name).
void clear_static_facts_cache();

}  // namespace importspy::bindings
