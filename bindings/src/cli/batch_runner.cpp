#include "cli/batch_runner.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "extract/environment_probe.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/project/lock_file.hpp"
#include "importspy/project/result_cache.hpp"
#include "importspy/project/target_discovery.hpp"
#include "importspy/report/violation_codes.hpp"
#include "importspy/util/sha256.hpp"
#include "interop/python_values.hpp"
#include "extract/compiled_module.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "cli/worker_process.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The whole of a regular file, or nullopt: never blocks on a FIFO or device named as a contract or lock.
std::optional<std::string> read_text(const fs::path& path) {
  try {
    return read_source_file(path, std::size_t{1} << 30);
  } catch (const SourceError&) {
    return std::nullopt;
  }
}

// Why `path` cannot be a contract or lock file, when it exists and is not a regular file.
std::optional<std::string> not_a_file(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status) || fs::is_regular_file(status)) return std::nullopt;
  return fs::is_directory(status) ? "this is a folder, not a file" : "this is not a regular file (a FIFO, socket or device)";
}

TargetError source_error(const SourceError& error) { return {"source-error", error.what(), error.file(), error.line(), error.column()}; }

// One run's shared state: contracts and environment probes are looked up once per contract.
class Runner {
public:
  explicit Runner(const BatchOptions& options, const std::optional<ProjectConfig>& config) : options_(options), config_(config) {
    if (options.lock_file) {
      if (auto why = not_a_file(*options.lock_file)) throw LockError(options.lock_file->string() + ": " + *why + "; name the lock file `importspy lock` wrote");
      const auto text = read_text(*options.lock_file);
      if (!text) throw LockError(options.lock_file->string() + ": the lock file cannot be read; write one with `importspy lock`");
      lock_ = read_lock(*text, options.lock_file->string());
      lock_source_ = display_path(*options.lock_file);
    }
    // A locked run re-hashes every module: its results are not served from the cache.
    if (options.use_cache && options.mode == Mode::static_source && !lock_) cache_.emplace(options.cache_directory);
  }

  TargetResult run(const DiscoveredTarget& target) {
    TargetResult result;
    result.target = target.display;
    if (target.kind == DiscoveredTarget::Kind::error) {
      result.error = TargetError{target.error.find("no Python file") != std::string::npos ? "no-python-files" : "not-found", target.error, target.display, 0, 0};
      return result;
    }
    // Where the source is: a file, or a dotted name located on sys.path (static) or imported (runtime).
    fs::path source_path = target.path;
    std::string module_name;
    if (target.kind == DiscoveredTarget::Kind::dotted_name) {
      module_name = target.display;
      // A worker gets dotted names located by the parent: its own sys.path is isolated (-I).
      if (target.path.empty()) {
        if (auto located = locate_module_source(target.display)) source_path = *located;
      }
    } else {
      // A compiled module's name is its file name up to the first dot (`fast.cpython-311-x86_64-linux-gnu.so`).
      const fs::path named = is_compiled_module(target.path) ? target.path.parent_path() / (target.path.filename().string().substr(0, target.path.filename().string().find('.')) + ".py")
                                                      : target.path;
      module_name = config_ ? module_name_for_path(named, config_->directory) : module_name_for_path(named, named.parent_path());
    }
    result.file = source_path.empty() ? std::string() : display_path(source_path);

    std::optional<fs::path> contract_path;
    if (options_.contract) contract_path = fs::path(*options_.contract);
    else if (config_) contract_path = config_->contract_for(source_path, module_name);
    if (!contract_path) {
      result.error = TargetError{"no-contract", "no contract applies to this module; pass -s CONTRACT or add a [[tool.importspy.contracts]] entry that matches it",
                                 result.file.empty() ? target.display : result.file, 0, 0};
      return result;
    }
    result.contract = display_path(*contract_path);
    Loaded* contract = load(*contract_path);
    if (contract->error) {
      result.error = contract->error;
      return result;
    }
    try {
      if (options_.mode == Mode::runtime) {
        if (!compile(*contract, *contract_path)) {
          result.error = contract->error;
          return result;
        }
        const ModuleFacts facts = facts_for_target(nb::str(target.kind == DiscoveredTarget::Kind::dotted_name ? target.display.c_str() : target.path.string().c_str()),
                                                   Mode::runtime, {needs_hashes(*contract->contract) || lock_.has_value()});
        result.report = check(*contract->contract, contract->environment, facts, {options_.trace});
        add_lock_drift(result, facts);
        return result;
      }
      if (source_path.empty()) throw SourceError(target.display, 0, 0, "no Python source for module `" + target.display + "` was found on sys.path");
      if (is_compiled_module(source_path)) {
        if (!compile(*contract, *contract_path)) {
          result.error = contract->error;
          return result;
        }
        result.report = compiled_module_report(result.file, sha256_hex(read_source_file(source_path, std::size_t{1} << 31)), *contract->contract, result.contract);
        return result;
      }
      // Read once, never blocking (a FIFO or device in the tree is an error of its own target).
      const auto text = std::optional<std::string>(read_source_file(source_path, SourceLimits{}.max_bytes));
      std::string key;
      if (cache_) {
        key = result_cache_key({IMPORTSPY_VERSION, options_.trace ? "static+trace" : "static", contract->text, *text, result.file, module_name,
                                result.contract, &contract->environment, contract->secret_names});
        if (auto cached = cache_->load(key)) {
          result.report = std::move(cached);
          result.cached = true;
          return result;
        }
      }
      if (!compile(*contract, *contract_path)) {
        result.error = contract->error;
        return result;
      }
      const ModuleFacts facts = extract_static_source(*text, result.file, module_name, {needs_hashes(*contract->contract) || lock_.has_value()});
      result.report = check(*contract->contract, contract->environment, facts, {options_.trace});
      if (cache_) cache_->store(key, *result.report);
      add_lock_drift(result, facts);
    } catch (const SourceError& error) {
      result.error = source_error(error);
    }
    return result;
  }

private:
  void add_lock_drift(TargetResult& result, const ModuleFacts& facts) const {
    if (!lock_) return;
    auto entry = lock_->modules.find(result.target);
    if (entry == lock_->modules.end()) {
      const ViolationCode& code = violation_code(codes::integrity_mismatch);
      result.report->violations.push_back(Violation{std::string(code.code), code.category, Context::module, "lock", "locked", std::nullopt,
                                                    "this module is not in " + lock_source_, "review it, then run `importspy lock` to add it", {}, 0});
      return;
    }
    for (auto& v : lock_drift(entry->second, facts, lock_source_)) result.report->violations.push_back(std::move(v));
  }

  struct Loaded {
    std::shared_ptr<const Contract> contract;  // compiled when a result is not in the cache
    std::string text;
    EnvironmentFacts environment;
    std::vector<std::string> secret_names;
    std::optional<TargetError> error;
  };

  static TargetError contract_error(const ContractError& error) {
    return TargetError{"contract-invalid", error.message() + (error.hint().empty() ? "" : " (" + error.hint() + ")"), error.file(), error.line(),
                       error.column()};
  }

  // Compiles the contract if it is not yet; false (and `entry.error` set) when it does not compile.
  bool compile(Loaded& entry, const fs::path& path) {
    if (entry.contract) return true;
    if (entry.error) return false;
    if (auto why = not_a_file(path)) {
      entry.error = TargetError{"contract-invalid", *why + "; name a contract file (YAML)", path.string(), 0, 0};
      return false;
    }
    try {
      entry.contract = default_contract_cache().load(path);
      return true;
    } catch (const ContractError& error) {
      entry.error = contract_error(error);
      return false;
    }
  }

  Loaded* load(const fs::path& path) {
    const std::string key = fs::absolute(path).lexically_normal().string();
    auto it = loaded_.find(key);
    if (it != loaded_.end()) return &it->second;
    Loaded entry;
    entry.text = read_text(path).value_or("");
    // A contract whose summary is cached compiled before with this engine: its results can be looked
    // up without compiling it again.
    const std::string summary_key = sha256_hex(std::string(IMPORTSPY_VERSION) + '\0' + entry.text);
    std::optional<ContractSummary> summary = cache_ ? cache_->load_summary(summary_key) : std::nullopt;
    if (!summary && compile(entry, path)) {
      summary = ContractSummary{referenced_environment_names(*entry.contract), {}};
      for (const auto& deployment : entry.contract->deployments) {
        for (const auto& system : deployment.systems) {
          for (const auto& secret : system.secrets) summary->secret_names.push_back(secret.name);
        }
      }
      if (cache_) cache_->store_summary(summary_key, *summary);
    }
    if (summary) {
      entry.environment = probe_environment(summary->environment_names);
      entry.secret_names = summary->secret_names;
    }
    return &loaded_.emplace(key, std::move(entry)).first->second;
  }

public:
  static std::optional<fs::path> locate(const std::string& dotted) { return locate_module_source(dotted); }

private:
  static std::optional<fs::path> locate_module_source(const std::string& dotted) {
    try {
      ModuleFacts located = facts_for_target(nb::str(dotted.c_str()), Mode::static_source);
      return fs::path(located.filename);
    } catch (const SourceError&) {
      return std::nullopt;
    }
  }

  const BatchOptions& options_;
  const std::optional<ProjectConfig>& config_;
  std::optional<ResultCache> cache_;
  std::optional<LockFile> lock_;
  std::string lock_source_;
  std::map<std::string, Loaded> loaded_;
};

json target_to_json(const TargetResult& r) {
  json out = {{"target", r.target}, {"file", r.file}, {"contract", r.contract}, {"cached", r.cached}};
  if (r.error) out["error"] = {{"kind", r.error->kind}, {"message", r.error->message}, {"file", r.error->file}, {"line", r.error->line}, {"column", r.error->column}};
  if (r.report) out["report"] = serialize_report(*r.report);
  return out;
}

TargetResult target_from_json(const json& j) {
  TargetResult r;
  r.target = j.at("target").get<std::string>();
  r.file = j.at("file").get<std::string>();
  r.contract = j.at("contract").get<std::string>();
  r.cached = j.at("cached").get<bool>();
  if (j.contains("error")) {
    const json& e = j["error"];
    r.error = TargetError{e.at("kind").get<std::string>(), e.at("message").get<std::string>(), e.at("file").get<std::string>(), e.at("line").get<int>(),
                          e.at("column").get<int>()};
  }
  if (j.contains("report")) r.report = deserialize_report(j["report"].get<std::string>());
  if (!r.error && !r.report) r.error = TargetError{"source-error", "the worker process returned no result for this target", r.target, 0, 0};
  return r;
}

json options_to_json(const BatchOptions& o) {
  return {{"excludes", o.excludes}, {"contract", o.contract ? json(*o.contract) : json(nullptr)}, {"mode", o.mode == Mode::runtime ? "runtime" : "static"},
          {"use_cache", o.use_cache}, {"cache_directory", o.cache_directory.string()}, {"trace", o.trace},
          {"lock_file", o.lock_file ? json(o.lock_file->string()) : json(nullptr)}};
}

BatchOptions options_from_json(const json& j) {
  BatchOptions o;
  o.excludes = j.at("excludes").get<std::vector<std::string>>();
  if (!j.at("contract").is_null()) o.contract = j["contract"].get<std::string>();
  o.mode = parse_mode(j.at("mode").get<std::string>());
  o.use_cache = j.at("use_cache").get<bool>();
  o.cache_directory = j.at("cache_directory").get<std::string>();
  o.trace = j.at("trace").get<bool>();
  if (!j.at("lock_file").is_null()) o.lock_file = j["lock_file"].get<std::string>();
  return o;
}

json discovered_to_json(const DiscoveredTarget& t) {
  return {{"kind", static_cast<int>(t.kind)}, {"display", t.display}, {"path", t.path.string()}, {"error", t.error}};
}

DiscoveredTarget discovered_from_json(const json& j) {
  return {static_cast<DiscoveredTarget::Kind>(j.at("kind").get<int>()), j.at("display").get<std::string>(), fs::path(j.at("path").get<std::string>()),
          j.at("error").get<std::string>()};
}

// Worker processes help only when there is enough work to pay for starting an interpreter each.
constexpr std::size_t kTargetsPerWorkerAtLeast = 64;

}  // namespace

BatchResult run_batch(const BatchOptions& options, const std::optional<ProjectConfig>& config,
                      const std::function<void(std::size_t, std::size_t)>& on_progress) {
  std::vector<std::string> excludes = options.excludes;
  if (config) excludes.insert(excludes.end(), config->exclude.begin(), config->exclude.end());
  std::vector<DiscoveredTarget> targets = discover_targets(options.targets, excludes);
  BatchResult batch;
  batch.results.resize(targets.size());

  // Split the work: this process takes the first share; each worker a later contiguous share, so the
  // output order is the discovery order whatever finishes first.
  const std::size_t workers =
      options.mode == Mode::static_source && options.jobs > 1 ? std::min<std::size_t>(static_cast<std::size_t>(options.jobs) - 1, targets.size() / kTargetsPerWorkerAtLeast) : 0;
  const std::size_t share = (targets.size() + workers) / (workers + 1);
  struct Worker {
    WorkerProcess process;
    std::size_t begin, end;
  };
  std::vector<Worker> spawned;
  if (workers > 0) {
    // Workers run nothing of the checked tree: isolated interpreters (-I: no current folder or script
    // folder on sys.path, no PYTHON* variables, no user site), so a planted importspy.py, functools.py
    // or sitecustomize.py is never imported; no policy of the caller's environment is installed in them.
    // Requests and results travel over the worker's own pipes, which no other process can write. No
    // Python module is imported here to start them (worker_process.hpp).
    PyObject* executable = PySys_GetObject("executable");  // borrowed
    const std::string python = executable && PyUnicode_Check(executable) ? utf8(nb::handle(executable)) : std::string();
    json shared = options_to_json(options);
    if (config) shared["config"] = fs::absolute(config->file).string();
    shared["cache_directory"] = fs::absolute(options.cache_directory).string();
    if (options.lock_file) shared["lock_file"] = fs::absolute(*options.lock_file).string();
    for (std::size_t w = 1; w <= workers; ++w) {
      const std::size_t begin = w * share, end = std::min(targets.size(), (w + 1) * share);
      if (begin >= end) break;
      json request = shared;
      request["targets"] = json::array();
      for (std::size_t i = begin; i < end; ++i) {
        if (targets[i].kind == DiscoveredTarget::Kind::dotted_name) {
          if (auto located = Runner::locate(targets[i].display)) targets[i].path = *located;
        }
        request["targets"].push_back(discovered_to_json(targets[i]));
      }
      if (python.empty()) break;
      auto process = WorkerProcess::start(python, request.dump(-1, ' ', false, json::error_handler_t::replace));
      if (!process) break;  // the shares of workers that could not start are done here
      spawned.push_back({std::move(*process), begin, end});
    }
  }
  const std::size_t own_end = spawned.empty() ? targets.size() : spawned.front().begin;
  // Shares of workers that did not start, after the last one that did: done here, after the others.
  const std::size_t spawned_end = spawned.empty() ? targets.size() : spawned.back().end;
  Runner runner(options, config);
  for (std::size_t i = 0; i < own_end; ++i) {
    batch.results[i] = runner.run(targets[i]);
    if (on_progress) on_progress(i + 1, targets.size());
  }
  std::size_t done = own_end;
  for (auto& worker : spawned) {
    json results = json::array();
    const std::optional<std::string> output = worker.process.finish();
    try {
      if (output) results = json::parse(*output);
    } catch (const std::exception&) {
      results = json::array();
    }
    for (std::size_t i = worker.begin; i < worker.end; ++i) {
      const std::size_t k = i - worker.begin;
      batch.results[i] = TargetResult{};
      bool taken = false;
      if (output && results.is_array() && k < results.size()) {
        try {
          batch.results[i] = target_from_json(results[k]);
          taken = batch.results[i].target == targets[i].display;
        } catch (const std::exception&) {
        }
      }
      if (!taken) batch.results[i] = runner.run(targets[i]);  // a worker that failed: do its share here rather than lose it
    }
    done += worker.end - worker.begin;
    if (on_progress) on_progress(done, targets.size());
  }
  for (std::size_t i = spawned_end; i < targets.size(); ++i) {
    batch.results[i] = runner.run(targets[i]);
    if (on_progress) on_progress(++done, targets.size());
  }
  return batch;
}

int run_batch_worker() {
  nb::module_ sys = nb::module_::import_("sys");
  json request;
  try {
    nb::bytes input = nb::borrow<nb::bytes>(sys.attr("stdin").attr("buffer").attr("read")());
    request = json::parse(std::string_view(input.c_str(), input.size()));
  } catch (const std::exception&) {
    return 2;
  }
  const BatchOptions options = options_from_json(request);
  std::optional<ProjectConfig> config;
  if (request.contains("config")) config = load_project_config(request["config"].get<std::string>());
  Runner runner(options, config);
  json results = json::array();
  for (const auto& target : request.at("targets")) results.push_back(target_to_json(runner.run(discovered_from_json(target))));
  const std::string payload = results.dump(-1, ' ', false, json::error_handler_t::replace);
  nb::object out = sys.attr("stdout").attr("buffer");
  out.attr("write")(nb::bytes(payload.data(), payload.size()));
  out.attr("flush")();
  return 0;
}

}  // namespace importspy::bindings
