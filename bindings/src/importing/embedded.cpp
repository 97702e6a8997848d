#include "importing/embedded.hpp"
#include <nanobind/stl/string.h>

#include <algorithm>
#include <filesystem>

#include "extract/environment_probe.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/facts/merge.hpp"
#include "interop/python_values.hpp"
#include "extract/runtime_extractor.hpp"
#include "extract/source_facts_cache.hpp"
#include "extract/targets.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;

struct Frame {
  nb::object frame;  // PyFrameObject
  std::string filename;
};

std::string code_filename(nb::handle frame) {
  PyCodeObject* code = PyFrame_GetCode(reinterpret_cast<PyFrameObject*>(frame.ptr()));
  std::string filename = utf8(nb::handle(code->co_filename));
  Py_DECREF(code);
  return filename;
}

nb::object frame_globals(nb::handle frame) {
#if PY_VERSION_HEX >= 0x030B0000
  return nb::steal(PyFrame_GetGlobals(reinterpret_cast<PyFrameObject*>(frame.ptr())));
#else
  return nb::getattr(frame, "f_globals");
#endif
}

// sys.modules without going through the import machinery.
nb::dict loaded_modules() { return nb::borrow<nb::dict>(PySys_GetObject("modules")); }

std::string module_name_of_frame(const Frame& frame) {
  nb::object globals = frame_globals(frame.frame);
  if (!PyDict_Check(globals.ptr())) return {};
  PyObject* name = PyDict_GetItemString(globals.ptr(), "__name__");
  return name && PyUnicode_Check(name) ? utf8(nb::handle(name)) : std::string();
}

// `pkg/api/__init__.py` running `from .protected import X` imports the protected module only on the
// way to its real importer: a parent package of the protected module is not the importer.
bool is_parent_package(const std::string& candidate, const std::string& protected_name) {
  return !candidate.empty() && protected_name.size() > candidate.size() && protected_name.starts_with(candidate) &&
         protected_name[candidate.size()] == '.';
}

std::optional<Frame> back(const Frame& frame) {
  nb::object previous = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetBack(reinterpret_cast<PyFrameObject*>(frame.frame.ptr()))));
  if (!previous.is_valid()) return std::nullopt;
  return Frame{previous, code_filename(previous)};
}

const std::string& package_directory() {
  static const std::string directory = [] {
    nb::object module = nb::borrow(PyDict_GetItemString(loaded_modules().ptr(), "importspy"));
    if (!module.is_valid()) module = nb::module_::import_("importspy");
    return fs::path(utf8(nb::getattr(module, "__file__"))).parent_path().string();
  }();
  return directory;
}

bool inside_this_package(const std::string& filename) { return filename.starts_with(package_directory()); }

// importlib's frames: `<frozen importlib._bootstrap>` and friends, and importlib/__init__.py
// (import_module), whatever the installation's separators.
bool inside_import_machinery(const std::string& filename) {
  if (filename.starts_with("<frozen importlib")) return true;
  const fs::path path(filename);
  return path.parent_path().filename() == "importlib" && (path.filename() == "__init__.py" || path.filename().string().starts_with("_bootstrap"));
}

fs::path resolve_contract_path(const std::string& written, const std::string& protected_file) {
  const fs::path path(written);
  if (path.is_absolute()) return path;
  std::error_code ec;
  const fs::path beside = fs::path(protected_file).parent_path() / path;
  if (!protected_file.empty() && fs::exists(beside, ec)) return beside;
  return fs::current_path() / path;  // ImportSpy's behaviour, and the place the error will name
}

std::string text_of(nb::handle path) {
  PyObject* text = PyOS_FSPath(path.ptr());
  if (!text) throw nb::python_error();
  nb::object owned = nb::steal(text);
  return PyUnicode_Check(text) ? utf8(owned) : std::string(PyBytes_AS_STRING(text), static_cast<size_t>(PyBytes_GET_SIZE(text)));
}

// A class the importer defines below its import line is known only from source; when its bases are
// already importable (a base class the protected module defined before calling Spy, say), complete it
// with their live method resolution order and inherited members.
void complete_static_classes(ModuleFacts& facts, const ModuleFacts& live, nb::handle globals) {
  nb::dict modules = loaded_modules();
  for (auto& cls : facts.classes) {
    if (live.find_class(cls.name)) continue;
    std::vector<SuperclassFact> resolved;
    ClassFact inherited_from;
    for (const auto& base : cls.superclasses) {
      if (base.name == "object") continue;
      nb::object found;
      PyObject* by_name = PyDict_GetItemString(globals.ptr(), base.name.c_str());
      if (by_name && PyType_Check(by_name)) found = nb::borrow(by_name);
      if (!found.is_valid() && !base.qualified.empty()) {
        const size_t dot = base.qualified.rfind('.');
        const std::string module = base.qualified.substr(0, dot);
        if (dot != std::string::npos && modules.contains(module.c_str())) {
          nb::object candidate = nb::getattr(modules[module.c_str()], base.qualified.substr(dot + 1).c_str(), nb::none());
          if (PyType_Check(candidate.ptr())) found = candidate;
        }
      }
      if (!found.is_valid()) {
        resolved.push_back(base);
        continue;
      }
      ClassFact base_facts = class_fact_of(found);
      resolved.push_back({base.name, qualified_name(found)});
      for (auto& ancestor : base_facts.superclasses) resolved.push_back(std::move(ancestor));
      for (auto& method : base_facts.methods) {
        if (!find_method(cls, method.name)) cls.methods.push_back(std::move(method));
      }
      for (auto& attribute : base_facts.attributes) {
        const bool present = std::any_of(cls.attributes.begin(), cls.attributes.end(), [&](const AttributeFact& a) { return a.name == attribute.name; });
        if (!present && attribute.kind == AttributeKind::class_attribute) cls.attributes.push_back(std::move(attribute));
      }
    }
    // Keep the first occurrence of each base, object last.
    std::vector<SuperclassFact> order;
    for (auto& base : resolved) {
      const bool seen = std::any_of(order.begin(), order.end(), [&](const SuperclassFact& s) { return s.name == base.name && s.qualified == base.qualified; });
      if (!seen && base.name != "object") order.push_back(std::move(base));
    }
    order.push_back({"object", "builtins.object"});
    cls.superclasses = std::move(order);
  }
}

}  // namespace

nb::object validate_importer(nb::handle filepath, nb::handle info_module) {
  PyFrameObject* current = PyEval_GetFrame();
  if (!current) throw std::runtime_error("Spy().importspy() must be called from Python code");
  Frame frame{nb::borrow(reinterpret_cast<PyObject*>(current)), code_filename(nb::handle(reinterpret_cast<PyObject*>(current)))};
  std::optional<Frame> protected_frame = frame;
  while (protected_frame && inside_this_package(protected_frame->filename)) protected_frame = back(*protected_frame);
  const std::string protected_file = protected_frame ? protected_frame->filename : std::string();

  const fs::path contract_path = resolve_contract_path(text_of(filepath), protected_file);
  std::shared_ptr<const Contract> contract = default_contract_cache().load(contract_path);
  log_debug("contract " + contract_path.string() + " loaded for " + protected_file);

  nb::object result = nb::none();
  ModuleFacts facts;
  bool have_module = false;
  if (!info_module.is_none()) {
    facts = runtime_facts(info_module, {needs_hashes(*contract)});
    result = nb::borrow(info_module);
    have_module = true;
  } else {
    const std::string protected_name = protected_frame ? module_name_of_frame(*protected_frame) : std::string();
    std::optional<Frame> importer = protected_frame ? back(*protected_frame) : std::nullopt;
    while (importer && (importer->filename == protected_file || inside_import_machinery(importer->filename) || inside_this_package(importer->filename) ||
                        is_parent_package(module_name_of_frame(*importer), protected_name))) {
      importer = back(*importer);
    }
    if (importer) {
      nb::object globals = frame_globals(importer->frame);
      nb::object name_object = PyDict_Check(globals.ptr()) ? nb::borrow<nb::object>(PyDict_GetItemString(globals.ptr(), "__name__")) : nb::none();
      const std::string name = name_object.is_valid() && PyUnicode_Check(name_object.ptr()) ? utf8(name_object) : std::string();
      const std::string filename = importer->filename;
      log_debug("importer of " + protected_file + ": " + (name.empty() ? filename : name) + " (" + filename + ")");
      ModuleFacts live = extract_live_namespace(globals, name, filename);
      std::error_code ec;
      if (fs::is_regular_file(filename, ec)) {
        // Mid-import the importer has run only up to its import line: its structure comes from its
        // source, completed by what already exists. It is never executed a second time.
        facts = merge_facts(*cached_static_facts(filename, name, {needs_hashes(*contract)}), live);
        complete_static_classes(facts, live, globals);
      } else {
        facts = std::move(live);
      }
      have_module = true;
      if (PyObject* module = name.empty() ? nullptr : PyDict_GetItemString(loaded_modules().ptr(), name.c_str())) result = nb::borrow(module);
    } else {
      log_debug("no importer of " + protected_file + " (run as a script?): only the environment is checked");
    }
  }

  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  Report report;
  if (have_module) {
    nb::gil_scoped_release released;  // checking touches no Python object
    report = check(*contract, environment, facts);
  } else {
    Contract environment_only = *contract;
    environment_only.module = ModuleRule{};
    for (auto& deployment : environment_only.deployments) {
      for (auto& system : deployment.systems) {
        for (auto& python : system.pythons) python.modules.clear();
      }
    }
    report = check(environment_only, environment, facts);
  }
  log_debug(std::string("validation against ") + contract_path.string() + ": " + (report.ok() ? "compliant" : std::to_string(report.violations.size()) + " violation(s)"));
  if (!report.ok()) raise_contract_violation(report);
  return result;
}

}  // namespace importspy::bindings
