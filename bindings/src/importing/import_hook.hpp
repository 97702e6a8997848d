#pragma once
// Import interception: a meta-path finder that checks a module against its contract before any of its
// code runs, as the import system locates it.

#include <nanobind/nanobind.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "importspy/contract/contract.hpp"
#include "importspy/project/config.hpp"
#include "importspy/report/report.hpp"
#include "interop/errors.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// Policy = the project settings' contract mappings (docs/import-hook.md): module patterns, or path
// patterns matched against the located file; per rule a mode (enforce, warn, audit) and a runtime flag.
// Path patterns are taken from `base`; relative contract paths beside `naming_file` (the module that
// called install()), else in the working directory, as Spy does (resolve_contract_path, embedded.hpp).
std::shared_ptr<const ProjectConfig> policy_from_dict(nb::dict rules, const std::filesystem::path& base, std::optional<std::filesystem::path> audit_log,
                                                      const std::string& naming_file = {});
std::shared_ptr<const ProjectConfig> policy_from_file(const std::filesystem::path& file);

class ContractFinder {
public:
  explicit ContractFinder(std::shared_ptr<const ProjectConfig> policy);

  // importlib's finder protocol. Returns None for modules no rule covers; for covered ones, the spec the
  // other finders give, after checking the source, with a CheckingLoader that runs exactly the bytes
  // checked. A rejected module raises ContractViolation here, before a module object exists: nothing is
  // left in sys.modules or on the parent package.
  nb::object find_spec(nb::handle fullname, nb::handle path, nb::handle target);

  // Decisions taken so far: dicts with module, file, contract, mode, decision, violations (codes).
  nb::list decisions() const;

  // After the module ran (rules with runtime = true): the live objects, checked the same way; what only
  // the source shows comes from `source_bytes`, the bytes that were checked and run (null: no source).
  void check_live_module(nb::handle module, const ContractMapping& rule, const std::string* source_bytes);

  const ProjectConfig& policy() const { return *policy_; }

  // Opt-in guard (an audit hook, PySys_AddAuditHook): code compiled from a file this policy covers is
  // refused (ImportError) when it is executed outside this finder's loader — runpy.run_path,
  // spec_from_file_location + exec_module, load_module, a finder inserted ahead of this one.
  void set_guard(bool on);
  bool covers_file(const std::string& file) const;
  ~ContractFinder();

  // Modules the policy covers that are already in sys.modules: they ran before it was installed, unchecked.
  // Each gets a decision (stage "preloaded", decision "unchecked") and a ContractWarning.
  void report_preloaded();

  // Rules whose contract file is missing when the policy is installed: each said once on stderr, naming
  // the file and what the rule's mode does about it (enforce refuses what it covers, warn and audit
  // import it unchecked).
  void report_missing_contracts();

private:
  // One decision: kept in decisions() and appended to the audit log (when the policy has one).
  void record(const std::string& module, const std::string& file, const std::string& sha256, const ContractMapping& rule, const std::string& stage,
              const std::string& decision, const std::vector<std::string>& codes);
  void decide(const std::string& module, const std::string& file, const std::string& sha256, const ContractMapping& rule, const Report& report,
              const std::string& stage);
  void decide_unreadable(const std::string& module, const std::string& file, const ContractMapping& rule, const SourceError& error);
  // A matched module that is compiled code: admitted by an integrity pin of its exact file, else by the
  // rule's `unverifiable` setting; always recorded (stage "binary").
  // Returns the bytes that were hashed and recorded when the module is admitted (raises otherwise).
  std::string decide_unverifiable(const std::string& module, const std::string& file, const ContractMapping& rule, const Contract& contract);
  // A rule's contract that cannot be loaded: one line on stderr per contract file and process.
  void report_unloadable_contract(const ContractMapping& rule, const std::string& reason);

  const ContractMapping* rule_for_file(const std::string& origin, std::string& covered_name) const;
  static std::string real_path(const std::string& path);
  std::string resolved_file(const std::string& path) const;
  std::string resolved_folder(const std::string& folder) const;
  const ContractMapping* rule_by_search_path(const std::string& real, std::string& covered_name) const;

  struct ProtectedFolder {
    std::string folder;  // resolved
    std::string dotted;  // the module name of the folder under its pattern
  };

  std::shared_ptr<const ProjectConfig> policy_;
  mutable std::mutex mutex_;
  std::vector<nb::object> decisions_;
  std::vector<ProtectedFolder> protected_folders_;                   // fixed after construction
  bool covers_packages_ = false;  // some module pattern names a package: every import must be located
  std::vector<std::string> covered_prefixes_;  // each such pattern's literal part as folders: "/plugins/"
  std::unordered_map<std::string, std::string> protected_files_;    // resolved file → covered module name (guarded)
  std::atomic<bool> has_protected_files_ = false;
  std::vector<std::string> reported_contracts_;  // contract files already said to be unloadable (guarded)
  mutable std::unordered_map<std::string, std::string> resolved_folders_;  // folder → resolved (guarded)
};

// The loader of every matched module with source: it compiles the checked text (decoded from the bytes
// read once by the finder) and executes that code object, so neither a file changed after the check nor
// a __pycache__ file ever runs; then, for rules with runtime = true, checks the live module. Whatever
// else a loader offers (resources, is_package, get_data) is the real loader's.
class CheckingLoader {
public:
  // A checked source: `bytes` as read once, `text` as decoded from them, `sha256` theirs (the key of their
  // compiled code in the code cache, code_cache.hpp).
  CheckingLoader(nb::object loader, ContractFinder* finder, ContractMapping rule, std::string filename, std::string bytes, std::string text,
                 std::string sha256)
      : loader_(std::move(loader)), finder_(finder), rule_(std::move(rule)), filename_(std::move(filename)), bytes_(std::move(bytes)), text_(std::move(text)),
        sha256_(std::move(sha256)), has_source_(true) {}
  // A module without source (admitted unverifiable): the real loader runs it, then the runtime check.
  CheckingLoader(nb::object loader, ContractFinder* finder, ContractMapping rule) : loader_(std::move(loader)), finder_(finder), rule_(std::move(rule)) {}
  // A sourceless .pyc admitted by its pin or setting: `code` is unmarshalled from the very bytes that were
  // hashed and recorded, so a file replaced after the decision is not what runs.
  CheckingLoader(nb::object loader, ContractFinder* finder, ContractMapping rule, nb::object code)
      : loader_(std::move(loader)), finder_(finder), rule_(std::move(rule)), code_(std::move(code)) {}

  nb::object create_module(nb::handle spec);
  void exec_module(nb::handle module);
  nb::object get_code(nb::handle fullname) const;  // the checked code (runpy -m, pkgutil)
  nb::object get_source(nb::handle fullname) const;  // the checked text (tracebacks, inspect); None without source
  nb::object delegate(const std::string& name) const { return nb::getattr(loader_, name.c_str()); }

private:
  nb::object loader_;
  ContractFinder* finder_;
  ContractMapping rule_;
  std::string filename_, bytes_, text_, sha256_;
  bool has_source_ = false;
  nb::object code_;  // set for an admitted sourceless .pyc
};

void register_import_hook(nb::module_& m);

}  // namespace importspy::bindings
