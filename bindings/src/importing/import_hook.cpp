#include "importing/import_hook.hpp"

#include <nanobind/stl/string.h>
#include <nanobind/stl/shared_ptr.h>
#include <marshal.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "extract/dependencies.hpp"
#include "extract/compiled_module.hpp"
#include "importing/code_cache.hpp"
#include "importing/embedded.hpp"
#include "extract/environment_probe.hpp"
#include "extract/runtime_extractor.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "importspy/facts/merge.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/render/report.hpp"
#include "importspy/report/violation_codes.hpp"
#include "importspy/util/sha256.hpp"
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

// Why a file cannot be written, from the errno of the failed call (0: no reason given).
std::string reason(int error) { return error ? std::strerror(error) : "write failed"; }

// Appends one JSON line; lines from threads and processes do not interleave (one write per line).
// Returns 0, or the errno of the open or write that failed (-1 when none was set).
int append_audit(const fs::path& log, const json& entry) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  errno = 0;
  std::ofstream out(log, std::ios::app | std::ios::binary);
  if (!out) return errno ? errno : -1;
  out << entry.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  out.flush();
  return out ? 0 : (errno ? errno : -1);
}

// An audit log that cannot be written: enforce mode admits nothing without its record (ImportError);
// warn and audit mode say so once on stderr and go on.
void audit_log_failed(const fs::path& log, int error, bool enforce) {
  const std::string message = "importspy: the audit log " + log.string() + " cannot be written (" + reason(error > 0 ? error : 0) +
                              "); fix its folder or permissions, or install the policy without audit_log";
  if (enforce) {
    PyErr_SetString(PyExc_ImportError, (message + "; in enforce mode no module is admitted without its audit record").c_str());
    throw nb::python_error();
  }
  report_once(message);
}

// The file of a located module that is compiled code (a C extension, a sourceless .pyc): it has a
// location, but no source to check. Builtins, frozen modules and namespace packages have no file.
std::optional<std::string> binary_origin(nb::handle spec) {
  nb::object origin = nb::getattr(spec, "origin", nb::none());
  if (!PyUnicode_Check(origin.ptr()) || !nb::cast<bool>(nb::getattr(spec, "has_location", nb::bool_(false)))) return std::nullopt;
  const std::string text = utf8(origin);
  if (text.ends_with(".py")) return std::nullopt;
  std::error_code ec;
  if (!fs::is_regular_file(text, ec)) return std::nullopt;
  return text;
}

// The code object of a .pyc file's bytes, as SourcelessFileLoader reads it: the magic number must be this
// interpreter's (ImportError otherwise), then 12 bytes of flags and stamps, then the marshalled code.
nb::object code_of_pyc(const std::string& bytes, const std::string& file) {
  const nb::bytes magic = nb::borrow<nb::bytes>(nb::module_::import_("importlib.util").attr("MAGIC_NUMBER"));
  if (bytes.size() < 16 || bytes.compare(0, magic.size(), magic.c_str(), magic.size()) != 0) {
    PyErr_SetString(PyExc_ImportError, ("bad magic number in " + file + ": it was compiled by another Python version").c_str());
    throw nb::python_error();
  }
#ifdef Py_LIMITED_API
  nb::bytes marshalled(bytes.data() + 16, bytes.size() - 16);
  PyObject* code = PyObject_CallMethod(limited::types().marshal, "loads", "O", marshalled.ptr());
#else
  PyObject* code = PyMarshal_ReadObjectFromString(bytes.data() + 16, static_cast<Py_ssize_t>(bytes.size() - 16));
#endif
  if (!code) throw nb::python_error();
  if (!PyCode_Check(code)) {
    Py_DECREF(code);
    PyErr_SetString(PyExc_ImportError, ("non-code object in " + file).c_str());
    throw nb::python_error();
  }
  return nb::steal(code);
}

std::optional<std::string> source_origin(nb::handle spec) {
  static PyObject* const origin_name = PyUnicode_InternFromString("origin");
  nb::object origin = nb::steal(PyObject_GetAttr(spec.ptr(), origin_name));
  if (!origin.is_valid()) {
    PyErr_Clear();
    return std::nullopt;
  }
  if (!PyUnicode_Check(origin.ptr())) return std::nullopt;
  const std::string text = utf8(origin);
  if (!text.ends_with(".py")) return std::nullopt;  // an extension module or a builtin: no source to read
  return text;
}

// Fail closed at install time: an audit log that cannot be opened for appending stops an enforcing
// policy (OSError naming the file) and is reported once on stderr otherwise.
void check_audit_log(const ProjectConfig& config) {
  if (!config.audit_log) return;
  errno = 0;
  std::ofstream out(*config.audit_log, std::ios::app | std::ios::binary);
  if (out) return;
  const int error = errno;
  const bool enforce = std::any_of(config.contracts.begin(), config.contracts.end(), [](const ContractMapping& m) { return m.mode == "enforce"; });
  const std::string message = "importspy: the audit log " + config.audit_log->string() + " cannot be written (" + reason(error) +
                              "); fix its folder or permissions, or install the policy without audit_log";
  if (enforce) {
    PyErr_SetString(PyExc_OSError, (message + "; an enforcing policy admits nothing it cannot record").c_str());
    throw nb::python_error();
  }
  report_once(message);
}

// The guard's state: the finders that asked for it, and the one code object each thread is executing
// through a CheckingLoader (admitted: it was checked).
std::mutex g_guard_mutex;
std::vector<const ContractFinder*> g_guarded;
thread_local const PyObject* t_admitted_code = nullptr;

int guard_hook(const char* event, PyObject* args, void*) {
  if (event[0] != 'e' || std::strcmp(event, "exec") != 0) return 0;
  if (!PyTuple_Check(args) || PyTuple_GET_SIZE(args) < 1) return 0;
  PyObject* code = PyTuple_GET_ITEM(args, 0);
  if (!PyCode_Check(code) || code == t_admitted_code) return 0;
  PyObject* name = PyObject_GetAttrString(code, "co_filename");
  if (!name) {
    PyErr_Clear();
    return 0;
  }
  Py_ssize_t size = 0;
  const char* text = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &size) : nullptr;
  const std::string file = text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
  Py_DECREF(name);
  if (!text) PyErr_Clear();
  if (file.empty() || file.front() == '<') return 0;  // <string>, <stdin>: not a file
  std::vector<const ContractFinder*> finders;
  {
    std::lock_guard lock(g_guard_mutex);
    finders = g_guarded;
  }
  for (const ContractFinder* finder : finders) {
    if (!finder->covers_file(file)) continue;
    PyErr_SetString(PyExc_ImportError, ("importspy: refused to execute code of " + file +
                                        " outside the import system: the policy covers this file, so it runs only when imported (and checked)")
                                           .c_str());
    return -1;
  }
  return 0;
}

}  // namespace

void ContractFinder::set_guard(bool on) {
  static std::once_flag added;
  {
    std::lock_guard lock(g_guard_mutex);
    std::erase(g_guarded, this);
    if (!on) return;
    g_guarded.push_back(this);
  }
  // Outside the lock: adding a hook is itself audited, and a Python hook may let another thread run
  // guard_hook, which takes the lock.
  std::call_once(added, [] {
#ifdef Py_LIMITED_API
    // sys.addaudithook with a callable: the limited API has no C-level hook.
    nb::object hook = nb::cpp_function([](nb::handle event, nb::handle args) {
      const char* name = PyUnicode_Check(event.ptr()) ? PyUnicode_AsUTF8AndSize(event.ptr(), nullptr) : nullptr;
      if (!name) {
        PyErr_Clear();
        return;
      }
      if (guard_hook(name, args.ptr(), nullptr) < 0) throw nb::python_error();
    });
    nb::handle add = PySys_GetObject("addaudithook");  // borrowed, from sys itself (no import)
    if (add.is_valid()) add(hook);
#else
    PySys_AddAuditHook(guard_hook, nullptr);
#endif
  });
}

ContractFinder::~ContractFinder() {
  std::lock_guard lock(g_guard_mutex);
  std::erase(g_guarded, this);
}

void ContractFinder::report_preloaded() {
  // A snapshot, read without running any code (no module __getattr__): sys.modules must not change under us.
  nb::object items = nb::steal(PyDict_Items(PySys_GetObject("modules")));
  if (!items.is_valid()) throw nb::python_error();
  std::vector<std::pair<std::string, std::string>> found;  // module, file
  for (nb::handle item : items) {
    nb::handle key = PyTuple_GET_ITEM(item.ptr(), 0), module = PyTuple_GET_ITEM(item.ptr(), 1);
    if (!PyUnicode_Check(key.ptr()) || !PyModule_Check(module.ptr())) continue;
    const std::string name = utf8(key);
    PyObject* file_object = PyDict_GetItemString(PyModule_GetDict(module.ptr()), "__file__");  // borrowed
    const std::string file = file_object && PyUnicode_Check(file_object) ? utf8(nb::handle(file_object)) : std::string();
    if (policy_->mapping_for({}, name) || (!file.empty() && covers_file(file))) found.emplace_back(name, file);
  }
  for (const auto& [name, file] : found) {
    std::string covered;
    const ContractMapping* rule = policy_->mapping_for({}, name);
    if (!rule) rule = file.empty() ? nullptr : rule_for_file(file, covered);
    if (!rule && !file.empty()) rule = policy_->mapping_for(file, {});
    if (!rule || policy_->excluded(file, covered.empty() ? name : covered)) continue;
    record(name, file, "", *rule, "preloaded", "unchecked", {});
    const std::string message = "importspy: " + name + " was imported before this policy was installed: it ran unchecked. Install the policy "
                                "before the program imports it (IMPORTSPY_POLICY installs it at interpreter start).";
    PyErr_WarnEx(g_contract_warning, message.c_str(), 2);
    if (PyErr_Occurred()) throw nb::python_error();
  }
}

void ContractFinder::report_unloadable_contract(const ContractMapping& rule, const std::string& reason) {
  const std::string file = rule.contract.string();
  {
    std::lock_guard lock(mutex_);
    if (std::find(reported_contracts_.begin(), reported_contracts_.end(), file) != reported_contracts_.end()) return;
    reported_contracts_.push_back(file);
  }
  const bool enforce = rule.mode == "enforce";
  const std::string message = std::string("importspy: ") + (enforce ? "error" : "warning") + ": the contract " + file + " of the policy rule `" +
                              rule.match + "` cannot be loaded: " + reason + "; " + rule.mode + " mode: " +
                              (enforce ? "every import it covers is refused" : "the modules it covers are imported UNCHECKED");
  PySys_FormatStderr("%s\n", message.c_str());
}

void ContractFinder::report_missing_contracts() {
  for (const auto& rule : policy_->contracts) {
    std::error_code ec;
    const auto status = fs::status(rule.contract, ec);
    if (fs::is_regular_file(status)) continue;
    report_unloadable_contract(rule, fs::exists(status) ? "this is not a regular file" : "the contract file does not exist");
  }
}

bool ContractFinder::covers_file(const std::string& file) const {
  std::string covered;
  const ContractMapping* rule = rule_for_file(file, covered);
  if (!rule && policy_->has_path_patterns()) rule = policy_->mapping_for(file, {});
  return rule && !policy_->excluded(file, covered);
}

std::shared_ptr<const ProjectConfig> policy_from_dict(nb::dict rules, const fs::path& base, std::optional<fs::path> audit_log, const std::string& naming_file) {
  auto config = std::make_shared<ProjectConfig>();
  config->directory = fs::absolute(base).lexically_normal();
  config->audit_log = audit_log;
  for (auto [key, value] : rules) {
    if (!PyUnicode_Check(key.ptr())) throw std::invalid_argument("policy keys are module patterns (strings), such as \"myapp.plugins.*\"");
    ContractMapping mapping{utf8(key), {}, true, {}, "enforce", false, ""};
    nb::object contract;
    if (PyDict_Check(value.ptr())) {
      nb::dict options = nb::borrow<nb::dict>(value);
      for (auto [option, _] : options) {
        const std::string name = utf8(option);
        if (name != "contract" && name != "mode" && name != "runtime" && name != "unverifiable") {
          throw std::invalid_argument("unknown policy option `" + name + "` for `" + mapping.match + "`; options: contract, mode, runtime, unverifiable");
        }
      }
      if (!options.contains("contract")) throw std::invalid_argument("the policy rule for `" + mapping.match + "` has no `contract`");
      contract = options["contract"];
      if (options.contains("mode")) mapping.mode = utf8(nb::str(options["mode"]));
      if (options.contains("runtime")) mapping.runtime = nb::cast<bool>(options["runtime"]);
      if (options.contains("unverifiable")) {
        mapping.unverifiable = utf8(nb::str(options["unverifiable"]));
        if (mapping.unverifiable != "deny" && mapping.unverifiable != "warn" && mapping.unverifiable != "allow") {
          throw std::invalid_argument("`unverifiable` of `" + mapping.match + "` must be \"deny\", \"warn\" or \"allow\", not \"" + mapping.unverifiable + "\"");
        }
      }
      if (mapping.mode != "enforce" && mapping.mode != "warn" && mapping.mode != "audit") {
        throw std::invalid_argument("the mode of `" + mapping.match + "` must be \"enforce\", \"warn\" or \"audit\", not \"" + mapping.mode + "\"");
      }
    } else {
      contract = nb::borrow(value);
    }
    PyObject* text = PyOS_FSPath(contract.ptr());
    if (!text) throw nb::python_error();
    const fs::path path(utf8(nb::steal(text)));
    mapping.contract = resolve_contract_path(path.string(), naming_file).lexically_normal();
    config->contracts.push_back(std::move(mapping));
  }
  config->index();
  return config;
}

std::shared_ptr<const ProjectConfig> policy_from_file(const fs::path& file) { return std::make_shared<const ProjectConfig>(load_project_config(file)); }

ContractFinder::ContractFinder(std::shared_ptr<const ProjectConfig> policy) : policy_(std::move(policy)) {
  // The folders and files module patterns cover on today's sys.path, located without importing: an import
  // of a file inside them under any other name (a folder put on sys.path, a symlink) is matched by the
  // module name the file has there.
  nb::object path_list = nb::borrow(PySys_GetObject("path"));
  std::vector<std::string> entries;
  if (path_list.is_valid() && PyList_Check(path_list.ptr())) {
    for (nb::handle entry : nb::borrow<nb::list>(path_list)) {
      if (PyUnicode_Check(entry.ptr())) entries.push_back(utf8(entry).empty() ? fs::current_path().string() : utf8(entry));
    }
  }
  for (const auto& mapping : policy_->contracts) {
    if (mapping.path_pattern) continue;
    const std::string& pattern = mapping.match;
    const std::size_t wildcard = pattern.find_first_of("*?[");
    std::string dotted = pattern.substr(0, wildcard);
    if (wildcard != std::string::npos) dotted = dotted.substr(0, dotted.rfind('.') == std::string::npos ? 0 : dotted.rfind('.'));
    if (dotted.empty()) continue;  // a pattern that starts with a wildcard matches every name already
    covers_packages_ = true;
    // A file's name under a sys.path entry is its path below it, '/' for '.': a name this pattern matches
    // starts with its literal part, so the file's resolved path holds "/" + that part, as folders.
    std::string needle = "/" + pattern.substr(0, wildcard);
    std::replace(needle.begin(), needle.end(), '.', '/');
    covered_prefixes_.push_back(needle);
    std::string relative = dotted;
    std::replace(relative.begin(), relative.end(), '.', '/');
    for (const auto& entry : entries) {
      const fs::path base = fs::path(entry) / relative;
      std::error_code ec;
      if (wildcard != std::string::npos) {
        if (fs::is_directory(base, ec)) protected_folders_.push_back({real_path(base.string()), dotted});
        continue;
      }
      for (const fs::path& file : {fs::path(base.string() + ".py"), base / "__init__.py"}) {
        if (fs::is_regular_file(file, ec)) protected_files_[real_path(file.string())] = dotted;
      }
    }
  }
  has_protected_files_ = !protected_files_.empty();
}

// Resolved like real_path(), for the hot path of every located import: a file that is not itself a
// symbolic link resolves to its folder's resolved path (cached) plus its name, one lstat() instead of
// one per path component.
std::string ContractFinder::resolved_file(const std::string& path) const {
#ifndef _WIN32
  struct stat status {};
  const std::size_t slash = path.rfind('/');
  if (path.empty() || path.front() != '/' || ::lstat(path.c_str(), &status) != 0 || S_ISLNK(status.st_mode)) return real_path(path);
  const std::string folder = resolved_folder(path.substr(0, slash));
  return (folder == "/" ? std::string() : folder) + path.substr(slash);
#else
  return real_path(path);
#endif
}

// An absolute folder's resolved path, cached (folders are few and their links rarely change).
std::string ContractFinder::resolved_folder(const std::string& folder) const {
  std::lock_guard lock(mutex_);
  auto it = resolved_folders_.find(folder);
  if (it == resolved_folders_.end()) it = resolved_folders_.emplace(folder, real_path(folder.empty() ? "/" : folder)).first;
  return it->second;
}

std::string ContractFinder::real_path(const std::string& path) {
#ifndef _WIN32
  if (char* resolved = ::realpath(path.c_str(), nullptr)) {
    std::string out(resolved);
    std::free(resolved);
    return out;
  }
#endif
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path : canonical.string();
}

// A module pattern matching the name `real` (a resolved .py file) has relative to some sys.path entry.
const ContractMapping* ContractFinder::rule_by_search_path(const std::string& real, std::string& covered_name) const {
  PyObject* path_list = PySys_GetObject("path");  // borrowed; the GIL is held
  if (!path_list || !PyList_Check(path_list)) return nullptr;
  nb::list entries = nb::borrow<nb::list>(path_list);
  for (nb::handle entry : entries) {
    if (!PyUnicode_Check(entry.ptr())) continue;
    std::string folder = utf8(entry);
    folder = folder.empty() || folder.front() != '/' ? real_path(folder.empty() ? "." : folder) : resolved_folder(folder);
    if (folder.empty() || real.size() <= folder.size() + 1 || !real.starts_with(folder) || real[folder.size()] != '/') continue;
    std::string rest = real.substr(folder.size() + 1);
    if (rest.ends_with("/__init__.py")) rest.resize(rest.size() - 12);
    else if (rest.ends_with(".py") && rest != "__init__.py") rest.resize(rest.size() - 3);
    else continue;
    std::replace(rest.begin(), rest.end(), '/', '.');
    if (const ContractMapping* rule = policy_->mapping_for({}, rest)) {
      covered_name = rest;
      return rule;
    }
  }
  return nullptr;
}

// The rule for a located file that its import name did not match: by the name the file has inside a
// folder or file a module pattern covers, or by a path pattern against its resolved path.
const ContractMapping* ContractFinder::rule_for_file(const std::string& origin, std::string& covered_name) const {
  const std::string real = resolved_file(origin);
  {
    std::lock_guard lock(mutex_);
    if (auto it = protected_files_.find(real); it != protected_files_.end()) {
      covered_name = it->second;
      if (const ContractMapping* rule = policy_->mapping_for({}, covered_name)) return rule;
    }
  }
  for (const auto& [folder, dotted] : protected_folders_) {
    if (real.size() <= folder.size() + 1 || !real.starts_with(folder) || real[folder.size()] != '/') continue;
    std::string rest = real.substr(folder.size() + 1);
    if (rest == "__init__.py") rest.clear();  // the covered folder's own package
    else if (rest.ends_with("/__init__.py")) rest.resize(rest.size() - 12);
    else if (rest.ends_with(".py")) rest.resize(rest.size() - 3);
    else continue;
    std::replace(rest.begin(), rest.end(), '/', '.');
    covered_name = rest.empty() ? dotted : dotted + "." + rest;
    if (const ContractMapping* rule = policy_->mapping_for({}, covered_name)) return rule;
  }
  // The names the file has under today's sys.path (folders added after install() included): only a file
  // whose resolved path holds a module pattern's literal prefix as folders can have a name it matches.
  if (covers_packages_ && std::any_of(covered_prefixes_.begin(), covered_prefixes_.end(), [&](const std::string& p) { return real.find(p) != std::string::npos; })) {
    if (const ContractMapping* rule = rule_by_search_path(real, covered_name)) return rule;
  }
  if (policy_->has_path_patterns() && real != origin) {
    const fs::path relative = fs::path(real).lexically_relative(real_path(policy_->directory.string()));
    if (!relative.empty() && *relative.begin() != "..") {
      covered_name.clear();
      return policy_->mapping_for(policy_->directory / relative, {});
    }
  }
  return nullptr;
}

nb::object ContractFinder::find_spec(nb::handle fullname_object, nb::handle path, nb::handle target) {
  // Every import of the process passes here: decide "not ours" without allocating anything.
  Py_ssize_t length = 0;
  const char* data = PyUnicode_Check(fullname_object.ptr()) ? PyUnicode_AsUTF8AndSize(fullname_object.ptr(), &length) : nullptr;
  if (!data) {
    PyErr_Clear();
    return nb::none();
  }
  // Path patterns, and files a module pattern covers, can only be matched once the module is located.
  const bool path_patterns = policy_->has_path_patterns() || covers_packages_ || has_protected_files_.load();
  if (!path_patterns && !policy_->may_match_module(std::string_view(data, static_cast<size_t>(length)))) return nb::none();
  const std::string fullname(data, static_cast<size_t>(length));
  const ContractMapping* rule = policy_->mapping_for({}, fullname);
  if (!rule && !path_patterns) return nb::none();

  // Ask the finders after this one, as the import system would have.
  nb::object spec = nb::none();
  static PyObject* const find_spec_name = PyUnicode_InternFromString("find_spec");
  nb::list meta_path = nb::borrow<nb::list>(PySys_GetObject("meta_path"));
  bool after_self = false;
  for (nb::handle finder : meta_path) {
    if (!after_self) {
      after_self = nb::inst_check(finder) && nb::inst_ptr<ContractFinder>(finder) == this;
      continue;
    }
    nb::object method = nb::steal(PyObject_GetAttr(finder.ptr(), find_spec_name));
    if (!method.is_valid()) {
      PyErr_Clear();
      continue;
    }
    if (method.is_none()) continue;
    spec = method(fullname_object, path, target);  // the caller's str: no copy of the name
    if (!spec.is_none()) break;
  }
  if (spec.is_none()) return spec;
  const auto origin = source_origin(spec);
  if (!rule && origin && policy_->has_path_patterns()) rule = policy_->mapping_for(*origin, fullname);
  std::string covered_name;
  if (!rule && origin) rule = rule_for_file(*origin, covered_name);
  if (!rule) return spec;
  // The settings' `exclude` leaves a module out, under its name or the name its file is covered under, as
  // `importspy check` leaves it out (one pattern language: importspy/project/module_pattern.hpp).
  if (!policy_->exclude.empty()) {
    nb::object located = nb::getattr(spec, "origin", nb::none());
    const std::string file = PyUnicode_Check(located.ptr()) ? utf8(located) : std::string();
    if (policy_->excluded(file, fullname) || (!covered_name.empty() && policy_->excluded(file, covered_name))) {
      log_debug("import of " + fullname + ": excluded by the policy");
      return spec;
    }
  }
  if (origin) {
    // This file is covered from now on, whatever name it is imported under next.
    std::lock_guard lock(mutex_);
    protected_files_.emplace(real_path(*origin), covered_name.empty() ? fullname : covered_name);
    resolved_folders_.clear();  // cheap to rebuild; keeps it from holding folders renamed since
    has_protected_files_ = true;
  }

  std::shared_ptr<const Contract> contract;
  try {
    contract = default_contract_cache().load(rule->contract);
  } catch (const ContractError& error) {
    report_unloadable_contract(*rule, error.line() > 0 ? std::to_string(error.line()) + ":" + std::to_string(error.column()) + ": " + error.message()
                                                       : error.message());
    const std::string decision = rule->mode == "enforce" ? "rejected" : rule->mode == "warn" ? "warned" : "recorded";
    record(fullname, origin.value_or(""), "", *rule, "static", decision, {std::string(ContractError::code)});
    if (rule->mode == "enforce") raise_contract_import_error(error, fullname);  // a policy that cannot be read admits nothing it covers
    return spec;
  }
  if (origin) {
    // Read once: these bytes are checked, hashed, compiled and executed. A file changed after this point
    // or a __pycache__ file with other code is never run for a matched module.
    std::string bytes;
    std::shared_ptr<const ModuleFacts> facts;
    try {
      bytes = read_source_file(*origin, SourceLimits{}.max_bytes);
      facts = static_facts_of_bytes(*origin, bytes, fullname, {.structure_hashes = needs_hashes(*contract), .per_user_store = true});
    } catch (const SourceError& error) {
      // Unreadable is not admissible: enforce refuses the import (SourceError is an ImportError).
      decide_unreadable(fullname, *origin, *rule, error);
      if (rule->mode == "enforce") throw;
      return spec;
    }
    const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
    const auto context = import_context(*contract);
    Report report;
    {
      nb::gil_scoped_release released;
      report = check_module(*contract, environment, *facts, context);
    }
    // What only running code can tell is left to the runtime stage when the rule has one: values, and the
    // names and definitions the live module settles (imports stay: a live module does not show them).
    if (rule->runtime) {
      std::erase_if(report.violations, [](const Violation& v) {
        return v.code == codes::value_unverifiable || v.code == codes::namespace_unverifiable || v.code == codes::definition_unverifiable;
      });
    }
    decide(fullname, *origin, facts->file_sha256.value_or(""), *rule, report, "static");  // raises in enforce mode
    std::string text = decode_python_source(bytes, *origin);
    nb::object loader = nb::getattr(spec, "loader", nb::none());
    nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule, *origin, std::move(bytes), std::move(text), facts->file_sha256.value_or(""))));
    return spec;
  }
  if (auto binary = binary_origin(spec)) {
    const std::string bytes = decide_unverifiable(fullname, *binary, *rule, *contract);  // raises when denied
    if (binary->ends_with(".pyc")) {
      nb::object loader = nb::getattr(spec, "loader", nb::none());
      nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule, code_of_pyc(bytes, *binary))));
      return spec;
    }
  }
  if (rule->runtime) {
    nb::object loader = nb::getattr(spec, "loader", nb::none());
    if (!loader.is_none()) nb::setattr(spec, "loader", nb::cast(CheckingLoader(loader, this, *rule)));
  }
  return spec;
}

std::string ContractFinder::decide_unverifiable(const std::string& module, const std::string& file, const ContractMapping& rule, const Contract& contract) {
  std::string bytes;
  try {
    bytes = read_source_file(file, std::size_t{1} << 31);
  } catch (const SourceError& error) {
    decide_unreadable(module, file, rule, error);
    if (rule.mode == "enforce") throw;
    return {};
  }
  const std::string sha256 = sha256_hex(bytes);
  const Report report = compiled_module_report(file, sha256, contract, rule.contract.string());
  if (contract.module.file_sha256) {
    decide(module, file, sha256, rule, report, "binary");  // a pin admits exactly this file, or rejects it by the mode
    return bytes;
  }
  const std::string setting = !rule.unverifiable.empty() ? rule.unverifiable : rule.mode == "enforce" ? "deny" : rule.mode == "warn" ? "warn" : "allow";
  const std::string code(codes::module_unverifiable);
  const std::string decision = setting == "deny" ? "rejected" : setting == "warn" ? "warned" : "recorded";
  record(module, file, sha256, rule, "binary", decision, {code});
  if (setting == "deny") raise_contract_violation(report);
  if (setting == "warn") {
    PyErr_WarnEx(g_contract_warning, render_text(report, {false, true}).c_str(), 2);
    if (PyErr_Occurred()) throw nb::python_error();
  }
  return bytes;
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
    const int error = append_audit(*policy_->audit_log, {{"time", now_utc()}, {"module", module}, {"file", file}, {"sha256", sha256},
                                                         {"contract", rule.contract.string()}, {"mode", rule.mode}, {"stage", stage},
                                                         {"decision", decision}, {"violations", codes}});
    if (error != 0) audit_log_failed(*policy_->audit_log, error, rule.mode == "enforce");
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
  const std::string name = utf8(nb::getattr(module, "__name__"));
  // What the importer gets: importlib hands out what sys.modules holds after the module ran, which the
  // module may have replaced (`sys.modules[__name__] = ...`).
  nb::handle given = module;
  if (PyObject* found = PyDict_GetItemString(PySys_GetObject("modules"), name.c_str()); found && found != module.ptr()) given = found;
  if (source_bytes) {
    facts = merge_runtime_facts(*static_facts_of_bytes(file, *source_bytes, name, options), extract_live_object(given, name, file));
  } else {
    facts = runtime_facts(given, options);
  }
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  const auto context = import_context(*contract);
  Report report;
  {
    nb::gil_scoped_release released;
    report = check_module(*contract, environment, facts, context);
  }
  decide(facts.name, facts.filename, facts.file_sha256.value_or(""), rule, report, "runtime");
}

nb::object CheckingLoader::create_module(nb::handle spec) {
  nb::object method = nb::getattr(loader_, "create_module", nb::none());
  return method.is_none() ? nb::none() : method(spec);
}

nb::object CheckingLoader::get_code(nb::handle fullname) const {
  if (code_.is_valid()) return code_;
  if (!has_source_) return loader_.attr("get_code")(fullname);
  // As SourceFileLoader compiles (dont_inherit, the interpreter's -O level), from the decoded text: the
  // coding declaration was applied when decoding and must not be applied again.
  // Compiled before from these very bytes (authenticated, keyed by their SHA-256): no need to compile again.
  if (nb::object cached = cached_code(sha256_, filename_); cached.is_valid()) return cached;
  nb::str filename = python_path(filename_);
#ifdef Py_LIMITED_API
  // compile(text, filename, "exec", dont_inherit=True): a str has no coding declaration to apply.
  nb::str source = python_text(text_);
  PyObject* code = PyObject_CallFunction(limited::types().compile, "OOsii", source.ptr(), filename.ptr(), "exec", 0, 1);
#else
  PyCompilerFlags flags{};
  flags.cf_flags = PyCF_IGNORE_COOKIE | PyCF_SOURCE_IS_UTF8;
  flags.cf_feature_version = PY_MINOR_VERSION;
  PyObject* code = Py_CompileStringObject(text_.c_str(), filename.ptr(), Py_file_input, &flags, -1);
#endif
  if (!code) throw nb::python_error();
  nb::object compiled = nb::steal(code);
  store_code(sha256_, filename_, compiled);
  return compiled;
}

nb::object CheckingLoader::get_source(nb::handle fullname) const {
  if (!has_source_) return loader_.attr("get_source")(fullname);
  return nb::str(text_.c_str(), text_.size());
}

void CheckingLoader::exec_module(nb::handle module) {
  if (has_source_ || code_.is_valid()) {
    nb::object code = get_code(nb::none());
    nb::object globals = module.attr("__dict__");
    if (!PyDict_GetItemString(globals.ptr(), "__builtins__")) PyDict_SetItemString(globals.ptr(), "__builtins__", PyEval_GetBuiltins());
    const PyObject* outer = t_admitted_code;
    t_admitted_code = code.ptr();  // the guard admits this code object: it is the checked text
    PyObject* result = PyEval_EvalCode(code.ptr(), globals.ptr(), globals.ptr());
    t_admitted_code = outer;
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
      .def("set_guard", &ContractFinder::set_guard, nb::arg("on"),
           "Refuse (ImportError) executing code of a covered file outside this finder's loader (an audit hook).")
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
      [](nb::handle policy, nb::handle audit_log, const std::string& caller_file) {
        std::optional<fs::path> log;
        if (!audit_log.is_none()) {
          PyObject* text = PyOS_FSPath(audit_log.ptr());
          if (!text) throw nb::python_error();
          log = fs::absolute(fs::path(utf8(nb::steal(text))));
        }
        // A finder holds a mutex: it is created once on the heap and owned by Python, never moved.
        std::shared_ptr<const ProjectConfig> config;
        if (PyDict_Check(policy.ptr())) {
          config = policy_from_dict(nb::borrow<nb::dict>(policy), fs::current_path(), log, caller_file);
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
        auto finder = std::make_unique<ContractFinder>(config);
        finder->report_missing_contracts();
        finder->report_preloaded();
        return finder.release();
      },
      nb::arg("policy"), nb::arg("audit_log") = nb::none(), nb::arg("caller_file") = "", nb::rv_policy::take_ownership);
}

}  // namespace importspy::bindings
