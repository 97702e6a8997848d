#include "importing/import_hook.hpp"

#include <nanobind/stl/string.h>
#include <nanobind/stl/shared_ptr.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "extract/environment_probe.hpp"
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

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return sha256_hex(std::string(std::istreambuf_iterator<char>(in), {}));
}

// Appends one JSON line; lines from threads and processes do not interleave (one write per line).
void append_audit(const fs::path& log, const json& entry) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::ofstream out(log, std::ios::app | std::ios::binary);
  out << entry.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<std::string> source_origin(nb::handle spec) {
  nb::object origin = nb::getattr(spec, "origin", nb::none());
  if (!PyUnicode_Check(origin.ptr())) return std::nullopt;
  const std::string text = utf8(origin);
  if (!text.ends_with(".py")) return std::nullopt;  // an extension module or a builtin: no source to read
  return text;
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
    const auto facts = cached_static_facts(*origin, fullname, {needs_hashes(*contract)});
    const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
    Report report;
    {
      nb::gil_scoped_release released;
      report = check(*contract, environment, *facts);
    }
    // What only running code can tell is left to the runtime stage when the rule has one.
    if (rule->runtime) std::erase_if(report.violations, [](const Violation& v) { return v.code == "value-unverifiable"; });
    decide(fullname, *origin, *rule, report, "static");  // raises in enforce mode
  }
  if (rule->runtime) {
    nb::object loader = nb::getattr(spec, "loader", nb::none());
    if (!loader.is_none()) nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule)));
  }
  return spec;
}

void ContractFinder::decide(const std::string& module, const std::string& file, const ContractMapping& rule, const Report& report, const std::string& stage) {
  const std::string decision = report.ok() ? "accepted" : rule.mode == "enforce" ? "rejected" : rule.mode == "warn" ? "warned" : "recorded";
  nb::list codes;
  json code_list = json::array();
  for (const auto& v : report.violations) {
    codes.append(nb::str(v.code.c_str()));
    code_list.push_back(v.code);
  }
  nb::dict record;
  record["module"] = module;
  record["file"] = file;
  record["contract"] = rule.contract.string();
  record["mode"] = rule.mode;
  record["stage"] = stage;
  record["decision"] = decision;
  record["violations"] = codes;
  {
    std::lock_guard lock(mutex_);
    decisions_.push_back(record);
  }
  if (policy_->audit_log) {
    append_audit(*policy_->audit_log, {{"time", now_utc()}, {"module", module}, {"file", file}, {"sha256", file_sha256(file)},
                                       {"contract", rule.contract.string()}, {"mode", rule.mode}, {"stage", stage}, {"decision", decision},
                                       {"violations", code_list}});
  }
  log_debug("import of " + module + " (" + stage + "): " + decision);
  if (report.ok()) return;
  if (rule.mode == "enforce") raise_contract_violation(report);
  if (rule.mode == "warn") {
    PyErr_WarnEx(g_contract_warning, render_text(report, {false, true}).c_str(), 2);
    if (PyErr_Occurred()) throw nb::python_error();  // warnings turned into errors by a filter
  }
}

nb::list ContractFinder::decisions() const {
  std::lock_guard lock(mutex_);
  nb::list out;
  for (const auto& d : decisions_) out.append(d);
  return out;
}

void ContractFinder::check_live_module(nb::handle module, const ContractMapping& rule) {
  std::shared_ptr<const Contract> contract = default_contract_cache().load(rule.contract);
  const ModuleFacts facts = runtime_facts(module, {needs_hashes(*contract)});
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  Report report;
  {
    nb::gil_scoped_release released;
    report = check(*contract, environment, facts);
  }
  decide(facts.name, facts.filename, rule, report, "runtime");
}

nb::object CheckingLoader::create_module(nb::handle spec) {
  nb::object method = nb::getattr(loader_, "create_module", nb::none());
  return method.is_none() ? nb::none() : method(spec);
}

void CheckingLoader::exec_module(nb::handle module) {
  loader_.attr("exec_module")(module);
  // importlib removes the module from sys.modules when this raises, and never binds it on its parent.
  finder_->check_live_module(module, rule_);
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

  nb::class_<CheckingLoader>(m, "CheckingLoader", "Runs the real loader, then checks the live module.")
      .def("create_module", &CheckingLoader::create_module)
      .def("exec_module", &CheckingLoader::exec_module)
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
        if (PyDict_Check(policy.ptr())) return new ContractFinder(policy_from_dict(nb::borrow<nb::dict>(policy), fs::current_path(), log));
        PyObject* text = PyOS_FSPath(policy.ptr());
        if (!text) throw std::invalid_argument("a policy is a dict of module pattern → contract, or the path of importspy.toml / pyproject.toml");
        auto config = std::make_shared<ProjectConfig>(load_project_config(utf8(nb::steal(text))));
        if (log) config->audit_log = log;
        return new ContractFinder(config);
      },
      nb::arg("policy"), nb::arg("audit_log") = nb::none(), nb::rv_policy::take_ownership);
}

}  // namespace importspy::bindings
