#pragma once
// Import interception: a meta-path finder that checks a module against its contract before any of its
// code runs, as the import system locates it.

#include <nanobind/nanobind.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "importspy/project/config.hpp"
#include "importspy/report/report.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// Policy = the project settings' contract mappings (docs/import-hook.md): module patterns, or path
// patterns matched against the located file; per rule a mode (enforce, warn, audit) and a runtime flag.
std::shared_ptr<const ProjectConfig> policy_from_dict(nb::dict rules, const std::filesystem::path& base, std::optional<std::filesystem::path> audit_log);
std::shared_ptr<const ProjectConfig> policy_from_file(const std::filesystem::path& file);

class ContractFinder {
public:
  explicit ContractFinder(std::shared_ptr<const ProjectConfig> policy);

  // importlib's finder protocol. Returns None for modules no rule covers; for covered ones, the spec the
  // other finders give, after checking the source. A rejected module raises ContractViolation here,
  // before a module object exists: nothing is left in sys.modules or on the parent package.
  nb::object find_spec(nb::handle fullname, nb::handle path, nb::handle target);

  // Decisions taken so far: dicts with module, file, contract, mode, decision, violations (codes).
  nb::list decisions() const;

  // After the module ran (rules with runtime = true): the live objects, checked the same way.
  void check_live_module(nb::handle module, const ContractMapping& rule);

  const ProjectConfig& policy() const { return *policy_; }

private:
  void decide(const std::string& module, const std::string& file, const ContractMapping& rule, const Report& report, const std::string& stage);

  std::shared_ptr<const ProjectConfig> policy_;
  mutable std::mutex mutex_;
  std::vector<nb::object> decisions_;
};

// Wraps the real loader of a module whose rule asks for a runtime check; everything else is delegated.
class CheckingLoader {
public:
  CheckingLoader(nb::object loader, ContractFinder* finder, ContractMapping rule) : loader_(std::move(loader)), finder_(finder), rule_(std::move(rule)) {}

  nb::object create_module(nb::handle spec);
  void exec_module(nb::handle module);
  nb::object delegate(const std::string& name) const { return nb::getattr(loader_, name.c_str()); }

private:
  nb::object loader_;
  ContractFinder* finder_;
  ContractMapping rule_;
};

void register_import_hook(nb::module_& m);

}  // namespace importspy::bindings
