#include "cli/policy05.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "interop/errors.hpp"
#include "importspy/policy/admission.hpp"
#include "importspy/policy/loader.hpp"
#include "importspy/project/config.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy::bindings {
namespace {

namespace nb = nanobind;
namespace fs = std::filesystem;
using namespace importspy::policy;

constexpr int kAdmit = 0, kDeny = 1, kConfiguration = 2, kToolFailure = 3;

struct Arguments {
  std::string subject;
  std::optional<std::string> contract;
  std::string format = "human";
  std::optional<std::string> project_root;
  std::optional<std::string> record;  // --record FILE: the decision record (ours; 0.5.0 has no such option)
  std::vector<std::string> providers;
  bool allow_network = false;
  bool only_05_options = false;  // -f, --project-root, --provider or --allow-network: options our 0.4 check does not have
};

// 0.5.0's options; nullopt when `arguments` are not a 0.5 check (unknown option, no or several subjects).
std::optional<Arguments> parse(std::vector<std::string> arguments) {
  if (!arguments.empty() && arguments[0] == "check") arguments.erase(arguments.begin());
  Arguments out;
  std::vector<std::string> positionals;
  for (size_t i = 0; i < arguments.size(); ++i) {
    std::string option = arguments[i];
    std::optional<std::string> value;
    if (option.starts_with("--") && option.find('=') != std::string::npos) {
      value = option.substr(option.find('=') + 1);
      option = option.substr(0, option.find('='));
    }
    const auto take = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 >= arguments.size()) return std::nullopt;
      return arguments[++i];
    };
    if (option == "-s" || option == "--contract" || option == "--spymodel") {
      if (!(out.contract = take())) return std::nullopt;
    } else if (option == "-f" || option == "--format") {
      auto format = take();
      if (!format) return std::nullopt;
      out.only_05_options |= option == "-f";
      out.format = *format == "text" ? "human" : *format;  // our 0.4 name for the human report
    } else if (option == "--project-root") {
      if (!(out.project_root = take())) return std::nullopt;
      out.only_05_options = true;
    } else if (option == "--record") {
      if (!(out.record = take())) return std::nullopt;
      out.only_05_options = true;
    } else if (option == "--provider") {
      auto provider = take();
      if (!provider) return std::nullopt;
      out.providers.push_back(*provider);
      out.only_05_options = true;
    } else if (option == "--allow-network") {
      out.allow_network = true;
      out.only_05_options = true;
    } else if (!option.starts_with("-") || option == "-") {
      positionals.push_back(option);
    } else {
      return std::nullopt;
    }
  }
  if (positionals.size() != 1) return std::nullopt;
  out.subject = positionals[0];
  return out;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

bool is_policy_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && fs::file_size(path, ec) < (4u << 20) && is_policy_text(read_text(path));
}

fs::path sidecar_of(const fs::path& subject) {
  fs::path sidecar = subject;
  return sidecar.replace_extension(".importspy.yml");
}

struct Request {
  fs::path subject;
  std::optional<fs::path> contract;
  std::string contract_as_given;
};

Host probe_host(const Policy* policy) {
  nb::module_ platform = nb::module_::import_("platform");
  const auto call = [&](const char* name) { return nb::cast<std::string>(platform.attr(name)()); };
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
  };
  Host host{call("python_version"), lower(call("system")), lower(call("machine")), call("python_implementation"), {}};
  if (policy) {
    for (const EnvironmentRule& rule : policy->runtime.environment) {
      if (const char* value = std::getenv(rule.name.c_str())) host.variables.emplace(rule.name, value);
    }
  }
  return host;
}

// sys.stdlib_module_names ∪ sys.builtin_module_names, and the built-in ones alone.
std::pair<std::set<std::string, std::less<>>, std::set<std::string, std::less<>>> stdlib_names() {
  nb::module_ sys = nb::module_::import_("sys");
  std::set<std::string, std::less<>> names, builtin;
  for (nb::handle name : sys.attr("stdlib_module_names")) names.insert(nb::cast<std::string>(name));
  for (nb::handle name : sys.attr("builtin_module_names")) builtin.insert(nb::cast<std::string>(name));
  names.insert(builtin.begin(), builtin.end());
  return {names, builtin};
}

std::string utc_now() {
  nb::module_ datetime = nb::module_::import_("datetime");
  nb::object now = datetime.attr("datetime").attr("now")(datetime.attr("timezone").attr("utc"));
  std::string text = nb::cast<std::string>(now.attr("isoformat")());
  if (text.ends_with("+00:00")) text = text.substr(0, text.size() - 6) + "Z";
  return text;
}

// The subject read once, parsed by CPython's parser; its imports as 0.5.0 lists them (one per statement
// and module).
Subject read_subject(const fs::path& path) {
  Subject subject;
  subject.path = path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    subject.source_error = PolicyViolation{"ISPY-S001", "source", "Source could not be parsed: no such file: " + path.string(), path.string(), "error",
                                           "static", Location{path.string(), std::nullopt, std::nullopt}, nullptr, nullptr, std::nullopt};
    return subject;
  }
  try {
    // One read: the bytes hashed in the decision are the bytes parsed.
    const std::string bytes = read_source_file(path, SourceLimits{}.max_bytes);
    subject.sha256 = sha256_hex(bytes);
    const ModuleFacts facts = extract_static_source(bytes, path.string(), "");
    // One reference per imported module and statement: `from os import path, sep` is one (os),
    // `from . import a, b` two (a and b, level 1), `import json, os.path` two.
    std::set<std::tuple<std::string, int, int>> seen;
    for (const ImportFact& fact : facts.imports) {
      if (fact.lazy || fact.type_checking) continue;  // module-level imports only, as 0.5 reads them
      const size_t dots = fact.module.find_first_not_of('.');
      const int level = static_cast<int>(dots == std::string::npos ? fact.module.size() : dots);
      std::string name = fact.module.substr(static_cast<size_t>(level));
      if (name.empty()) name = fact.name;
      if (!seen.insert({name, level, fact.line}).second) continue;
      subject.imports.push_back({std::move(name), fact.line, 1, level});
    }
  } catch (const SourceError& error) {
    std::optional<int> line, column;
    if (error.line() > 0) line = error.line(), column = error.column();
    subject.source_error = PolicyViolation{"ISPY-S001", "source", std::string("Source could not be parsed: ") + error.what(), path.string(), "error",
                                           "static", Location{path.string(), line, column}, nullptr, nullptr,
                                           "Update the source or structural contract to match the required interface."};
  }
  return subject;
}

// The distributions importlib.metadata would find: every sys.path entry, in order ("" is the working folder).
DistributionIndex installed_distributions() {
  std::vector<fs::path> entries;
  for (nb::handle entry : nb::module_::import_("sys").attr("path")) {
    if (!nb::isinstance<nb::str>(entry)) continue;
    const std::string text = nb::cast<std::string>(entry);
    entries.push_back(text.empty() ? fs::current_path() : fs::path(text));
  }
  return DistributionIndex::scan(entries);
}

Decision decide(const Request& request, const Arguments& arguments,
                const std::pair<std::set<std::string, std::less<>>, std::set<std::string, std::less<>>>& stdlib,
                const DistributionIndex& distributions) {
  std::error_code ec;
  const fs::path subject = fs::weakly_canonical(fs::absolute(request.subject), ec);
  std::optional<Policy> policy;
  if (request.contract) policy = load_policy_file(*request.contract, request.contract_as_given);  // PolicyError: the caller's C101
  const fs::path root = arguments.project_root ? fs::weakly_canonical(fs::absolute(*arguments.project_root), ec) : project_root_for(subject);
  return admit(policy, read_subject(subject), probe_host(policy ? &*policy : nullptr), {stdlib.first, root, &distributions, project_declarations(root), stdlib.second},
               IMPORTSPY_VERSION, utc_now());
}

std::string render_human(const Decision& decision) {
  std::string out = "ImportSpy Admission Report\nSource: " + decision.subject + "\n";
  const bool parsed = std::any_of(decision.evidence.begin(), decision.evidence.end(),
                                  [](const Evidence& item) { return item.kind == "source.syntax" && item.observed == Json("valid"); });
  out += parsed ? "Preflight: parsed without target execution\n" : decision.phases.empty() ? "Preflight: not completed\n" : "Preflight: failed\n";
  out += "Contract: " + decision.contract_identity.value_or("default policy") + "\n";
  out += "Dependencies: " + std::to_string(decision.dependencies.size()) + " import references\n";
  for (const Dependency& dependency : decision.dependencies) out += "  " + dependency.reference.name + ": " + dependency.kind + "\n";
  if (decision.environment) {
    const Host& host = *decision.environment;
    out += "Host runtime: architecture=" + host.architecture + ", implementation=" + host.implementation + ", os=" + host.os + ", python=" + host.python + "\n";
  } else {
    out += "Host runtime: not collected\n";
  }
  out += "Evidence: " + std::to_string(decision.evidence.size()) + " observations\n";
  for (const Evidence& item : decision.evidence) {
    if (item.status == "unknown" || item.status == "unavailable") out += "  " + item.kind + " [" + item.provider + "]: " + item.status + "\n";
  }
  for (const PolicyViolation& violation : decision.violations) out += violation.code + " [" + violation.severity + "] " + violation.message + "\n";
  if (decision.runtime_required) out += "Some required facts are unknown until runtime; static policy failed closed.\n";
  out += std::string("Decision: ") + (decision.admitted() ? "ADMIT" : "DENY") + "\nTarget module was not executed.";  // the caller ends the output with one newline
  return out;
}

std::string render_sarif(const std::vector<Decision>& decisions) {
  std::set<std::string> codes;
  for (const auto& decision : decisions) for (const auto& violation : decision.violations) codes.insert(violation.code);
  const std::vector<std::string> ordered(codes.begin(), codes.end());
  Json rules = Json::array(), results = Json::array(), verdicts = Json::array();
  for (const auto& code : ordered) rules.push_back(Json{{"id", code}});
  for (const auto& decision : decisions) {
    verdicts.push_back(decision.admitted() ? "ADMIT" : "DENY");
    for (const auto& violation : decision.violations) {
      Json result{{"ruleId", violation.code},
                  {"ruleIndex", std::find(ordered.begin(), ordered.end(), violation.code) - ordered.begin()},
                  {"level", violation.severity},
                  {"message", Json{{"text", violation.message}}},
                  {"properties", Json{{"subject", violation.subject}, {"phase", violation.phase}}}};
      if (violation.location && !violation.location->path.empty()) {
        Json physical{{"artifactLocation", Json{{"uri", "file://" + fs::absolute(violation.location->path).generic_string()}}}};
        if (violation.location->line && *violation.location->line > 0) {
          Json region{{"startLine", *violation.location->line}};
          if (violation.location->column && *violation.location->column > 0) region["startColumn"] = *violation.location->column;
          physical["region"] = region;
        }
        result["locations"] = Json::array({Json{{"physicalLocation", physical}}});
      }
      results.push_back(result);
    }
  }
  return Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({Json{{"tool", Json{{"driver", Json{{"name", "ImportSpy"}, {"version", IMPORTSPY_VERSION}, {"rules", rules}}}}},
                                         {"results", results},
                                         {"properties", Json{{"decisions", verdicts}}}}})}}
      .dump(2);
}

bool write_stdout(const std::string& text) {
  PyObject* handle = PySys_GetObject("stdout");
  if (!handle || handle == Py_None) return false;
  try {
    nb::object out = nb::borrow(handle);
    out.attr("write")(nb::str(text.c_str(), text.size()));
    out.attr("flush")();
    return true;
  } catch (const nb::python_error&) {
    return false;
  }
}

// The requests of a folder: its pyproject.toml `[tool.importspy] subjects`, inside the folder.
std::vector<Request> folder_requests(const fs::path& folder, const Arguments& arguments) {
  if (arguments.contract) throw PolicyError(arguments.subject, 0, 0, "Directory checks use [tool.importspy].subjects; do not pass --contract.", "");
  const fs::path file = folder / "pyproject.toml";
  ProjectConfig config;
  try {
    config = load_project_config(file);
  } catch (const ConfigError& error) {
    throw PolicyError(arguments.subject, 0, 0, error.what(), "");
  }
  if (config.subjects_error || config.subjects.empty()) {
    throw PolicyError(arguments.subject, 0, 0,
                      config.subjects_error.value_or("Directory checks require explicit path/contract entries in [tool.importspy].subjects inside this project."), "");
  }
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(folder), ec);
  std::vector<Request> requests;
  for (const PolicySubject& entry : config.subjects) {
    const fs::path source = fs::weakly_canonical(root / entry.path, ec), contract = fs::weakly_canonical(root / entry.contract, ec);
    for (const fs::path& path : {source, contract}) {
      const fs::path relative = path.lexically_relative(root);
      if (relative.empty() || *relative.begin() == "..") {
        throw PolicyError(file.string(), 0, 0, "`" + path.string() + "` in [tool.importspy].subjects is outside the project folder", "");
      }
    }
    requests.push_back({source, contract, contract.string()});
  }
  return requests;
}

// True when the project's settings map modules to 0.4 contracts: a check without `-s` then keeps its 0.4
// meaning instead of 0.5's default policy.
bool has_04_contract_mapping() {
  try {
    const auto config = find_project_config(fs::current_path());
    return config && (!config->contracts.empty() || !config->targets.empty());
  } catch (const ConfigError&) {
    return true;  // the 0.4 command line reports the broken settings file
  }
}

}  // namespace

std::optional<int> run_policy05_check(const std::vector<std::string>& raw) {
  const std::optional<Arguments> parsed = parse(raw);
  if (!parsed) return std::nullopt;
  const Arguments& arguments = *parsed;
  std::error_code ec;
  const fs::path subject(arguments.subject);
  const bool folder = fs::is_directory(subject, ec);
  std::vector<Request> requests;
  if (folder) {
    if (!fs::is_regular_file(subject / "pyproject.toml", ec)) return std::nullopt;
    try {
      if (load_project_config(subject / "pyproject.toml").subjects.empty() && !load_project_config(subject / "pyproject.toml").subjects_error) return std::nullopt;
    } catch (const ConfigError&) {
      return std::nullopt;  // the 0.4 command line reports a broken settings file
    }
  } else if (arguments.contract) {
    if (!is_policy_file(*arguments.contract)) return std::nullopt;
    requests.push_back({subject, fs::path(*arguments.contract), *arguments.contract});
  } else if (is_policy_file(sidecar_of(subject))) {
    requests.push_back({subject, sidecar_of(subject), sidecar_of(subject).string()});
  } else if (arguments.only_05_options && fs::is_regular_file(subject, ec) && subject.extension() == ".py" && !has_04_contract_mapping()) {
    requests.push_back({subject, std::nullopt, {}});  // 0.5's default policy: only unresolved imports deny
  } else {
    return std::nullopt;
  }
  if (arguments.format != "human" && arguments.format != "json" && arguments.format != "sarif") return std::nullopt;

  std::vector<Decision> decisions;
  int status = kAdmit;
  try {
    if (!arguments.providers.empty()) throw PolicyError(arguments.subject, 0, 0, "Cannot load a selected evidence provider.", "");
    if (folder) requests = folder_requests(subject, arguments);
    const auto stdlib = stdlib_names();
    const DistributionIndex distributions = installed_distributions();
    for (const Request& request : requests) {
      try {
        Decision decision = decide(request, arguments, stdlib, distributions);
        status = std::max(status, decision.admitted() ? kAdmit : kDeny);
        decisions.push_back(std::move(decision));
      } catch (const PolicyError& error) {
        decisions.push_back(error_decision(folder ? request.subject.string() : arguments.subject, "ISPY-C101", error.describe(), "configuration", IMPORTSPY_VERSION));
        status = std::max(status, kConfiguration);
      }
    }
  } catch (const PolicyError& error) {
    decisions.push_back(error_decision(arguments.subject, "ISPY-C101", error.message(), "configuration", IMPORTSPY_VERSION));
    status = kConfiguration;
  } catch (const std::exception&) {
    decisions.push_back(error_decision(arguments.subject, "ISPY-C199", "Admission tool failed (details withheld).", "tool", IMPORTSPY_VERSION));
    status = kToolFailure;
  }
  std::string output;
  if (arguments.format == "sarif") {
    output = render_sarif(decisions);
  } else if (arguments.format == "json") {
    if (decisions.size() == 1 && !folder) {
      output = to_json(decisions.front()).dump(2);
    } else {
      Json list = Json::array();
      for (const auto& decision : decisions) list.push_back(to_json(decision));
      output = list.dump(2);
    }
  } else {
    for (size_t i = 0; i < decisions.size(); ++i) output += (i ? "\n" : "") + render_human(decisions[i]);
  }
  if (!write_stdout(output + "\n")) return kToolFailure;
  if (arguments.record) {
    std::ofstream record(*arguments.record, std::ios::binary | std::ios::trunc);
    record << decision_record(decisions).dump(2) << "\n";
    if (!record.flush()) {
      PySys_WriteStderr("importspy: error: cannot write the decision record to %s; pass a writable path to --record\n", arguments.record->c_str());
      return std::max(status, kConfiguration);
    }
  }
  return status;
}

}  // namespace importspy::bindings
