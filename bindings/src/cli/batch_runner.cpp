#include "cli/batch_runner.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <algorithm>
#include <cstdint>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
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
#include "extract/targets.hpp"
#include "importspy/contract/loader.hpp"
#include "extract/dependencies.hpp"
#include "cli/output_capture.hpp"

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
    if (options.contract) cli_contract_ = fs::path(*options.contract);
  }

  struct Loaded {
    std::filesystem::path path;  // as first named
    std::shared_ptr<const Contract> contract;  // compiled when a result is not in the cache
    std::string text;
    std::string shown;  // display_path of the contract file
    // The contracts its `requires:` names, loaded with it: a contract that has some (or `imports.no_cycles`)
    // is checked along the module's imports, and its results are never cached (they depend on other files).
    std::vector<std::shared_ptr<const Contract>> required;
    EnvironmentFacts environment;
    std::vector<std::string> secret_names;
    std::optional<TargetError> error;
  };

  // A static target ready for finish(): everything Python was needed for is done. It points into its
  // DiscoveredTarget and into this runner, which both outlive the threads.
  struct Prepared {
    bool ready = false;
    const std::filesystem::path* source_path = nullptr;
    const std::string* module_name = nullptr;
    Loaded* contract = nullptr;
  };

  // With the GIL: finds the source and the contract of `target`. A static target comes back ready for
  // finish(); any other (runtime mode, an error) has its result written to `result`.
  Prepared prepare(const DiscoveredTarget& target, TargetResult& result) {
    result.target = target.display;
    if (target.kind == DiscoveredTarget::Kind::error) {
      result.error = TargetError{target.error.find("no Python file") != std::string::npos ? "no-python-files" : "not-found", target.error, target.display, 0, 0};
      return {};
    }
    // Where the source is: a file, or a dotted name located on sys.path (static) or imported (runtime).
    const fs::path* source = &target.path;
    const std::string& module_name = target.kind == DiscoveredTarget::Kind::dotted_name ? target.display : target.module_name;
    if (target.kind == DiscoveredTarget::Kind::dotted_name && target.path.empty() && options_.mode == Mode::static_source) {
      if (auto located = locate_module_source(target.display)) source = &located_.emplace_back(std::move(*located));
    }
    const fs::path& source_path = *source;
    // A file target's display path is the one discovery showed (display_path of the same path).
    result.file = source_path.empty() ? std::string() : target.kind == DiscoveredTarget::Kind::file ? target.display : display_path(source_path);

    const fs::path* contract_path = nullptr;
    const ContractMapping* mapping = nullptr;
    if (cli_contract_) {
      contract_path = &*cli_contract_;
    } else if (config_) {
      mapping = config_->mapping_for(source_path, module_name);
      if (mapping) contract_path = &mapping->contract;
    }
    if (options_.log_decisions) {
      log_debug(target.display + ": " + (source_path.empty() ? std::string("no source file located") : "source " + display_path(source_path)) +
                (module_name.empty() ? "" : ", module " + module_name) + "; contract " +
                (!contract_path ? std::string("none (no -s, and no mapping matches)")
                 : options_.contract ? display_path(*contract_path) + " (from -s)"
                                     : display_path(*contract_path) + " (mapping `" + mapping->match + "` of " + display_path(config_->file) + ")") +
                "; " + (options_.mode == Mode::runtime ? "runtime mode: imported now" : "static mode: read, never executed"));
    }
    if (!contract_path) {
      result.error = TargetError{"no-contract", "no contract applies to this module; pass -s CONTRACT or add a [[tool.importspy.contracts]] entry that matches it",
                                 result.file.empty() ? target.display : result.file, 0, 0};
      return {};
    }
    Loaded* contract = load(*contract_path);
    result.contract = contract->shown;
    if (auto error = compile_error(*contract)) {
      result.error = std::move(error);
      return {};
    }
    if (options_.mode == Mode::runtime) {
      try {
        if (!compile(*contract)) {
          result.error = contract->error;
          return {};
        }
        // What the module prints while it is imported goes with its result, not into the report.
        OutputCapture capture;
        ModuleFacts facts;
        try {
          facts = facts_for_target(python_path(target.kind == DiscoveredTarget::Kind::dotted_name ? target.display : target.path.string()),
                                   Mode::runtime, {needs_hashes(*contract->contract) || lock_.has_value(), options_.parser});
        } catch (...) {
          result.printed = capture.finish();
          throw;
        }
        result.printed = capture.finish();
        result.report = check_module(*contract->contract, contract->environment, facts, import_context(*contract->contract), {options_.trace});
        add_lock_drift(result, facts);
      } catch (const SourceError& error) {
        result.error = source_error(error);
      }
      return {};
    }
    if (source_path.empty()) {
      result.error = TargetError{"source-error", "no Python source for module `" + target.display + "` was found on sys.path", target.display, 0, 0};
      return {};
    }
    return Prepared{true, source, &module_name, contract};
  }

  // Without the GIL, on any thread: reads, checks (or serves from the cache) a prepared static target.
  void finish(const Prepared& job, TargetResult& result) {
    try {
      Loaded& contract = *job.contract;
      if (is_compiled_module(*job.source_path)) {
        if (!compile(contract)) {
          result.error = contract.error;
          return;
        }
        result.report = compiled_module_report(result.file, sha256_hex(read_source_file(*job.source_path, std::size_t{1} << 31)), *contract.contract, result.contract);
        return;
      }
      // Read once, never blocking (a FIFO or device in the tree is an error of its own target).
      const std::string text = read_source_file(*job.source_path, SourceLimits{}.max_bytes);
      std::string key;
      const bool along_imports = contract.contract && follows_imports(*contract.contract);
      if (cache_ && !along_imports) {
        const std::string kind = std::string(options_.trace ? "static+trace" : "static") + (options_.parser == SourceParser::cpython ? "/cpython" : "/reader/" + reading_target_label(reading_target()));
        key = result_cache_key({IMPORTSPY_VERSION, kind, contract.text, text, result.file, *job.module_name, result.contract, &contract.environment,
                                contract.secret_names});
        if (auto cached = cache_->load(key)) {
          result.report = std::move(cached);
          result.cached = true;
          return;
        }
      }
      if (!compile(contract)) {
        result.error = contract.error;
        return;
      }
      const bool hashes = needs_hashes(*contract.contract) || lock_.has_value();
      ModuleFacts facts = extract_static_source(text, result.file, *job.module_name, {hashes, options_.parser, hashes});
      if (follows_imports(*contract.contract)) {
        if (facts.name.empty()) facts.name = *job.module_name;
        result.report = check_along_imports(*contract.contract, contract.required, contract.environment, facts, search_path_, {options_.trace});
      } else {
        result.report = check(*contract.contract, contract.environment, facts, {options_.trace});
        if (cache_) cache_->store(key, *result.report);
      }
      add_lock_drift(result, facts);
    } catch (const SourceError& error) {
      result.error = source_error(error);
    }
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

  static TargetError contract_error(const ContractError& error) {
    return TargetError{"contract-invalid", error.message(), error.file(), error.line(), error.column(), error.hint()};
  }

  // The entry's error so far; threads checking earlier targets may be compiling it meanwhile.
  std::optional<TargetError> compile_error(const Loaded& entry) {
    std::lock_guard lock(compile_mutex_);
    return entry.error;
  }

  // Compiles the contract if it is not yet; false (and `entry.error` set) when it does not compile.
  bool compile(Loaded& entry) {
    const fs::path& path = entry.path;
    std::lock_guard lock(compile_mutex_);  // finish() compiles from any thread
    if (entry.contract) return true;
    if (entry.error) return false;
    if (auto why = not_a_file(path)) {
      entry.error = TargetError{"contract-invalid", *why + "; name a contract file (YAML)", path.string(), 0, 0};
      return false;
    }
    try {
      entry.contract = default_contract_cache().load(path);
      entry.required = load_required_contracts(*entry.contract);
      return true;
    } catch (const ContractError& error) {
      entry.contract.reset();
      entry.required.clear();
      entry.error = contract_error(error);
      return false;
    }
  }

  Loaded* load(const fs::path& path) {
    // Most targets of a batch name their contract with the same words: those are looked up as written.
    if (auto named = loaded_by_name_.find(path.native()); named != loaded_by_name_.end()) return named->second;
    const std::string key = fs::absolute(path).lexically_normal().string();
    auto it = loaded_.find(key);
    if (it != loaded_.end()) return loaded_by_name_[path.native()] = &it->second;
    Loaded entry;
    entry.path = path;
    entry.shown = display_path(path);
    entry.text = read_text(path).value_or("");
    // A contract whose summary is cached compiled before with this engine: its results can be looked
    // up without compiling it again.
    const std::string summary_key = sha256_hex(std::string(IMPORTSPY_VERSION) + '\0' + entry.text);
    std::optional<ContractSummary> summary = cache_ ? cache_->load_summary(summary_key) : std::nullopt;
    // A contract that may follow imports is compiled now: finish() must know it before it looks in the cache,
    // and only then is the search path read (importing sysconfig costs a batch of any other contract ~5 ms).
    if (entry.text.find("requires") != std::string::npos || entry.text.find("no_cycles") != std::string::npos) {
      if (compile(entry) && follows_imports(*entry.contract) && search_path_.empty()) search_path_ = project_search_path();
    }
    if (!summary && compile(entry)) {
      summary = ContractSummary{referenced_environment_names(*entry.contract), entry.contract->secret_names};
      if (cache_) cache_->store_summary(summary_key, *summary);
    }
    if (summary) {
      entry.environment = probe_environment(summary->environment_names);
      entry.secret_names = summary->secret_names;
    }
    return loaded_by_name_[path.native()] = &loaded_.emplace(key, std::move(entry)).first->second;
  }

  static std::optional<fs::path> locate_module_source(const std::string& dotted) {
    try {
      ModuleFacts located = facts_for_target(python_path(dotted), Mode::static_source);
      return fs::path(located.filename);
    } catch (const SourceError&) {
      return std::nullopt;
    }
  }

  const BatchOptions& options_;
  const std::optional<ProjectConfig>& config_;
  std::optional<fs::path> cli_contract_;  // -s, for every target
  std::deque<fs::path> located_;  // dotted names' source files found on sys.path (stable: prepared targets point at them)
  std::optional<ResultCache> cache_;
  std::optional<LockFile> lock_;
  std::string lock_source_;
  std::map<std::string, Loaded> loaded_;  // entries never move: prepared targets point at them
  std::map<fs::path::string_type, Loaded*> loaded_by_name_;  // a contract path as written -> its entry
  std::vector<fs::path> search_path_;  // where check_along_imports finds modules (project_search_path), read by load()
  std::mutex compile_mutex_;
};

// Runs `step` for `target`; whatever it throws becomes the target's error, so a batch never aborts.
template <typename Step>
void guarded(TargetResult& result, const DiscoveredTarget& target, Step step) {
  try {
    step();
  } catch (const SourceError& error) {
    result.error = source_error(error);
  } catch (const std::exception& error) {
    result.report.reset();
    result.error = TargetError{"internal-error", std::string("ImportSpy failed on this target: ") + error.what() + "; please report it",
                               result.file.empty() ? target.display : result.file, 0, 0};
  } catch (...) {
    result.report.reset();
    result.error = TargetError{"internal-error", "ImportSpy failed on this target; please report it", result.file.empty() ? target.display : result.file, 0, 0};
  }
  if (result.target.empty()) result.target = target.display;
}

// Shard `index` of `count` (1-based) of the targets: a contiguous share of the discovery order (sorted
// within each argument), the same for every machine that discovers the same targets.
std::vector<DiscoveredTarget> shard_of(std::vector<DiscoveredTarget> targets, const std::optional<std::pair<std::size_t, std::size_t>>& shard) {
  if (!shard) return targets;
  const auto [index, count] = *shard;
  const std::size_t begin = targets.size() * (index - 1) / count, end = targets.size() * index / count;
  return std::vector<DiscoveredTarget>(std::make_move_iterator(targets.begin() + static_cast<std::ptrdiff_t>(begin)),
                                       std::make_move_iterator(targets.begin() + static_cast<std::ptrdiff_t>(end)));
}

}  // namespace

BatchResult run_batch(const BatchOptions& options, const std::optional<ProjectConfig>& config,
                      const std::function<void(std::size_t, std::size_t)>& on_progress) {
  std::vector<LeftOutModule> left_out;
  std::vector<DiscoveredTarget> targets = shard_of(
      discover_targets(options.targets, DiscoveryOptions{options.excludes, config ? &*config : nullptr, module_search_path(), std::max(1, options.jobs), &left_out}),
      options.shard);
  if (options.log_decisions) {
    std::vector<std::string> excludes = options.excludes;
    if (config) excludes.insert(excludes.end(), config->exclude.begin(), config->exclude.end());
    std::string excluded;
    for (const auto& pattern : excludes) excluded += (excluded.empty() ? "" : ", ") + pattern;
    log_debug(std::to_string(targets.size()) + " target" + (targets.size() == 1 ? "" : "s") + " discovered" +
              (excluded.empty() ? "" : " (excluding " + excluded + ")") +
              (options.shard ? ", shard " + std::to_string(options.shard->first) + "/" + std::to_string(options.shard->second) : "") + "; " +
              (options.mode == Mode::runtime ? std::string("runtime mode: imported one after the other")
                                             : std::to_string(std::max(1, options.jobs)) + " thread(s), parser " +
                                                   (options.parser == SourceParser::cpython ? "cpython" : "reader")) +
              "; result cache " + (!options.use_cache ? std::string("off (--no-cache)") : options.mode == Mode::runtime ? std::string("off (runtime mode)")
                                   : options.lock_file ? std::string("off (--locked re-hashes every module)") : options.cache_directory.string()));
  }
  BatchResult batch;
  batch.results.resize(targets.size());
  if (options.shard) batch.shard = BatchShard{options.shard->first, options.shard->second};
  if (!options.shard || options.shard->first == 1) batch.left_out = std::move(left_out);  // once, whatever the shards
  Runner runner(options, config);

  // What needs Python (locating dotted names on sys.path, probing the environment a contract reads,
  // runtime mode's imports) is done in this thread, with the GIL; static targets come out of it prepared.
  // The static checks are pure C++ on `jobs` threads (only a contract that pins structure hashes, or
  // --parser cpython, takes the GIL back for that target). Each result has its own slot, so the order is
  // the discovery order whatever finishes first.
  std::vector<Runner::Prepared> prepared(targets.size());
  std::vector<std::size_t> pending;  // indices of prepared static targets, largest file first
  pending.reserve(targets.size());
  std::size_t done = 0;
  // Largest files first: the threads then finish together instead of one reading a big file alone at the end.
  std::vector<std::pair<std::uintmax_t, std::size_t>> by_size;
  by_size.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    std::error_code ec;
    const std::uintmax_t size = targets[i].size ? *targets[i].size : targets[i].path.empty() ? 0 : fs::file_size(targets[i].path, ec);
    by_size.emplace_back(ec ? 0 : size, i);
  }
  std::stable_sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& sized : by_size) {
    const std::size_t i = sized.second;  // a plain variable: clang before 16 cannot capture a structured binding
    guarded(batch.results[i], targets[i], [&] { prepared[i] = runner.prepare(targets[i], batch.results[i]); });
    if (prepared[i].ready) {
      pending.push_back(i);
    } else if (on_progress) {
      on_progress(++done, targets.size());
    }
  }
  // The threads start once every target is prepared: a thread that needs the GIL for a target (structure
  // hashes, --locked, --parser cpython) must never wait on this thread while it prepares with the GIL held.
  // Each takes the next target from a shared counter; nothing else is shared but the compile lock, so a
  // thread never waits for another between targets.
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> finished{0};
  std::mutex mutex;
  std::condition_variable progressed;  // only with a progress bar: a target finished
  const auto work = [&] {
    for (std::size_t k = next++; k < pending.size(); k = next++) {
      const std::size_t i = pending[k];
      guarded(batch.results[i], targets[i], [&] { runner.finish(prepared[i], batch.results[i]); });
      ++finished;
      if (on_progress) {
        std::lock_guard lock(mutex);  // the main thread is between its check and its wait, or waiting
        progressed.notify_one();
      }
    }
  };
  const std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(1, options.jobs)), 1, std::max<std::size_t>(1, pending.size()));
  PyThreadState* saved = PyEval_SaveThread();
  {
    // Without a progress bar this thread is one of the `threads` (-j 1 starts none); with one (which writes
    // through sys.stderr, so with the GIL) it wakes at least ten times a second to draw it.
    std::vector<std::jthread> pool;
    const std::size_t started = on_progress ? threads : threads - 1;
    pool.reserve(started);
    for (std::size_t t = 0; t < started; ++t) {
      try {
        pool.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // the system gives no more threads: those started share the work
      }
    }
    if (!on_progress || pool.empty()) work();  // also when not even one thread started: this one checks every target
    for (std::size_t reported = 0; on_progress && reported != pending.size();) {
      {
        std::unique_lock lock(mutex);
        progressed.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished.load() != reported; });
      }
      const std::size_t now = finished.load();
      if (now != reported) {
        reported = now;
        PyEval_RestoreThread(saved);
        on_progress(done + reported, targets.size());
        saved = PyEval_SaveThread();
      }
    }
    pool.clear();  // joined here
  }
  PyEval_RestoreThread(saved);
  return batch;
}

std::optional<std::pair<std::size_t, std::size_t>> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() || text.size() > 12) return std::nullopt;
  const auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    std::size_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
  };
  const auto index = number(std::string_view(text).substr(0, slash)), count = number(std::string_view(text).substr(slash + 1));
  if (!index || !count || *index < 1 || *count < 1 || *index > *count) return std::nullopt;
  return std::pair{*index, *count};
}

}  // namespace importspy::bindings
