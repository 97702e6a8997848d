#pragma once
// CI mode: many targets in one run, each checked independently, results in a stable order.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "importspy/report/batch.hpp"
#include "importspy/project/config.hpp"
#include "extract/targets.hpp"

namespace importspy::bindings {

struct BatchOptions {
  std::vector<std::string> targets;   // files, directories, globs, dotted names
  std::vector<std::string> excludes;
  std::optional<std::string> contract;  // -s: one contract for every target; else the project config's mapping
  Mode mode = Mode::static_source;
  bool use_cache = true;                // static mode only: a runtime result depends on what the module imports
  std::filesystem::path cache_directory = ".importspy_cache";
  bool trace = false;                   // --dry-run
  int jobs = 1;                         // threads for static checks (runtime mode imports in this thread)
  SourceParser parser = SourceParser::reader;  // static mode: the C++ reader, or CPython's parser (--parser cpython)
  std::optional<std::pair<std::size_t, std::size_t>> shard;  // --shard I/N: (I, N), 1-based
  std::optional<std::filesystem::path> lock_file;  // --locked: drift from this lock is reported too
  bool log_decisions = false;           // -l DEBUG: each decision to the `importspy` logger (log_debug)
};

// `on_progress(done, total)` is called as targets finish (may be empty).
BatchResult run_batch(const BatchOptions& options, const std::optional<ProjectConfig>& config,
                      const std::function<void(std::size_t, std::size_t)>& on_progress = {});

// "I/N" with 1 <= I <= N → (I, N); nullopt for anything else.
std::optional<std::pair<std::size_t, std::size_t>> parse_shard(const std::string& text);

}  // namespace importspy::bindings
