#pragma once
// `importspy check` as a function: the project's targets × contracts checked as the command line checks
// them, results returned as data (for the pytest plugin and other integrations, never re-implemented).

#include <optional>
#include <string>
#include <vector>

#include "importspy/report/batch.hpp"

namespace importspy::bindings {

struct ProjectCheckOptions {
  std::vector<std::string> targets;    // empty: `targets` of the project settings
  std::optional<std::string> config;   // settings file; default: found upwards from the working directory
  std::optional<std::string> contract; // one contract for every target; default: the settings' mappings
  std::optional<std::string> mode;     // "static" or "runtime"; default: the settings' mode, else static
  bool use_cache = true;
  std::string cache_directory = ".importspy_cache";
  int jobs = 1;
};

// Every target's report or error, in discovery order. Throws std::invalid_argument, naming file, line
// and column, for settings that do not load, and when there is no target or no contract to check with.
BatchResult check_project(const ProjectCheckOptions& options);

}  // namespace importspy::bindings
