#include "cli/project_check.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "cli/batch_runner.hpp"
#include "importspy/project/config.hpp"

namespace importspy::bindings {

BatchResult check_project(const ProjectCheckOptions& options) {
  std::optional<ProjectConfig> config;
  try {
    config = options.config ? load_project_config(*options.config) : find_project_config(std::filesystem::current_path());
  } catch (const ConfigError& error) {
    throw std::invalid_argument(error.what());
  }
  BatchOptions batch;
  batch.targets = options.targets.empty() && config ? config->resolved_targets() : options.targets;
  if (batch.targets.empty()) {
    throw std::invalid_argument("no target given, and no `targets` in [tool.importspy] (pyproject.toml) or importspy.toml; add "
                                "`targets = [\"plugins\"]` there");
  }
  batch.contract = options.contract;
  if (!batch.contract && (!config || config->contracts.empty())) {
    throw std::invalid_argument("no contract given, and no [[tool.importspy.contracts]] mapping in the project's settings; add one with "
                                "`match` and `contract`");
  }
  batch.mode = parse_mode(options.mode ? *options.mode : config && config->mode ? *config->mode : "static");
  batch.use_cache = options.use_cache;
  batch.cache_directory = options.cache_directory;
  batch.jobs = std::max(1, options.jobs);
  return run_batch(batch, config);
}

}  // namespace importspy::bindings
