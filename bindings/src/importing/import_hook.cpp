#include "importing/import_hook.hpp"

#include <nanobind/stl/string.h>
#include <nanobind/stl/shared_ptr.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "extract/environment_probe.hpp"
#include "extract/runtime_extractor.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "importspy/facts/merge.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/render/report.hpp"
#include "importspy/project/result_cache.hpp"
#include "interop/python_values.hpp"
#include "extract/source_facts_cache.hpp"
#include "extract/targets.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

PyObject* g_contract_warning = nullptr;

std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
#ifdef _WIN32
  gmtime_s(&utc, &seconds);
#else
  gmtime_r(&seconds, &utc);
#endif
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// An audit log problem outside enforce mode: said once per process on stderr, however many imports.
void report_once(const std::string& message) {
  static std::once_flag reported;
  std::call_once(reported, [&] { PySys_WriteStderr("%s\n", message.c_str()); });
}

// Appends one JSON line; lines from threads and processes do not interleave (one write per line).
// False when the line could not be written.
bool append_audit(const fs::path& log, const json& entry) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::ofstream out(log, std::ios::app | std::ios::binary);
  if (!out) return false;
  out << entry.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  out.flush();
  return static_cast<bool>(out);
}

// An audit log that cannot be written: enforce mode admits nothing without its record (ImportError);
// warn and audit mode say so once on stderr and go on.
void audit_log_failed(const fs::path& log, bool enforce) {
  const std::string message = "importspy: the audit log " + log.string() + " cannot be written (" + std::strerror(errno) +
                              "); fix its folder or permissions, or install the policy without audit_log";
  if (enforce) {
    PyErr_SetString(PyExc_ImportError, (message + "; in enforce mode no module is admitted without its audit record").c_str());
    throw nb::python_error();
  }
  report_once(message);
}

std::optional<std::string> source_origin(nb::handle spec) {
  nb::object origin = nb::getattr(spec, "origin", nb::none());
  if (!PyUnicode_Check(origin.ptr())) return std::nullopt;
  const std::string text = utf8(origin);
  if (!text.ends_with(".py")) return std::nullopt;  // an extension module or a builtin: no source to read
  return text;
}

// Fail closed at install time: an audit log that cannot be opened for appending stops an enforcing
// policy (OSError naming the file) and is reported once on stderr otherwise.
void check_audit_log(const ProjectConfig& config) {
  if (!config.audit_log) return;
  std::ofstream out(*config.audit_log, std::ios::app | std::ios::binary);
  if (out) return;
  const bool enforce = std::any_of(config.contracts.begin(), config.contracts.end(), [](const ContractMapping& m) { return m.mode == "enforce"; });
  const std::string message = "importspy: the audit log " + config.audit_log->string() + " cannot be written (" + std::strerror(errno) +
                              "); fix its folder or permissions, or install the policy without audit_log";
  if (enforce) {
    PyErr_SetString(PyExc_OSError, (message + "; an enforcing policy admits nothing it cannot record").c_str());
    throw nb::python_error();
  }
  report_once(message);
}

}  // namespace

std::shared_ptr<const ProjectConfig> policy_from_dict(nb::dict rules, const fs::path& base, std::optional<fs::path> audit_log) {
  auto config = std::make_shared<ProjectConfig>();
  config->directory = fs::absolute(base).lexically_normal();
  config->audit_log = audit_log;
  for (auto [key, value] : rules) {
    if (!PyUnicode_Check(key.ptr())) throw std::invalid_argument("policy keys are module patterns (strings), such as \"myapp.plugins.*\"");
    ContractMapping mapping{utf8(key), {}, true, {}, "enforce", false};
    nb::object contract;
    if (PyDict_Check(value.ptr())) {
      nb::dict options = nb::borrow<nb::dict>(value);
      for (auto [option, _] : options) {
        const std::string name = utf8(option);
        if (name != "contract" && name != "mode" && name != "runtime") {
          throw std::invalid_argument("unknown policy option `" + name + "` for `" + mapping.match + "`; options: contract, mode, runtime");
        }
      }
      if (!options.contains("contract")) throw std::invalid_argument("the policy rule for `" + mapping.match + "` has no `contract`");
      contract = options["contract"];
      if (options.contains("mode")) mapping.mode = utf8(nb::str(options["mode"]));
      if (options.contains("runtime")) mapping.runtime = nb::cast<bool>(options["runtime"]);
      if (mapping.mode != "enforce" && mapping.mode != "warn" && mapping.mode != "audit") {
        throw std::invalid_argument("the mode of `" + mapping.match + "` must be \"enforce\", \"warn\" or \"audit\", not \"" + mapping.mode + "\"");
      }
    } else {
      contract = nb::borrow(value);
    }
    PyObject* text = PyOS_FSPath(contract.ptr());
    if (!text) throw nb::python_error();
    const fs::path path(utf8(nb::steal(text)));
    mapping.contract = path.is_absolute() ? path : (config->directory / path).lexically_normal();
    config->contracts.push_back(std::move(mapping));
  }
  config->index();
  return config;
}

std::shared_ptr<const ProjectConfig> policy_from_file(const fs::path& file) { return std::make_shared<const ProjectConfig>(load_project_config(file)); }

ContractFinder::ContractFinder(std::shared_ptr<const ProjectConfig> policy) : policy_(std::move(policy)) {}

nb::object ContractFinder::find_spec(nb::handle fullname_object, nb::handle path, nb::handle target) {
  // Every import of the process passes here: decide "not ours" without allocating anything.
  Py_ssize_t length = 0;
  const char* data = PyUnicode_Check(fullname_object.ptr()) ? PyUnicode_AsUTF8AndSize(fullname_object.ptr(), &length) : nullptr;
  if (!data) {
    PyErr_Clear();
    return nb::none();
  }
  const bool path_patterns = policy_->has_path_patterns();
  if (!path_patterns && !policy_->may_match_module(std::string_view(data, static_cast<size_t>(length)))) return nb::none();
  const std::string fullname(data, static_cast<size_t>(length));
  const ContractMapping* rule = policy_->mapping_for({}, fullname);
  if (!rule && !path_patterns) return nb::none();

  // Ask the finders after this one, as the import system would have.
  nb::object spec = nb::none();
  nb::list meta_path = nb::borrow<nb::list>(PySys_GetObject("meta_path"));
  bool after_self = false;
  for (nb::handle finder : meta_path) {
    if (!after_self) {
      after_self = nb::inst_check(finder) && nb::inst_ptr<ContractFinder>(finder) == this;
      continue;
    }
    nb::object method = nb::getattr(finder, "find_spec", nb::none());
    if (method.is_none()) continue;
    spec = method(fullname, path, target);
    if (!spec.is_none()) break;
  }
  if (spec.is_none()) return spec;
  const auto origin = source_origin(spec);
  if (!rule && origin) rule = policy_->mapping_for(*origin, fullname);
  if (!rule) return spec;

  std::shared_ptr<const Contract> contract;
  try {
    contract = default_contract_cache().load(rule->contract);
  } catch (const ContractError&) {
    if (rule->mode == "enforce") throw;  // a policy that cannot be read admits nothing it covers
    nb::module_::import_("warnings").attr("warn")(nb::str(("importspy: contract for " + fullname + " cannot be loaded").c_str()), nb::handle(g_contract_warning));
    return spec;
  }
  if (origin) {
    // Read once: these bytes are checked, hashed, compiled and executed. A file changed after this point
    // or a __pycache__ file with other code is never run for a matched module.
    std::string bytes;
    std::shared_ptr<const ModuleFacts> facts;
    try {
      bytes = read_source_file(*origin, SourceLimits{}.max_bytes);
      facts = static_facts_of_bytes(*origin, bytes, fullname, {needs_hashes(*contract)});
    } catch (const SourceError& error) {
      // Unreadable is not admissible: enforce refuses the import (SourceError is an ImportError).
      decide_unreadable(fullname, *origin, *rule, error);
      if (rule->mode == "enforce") throw;
      return spec;
    }
    const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
    Report report;
    {
      nb::gil_scoped_release released;
      report = check(*contract, environment, *facts);
    }
    // What only running code can tell is left to the runtime stage when the rule has one.
    if (rule->runtime) std::erase_if(report.violations, [](const Violation& v) { return v.code == "value-unverifiable"; });
    decide(fullname, *origin, facts->file_sha256.value_or(""), *rule, report, "static");  // raises in enforce mode
    std::string text = decode_python_source(bytes, *origin);
    nb::object loader = nb::getattr(spec, "loader", nb::none());
    nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule, *origin, std::move(bytes), std::move(text))));
    return spec;
  }
  if (rule->runtime) {
    nb::object loader = nb::getattr(spec, "loader", nb::none());
    if (!loader.is_none()) nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule)));
  }
  return spec;
}

void ContractFinder::record(const std::string& module, const std::string& file, const std::string& sha256, const ContractMapping& rule,
                           const std::string& stage, const std::string& decision, const std::vector<std::string>& codes) {
  nb::list code_list;
  for (const auto& code : codes) code_list.append(nb::str(code.c_str()));
  nb::dict entry;
  entry["module"] = module;
  entry["file"] = file;
  entry["contract"] = rule.contract.string();
  entry["mode"] = rule.mode;
  entry["stage"] = stage;
  entry["decision"] = decision;
  entry["violations"] = code_list;
  {
    std::lock_guard lock(mutex_);
    decisions_.push_back(entry);
  }
  if (policy_->audit_log) {
    const bool written = append_audit(*policy_->audit_log, {{"time", now_utc()}, {"module", module}, {"file", file}, {"sha256", sha256},
                                                            {"contract", rule.contract.string()}, {"mode", rule.mode}, {"stage", stage},
                                                            {"decision", decision}, {"violations", codes}});
    if (!written) audit_log_failed(*policy_->audit_log, rule.mode == "enforce");
  }
  log_debug("import of " + module + " (" + stage + "): " + decision);
}

void ContractFinder::decide(const std::string& module, const std::string& file, const std::string& sha256, const ContractMapping& rule,
                            const Report& report, const std::string& stage) {
  const std::string decision = report.ok() ? "accepted" : rule.mode == "enforce" ? "rejected" : rule.mode == "warn" ? "warned" : "recorded";
  std::vector<std::string> codes;
  for (const auto& v : report.violations) codes.push_back(v.code);
  record(module, file, sha256, rule, stage, decision, codes);
  if (report.ok()) return;
  if (rule.mode == "enforce") raise_contract_violation(report);
  if (rule.mode == "warn") {
    PyErr_WarnEx(g_contract_warning, render_text(report, {false, true}).c_str(), 2);
    if (PyErr_Occurred()) throw nb::python_error();  // warnings turned into errors by a filter
  }
}

void ContractFinder::decide_unreadable(const std::string& module, const std::string& file, const ContractMapping& rule, const SourceError& error) {
  const std::string decision = rule.mode == "enforce" ? "rejected" : rule.mode == "warn" ? "warned" : "recorded";
  record(module, file, "", rule, "static", decision, {"source-error"});
  if (rule.mode == "warn") {
    std::string where = error.file();
    if (error.line() > 0) where += ":" + std::to_string(error.line()) + ":" + std::to_string(error.column());
    const std::string message = "importspy: " + module + " cannot be checked, imported unchecked (warn mode): " + where + ": " + error.what();
    PyErr_WarnEx(g_contract_warning, message.c_str(), 2);
    if (PyErr_Occurred()) throw nb::python_error();
  }
}

nb::list ContractFinder::decisions() const {
  std::lock_guard lock(mutex_);
  nb::list out;
  for (const auto& d : decisions_) out.append(d);
  return out;
}

void ContractFinder::check_live_module(nb::handle module, const ContractMapping& rule, const std::string* source_bytes) {
  std::shared_ptr<const Contract> contract = default_contract_cache().load(rule.contract);
  const ExtractOptions options{needs_hashes(*contract)};
  ModuleFacts facts;
  std::string file;
  if (nb::object name = nb::getattr(module, "__file__", nb::none()); PyUnicode_Check(name.ptr())) file = utf8(name);
  if (source_bytes) {
    facts = merge_facts(*static_facts_of_bytes(file, *source_bytes, utf8(nb::getattr(module, "__name__")), options), extract_live_module(module));
  } else {
    facts = runtime_facts(module, options);
  }
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  Report report;
  {
    nb::gil_scoped_release released;
    report = check(*contract, environment, facts);
  }
  decide(facts.name, facts.filename, facts.file_sha256.value_or(""), rule, report, "runtime");
}

nb::object CheckingLoader::create_module(nb::handle spec) {
  nb::object method = nb::getattr(loader_, "create_module", nb::none());
  return method.is_none() ? nb::none() : method(spec);
}

nb::object CheckingLoader::get_code(nb::handle) const {
  if (!has_source_) return loader_.attr("get_code")(nb::none());
  // As SourceFileLoader compiles (dont_inherit, the interpreter's -O level), from the decoded text: the
  // coding declaration was applied when decoding and must not be applied again.
  PyCompilerFlags flags{};
  flags.cf_flags = PyCF_IGNORE_COOKIE | PyCF_SOURCE_IS_UTF8;
  flags.cf_feature_version = PY_MINOR_VERSION;
  nb::object filename = nb::steal(PyUnicode_DecodeFSDefaultAndSize(filename_.data(), static_cast<Py_ssize_t>(filename_.size())));
  if (!filename.is_valid()) throw nb::python_error();
  PyObject* code = Py_CompileStringObject(text_.c_str(), filename.ptr(), Py_file_input, &flags, -1);
  if (!code) throw nb::python_error();
  return nb::steal(code);
}

nb::str CheckingLoader::get_source(nb::handle fullname) const {
  if (!has_source_) return nb::borrow<nb::str>(loader_.attr("get_source")(fullname));
  return nb::str(text_.c_str(), text_.size());
}

void CheckingLoader::exec_module(nb::handle module) {
  if (has_source_) {
    nb::object code = get_code(nb::none());
    nb::object globals = module.attr("__dict__");
    if (!PyDict_GetItemString(globals.ptr(), "__builtins__")) PyDict_SetItemString(globals.ptr(), "__builtins__", PyEval_GetBuiltins());
    PyObject* result = PyEval_EvalCode(code.ptr(), globals.ptr(), globals.ptr());
    if (!result) throw nb::python_error();
    Py_DECREF(result);
  } else {
    loader_.attr("exec_module")(module);
  }
  // importlib removes the module from sys.modules when this raises, and never binds it on its parent.
  if (rule_.runtime) finder_->check_live_module(module, rule_, has_source_ ? &bytes_ : nullptr);
}

void register_import_hook(nb::module_& m) {
  g_contract_warning = PyErr_NewExceptionWithDoc("importspy.ContractWarning", "A module imported under a `warn` rule breaks its contract.",
                                                 PyExc_UserWarning, nullptr);
  m.attr("ContractWarning") = nb::handle(g_contract_warning);

  nb::class_<ContractFinder>(m, "ContractFinder", "The meta-path finder importspy.install() puts first on sys.meta_path.")
      .def("find_spec", &ContractFinder::find_spec, nb::arg("fullname"), nb::arg("path") = nb::none(), nb::arg("target") = nb::none())
      .def("invalidate_caches", [](ContractFinder&) { clear_static_facts_cache(); })
      .def_prop_ro("decisions", &ContractFinder::decisions, "Every decision taken: module, file, contract, mode, stage, decision, violations.")
      .def("__repr__", [](const ContractFinder& f) { return "<importspy.ContractFinder " + std::to_string(f.policy().contracts.size()) + " rule(s)>"; });

  nb::class_<CheckingLoader>(m, "CheckingLoader", "Runs exactly the checked source of a matched module, then (runtime rules) checks the live module.")
      .def("create_module", &CheckingLoader::create_module)
      .def("exec_module", &CheckingLoader::exec_module)
      .def("get_code", &CheckingLoader::get_code, nb::arg("fullname") = nb::none())
      .def("get_source", &CheckingLoader::get_source, nb::arg("fullname") = nb::none())
      .def("__getattr__", [](const CheckingLoader& l, const std::string& name) { return l.delegate(name); });

  m.def(
      "make_finder",
      [](nb::handle policy, nb::handle audit_log) {
        std::optional<fs::path> log;
        if (!audit_log.is_none()) {
          PyObject* text = PyOS_FSPath(audit_log.ptr());
          if (!text) throw nb::python_error();
          log = fs::absolute(fs::path(utf8(nb::steal(text))));
        }
        // A finder holds a mutex: it is created once on the heap and owned by Python, never moved.
        std::shared_ptr<const ProjectConfig> config;
        if (PyDict_Check(policy.ptr())) {
          config = policy_from_dict(nb::borrow<nb::dict>(policy), fs::current_path(), log);
        } else {
          PyObject* text = PyOS_FSPath(policy.ptr());
          if (!text) throw std::invalid_argument("a policy is a dict of module pattern → contract, or the path of importspy.toml / pyproject.toml");
          const fs::path file(utf8(nb::steal(text)));
          std::error_code ec;
          if (!fs::exists(file, ec)) throw ConfigError(file.string(), 0, 0, "the policy file does not exist");
          if (!fs::is_regular_file(file, ec)) throw ConfigError(file.string(), 0, 0, "the policy is not a regular file; name an importspy.toml or pyproject.toml");
          auto loaded = std::make_shared<ProjectConfig>(load_project_config(file));
          if (log) loaded->audit_log = log;
          config = loaded;
        }
        check_audit_log(*config);
        return new ContractFinder(config);
      },
      nb::arg("policy"), nb::arg("audit_log") = nb::none(), nb::rv_policy::take_ownership);
}

}  // namespace importspy::bindings
