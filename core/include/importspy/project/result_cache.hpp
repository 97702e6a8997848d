#pragma once
// A content-addressed store of check results (.importspy_cache/): the same contract, source and
// environment give the same report, so a re-run serves it without parsing or checking anything.
//
// The cache directory may sit in a checked tree that others write to, so nothing in it is trusted:
// every entry carries a MAC (keyed BLAKE2b) under a per-user key kept outside the project (see
// default_cache_key_path), over the entry's lookup key and its text. An entry written under another key,
// edited, or copied to another lookup key fails the check and is a miss; so is anything that is not a
// regular file (a folder, a FIFO, a symbolic link), which is never opened in a way that could block.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/facts/facts.hpp"
#include "importspy/report/report.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy {

// What a result depends on. Secrets enter only as set / empty / unset: their values never reach the
// key, the disk, or anything derived from them.
struct ResultKey {
  std::string_view engine_version;
  std::string_view mode;
  std::string_view contract_text;
  std::string_view source_text;
  std::string_view module_filename;  // reports name it
  std::string_view module_name;      // dotted; qualifies classes and resolves relative imports
  std::string_view contract_source;
  const EnvironmentFacts* environment = nullptr;
  std::vector<std::string> secret_names;
};
std::string result_cache_key(const ResultKey& parts);

// A report with everything a renderer needs (contract lines, module lines), as compact JSON: the
// format of cache entries and of results passed between processes.
std::string serialize_report(const Report& report);
std::optional<Report> deserialize_report(std::string_view text);

// What a run needs to know about a contract to look its results up: the environment names it reads.
struct ContractSummary {
  std::vector<std::string> environment_names;
  std::vector<std::string> secret_names;
};

// $XDG_CACHE_HOME/importspy/key, else $HOME/.cache/importspy/key; empty when neither is set.
std::filesystem::path default_cache_key_path();

// The secret key in `path`, created (32 random bytes, mode 0600) when absent. nullopt when it cannot be
// created or read, or is not a regular file of this user readable by nobody else: then nothing is cached.
std::optional<std::string> load_or_create_cache_key(const std::filesystem::path& path);

// The contents of a regular file of at most `max_bytes`, opened without following a final symbolic link
// and without blocking (a FIFO or a device is refused, never waited on); nullopt otherwise.
std::optional<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

// $IMPORTSPY_CACHE_KEY when it has 32 characters or more, else load_or_create_cache_key(default_cache_key_path()).
std::optional<std::string> default_cache_key();

class ResultCache {
public:
  // Authenticates entries with default_cache_key(); without one it stores and serves nothing.
  explicit ResultCache(std::filesystem::path directory);
  // Authenticates entries with `secret` (nullopt: stores and serves nothing).
  ResultCache(std::filesystem::path directory, std::optional<std::string> secret);

  // Keyed by the contract's content (and the engine version): a re-run whose results are all cached
  // does not compile a single contract.
  std::optional<ContractSummary> load_summary(const std::string& contract_key) const;
  void store_summary(const std::string& contract_key, const ContractSummary& summary) const;

  std::optional<Report> load(const std::string& key) const;
  // Written to a temporary file and renamed into place: readers never see half an entry, and two runs
  // storing the same key at once both succeed. Failures to write are ignored (a cache is optional).
  // The directory, when this creates it, holds a `.gitignore` of `*` and a `CACHEDIR.TAG`.
  void store(const std::string& key, const Report& report) const;

  // Any other authenticated entry (the compiled code of checked sources, ...) under `kind`, a folder name
  // that enters the MAC too: an entry of one kind or key is never served as another.
  std::optional<std::string> load_blob(std::string_view kind, const std::string& key) const;
  void store_blob(std::string_view kind, const std::string& key, const std::string& body) const;

  const std::filesystem::path& directory() const { return directory_; }

private:
  std::filesystem::path entry_path(const std::string& key) const;
  std::optional<std::string> read_entry(const std::filesystem::path& path, std::string_view kind, const std::string& key) const;
  void write_entry(const std::filesystem::path& path, std::string_view kind, const std::string& key, const std::string& body) const;
  void write_atomically(const std::filesystem::path& target, const std::string& text) const;
  // Creates the directory with a `.gitignore` (`*`) and a `CACHEDIR.TAG` when it has no tag yet.
  void mark_directory() const;
  std::filesystem::path directory_;
  std::optional<std::string> secret_;
};

}  // namespace importspy
