#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <thread>
#include <variant>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/batch_runner.hpp"
#include "cli/completion.hpp"
#include "cli/file_output.hpp"
#include "cli/lint_imports.hpp"
#include "cli/output_capture.hpp"
#include "cli/package_check.hpp"
#include "cli/policy05.hpp"
#include "extract/environment_probe.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "interop/errors.hpp"
#include "interop/python_values.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/contract/lint.hpp"
#include "importspy/contract/migration.hpp"
#include "importspy/contract/schema.hpp"
#include "importspy/policy/loader.hpp"
#include "importspy/generate/contract_writer.hpp"
#include "importspy/project/lock_file.hpp"
#include "importspy/render/report.hpp"
#include "importspy/render/batch.hpp"
#include "importspy/render/html.hpp"
#include "importspy/render/merge.hpp"
#include "importspy/project/target_discovery.hpp"
#include "importspy/util/ascii.hpp"
#include "importspy/util/suggest.hpp"
#include "extract/targets.hpp"

namespace importspy::bindings {
namespace {

namespace nb = nanobind;
namespace fs = std::filesystem;

constexpr int kExitCompliant = 0;
constexpr int kExitError = 2;

// Writes `text` to sys.stdout or sys.stderr; false when the stream is closed or fails (a closed
// descriptor, a broken pipe, a full disk). Bytes that are not UTF-8 (a file name) are shown escaped.
bool write(const char* stream, const std::string& text) {
  PyObject* handle = PySys_GetObject(stream);
  if (!handle || handle == Py_None) return false;
  nb::object out = nb::borrow(handle);
  try {
    out.attr("write")(python_text(text));
    out.attr("flush")();
    return true;
  } catch (const nb::python_error&) {
    return false;  // the pending error was taken by python_error
  }
}

bool is_terminal(const char* stream) {
  try {
    return nb::cast<bool>(nb::borrow(PySys_GetObject(stream)).attr("isatty")());
  } catch (const nb::python_error&) {
    return false;
  }
}

std::string plural(std::size_t n, std::string_view word) { return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s"); }

// Colour on `stream`: `--color always|never`, else (auto) NO_COLOR (set and not empty) turns it off,
// FORCE_COLOR (set and not empty) on, and otherwise only a terminal gets it (pytest's order).
bool use_color(const std::string& choice, const char* stream) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  const auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
  };
  if (set("NO_COLOR")) return false;
  if (set("FORCE_COLOR")) return true;
  return is_terminal(stream);
}

// `file:line:col: error: message`, the form every command reports an unusable source in.
void report_source_error(const SourceError& error) {
  std::string where = error.file();
  if (error.line() > 0) where += ":" + std::to_string(error.line()) + ":" + std::to_string(error.column());
  write("stderr", where + ": error: " + error.what() + "\n");
}

struct Options {
  std::vector<std::string> targets;
  std::vector<std::string> entry_point_groups;
  std::string contract;
  std::string mode;
  std::string format = "text";
  std::string log_level;
  bool quiet = false;    // -q: problems only, no summary, no progress bar
  bool verbose = false;  // -v: every target listed, compliant ones too
  std::string color = "auto";
  std::string output_file;  // -o: the report goes here (written atomically), standard output stays empty
  std::vector<std::string> excludes;
  std::string config;
  std::string cache_directory = ".importspy_cache";
  bool no_cache = false;
  bool dry_run = false;
  bool locked = false;
  std::string lock_file = "importspy.lock";
  int jobs = 0;
  std::string parser = "reader";
  std::string reading_for = "here";  // --for: the platform and Python the sources are read for
  std::string shard;
  std::string package;  // --package: every module of it, along its import graph (package_check.hpp)
  std::string policy05_ignored;  // add_policy05_options: never read here
  std::vector<std::string> policy05_providers_ignored;
  bool policy05_flag_ignored = false;
};

// The modules that installed distributions declare in an entry-point group (`module:attribute` →
// `module`), sorted. Reading metadata imports none of them.
std::vector<std::string> entry_point_modules(const std::string& group) {
  nb::object entry_points = nb::module_::import_("importlib.metadata").attr("entry_points")(nb::arg("group") = group);
  std::vector<std::string> modules;
  for (nb::handle entry : entry_points) {
    std::string value = nb::cast<std::string>(entry.attr("value"));
    value = value.substr(0, value.find(':'));
    value = value.substr(0, value.find('['));
    while (!value.empty() && value.back() == ' ') value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (!value.empty() && std::find(modules.begin(), modules.end(), value) == modules.end()) modules.push_back(value);
  }
  std::sort(modules.begin(), modules.end());
  return modules;
}

// One target named explicitly as a file or module, in text: the single report of `importspy check`. The
// machine formats have one shape whatever the targets (a document with `targets`, errors included).
bool single_report_form(const Options& options, const std::vector<std::string>& targets) {
  if (targets.size() != 1 || options.dry_run || options.format != "text") return false;
  std::error_code ec;
  return targets[0].find_first_of("*?[") == std::string::npos && !fs::is_directory(targets[0], ec);
}

// The single report in text; an error goes to standard error, as a compiler's would.
std::string render_single(const TargetResult& result, const Options& options, bool color) {
  const std::string printed = render_printed(result);  // what the module printed while imported, first
  if (result.error) {
    if (result.error->code == "contract-invalid") {
      const ContractError error(ContractErrorKind::invalid_value, result.error->file, result.error->line, result.error->column, result.error->message,
                                result.error->hint);
      write("stderr", render_text(error, {use_color(options.color, "stderr"), true}));
      return printed;
    }
    std::string where = result.error->file.empty() ? result.target : result.error->file;
    if (result.error->line > 0) where += ":" + std::to_string(result.error->line) + ":" + std::to_string(result.error->column);
    write("stderr", where + ": error: " + result.error->message + (result.error->hint.empty() ? "" : "\n  hint: " + result.error->hint) + "\n");
    return printed;
  }
  if (options.quiet && result.report->ok()) return printed;
  return printed + render_text(*result.report, {color, true, !options.quiet});
}

std::string render_trace(const BatchResult& batch) {
  std::string out;
  for (const auto& result : batch.results) {
    if (!result.report || !result.report->trace) continue;
    const CheckTrace& trace = *result.report->trace;
    out += result.target + " against " + result.contract + "\n";
    out += "  deployment: " + (trace.deployment.empty() ? std::string("none declared") : trace.deployment) + "\n";
    out += "  rules applied (" + std::to_string(trace.rules.size()) + "):";
    for (const auto& rule : trace.rules) out += "\n    " + rule;
    out += "\n  " + (result.report->ok() ? std::string("compliant") : std::to_string(result.report->violations.size()) + " violation(s)") + "\n";
  }
  return out;
}

// -l DEBUG: what became of each target, after the run (the threads cannot log: they hold no GIL).
void log_outcomes(const BatchResult& batch) {
  for (const auto& result : batch.results) {
    std::string outcome;
    if (result.error) {
      outcome = "not checked: " + result.error->code + ": " + result.error->message;
    } else if (result.report) {
      outcome = std::string(result.cached ? "served from the result cache" : "checked") + ": " +
                (result.report->ok() ? std::string("compliant") : plural(result.report->violations.size(), "violation"));
    }
    log_debug(result.target + ": " + outcome);
  }
}

// The report of a run in the format asked for.
std::string render_report(const BatchResult& batch, const Options& options, bool single) {
  if (options.format == "json") return render_batch_json(batch) + "\n";
  if (options.format == "sarif") return render_sarif(batch, IMPORTSPY_VERSION) + "\n";
  if (options.format == "junit") return render_junit(batch);
  if (options.format == "github") return render_github(batch);
  if (options.format == "html") return render_html(batch, {"ImportSpy report", IMPORTSPY_VERSION, {}});
  // Colour is for a terminal: a report written to a file (-o) has it only when asked for (--color always).
  const bool color = options.output_file.empty() ? use_color(options.color, "stdout") : options.color == "always";
  if (single && batch.results.size() == 1) return render_single(batch.results.front(), options, color);
  return (options.dry_run ? render_trace(batch) + "\n" : std::string()) + render_batch_text(batch, {color, true, !options.quiet, options.verbose});
}

bool write_file_atomically(const std::string& output, const std::string& text);

// GitHub Actions: the run's Markdown summary appended to $GITHUB_STEP_SUMMARY when it is set, with where
// the HTML report is ($IMPORTSPY_HTML_REPORT, set by the project's Action: the artifact of this run).
void write_step_summary(const BatchResult& batch) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (!path || !*path) return;
  std::string link;
  if (const char* report = std::getenv("IMPORTSPY_HTML_REPORT"); report && *report) {
    link = std::string("the artifact `") + (std::getenv("IMPORTSPY_REPORT_ARTIFACT") ? std::getenv("IMPORTSPY_REPORT_ARTIFACT") : "importspy-report") + "` (" + report + ")";
    const char *server = std::getenv("GITHUB_SERVER_URL"), *repository = std::getenv("GITHUB_REPOSITORY"), *run = std::getenv("GITHUB_RUN_ID");
    if (server && repository && run) link += " of " + std::string(server) + "/" + repository + "/actions/runs/" + run;
  }
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << render_github_summary(batch, link) << "\n";
  if (!out) write("stderr", std::string("importspy: warning: the job summary cannot be written to ") + path + " (GITHUB_STEP_SUMMARY); the annotations are written as usual\n");
}

// Writes the report where it goes: the -o file (atomically: never half a report), else standard output.
// kExitError when it cannot be written.
int deliver(const Options& options, const std::string& report) {
  if (!options.output_file.empty()) {
    std::error_code ec;
    const fs::path folder = fs::path(options.output_file).parent_path();
    if (!folder.empty()) fs::create_directories(folder, ec);  // as ruff does (an error shows below)
    if (write_file_atomically(options.output_file, report)) return kExitCompliant;
    write("stderr", "importspy: error: the report cannot be written to " + options.output_file + ": " +
                        (ec ? "its folder cannot be created (" + ec.message() + ")" : std::string("its folder is not writable")) +
                        "; name a file in a writable folder (it is replaced whole, never written in part)\n");
    return kExitError;
  }
  if (!write("stdout", report)) {
    write("stderr", "importspy: error: the report cannot be written: standard output is closed or failed; redirect it to a file (> report.txt)\n");
    return kExitError;
  }
  return kExitCompliant;
}

// A run that cannot start (settings, usage, lock file): the message on standard error, as ever, and in
// the machine formats also a report whose one entry is that error, so a CI step that reads the report
// finds one. Exit status 2.
int fail_run(const Options& options, TargetError error, const std::string& shown) {
  write("stderr", shown);
  if (options.format == "text") return kExitError;
  BatchResult batch;
  TargetResult result;
  result.target = error.file.empty() ? "importspy check" : error.file;
  result.error = std::move(error);
  batch.results.push_back(std::move(result));
  deliver(options, render_report(batch, options, false));
  return kExitError;
}

int run_check(const Options& options) {
  std::string level = options.log_level;
  std::transform(level.begin(), level.end(), level.begin(), [](unsigned char c) { return static_cast<char>(ascii::to_upper(c)); });
  const bool debug = level == "DEBUG";
  if (!options.log_level.empty()) enable_logging(nb::str(options.log_level.c_str()));
  std::string search_path;
  for (const auto& folder : module_search_path()) search_path += (search_path.empty() ? "" : ", ") + folder.string();
  log_debug("module search path: " + search_path);
  std::optional<ProjectConfig> config;
  try {
    if (!options.config.empty()) config = load_project_config(options.config);
    else config = find_project_config(fs::current_path());
  } catch (const ConfigError& error) {
    // what() is `file:line:column: message`; the report's fields hold them apart.
    std::string message = error.what();
    const std::string place = error.file() + (error.line() > 0 ? ":" + std::to_string(error.line()) + ":" + std::to_string(error.column()) : "") + ": ";
    if (message.starts_with(place)) message.erase(0, place.size());
    return fail_run(options, TargetError{"settings-invalid", message, display_path(error.file()), error.line(), error.column(), ""},
                    std::string(error.what()) + "\n");
  }
  if (debug) {
    log_debug(config ? "project settings: " + display_path(config->file) + " (" + plural(config->contracts.size(), "contract mapping") + ", " +
                           plural(config->targets.size(), "target") + ")"
                     : "no project settings (importspy.toml, or pyproject.toml with [tool.importspy]) in " + fs::current_path().string() + " or above");
  }
  BatchOptions batch_options;
  batch_options.targets = options.targets.empty() && config && options.entry_point_groups.empty() ? config->resolved_targets() : options.targets;
  for (const auto& group : options.entry_point_groups) {
    const auto modules = entry_point_modules(group);
    if (modules.empty()) {
      const std::string message = "no installed distribution declares entry points in group `" + group + "`";
      return fail_run(options, TargetError{"not-found", message, "", 0, 0, "check the group's name, and that its distribution is installed in this environment"},
                      "importspy: error: " + message + "\n");
    }
    batch_options.targets.insert(batch_options.targets.end(), modules.begin(), modules.end());
  }
  // With no argument, the settings' `packages` are checked whole too (as `check --package` does).
  const std::vector<PackageEntry> packages =
      options.targets.empty() && options.entry_point_groups.empty() && config ? config->packages : std::vector<PackageEntry>{};
  if (batch_options.targets.empty() && packages.empty()) {
    const std::string message = "no target given, and no `targets` or `packages` in [tool.importspy] (pyproject.toml) or importspy.toml";
    return fail_run(options, TargetError{"usage-error", message, "", 0, 0, "name modules, folders or patterns: importspy check MODULE_OR_FOLDER... -s CONTRACT"},
                    "importspy: error: " + message + "\nUsage: importspy check MODULE_OR_FOLDER... -s CONTRACT\n");
  }
  if (!options.contract.empty()) batch_options.contract = options.contract;
  if (!batch_options.contract && (!config || config->contracts.empty()) && !batch_options.targets.empty()) {
    const std::string message = "no contract given (-s CONTRACT), and no [[tool.importspy.contracts]] mapping in the project's settings";
    // `importspy check plugin.py` alone is 0.5's default policy (policy05.hpp); an option of ours made it this check.
    const std::string note = batch_options.targets.size() == 1 && fs::path(batch_options.targets.front()).extension() == ".py"
                                 ? "importspy: note: without options of ours, `importspy check " + batch_options.targets.front() +
                                       "` decides it by ImportSpy 0.5's default policy (docs/cli.md, \"ImportSpy 0.5 options\")\n"
                                 : "";
    return fail_run(options, TargetError{"usage-error", message, "", 0, 0, "pass -s CONTRACT, or map targets to contracts in [tool.importspy]"},
                    "importspy: error: " + message + "\n" + note);
  }
  batch_options.mode = parse_mode(!options.mode.empty() ? options.mode : config && config->mode ? *config->mode : "static");
  batch_options.excludes = options.excludes;
  batch_options.use_cache = !options.no_cache;
  batch_options.cache_directory = options.cache_directory;
  batch_options.trace = options.dry_run;
  batch_options.jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  batch_options.parser = parse_source_parser(options.parser);
  if (!options.shard.empty()) {
    const auto shard = parse_shard(options.shard);
    if (!shard) {
      const std::string message = "--shard " + options.shard + ": expected I/N with 1 <= I <= N (for example --shard 2/4)";
      return fail_run(options, TargetError{"usage-error", message, "", 0, 0, ""}, "importspy: error: " + message + "\n");
    }
    batch_options.shard = *shard;
  }
  if (options.locked) batch_options.lock_file = fs::path(options.lock_file);
  batch_options.log_decisions = debug;

  const bool text = options.format == "text";
  const bool show_progress = text && !options.quiet && is_terminal("stderr");
  const auto progress = [&](std::size_t done, std::size_t total) {
    if (!show_progress || total < 20) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = done * kWidth / total;
    write("stderr", "\r[" + std::string(filled, '=') + std::string(kWidth - filled, ' ') + "] " + std::to_string(done) + "/" + std::to_string(total) +
                        (done == total ? "\r\x1b[K" : ""));
  };
  BatchResult batch;
  try {
    // No bar, no callback: the threads' results are then waited for without waking this thread.
    if (!batch_options.targets.empty()) {
      batch = run_batch(batch_options, config, show_progress ? std::function<void(std::size_t, std::size_t)>(progress) : nullptr);
    }
  } catch (const LockError& error) {
    return fail_run(options, TargetError{"lock-invalid", error.what(), display_path(*batch_options.lock_file), 0, 0, ""},
                    std::string("importspy: error: ") + error.what() + "\n");
  }
  // Packages come after the targets, each module a result; --shard splits each package's modules too.
  {
    PackageCheckOptions package_options{batch_options.shard, std::nullopt};
    if (batch_options.use_cache) package_options.cache_directory = batch_options.cache_directory;
    for (const PackageEntry& entry : packages) {
      auto checked = check_package(entry.package, entry.contract.string(), package_options);
      if (auto* package_batch = std::get_if<BatchResult>(&checked)) {
        for (auto& result : package_batch->results) batch.results.push_back(std::move(result));
        continue;
      }
      std::string message = std::get<std::string>(checked);
      while (!message.empty() && message.back() == '\n') message.pop_back();
      const bool not_found = message.starts_with("importspy: error: ");
      if (not_found) message.erase(0, std::string_view("importspy: error: ").size());
      TargetResult result;
      result.target = fs::path(entry.package).is_absolute() ? display_path(entry.package) : entry.package;  // a folder, or a dotted name
      result.contract = display_path(entry.contract);
      result.error = TargetError{not_found ? "not-found" : "contract-invalid", message, not_found ? result.target : display_path(entry.contract), 0, 0,
                                 not_found ? "name a package folder (relative to the settings file) or a dotted package name on sys.path" : ""};
      batch.results.push_back(std::move(result));
    }
  }

  if (debug) log_outcomes(batch);
  if (deliver(options, render_report(batch, options, single_report_form(options, batch_options.targets))) != kExitCompliant) return kExitError;
  if (options.format == "github") write_step_summary(batch);
  return options.dry_run ? kExitCompliant : batch.exit_status();
}

constexpr const char* kReadingForHelp =
    "Read sources for this platform and Python: here (this interpreter, default), any (every branch of platform and version "
    "conditions, every version's syntax) or PLATFORM[:3.N] with PLATFORM linux, win32 or darwin (for example win32:3.12)";

void add_check_options(CLI::App& app, Options& options) {
  app.add_option("-s,--spymodel,--contract", options.contract, "Contract file (YAML) for every target; one with `schema_version` is an ImportSpy 0.5 policy");
  app.add_option("--mode", options.mode, "static: read the source, never execute it (default); runtime: import the module")
      ->check(CLI::IsMember({"static", "runtime"}));
  app.add_option("-f,--format", options.format,
                 "Output: text, json, sarif (2.1.0), junit (XML), github (workflow annotations, and a job summary in $GITHUB_STEP_SUMMARY) "
                 "or html (one self-contained page); `-f` in any form, and `human`, "
                 "are ImportSpy 0.5's: its admission check, report and exit status (docs/cli.md, \"ImportSpy 0.5 options\")")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit", "github", "html", "human"}));
  app.add_option("-l,--log-level", options.log_level, "Log level: DEBUG (the engine's decisions, on standard error), INFO, WARNING or ERROR")
      ->check(CLI::IsMember({"DEBUG", "INFO", "WARNING", "ERROR"}, CLI::ignore_case));
  CLI::Option* quiet = app.add_flag("-q,--quiet", options.quiet, "Print problems only: no summary, no progress bar, nothing when compliant");
  app.add_flag("-v,--verbose", options.verbose, "List every target checked, compliant ones too, and what folder targets left out")->excludes(quiet);
  app.add_option("-o,--output,--output-file", options.output_file, "Write the report to this file (atomically) instead of standard output");
  app.add_option("--color", options.color, "Colour: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--parser", options.parser, "Static mode: reader (ImportSpy's C++ reader, default) or cpython (CPython's parser, for comparison)")
      ->check(CLI::IsMember({"reader", "cpython"}));
  app.add_option("--for", options.reading_for, kReadingForHelp);
}

// ImportSpy 0.5.0's options of `check`. Any of them makes the command a 0.5 admission check, which
// run_policy05_check (policy05.hpp) runs before this command line is parsed: declared here for the help
// and the completion scripts.
void add_policy05_options(CLI::App& app, Options& options) {
  const std::string admission = " (ImportSpy 0.5: makes this an admission check)";
  app.add_option("--project-root", options.policy05_ignored, "Project root for local imports and pyproject.toml declarations" + admission);
  app.add_option("--provider", options.policy05_providers_ignored, "Evidence provider: an `importspy.evidence_providers` entry point, repeatable" + admission);
  app.add_flag("--allow-network", options.policy05_flag_ignored, "Let a provider that needs the network run" + admission);
  app.add_option("--record", options.policy05_ignored, "Also write the decision record to this file" + admission);
}

// The contracts the project settings map targets to, each once, in the order of the settings.
std::optional<std::vector<std::string>> settings_contracts(const std::string& config_file) {
  std::optional<ProjectConfig> config;
  try {
    config = config_file.empty() ? find_project_config(fs::current_path()) : std::optional(load_project_config(config_file));
  } catch (const ConfigError& error) {
    write("stderr", std::string(error.what()) + "\n");
    return std::nullopt;
  }
  std::vector<std::string> contracts;
  if (config) {
    for (const auto& mapping : config->contracts) {
      const std::string shown = display_path(mapping.contract);
      if (std::find(contracts.begin(), contracts.end(), shown) == contracts.end()) contracts.push_back(shown);
    }
  }
  if (contracts.empty()) {
    write("stderr", "importspy: error: no contract given, and no [[tool.importspy.contracts]] mapping in the project's settings"
                    " (pyproject.toml or importspy.toml)\nUsage: importspy lint CONTRACT...\n");
    return std::nullopt;
  }
  return contracts;
}

// The options of many-target runs, on `importspy check` and the 0.x form alike.
void add_batch_options(CLI::App& app, Options& options) {
  // One value per occurrence: `--exclude 'test_*' plugins` leaves `plugins` a target (CLI11 would take it too).
  app.add_option("--exclude", options.excludes, "Glob pattern of files to leave out (repeatable)")->allow_extra_args(false);
  app.add_option("--entry-points", options.entry_point_groups, "Check every plugin module of this entry-point group (repeatable)")->allow_extra_args(false);
  app.add_option("--config", options.config, "Settings file (default: importspy.toml or pyproject.toml [tool.importspy], found upwards)");
  app.add_flag("--no-cache", options.no_cache, "Do not read or write the result cache");
  app.add_option("--cache-dir", options.cache_directory, "Result cache folder (default: .importspy_cache)");
  app.add_option("-j,--jobs", options.jobs, "Threads to use; 0 (the default): one per core")->check(CLI::NonNegativeNumber);
  app.add_option("--shard", options.shard, "Check only shard I of N (I/N, 1-based) of the sorted targets; join outputs with `importspy merge`");
  app.add_flag("--dry-run", options.dry_run, "Report everything, with the matched deployment and the rules applied; always exit 0");
  app.add_flag("--locked", options.locked, "Also fail on any drift from the lock file (importspy lock)");
  app.add_option("--lock-file", options.lock_file, "Lock file (default: importspy.lock)");
}

// What `importspy lint` lints in one file. A 0.5 policy (a file with `schema_version`, as `check` tells
// them apart) is read as `check` reads it, and its 0.4 structural keys are then linted as a contract;
// nullptr for a policy without them. Throws ContractError or policy::PolicyError.
std::shared_ptr<const Contract> load_for_lint(const std::string& input) {
  std::error_code ec;
  const bool small_file = fs::is_regular_file(input, ec) && fs::file_size(input, ec) < (4u << 20);
  std::string text;
  if (small_file) {
    std::ifstream in(input, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (!small_file || !policy::is_policy_text(text)) return default_contract_cache().load(input);
  const policy::Policy read = policy::parse_policy(text, input);
  return read.structure ? parse_contract(*read.structure, input) : nullptr;
}

// `importspy lint`: 0 clean, 1 warnings, 2 a contract or policy that does not load. Without contracts
// named, the contracts of the project settings.
int run_lint(std::vector<std::string> inputs, const std::string& config_file, bool json_output) {
  using json = nlohmann::json;
  if (inputs.empty()) {
    auto contracts = settings_contracts(config_file);
    if (!contracts) return kExitError;
    inputs = std::move(*contracts);
  }
  int status = kExitCompliant;
  json files = json::array();
  std::string text;
  std::size_t warnings = 0, errors = 0;
  for (const auto& input : inputs) {
    try {
      const auto contract = load_for_lint(input);
      const auto findings = contract ? lint_contract(*contract) : std::vector<LintFinding>{};
      json entries = json::array();
      for (const auto& f : findings) {
        entries.push_back(json{{"code", f.code}, {"message", f.message}, {"hint", f.hint}, {"line", f.mark.line}, {"column", f.mark.column}});
        text += input + ":" + std::to_string(f.mark.line) + ":" + std::to_string(f.mark.column) + ": warning: " + f.message + " [" + f.code + "]\n  hint: " + f.hint + "\n";
      }
      warnings += findings.size();
      if (!findings.empty()) status = std::max(status, 1);
      files.push_back(json{{"file", input}, {"ok", findings.empty()}, {"warnings", std::move(entries)}});
    } catch (const ContractError& error) {
      status = kExitError;
      ++errors;
      text += render_text(error, {false, true});
      files.push_back(json{{"file", input}, {"ok", false}, {"error", json::parse(render_json(error))["error"]}});
    } catch (const policy::PolicyError& error) {
      status = kExitError;
      ++errors;
      std::string place = error.file();
      if (error.line() > 0) place += ":" + std::to_string(error.line()) + ":" + std::to_string(error.column());
      text += place + ": invalid policy: " + error.message() + "\n" + (error.hint().empty() ? "" : "  hint: " + error.hint() + "\n");
      files.push_back(json{{"file", input}, {"ok", false},
                           {"error", {{"code", ContractError::code}, {"message", error.message()}, {"file", error.file()}, {"line", error.line()},
                                      {"column", error.column()}, {"hint", error.hint()}}}});
    }
  }
  if (json_output) {
    write("stdout", json{{"ok", status == kExitCompliant}, {"files", std::move(files)}}.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  } else {
    text += plural(inputs.size(), "contract") + " checked: " + plural(warnings, "warning") + ", " + plural(errors, "error") + ".\n";
    write("stdout", text);
  }
  return status;
}

bool write_file_atomically(const std::string& output, const std::string& text) { return write_whole_file(output, text, ExistingFile::replace); }

// The result of a command: on standard output, or written atomically to `output` when one is given.
int emit(const std::string& output, const std::string& text) {
  if (output.empty()) {
    if (!write("stdout", text)) {
      write("stderr", "importspy: error: standard output is closed or failed; use -o FILE\n");
      return kExitError;
    }
  } else if (!write_file_atomically(output, text)) {
    write("stderr", "importspy: error: cannot write " + output + "\n");
    return kExitError;
  }
  return kExitCompliant;
}

// `importspy migrate`: the contract with `importspy: 1`, or unchanged when already versioned.
int run_migrate(const std::string& input, const std::string& output) {
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    write("stderr", input + ": error: the contract file cannot be read\n");
    return kExitError;
  }
  const std::string text(std::istreambuf_iterator<char>(in), {});
  std::optional<std::string> migrated;
  try {
    migrated = migrate_contract_text(text, input);
  } catch (const ContractError& error) {
    write("stderr", render_text(error, {false, true}));
    return kExitError;
  }
  if (!migrated) write("stderr", input + ": already in the versioned schema (importspy: 1); nothing to change\n");
  return emit(output, migrated ? *migrated : text);
}

// `importspy lock`: every target's hashes, written only when every target could be read.
int run_lock(SourceParser parser, std::vector<std::string> targets, const std::vector<std::string>& excludes, const std::string& output) {
  std::optional<ProjectConfig> config;
  try {
    config = find_project_config(fs::current_path());
  } catch (const ConfigError& error) {
    write("stderr", std::string(error.what()) + "\n");
    return kExitError;
  }
  if (targets.empty() && config) targets = config->resolved_targets();
  if (targets.empty()) {
    write("stderr", "importspy: error: no target given, and no `targets` in the project settings\n");
    return kExitError;
  }
  LockFile lock;
  int status = kExitCompliant;
  for (const auto& target : discover_targets(targets, DiscoveryOptions{excludes, config ? &*config : nullptr, module_search_path()})) {
    if (target.kind == DiscoveredTarget::Kind::error) {
      write("stderr", target.display + ": error: " + target.error + "\n");
      status = kExitError;
      continue;
    }
    try {
      const std::string name = target.kind == DiscoveredTarget::Kind::dotted_name && target.path.empty() ? target.display : target.path.string();
      lock.modules[target.display] = lock_entry(facts_for_target(python_path(name), Mode::static_source, {true, parser}));
    } catch (const SourceError& error) {
      report_source_error(error);
      status = kExitError;
    }
  }
  if (status != kExitCompliant) {
    write("stderr", "importspy: nothing written: every target must be readable to lock them\n");
    return status;
  }
  if (!write_file_atomically(output, write_lock(lock))) {
    write("stderr", "importspy: error: cannot write " + output + "\n");
    return kExitError;
  }
  write("stdout", "Locked " + std::to_string(lock.modules.size()) + " module" + (lock.modules.size() == 1 ? "" : "s") + " in " + output + ".\n");
  return kExitCompliant;
}

// `importspy merge`: shard outputs joined; exits as `importspy check` over every target would.
int run_merge(const std::vector<std::string>& files, const std::string& output) {
  std::vector<ShardOutput> inputs;
  for (const auto& file : files) {
    try {
      inputs.push_back({file, read_source_file(file, std::size_t{1} << 30)});
    } catch (const SourceError& error) {
      report_source_error(error);
      return kExitError;
    }
  }
  MergedOutput merged;
  try {
    merged = merge_shard_outputs(inputs);
  } catch (const LocatedError& error) {
    write("stderr", std::string("importspy: error: ") + error.what() + "\n");
    return kExitError;
  }
  const int written = emit(output, merged.text);
  return written != kExitCompliant ? written : merged.exit_status;
}

// `importspy hash`: the pins a contract can hold, one per line, `sha256:<hex>  name`.
int run_hash(const std::string& target, const std::string& select, SourceParser parser) {
  ModuleFacts facts;
  try {
    facts = facts_for_target(python_path(target), Mode::static_source, {true, parser});
  } catch (const SourceError& error) {
    report_source_error(error);
    return kExitError;
  }
  std::vector<std::pair<std::string, std::string>> pins;  // name, hash
  for (const auto& f : facts.functions) pins.emplace_back(f.name, f.structure_hash.value_or(""));
  for (const auto& c : facts.classes) {
    pins.emplace_back(c.name, c.structure_hash.value_or(""));
    for (const auto& m : c.methods) {
      if (m.structure_hash) pins.emplace_back(c.name + "." + m.name, *m.structure_hash);
    }
  }
  if (!select.empty()) {
    for (const auto& [name, hash] : pins) {
      if (name == select) {
        write("stdout", hash + "\n");
        return kExitCompliant;
      }
    }
    write("stderr", "importspy: error: `" + select + "` is not a function, class or method of " + target + "\n");
    return kExitError;
  }
  std::string out = "sha256:" + facts.file_sha256.value_or("") + "  " + display_path(facts.filename) + "  (file: integrity)\n";
  for (const auto& [name, hash] : pins) out += hash + "  " + name + "\n";
  write("stdout", out);
  return kExitCompliant;
}

// `importspy chek ...`: a first word that is no command, no file and no dotted name, but a typo away
// from a command, is that command misspelled (else it is the module of the 0.x form).
std::optional<std::string> misspelled_command(const std::string& word, CLI::App& app) {
  if (word.empty() || word.front() == '-' || word.find_first_of("./\\") != std::string::npos) return std::nullopt;
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(command->get_name());
  if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
  std::error_code ec;
  if (fs::exists(word, ec) || fs::exists(word + ".py", ec)) return std::nullopt;
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  const auto match = closest_match(word, candidates);
  return match ? std::optional<std::string>(*match) : std::nullopt;
}

}  // namespace

// Writes a command's output, then gives its exit status (2 when the output cannot be written).
static int finish(const CommandOutput& output) {
  if (!output.err.empty()) write("stderr", output.err);
  if (!output.out.empty() && !write("stdout", output.out)) {
    write("stderr", "importspy: error: the output cannot be written: standard output is closed or failed\n");
    return kExitError;
  }
  return output.status;
}

// When this process is the `importspy` program its allocator is ours to tune, for batches. With glibc's
// defaults each worker thread's arena grows and shrinks one mprotect() at a time as files of a few hundred
// KB are read and freed (about 950 calls for the standard library); each takes the process's memory-map
// lock, which the other threads' page faults then wait on. Growing 16 MiB at a time and keeping what is
// freed (the process ends with the batch) leaves about 16: bench/stdlib_bench.py measured the checks of
// -j 2 at 1.92x the rate of -j 1 before, 1.99x after, for 1-4 MiB more peak memory. Other C libraries
// (macOS, Windows, musl) keep their defaults.
static void tune_allocator_for_batches() {
#if defined(__GLIBC__)
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest; a bigger block (a huge file) is still mapped on its own
#endif
}

int run_cli(const std::vector<std::string>& arguments, bool program) {
  // Not for the language server: a process that lives as long as the editor gives back what it freed.
  if (program && (arguments.empty() || arguments.front() != "lsp")) tune_allocator_for_batches();
  const CommandLineSearch search(program);  // one sys.path rule for both entry points (docs/cli.md)
  // ImportSpy 0.5 admission policies keep 0.5.0's command line, outputs and exit codes (docs/policies-0.5.md).
  if (auto status = run_policy05_check(arguments)) return *status;
  if (auto status = run_policy05_init(arguments)) return *status;
  CLI::App app{"ImportSpy: check Python modules against their import contracts.\n"
               "Exit status: 0 compliant, 1 violations, 2 usage, contract or source error; of an ImportSpy 0.5 admission check\n"
               "(docs/cli.md, \"ImportSpy 0.5 options\"): 0 admit, 1 deny, 2 configuration error, 3 tool failure."};
  app.name("importspy");
  Options legacy, check_options;
  std::string legacy_module;
  bool show_version = false;
  app.add_flag("-V,--version", show_version, "Print the version and exit");
  app.add_option("module", legacy_module, "Module to check (ImportSpy 0.x form)");
  add_check_options(app, legacy);
  add_policy05_options(app, legacy);

  CLI::App* check_command = app.add_subcommand("check", "Check modules, folders, patterns or dotted module names against contracts");
  check_command->add_option("targets", check_options.targets,
                            "Files, folders (recursive), glob patterns (`plugins/**/*.py`) or dotted module names; default: `targets` from the project settings");
  add_check_options(*check_command, check_options);
  add_policy05_options(*check_command, check_options);
  add_batch_options(*check_command, check_options);
  add_batch_options(app, legacy);  // the 0.x form takes every option of `check`
  check_command->add_option("--package", check_options.package,
                            "Check every module of this package (a folder or a dotted name), with the contracts `requires:` names along its imports");

  // `init` is ImportSpy 0.5.0's command, run by run_policy05_init before this command line is parsed:
  // declared here for the help and the completion scripts.
  CLI::App* init_command = app.add_subcommand("init", "Write a starter ImportSpy 0.5 policy beside a module (never overwrites a file)");
  std::string init_subject, init_output;
  init_command->add_option("subject", init_subject, "The module (.py) to describe; it is read, never run");
  init_command->add_option("-o,--output", init_output, "Write the policy here instead of beside the module as <module>.importspy.yml");

  CLI::App* graph_command = app.add_subcommand("graph", "Print the static import graph of a package and its import cycles (never imports it)");
  std::string graph_target, graph_format = "text";
  graph_command->add_option("target", graph_target, "A package folder or a dotted package name")->required();
  graph_command->add_option("--format", graph_format, "Output format: text, json, dot, svg (drawn by Graphviz) or html (the graph to explore)")
      ->check(CLI::IsMember({"text", "json", "dot", "svg", "html"}));
  std::string graph_for = "here", generate_for = "here", graph_contract;
  graph_command->add_option("--for", graph_for, kReadingForHelp);
  graph_command->add_option("-s,--spymodel,--contract", graph_contract,
                            "A contract with architecture_rules: (svg, html): its layers drawn as bands, the chains of each broken rule highlighted");

  CLI::App* lock_command = app.add_subcommand("lock", "Record the hashes of modules as reviewed, for `importspy check --locked`");
  std::vector<std::string> lock_targets, lock_excludes;
  std::string lock_output = "importspy.lock";
  lock_command->add_option("targets", lock_targets, "Same targets as `importspy check`; default: `targets` from the project settings");
  lock_command->add_option("--exclude", lock_excludes, "Glob pattern of files to leave out (repeatable)")->allow_extra_args(false);
  lock_command->add_option("-o,--output,--output-file", lock_output, "Lock file to write (default: importspy.lock)");
  std::string lock_parser = "reader", generate_parser = "reader", hash_parser = "reader";
  const auto add_parser = [](CLI::App* command, std::string& parser) {
    command->add_option("--parser", parser, "reader (ImportSpy's C++ reader, default) or cpython (CPython's parser, for comparison)")
        ->check(CLI::IsMember({"reader", "cpython"}));
  };
  add_parser(lock_command, lock_parser);

  CLI::App* generate_command = app.add_subcommand("generate", "Write a contract that a module satisfies (YAML)");
  std::string generate_target, generate_mode = "static", generate_output;
  bool with_environment = false, include_private = false, with_hashes = false;
  generate_command->add_option("module", generate_target, "A .py file or a dotted module name")->required();
  generate_command->add_option("--mode", generate_mode, "static (default: never executes the module) or runtime")->check(CLI::IsMember({"static", "runtime"}));
  generate_command->add_flag("--with-environment", with_environment, "Add a deployment for this machine's arch, OS, Python and interpreter");
  generate_command->add_flag("--include-private", include_private, "Include names that start with `_`");
  generate_command->add_flag("--with-hashes", with_hashes, "Pin the file (integrity: sha256) and every function, method and class (hash:)");
  add_parser(generate_command, generate_parser);
  generate_command->add_option("--for", generate_for, kReadingForHelp);

  CLI::App* hash_command = app.add_subcommand("hash", "Print the SHA-256 pins of a module: its file and the structure of each definition");
  std::string hash_target, hash_select;
  hash_command->add_option("module", hash_target, "A .py file or a dotted module name")->required();
  hash_command->add_option("--select", hash_select, "Only this definition: `function`, `Class` or `Class.method`; prints the hash alone");
  add_parser(hash_command, hash_parser);
  generate_command->add_option("-o,--output,--output-file", generate_output, "Write to this file instead of standard output");

  CLI::App* schema_command = app.add_subcommand("schema", "Print a JSON Schema of the contract language, for editors");

  CLI::App* lint_command = app.add_subcommand("lint", "Report contract errors and warnings (duplicates, conflicts, unreachable deployments) without any module");
  std::vector<std::string> lint_inputs;
  std::string lint_format = "text", lint_config;
  lint_command->add_option("contracts", lint_inputs, "Contract files (YAML); default: every contract of the project settings");
  lint_command->add_option("--format", lint_format, "Output format")->check(CLI::IsMember({"text", "json"}));
  lint_command->add_option("--config", lint_config, "Settings file (default: importspy.toml or pyproject.toml [tool.importspy], found upwards)");

  CLI::App* migrate_command = app.add_subcommand("migrate", "Rewrite an ImportSpy 0.x contract into the versioned schema (importspy: 1)");
  std::string migrate_input, migrate_output;
  migrate_command->add_option("contract", migrate_input, "The 0.x contract (YAML)")->required();
  migrate_command->add_option("-o,--output,--output-file", migrate_output, "Write here (may be the input itself) instead of standard output");

  // import-linter's command line: its options and exit statuses (docs/migrating-from-import-linter.md).
  CLI::App* lint_imports_command =
      app.add_subcommand("lint-imports", "Check import-linter's contracts (.importlinter, setup.cfg, pyproject.toml) as lint-imports does");
  LintImportsOptions lint_imports;
  std::string lint_imports_for = "any";
  std::vector<std::string> lint_imports_files;
  std::string lint_imports_config, lint_imports_cache_dir;
  bool lint_imports_no_cache = false, lint_imports_no_logo = false;
  lint_imports_command->add_option("config_files", lint_imports_files,
                                   "Configuration files; default: setup.cfg, .importlinter or pyproject.toml in the working directory");
  lint_imports_command->add_option("--config", lint_imports_config, "A configuration file (lint-imports' older spelling of the positional argument)");
  lint_imports_command->add_option("--for", lint_imports_for,
                                   "Read sources for this platform and Python: any (default here, as import-linter's graph: every branch), here, "
                                   "or PLATFORM[:3.N] with PLATFORM linux, win32 or darwin");
  lint_imports_command->add_option("--contract", lint_imports.contracts, "Check only this contract id (or FILE:ID); repeatable")->allow_extra_args(false);
  lint_imports_command->add_option("--cache-dir", lint_imports_cache_dir, "Result cache folder (default: .importspy_cache)");
  lint_imports_command->add_flag("--no-cache", lint_imports_no_cache, "Read every module and check every contract, neither reading nor writing the cache");
  lint_imports_command->add_flag("--verbose", lint_imports.verbose, "Print progress as the graph is built and each contract checked");
  lint_imports_command->add_flag("--show-timings", lint_imports.show_timings, "Show how long the graph and each contract took");
  lint_imports_command->add_flag("--no-logo", lint_imports_no_logo, "Accepted for lint-imports' command lines (no logo is printed)");
  lint_imports_command->add_flag("--debug", lint_imports.debug, "Name the kind of each error");
  lint_imports_command->add_option("--format", lint_imports.format, "Output format (text is lint-imports' report)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  // The language server speaks the Language Server Protocol over standard input and output; the protocol
  // is pygls's (python/importspy/_lsp.py), every answer the engine's (cli/editor.hpp).
  CLI::App* lsp_command = app.add_subcommand("lsp", "Run the language server for contracts and the modules they govern (LSP over stdio; needs importspy[lsp])");
  bool lsp_stdio = false;
  lsp_command->add_flag("--stdio", lsp_stdio, "Speak over standard input and output (the default and only transport)");

  std::string completion_shell;
  CLI::App* completion_command = add_completion_command(app, completion_shell);

  CLI::App* merge_command = app.add_subcommand("merge", "Join the outputs of `importspy check --shard I/N` (JSON, SARIF or JUnit) into one report");
  std::vector<std::string> merge_inputs;
  std::string merge_output;
  merge_command->add_option("files", merge_inputs, "Shard outputs, all of one format (JSON, SARIF or JUnit)")->required();
  merge_command->add_option("-o,--output,--output-file", merge_output, "Write here instead of standard output");
  app.require_subcommand(0, 1);

  // Bare `importspy`: the help, as a usage error (exit 2), as ruff does.
  if (arguments.empty()) {
    write("stderr", app.help());
    return kExitError;
  }
  if (auto suggestion = misspelled_command(arguments.front(), app)) {
    write("stderr", "importspy: error: unknown command `" + arguments.front() + "`; did you mean `" + *suggestion +
                        "`?\nRun `importspy --help` for the commands.\n");
    return kExitError;
  }
  // ImportSpy 0.4's spellings, where ours differ: `-v` alone was its version, and typer's completion options.
  if (arguments.size() == 1 && arguments.front() == "-v") {
    write("stdout", std::string("importspy ") + IMPORTSPY_VERSION + "\n");
    write("stderr", "importspy: note: -v alone prints the version, as in ImportSpy 0.4; here -v is --verbose and -V/--version is the version\n");
    return kExitCompliant;
  }
  for (const auto& argument : arguments) {
    if (argument == "--install-completion" || argument == "--show-completion") {
      write("stderr", "importspy: error: " + argument + " is ImportSpy 0.4's; here `importspy completion bash|zsh|fish` prints the script "
                      "(docs/integrations.md, \"Shell completion\")\n");
      return kExitError;
    }
  }
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    write("stdout", app.help());  // a subcommand's own help, its usage line under its full name
    return kExitCompliant;
  } catch (const CLI::ExtrasError&) {
    // CLI11 lists them last first (it parses a reversed copy): in the order given instead.
    std::string extras;
    for (const auto& argument : app.remaining(true)) extras += (extras.empty() ? "" : " ") + argument;
    write("stderr", "importspy: error: unexpected arguments: " + extras + "\nRun `importspy --help` for usage.\n");
    return kExitError;
  } catch (const CLI::ParseError& error) {
    write("stderr", std::string("importspy: error: ") + error.what() + "\nRun `importspy --help` for usage.\n");
    return kExitError;
  }
  if (show_version) {
    write("stdout", std::string("importspy ") + IMPORTSPY_VERSION + "\n");
    return kExitCompliant;
  }
  // Every static reading of this command is for one target (docs/cli.md, "Reading for a platform").
  // lint-imports reads as import-linter's graph does: every branch (docs/migrating-from-import-linter.md).
  const std::string& reading_for = app.got_subcommand(check_command)          ? check_options.reading_for
                                   : app.got_subcommand(graph_command)        ? graph_for
                                   : app.got_subcommand(generate_command)     ? generate_for
                                   : app.got_subcommand(lint_imports_command) ? lint_imports_for
                                                                              : legacy.reading_for;
  std::optional<ReadingTargetScope> reading_target_scope;
  try {
    reading_target_scope.emplace(parse_reading_target_option(reading_for));
  } catch (const std::invalid_argument& error) {
    write("stderr", std::string("importspy: error: --for ") + error.what() + "\n");
    return kExitError;
  }
  if (app.got_subcommand(merge_command)) return run_merge(merge_inputs, merge_output);
  if (app.got_subcommand(lsp_command)) return nb::cast<int>(nb::module_::import_("importspy._lsp").attr("main")());
  if (app.got_subcommand(completion_command)) return emit("", completion_script(describe_for_completion(app), completion_shell));
  if (app.got_subcommand(schema_command)) {
    write("stdout", contract_json_schema());
    return kExitCompliant;
  }
  if (app.got_subcommand(migrate_command)) return run_migrate(migrate_input, migrate_output);
  if (app.got_subcommand(lint_command)) return run_lint(lint_inputs, lint_config, lint_format == "json");
  if (app.got_subcommand(hash_command)) return run_hash(hash_target, hash_select, parse_source_parser(hash_parser));
  if (app.got_subcommand(lock_command)) return run_lock(parse_source_parser(lock_parser), lock_targets, lock_excludes, lock_output);
  if (app.got_subcommand(generate_command)) {
    ModuleFacts facts;
    {
      // Runtime mode imports the module: what it prints goes to standard error, never into the YAML.
      std::optional<OutputCapture> capture;
      if (parse_mode(generate_mode) == Mode::runtime) capture.emplace();
      const auto forward = [&] {
        if (!capture) return;
        const PrintedOutput printed = capture->finish();
        write("stderr", printed.out + printed.err);
      };
      try {
        facts = facts_for_target(python_path(generate_target), parse_mode(generate_mode), {with_hashes, parse_source_parser(generate_parser)});
      } catch (const SourceError& error) {
        forward();
        report_source_error(error);
        return kExitError;
      }
      forward();
    }
    const EnvironmentFacts environment = probe_environment({});
    GenerateOptions options;
    options.include_private = include_private;
    options.with_hashes = with_hashes;
    if (with_environment) options.environment = &environment;
    return emit(generate_output, generate_contract(facts, options));
  }
  if (app.got_subcommand(graph_command)) return finish(run_graph_command(graph_target, graph_format, graph_contract));
  if (app.got_subcommand(lint_imports_command)) {
    if (!lint_imports_config.empty()) lint_imports.config_files.push_back(lint_imports_config);
    lint_imports.config_files.insert(lint_imports.config_files.end(), lint_imports_files.begin(), lint_imports_files.end());
    lint_imports.color = lint_imports.format == "text" && use_color("auto", "stdout");
    if (!lint_imports_no_cache) lint_imports.cache_directory = fs::path(lint_imports_cache_dir.empty() ? ".importspy_cache" : lint_imports_cache_dir);
    return finish(run_lint_imports(lint_imports));
  }
  if (app.got_subcommand(check_command) && !check_options.package.empty()) {
    if (!check_options.targets.empty()) {
      write("stderr", "importspy: error: --package takes the place of targets; give one or the other\n");
      return kExitError;
    }
    PackageCheckOptions package_options;
    if (!check_options.shard.empty()) {
      package_options.shard = parse_shard(check_options.shard);
      if (!package_options.shard) {
        write("stderr", "importspy: error: --shard " + check_options.shard + ": expected I/N with 1 <= I <= N (for example --shard 2/4)\n");
        return kExitError;
      }
    }
    if (!check_options.no_cache) package_options.cache_directory = fs::path(check_options.cache_directory);
    // --dry-run, as for targets: every module's report with its matched deployment and the rules applied; exit 0.
    package_options.trace = check_options.dry_run;
    auto checked = check_package(check_options.package, check_options.contract, package_options);
    if (auto* message = std::get_if<std::string>(&checked)) return finish({kExitError, {}, *message});
    const BatchResult& batch = std::get<BatchResult>(checked);
    CommandOutput output;
    if (check_options.dry_run) {
      const bool color = check_options.output_file.empty() ? use_color(check_options.color, "stdout") : check_options.color == "always";
      output = {kExitCompliant,
                check_options.format == "json" ? render_batch_json(batch) + "\n" : render_trace(batch) + "\n" + render_batch_text(batch, {color, true}),
                {}};
    } else {
      const bool color = check_options.format == "text" && check_options.output_file.empty() && is_terminal("stdout");
      output = {batch.exit_status(), render_package_report(batch, check_options.package, check_options.format, color), {}};
    }
    // -o: the report goes to the file, as for targets (an error message stays on standard error).
    if (!check_options.output_file.empty() && !output.out.empty()) {
      if (deliver(check_options, output.out) != kExitCompliant) return kExitError;
      output.out.clear();
    }
    // As for targets: GitHub's job summary beside the annotations, once the report is delivered.
    if (!check_options.dry_run && check_options.format == "github") write_step_summary(batch);
    return finish(output);
  }
  if (app.got_subcommand(check_command)) return run_check(check_options);
  // ImportSpy 0.4 reads ./spymodel.yml when no contract is named.
  if (!legacy_module.empty() && legacy.contract.empty() && fs::is_regular_file("spymodel.yml")) legacy.contract = "spymodel.yml";
  if (legacy_module.empty() || legacy.contract.empty()) {
    write("stderr", std::string("importspy: error: ") + (legacy_module.empty() ? "no module given" : "no contract given (-s CONTRACT), and no spymodel.yml in the working directory") +
                        "\nUsage: importspy check MODULE -s CONTRACT   (or: importspy -s CONTRACT MODULE)\n");
    return kExitError;
  }
  legacy.targets = {legacy_module};
  return run_check(legacy);
}

}  // namespace importspy::bindings
