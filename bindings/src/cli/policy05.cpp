#include "cli/policy05.hpp"

#include "cli/file_output.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "extract/environment_probe.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/report/violation_codes.hpp"
#include "interop/errors.hpp"
#include "importspy/policy/admission.hpp"
#include "importspy/policy/loader.hpp"
#include "importspy/policy/starter.hpp"
#include "importspy/project/config.hpp"
#include "importspy/util/ascii.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy::bindings {
namespace {

namespace nb = nanobind;
namespace fs = std::filesystem;
using namespace nb::literals;
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
  // 0.5.0 reads every contract as a policy; so does every admission check of the command line.
  SchemaVersion schema_version = SchemaVersion::optional;
};

// A command line read with 0.5.0's options (docs/cli.md, "ImportSpy 0.5 options").
struct Parsed {
  Arguments arguments;
  std::vector<std::string> positionals;
  std::vector<std::string> other_options;  // options 0.5.0 does not have (`--no-cache`, `-j`, ...)
  std::optional<std::string> only_05_option;  // the first of -f, --format human, --project-root, --provider, --allow-network, --record
  std::optional<std::string> problem;         // a 0.5 option without its value, or a format 0.5 does not have
  bool check_command = false;                 // `importspy check ...`, not the 0.x positional form
  bool help = false;
};

// Our other commands: `importspy lint x.yml` is never an admission check of a file named `lint`.
bool is_other_command(std::string_view word) {
  for (std::string_view command : {"init", "graph", "lock", "generate", "hash", "schema", "lint", "migrate", "completion", "merge"}) {
    if (word == command) return true;
  }
  return false;
}

Parsed parse(std::vector<std::string> arguments) {
  Parsed out;
  if (!arguments.empty() && arguments[0] == "check") {
    arguments.erase(arguments.begin());
    out.check_command = true;
  }
  const auto only_05 = [&](const std::string& option) {
    if (!out.only_05_option) out.only_05_option = option;
  };
  const auto problem = [&](std::string text) {
    if (!out.problem) out.problem = std::move(text);
  };
  bool options_end = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    std::string option = arguments[i];
    if (options_end || !option.starts_with("-") || option == "-") {
      out.positionals.push_back(option);
      continue;
    }
    if (option == "--") {
      options_end = true;
      continue;
    }
    std::optional<std::string> value;
    if (option.starts_with("--") && option.find('=') != std::string::npos) {
      value = option.substr(option.find('=') + 1);
      option = option.substr(0, option.find('='));
    } else if (!option.starts_with("--") && option.size() > 2 && (option[1] == 's' || option[1] == 'f')) {
      value = option.substr(2);  // `-fjson`, `-spolicy.yml`: a short option with its value attached, as click reads it
      option = option.substr(0, 2);
    }
    const auto take = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 >= arguments.size()) return std::nullopt;
      return arguments[++i];
    };
    if (option == "-h" || option == "--help") {
      out.help = true;
    } else if (option == "-s" || option == "--contract" || option == "--spymodel") {
      if (!(out.arguments.contract = take())) problem("`" + option + "` needs a value: the policy or contract file");
    } else if (option == "-f" || option == "--format") {
      const auto format = take();
      if (option == "-f") only_05(option);
      if (!format) {
        problem("`" + option + "` needs a value: human, json or sarif");
        continue;
      }
      if (*format == "human") only_05(option + " human");
      out.arguments.format = *format == "text" ? "human" : *format;  // our 0.4 name for the human report
      if (option == "-f" && out.arguments.format != "human" && out.arguments.format != "json" && out.arguments.format != "sarif") {
        problem("`-f " + *format + "`: ImportSpy 0.5's formats are human, json and sarif; our reports (junit, github, ...) are `--format` without a 0.5 option");
      }
    } else if (option == "--project-root") {
      only_05(option);
      if (!(out.arguments.project_root = take())) problem("`--project-root` needs a value: the project's folder");
    } else if (option == "--record") {
      only_05(option);
      if (!(out.arguments.record = take())) problem("`--record` needs a value: the file to write the decision record to");
    } else if (option == "--provider") {
      only_05(option);
      if (const auto provider = take()) {
        out.arguments.providers.push_back(*provider);
      } else {
        problem("`--provider` needs a value: the name of an `importspy.evidence_providers` entry point");
      }
    } else if (option == "--allow-network") {
      only_05(option);
      if (value) problem("`--allow-network` takes no value");
      out.arguments.allow_network = true;
    } else {
      out.other_options.push_back(arguments[i]);
    }
  }
  if (out.positionals.size() == 1) out.arguments.subject = out.positionals[0];
  return out;
}

// Why a command with a 0.5 option cannot be a 0.5 admission check; nullopt when it can.
std::optional<std::string> usage_problem(const Parsed& parsed) {
  const std::string because = "`" + *parsed.only_05_option + "` makes this an ImportSpy 0.5 admission check";
  if (parsed.problem) return *parsed.problem;
  if (!parsed.other_options.empty()) {
    return "`" + parsed.other_options.front() + "` is not an option of an ImportSpy 0.5 admission check (" + because +
           "; it takes -s, -f, --project-root, --provider, --allow-network and --record); drop one or the other";
  }
  if (parsed.positionals.size() != 1) {
    return because + ", which checks one subject (a Python file, or a folder with [tool.importspy] subjects); found " +
           std::to_string(parsed.positionals.size());
  }
  if (parsed.arguments.format != "human" && parsed.arguments.format != "json" && parsed.arguments.format != "sarif") {
    return "`--format " + parsed.arguments.format + "`: " + because + ", whose formats are human, json and sarif";
  }
  return std::nullopt;
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
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return ascii::to_lower(c); });
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

// The subject read once, then parsed; its imports as 0.5.0 lists them (one per statement and module).
// `bytes` and `facts`, when given, receive what was read and parsed: what is checked (structure) and
// executed (the Python API's load) is exactly what was hashed.
Subject read_subject(const fs::path& path, std::string* bytes_read = nullptr, ModuleFacts* facts_read = nullptr) {
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
    ModuleFacts facts = extract_static_source(bytes, path.string(), "");
    // One reference per imported module and statement: `from os import path, sep` is one (os),
    // `from . import a, b` two (a and b, level 1), `import json, os.path` two.
    std::set<std::tuple<std::string, int, int>> seen;
    for (const ImportFact& fact : facts.imports) {
      if (fact.lazy || fact.type_checking || fact.in_class || fact.main_guard) continue;  // module-level imports only, as 0.5 reads them
      const size_t dots = fact.module.find_first_not_of('.');
      const int level = static_cast<int>(dots == std::string::npos ? fact.module.size() : dots);
      std::string name = fact.module.substr(static_cast<size_t>(level));
      if (name.empty()) name = fact.name;
      if (!seen.insert({name, level, fact.line}).second) continue;
      subject.imports.push_back({std::move(name), fact.line, 1, level});
    }
    if (bytes_read) *bytes_read = bytes;
    if (facts_read) *facts_read = std::move(facts);
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

// An evidence provider selected with --provider (docs/policies-0.5.md): exactly one entry point of the
// group `importspy.evidence_providers` by that name, instantiated, and checked to have the protocol.
struct Provider {
  nb::object object;
  std::string name;
  bool requires_network = false;
};

std::vector<Provider> load_providers(const std::vector<std::string>& names) {
  std::vector<Provider> out;
  const auto cannot = [] { return PolicyError("", 0, 0, "Cannot load a selected evidence provider.", ""); };
  for (const std::string& name : names) {
    try {
      nb::object found = nb::module_::import_("importlib.metadata").attr("entry_points")("group"_a = "importspy.evidence_providers", "name"_a = name);
      nb::list matches = nb::list(found);
      if (matches.size() != 1) throw cannot();
      nb::object provider = matches[0].attr("load")()();
      nb::object provider_name = nb::getattr(provider, "name", nb::none());
      nb::object network = nb::getattr(provider, "requires_network", nb::none());
      if (!nb::isinstance<nb::str>(provider_name) || nb::cast<std::string>(provider_name).find_first_not_of(" \t") == std::string::npos ||
          !PyBool_Check(network.ptr()) || !PyCallable_Check(nb::getattr(provider, "collect", nb::none()).ptr())) {
        throw cannot();
      }
      out.push_back({provider, nb::cast<std::string>(provider_name), network.ptr() == Py_True});
    } catch (const nb::python_error&) {
      throw cannot();  // the entry point's own error is not shown: it is the provider's code
    }
  }
  return out;
}

Evidence unavailable(const Provider& provider, const std::string& why) {
  return Evidence{"provider.availability", provider.name, nullptr, nullptr, provider.name, "external", "unavailable", why};
}

// What providers yield, as the engine's Evidence: any object with `kind` and `subject` (strings) and
// optionally observed, expected, phase, status, detail (attributes, or keys of a mapping).
Evidence evidence_from(nb::handle item, const Provider& provider) {
  const auto field = [&](const char* key) -> nb::object {
    if (PyMapping_Check(item.ptr()) && !nb::isinstance<nb::str>(item)) {
      nb::object value = nb::steal(PyMapping_GetItemString(item.ptr(), key));
      if (value.is_valid()) return value;
      PyErr_Clear();
      return nb::none();
    }
    return nb::getattr(item, key, nb::none());
  };
  const auto text = [&](const char* key, bool required) -> std::optional<std::string> {
    nb::object value = field(key);
    if (value.is_none() && !required) return std::nullopt;
    if (!nb::isinstance<nb::str>(value)) throw std::invalid_argument("evidence without text `" + std::string(key) + "`");
    return nb::cast<std::string>(value);
  };
  const auto json = [&](const char* key) -> Json {
    nb::object value = field(key);
    if (value.is_none()) return nullptr;
    return Json::parse(nb::cast<std::string>(nb::module_::import_("json").attr("dumps")(value, "default"_a = nb::module_::import_("builtins").attr("str"))));
  };
  Evidence out{*text("kind", true), *text("subject", true), json("observed"), json("expected"), provider.name,
               text("phase", false).value_or("external"), text("status", false).value_or("observed"), text("detail", false)};
  static const std::set<std::string> statuses = {"verified", "observed", "unknown", "unavailable"};
  static const std::set<std::string> phases = {"static", "runtime", "external"};
  if (!statuses.contains(out.status) || !phases.contains(out.phase)) throw std::invalid_argument("evidence with an unknown status or phase");
  return out;
}

// The selected providers' evidence for a decision made so far; each provider sees copies of the context
// and of the resolved dependencies, never the engine's own state.
std::vector<Evidence> provider_evidence(const std::vector<Provider>& providers, bool allow_network, const Decision& so_far, const fs::path& root) {
  std::vector<Evidence> out;
  if (providers.empty()) return out;
  nb::module_ records = nb::module_::import_("importspy.evidence");
  const Json document = to_json(so_far);
  for (const Provider& provider : providers) {
    if (provider.requires_network && !allow_network) {
      out.push_back(unavailable(provider, "Network access was not enabled (--allow-network)."));
      continue;
    }
    try {
      nb::object pathlib = nb::module_::import_("pathlib").attr("Path");
      nb::object context = records.attr("AdmissionContext")(pathlib(so_far.subject), pathlib(root.string()), nb::dict(), allow_network);
      nb::object dependencies = records.attr("_dependencies")(nb::module_::import_("json").attr("loads")(document["dependencies"].dump()));
      std::vector<Evidence> collected;
      for (nb::handle item : provider.object.attr("collect")(context, dependencies)) collected.push_back(evidence_from(item, provider));
      out.insert(out.end(), collected.begin(), collected.end());
    } catch (const std::exception&) {
      PyErr_Clear();
      // The provider's message is not shown: URLs, tokens or payloads may be in it.
      out.push_back(unavailable(provider, "The provider failed to collect evidence."));
    }
  }
  return out;
}

// A check violation in 0.5's terms: S101 a required declaration is missing, S102 one differs, S103 it
// cannot be decided statically; nullopt for a deployment rule (the caller reports R104 once).
std::optional<std::string> structure_code(std::string_view code) {
  namespace c = codes;
  for (auto environment : {c::arch_unsupported, c::os_unsupported, c::python_unsupported, c::interpreter_unsupported, c::env_missing,
                           c::env_value_mismatch, c::secret_missing}) {
    if (code == environment) return std::nullopt;
  }
  if (code == c::value_unverifiable || code == c::definition_unverifiable || code == c::import_unverifiable) return "ISPY-S103";
  for (auto missing : {c::variable_missing, c::function_missing, c::argument_missing, c::class_missing, c::attribute_missing, c::method_missing,
                       c::superclass_missing}) {
    if (code == missing) return "ISPY-S101";
  }
  return "ISPY-S102";
}

// The 0.4 structural keys of a 0.5 policy (Policy::structure), checked statically as 0.5.0 does: our
// checker over the reader's facts of the subject, each violation in 0.5's shape and codes (S101-S103),
// and R104 once when no deployment matches this host. The violations are ours (messages, hints).
std::shared_ptr<const Contract> structure_contract(const Policy& policy) {
  try {
    return parse_contract(*policy.structure, policy.source);
  } catch (const ContractError& error) {
    throw PolicyError(error.file(), error.line(), error.column(), error.message(), error.hint());  // C101, located in the policy
  }
}

void check_structure(const Contract& contract, const ModuleFacts& facts, Decision& decision) {
  const bool unreadable = std::any_of(decision.violations.begin(), decision.violations.end(), [](const PolicyViolation& v) { return v.code == "ISPY-S001"; });
  if (unreadable) return;  // S001 already denies: there are no facts to check
  const Report report = check(contract, probe_environment(referenced_environment_names(contract)), facts);
  std::vector<PolicyViolation> structural;
  bool no_deployment = false;
  // Deny when unsure, as 0.5.0 does: a module that changes its own namespace at import (exec, globals(),
  // setattr, a star import) may bind or replace any name, so no required declaration can be decided from
  // its source, present or not: each is ISPY-S103.
  std::set<std::string> undecidable;
  if (!facts.dynamic_namespace.empty()) {
    std::string why = facts.dynamic_namespace.front();
    for (const auto& name : contract.module.variables) undecidable.insert(name.name);
    for (const auto& name : contract.module.functions) undecidable.insert(name.name);
    for (const auto& name : contract.module.classes) undecidable.insert(name.name);
    for (const std::string& name : undecidable) {
      PolicyViolation out;
      out.code = "ISPY-S103";
      out.category = "structure";
      out.message = "`" + name + "` cannot be decided from the source: the module changes its namespace when it runs (" + why + ")";
      out.subject = decision.subject;
      out.phase = "static";
      out.location = Location{decision.subject, std::nullopt, std::nullopt};
      out.expected = nullptr;
      out.observed = nullptr;
      out.remediation = "declare the name statically, or check the module at run time";
      structural.push_back(std::move(out));
    }
    decision.runtime_required = true;
  }
  for (const Violation& v : report.violations) {
    if (v.code == codes::namespace_unverifiable) continue;  // above: one S103 per required declaration
    if (!undecidable.empty()) {
      // Violations of a declaration already reported as undecidable are that one S103.
      const std::size_t dot = v.path.find('.');
      const std::size_t next = dot == std::string::npos ? std::string::npos : v.path.find('.', dot + 1);
      if (dot != std::string::npos && undecidable.contains(v.path.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1))) continue;
    }
    // A `__version__` the module does not set is a missing declaration, as 0.5.0 counts it.
    const auto code = v.code == codes::version_mismatch && !v.actual ? std::optional<std::string>("ISPY-S101") : structure_code(v.code);
    if (!code) {
      no_deployment = true;
      continue;
    }
    PolicyViolation out;
    out.code = *code;
    out.category = "structure";
    out.message = v.message;
    out.subject = decision.subject;
    out.phase = "static";
    out.location = Location{decision.subject, v.source_line > 0 ? std::optional<int>(v.source_line) : std::nullopt, std::nullopt};
    out.expected = v.expected ? Json(*v.expected) : Json(nullptr);
    out.observed = v.actual ? Json(*v.actual) : Json(nullptr);
    out.remediation = v.hint.empty() ? std::nullopt : std::optional<std::string>(v.hint);
    if (*code == "ISPY-S103") decision.runtime_required = true;
    structural.push_back(std::move(out));
  }
  decision.violations.insert(decision.violations.begin(), structural.begin(), structural.end());
  if (no_deployment) {
    PolicyViolation out;
    out.code = "ISPY-R104";
    out.category = "runtime";
    out.message = "no deployment of the policy's `deployments` matches this host (architecture, system, Python)";
    out.subject = decision.subject;
    out.phase = "runtime";
    out.expected = Json(nullptr);
    out.observed = Json(nullptr);
    decision.violations.push_back(std::move(out));
  }
}

// `bytes_read`, when given, receives the subject's bytes as they were hashed and checked.
Decision decide(const Request& request, const Arguments& arguments,
                const std::pair<std::set<std::string, std::less<>>, std::set<std::string, std::less<>>>& stdlib,
                const DistributionIndex& distributions, const std::vector<Provider>& providers, std::string* bytes_read = nullptr) {
  std::error_code ec;
  const fs::path subject = fs::weakly_canonical(fs::absolute(request.subject), ec);
  std::optional<Policy> policy;
  if (request.contract) policy = load_policy_file(*request.contract, request.contract_as_given, arguments.schema_version);  // PolicyError: the caller's C101
  const fs::path root = arguments.project_root ? fs::weakly_canonical(fs::absolute(*arguments.project_root), ec) : project_root_for(subject);
  // A structure that does not compile is a configuration error (C101) before anything is decided.
  const std::shared_ptr<const Contract> structure = policy && policy->structure ? structure_contract(*policy) : nullptr;
  ModuleFacts facts;
  Decision decision = admit(policy, read_subject(subject, bytes_read, &facts), probe_host(policy ? &*policy : nullptr),
                            {stdlib.first, root, &distributions, project_declarations(root), stdlib.second}, IMPORTSPY_VERSION, utc_now(),
                            [&](const Decision& so_far) { return provider_evidence(providers, arguments.allow_network, so_far, root); });
  if (structure && decision.environment) check_structure(*structure, facts, decision);
  return decision;
}

// Text from the subject, the policy or a provider as one report line: control characters (C0, DEL, C1:
// the bytes of terminal escape sequences and line breaks) become spaces, as 0.5.0 blanks what is not printable.
std::string printable(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto byte = static_cast<unsigned char>(out[i]);
    if (byte < 0x20 || byte == 0x7f) {
      out[i] = ' ';
    } else if (byte == 0xc2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) >= 0x80 && static_cast<unsigned char>(out[i + 1]) <= 0x9f) {
      out.replace(i, 2, " ");  // U+0080..U+009F
    }
  }
  return out;
}

std::string render_human(const Decision& decision) {
  std::string out = "ImportSpy Admission Report\nSource: " + printable(decision.subject) + "\n";
  const bool parsed = std::any_of(decision.evidence.begin(), decision.evidence.end(),
                                  [](const Evidence& item) { return item.kind == "source.syntax" && item.observed == Json("valid"); });
  out += parsed ? "Preflight: parsed without target execution\n" : decision.phases.empty() ? "Preflight: not completed\n" : "Preflight: failed\n";
  out += "Contract: " + printable(decision.contract_identity.value_or("default policy")) + "\n";
  out += "Dependencies: " + std::to_string(decision.dependencies.size()) + " import references\n";
  for (const Dependency& dependency : decision.dependencies) {
    // The distributions that provide it, each with its version (`?` when its metadata has none), as 0.5.0.
    std::string distributions;
    for (const Distribution& item : dependency.distributions) distributions += (distributions.empty() ? "" : ", ") + item.name + " " + item.version.value_or("?");
    out += "  " + printable(dependency.reference.name) + ": " + dependency.kind + (distributions.empty() ? "" : " (" + printable(distributions) + ")") + "\n";
  }
  if (decision.environment) {
    const Host& host = *decision.environment;
    out += "Host runtime: architecture=" + host.architecture + ", implementation=" + host.implementation + ", os=" + host.os + ", python=" + host.python + "\n";
  } else {
    out += "Host runtime: not collected\n";
  }
  out += "Evidence: " + std::to_string(decision.evidence.size()) + " observations\n";
  for (const Evidence& item : decision.evidence) {
    if (item.status == "unknown" || item.status == "unavailable") out += "  " + printable(item.kind) + " [" + printable(item.provider) + "]: " + item.status + "\n";
  }
  for (const PolicyViolation& violation : decision.violations) out += printable(violation.code) + " [" + violation.severity + "] " + printable(violation.message) + "\n";
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

bool write_stream(const char* stream, const std::string& text) {
  PyObject* handle = PySys_GetObject(stream);
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

bool write_stdout(const std::string& text) { return write_stream("stdout", text); }
bool write_stderr(const std::string& text) { return write_stream("stderr", text); }

// The requests of a folder: its pyproject.toml `[tool.importspy] subjects`, inside the folder.
std::vector<Request> folder_requests(const fs::path& folder, const Arguments& arguments) {
  if (arguments.contract) throw PolicyError(arguments.subject, 0, 0, "Directory checks use [tool.importspy].subjects; do not pass --contract.", "");
  const fs::path file = folder / "pyproject.toml";
  std::error_code missing;
  if (!fs::is_regular_file(file, missing)) {
    throw PolicyError(arguments.subject, 0, 0,
                      "Directory checks require explicit path/contract entries in [tool.importspy].subjects inside this project; `" +
                          file.string() + "` does not exist.", "");
  }
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
  const Parsed parsed = parse(raw);
  if (parsed.help || (!parsed.check_command && !parsed.positionals.empty() && is_other_command(parsed.positionals.front()))) return std::nullopt;
  // One rule (docs/cli.md): an option only 0.5 has makes the command a 0.5 admission check, whatever the
  // contract; without one, a check is a 0.5 admission check when what it reads is 0.5's (below).
  if (parsed.only_05_option) {
    if (const auto problem = usage_problem(parsed)) {
      write_stderr("importspy: error: " + *problem + "\nRun `importspy check --help` for usage (docs/cli.md, \"ImportSpy 0.5 options\").\n");
      return kConfiguration;
    }
  } else if (parsed.problem || !parsed.other_options.empty() || parsed.positionals.size() != 1) {
    return std::nullopt;
  }
  const Arguments& arguments = parsed.arguments;
  const bool only_05 = parsed.only_05_option.has_value();
  std::error_code ec;
  const fs::path subject(arguments.subject);
  const bool folder = fs::is_directory(subject, ec);
  std::vector<Request> requests;
  if (folder) {
    if (!only_05) {
      if (!fs::is_regular_file(subject / "pyproject.toml", ec)) return std::nullopt;
      try {
        if (load_project_config(subject / "pyproject.toml").subjects.empty() && !load_project_config(subject / "pyproject.toml").subjects_error) return std::nullopt;
      } catch (const ConfigError&) {
        return std::nullopt;  // the 0.4 command line reports a broken settings file
      }
    }
  } else if (arguments.contract) {
    if (!only_05 && !is_policy_file(*arguments.contract)) return std::nullopt;
    requests.push_back({subject, fs::path(*arguments.contract), *arguments.contract});
  } else if ((only_05 || parsed.check_command) ? fs::is_regular_file(sidecar_of(subject), ec) : is_policy_file(sidecar_of(subject))) {
    requests.push_back({subject, sidecar_of(subject), sidecar_of(subject).string()});
  } else if (only_05 || (parsed.check_command && fs::is_regular_file(subject, ec) && subject.extension() == ".py" && !has_04_contract_mapping())) {
    // 0.5's default policy (only unresolved imports deny); `--format junit` of one file asks for our check.
    if (!only_05 && arguments.format != "human" && arguments.format != "json" && arguments.format != "sarif") return std::nullopt;
    requests.push_back({subject, std::nullopt, {}});
  } else {
    return std::nullopt;
  }
  if (arguments.format != "human" && arguments.format != "json" && arguments.format != "sarif") {
    write_stderr("importspy: error: `--format " + arguments.format + "`: this is an ImportSpy 0.5 admission check (what it reads is 0.5's), whose formats are "
                 "human, json and sarif\nRun `importspy check --help` for usage (docs/cli.md, \"ImportSpy 0.5 options\").\n");
    return kConfiguration;
  }

  std::vector<Decision> decisions;
  int status = kAdmit;
  try {
    const std::vector<Provider> providers = load_providers(arguments.providers);
    if (folder) requests = folder_requests(subject, arguments);
    const auto stdlib = stdlib_names();
    const DistributionIndex distributions = installed_distributions();
    for (const Request& request : requests) {
      try {
        Decision decision = decide(request, arguments, stdlib, distributions, providers);
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
    for (size_t i = 0; i < decisions.size(); ++i) output += (i ? "\n\n" : "") + render_human(decisions[i]);  // a blank line between, as 0.5.0
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

std::string record_evidence_json(const std::string& distribution) {
  const DistributionIndex index = installed_distributions();
  Json out = {{"kind", "distribution.record"}, {"subject", distribution}, {"observed", nullptr}, {"status", "unknown"}, {"detail", nullptr}};
  const InstalledDistribution* found = index.find(normalize_project_name(distribution));
  if (!found) {
    out["detail"] = "no installed distribution of this name on sys.path";
    return out.dump();
  }
  const RecordVerification result = verify_record(*found);
  constexpr std::size_t kNamed = 10;  // files named in the evidence; the counts are complete
  const auto first = [&](const std::vector<std::string>& files) {
    return Json(std::vector<std::string>(files.begin(), files.begin() + static_cast<std::ptrdiff_t>(std::min(files.size(), kNamed))));
  };
  out["observed"] = {{"files_verified", result.files_checked}, {"mismatched", result.mismatched.size()}, {"missing", result.missing.size()},
                     {"unhashed", result.unhashed}, {"mismatched_files", first(result.mismatched)}, {"missing_files", first(result.missing)}};
  if (result.error) {
    out["detail"] = *result.error;
  } else if (result.verified()) {
    out["status"] = "verified";
    out["detail"] = "every one of the " + std::to_string(result.files_checked) + " files RECORD lists with a sha256 matches it";
  } else {
    out["status"] = "observed";
    out["detail"] = std::to_string(result.mismatched.size()) + " file(s) differ from RECORD and " + std::to_string(result.missing.size()) +
                    " are missing, of " + std::to_string(result.files_checked + result.mismatched.size() + result.missing.size());
  }
  return out.dump();
}

std::optional<int> run_policy05_init(const std::vector<std::string>& arguments) {
  if (arguments.empty() || arguments[0] != "init") return std::nullopt;
  std::optional<std::string> subject_text, output;
  for (std::size_t i = 1; i < arguments.size(); ++i) {
    const std::string& a = arguments[i];
    if ((a == "-o" || a == "--output") && i + 1 < arguments.size()) {
      output = arguments[++i];
    } else if (a.starts_with("--output=")) {
      output = a.substr(9);
    } else if (a == "-h" || a == "--help") {
      write_stdout("usage: importspy init SUBJECT [-o OUTPUT]\n\nWrite a starter ImportSpy 0.5 policy for SUBJECT (beside it as SUBJECT.importspy.yml,\n"
                   "or OUTPUT), from its source, without running it. An existing file is never overwritten.\n");
      return kAdmit;
    } else if (!a.starts_with("-") && !subject_text) {
      subject_text = a;
    } else {
      write_stderr("importspy init: unexpected argument `" + a + "`; usage: importspy init SUBJECT [-o OUTPUT]\n");
      return kConfiguration;
    }
  }
  if (!subject_text) {
    write_stderr("importspy init: no subject given; usage: importspy init SUBJECT [-o OUTPUT]\n");
    return kConfiguration;
  }
  std::error_code ec;
  const fs::path subject = fs::weakly_canonical(fs::absolute(*subject_text), ec);
  std::string text;
  try {
    ModuleFacts facts;
    try {
      facts = extract_static_file(subject, "");
    } catch (const SourceError& error) {
      const std::string place = error.file() + (error.line() > 0 ? ":" + std::to_string(error.line()) + ":" + std::to_string(error.column()) : "");
      write_stderr("importspy init: cannot write a policy for " + place + ": " + error.what() + "\n");
      return kConfiguration;
    }
    const fs::path root = project_root_for(subject);
    const auto stdlib = stdlib_names();
    const DistributionIndex distributions = installed_distributions();
    const std::vector<Dependency> dependencies =
        resolve(read_subject(subject).imports, subject, {stdlib.first, root, &distributions, project_declarations(root), stdlib.second});
    text = starter_policy(facts, dependencies, subject.filename().string());
    (void)parse_policy(text, "starter policy");  // what is written reads back: a generation fault never leaves a file
  } catch (const std::exception&) {
    write_stderr("importspy init: writing the policy failed (details withheld)\n");
    return kToolFailure;
  }
  const fs::path destination = output ? fs::path(*output) : sidecar_of(subject);
  if (!write_whole_file(destination.string(), text, ExistingFile::keep)) {
    write_stderr("importspy init: cannot create " + destination.string() + ": it exists or cannot be written (init never overwrites a file)\n");
    return kConfiguration;
  }
  write_stdout("Created " + destination.string() + ". Review it, then run `importspy check " + *subject_text + "`.\n");
  return kAdmit;
}

AdmissionResult admit_for_api(const std::string& subject_text, const std::optional<std::string>& policy_text,
                              const std::optional<std::string>& project_root, const std::vector<std::string>& provider_names, bool allow_network) {
  AdmissionResult out;
  Arguments arguments;
  arguments.schema_version = SchemaVersion::required;  // the API reads 0.5 policies only (docs/policies-0.5.md, Python API)
  arguments.subject = subject_text;
  arguments.project_root = project_root;
  arguments.allow_network = allow_network;
  std::error_code ec;
  const fs::path subject = fs::weakly_canonical(fs::absolute(subject_text), ec);
  Request request{subject, std::nullopt, {}};
  if (policy_text) {
    request.contract = fs::path(*policy_text);
    request.contract_as_given = *policy_text;
  } else if (is_policy_file(sidecar_of(subject))) {
    request.contract = sidecar_of(subject);
    request.contract_as_given = sidecar_of(subject).string();
  }
  Decision decision;
  std::string bytes;
  try {
    const std::vector<Provider> providers = load_providers(provider_names);
    decision = decide(request, arguments, stdlib_names(), installed_distributions(), providers, &bytes);
    if (decision.admitted()) out.admitted_bytes = std::move(bytes);
  } catch (const PolicyError& error) {
    decision = error_decision(subject_text, "ISPY-C101", error.describe(), "configuration", IMPORTSPY_VERSION);
  } catch (const std::exception&) {
    decision = error_decision(subject_text, "ISPY-C199", "Admission tool failed (details withheld).", "tool", IMPORTSPY_VERSION);
  }
  out.document = to_json(decision).dump();
  return out;
}

}  // namespace importspy::bindings
