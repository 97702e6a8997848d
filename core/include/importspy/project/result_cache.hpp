#pragma once
// A content-addressed store of check results (.importspy_cache/): the same contract, source and
// environment give the same report, so a re-run serves it without parsing or checking anything.

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

class ResultCache {
public:
  explicit ResultCache(std::filesystem::path directory);

  // Keyed by the contract's content (and the engine version): a re-run whose results are all cached
  // does not compile a single contract.
  std::optional<ContractSummary> load_summary(const std::string& contract_key) const;
  void store_summary(const std::string& contract_key, const ContractSummary& summary) const;

  std::optional<Report> load(const std::string& key) const;
  // Written to a temporary file and renamed into place: readers never see half an entry, and two runs
  // storing the same key at once both succeed. Failures to write are ignored (a cache is optional).
  void store(const std::string& key, const Report& report) const;

  const std::filesystem::path& directory() const { return directory_; }

private:
  std::filesystem::path entry_path(const std::string& key) const;
  void write_atomically(const std::filesystem::path& target, const std::string& text) const;
  std::filesystem::path directory_;
};

}  // namespace importspy
