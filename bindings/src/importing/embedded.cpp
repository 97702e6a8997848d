#include "importing/embedded.hpp"
#include <nanobind/stl/string.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "extract/dependencies.hpp"
#include "extract/environment_probe.hpp"
#include "interop/gil_once.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/facts/merge.hpp"
#include "interop/python_values.hpp"
#include "extract/runtime_extractor.hpp"
#include "extract/source_facts_cache.hpp"
#include "extract/targets.hpp"
#include "importspy/util/file_stamp.hpp"
#include "importing/code_cache.hpp"
#include "importing/verdict_cache.hpp"

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

// The opcode numbers of the CPython this module is built for (built per minor version): IMPORT_NAME without
// importing the `opcode` module, which cost half a millisecond of a fresh process's first check. Last:
// its macros name every opcode. The stable-ABI build runs on several versions, whose numbers differ: it
// reads opcode.opmap once, at the first import statement it checks.
#ifndef Py_LIMITED_API
#include <opcode.h>
#endif

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;

// An interned str, made once: a dict lookup by it neither allocates nor hashes.
PyObject* interned(const char* text) { return PyUnicode_InternFromString(text); }

PyObject* key_name() {
  static PyObject* const key = interned("__name__");
  return key;
}

PyObject* key_spec() {
  static PyObject* const key = interned("__spec__");
  return key;
}

// The UTF-8 of a str, cached inside it by CPython: valid while the str lives. Empty for anything else.
std::string_view view(PyObject* text) {
  Py_ssize_t size = 0;
  const char* data = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
  if (!data) {
    PyErr_Clear();
    return {};
  }
  return {data, static_cast<std::size_t>(size)};
}

struct Frame {
  nb::object frame;           // PyFrameObject
  std::string_view filename;  // its code's co_filename: the frame holds the code, the code the str
};

std::string_view code_filename(nb::handle frame) {
  PyCodeObject* code = PyFrame_GetCode(reinterpret_cast<PyFrameObject*>(frame.ptr()));
  const std::string_view filename = view(bindings::code_filename(reinterpret_cast<PyObject*>(code)));
  Py_DECREF(code);  // the frame keeps it
  return filename;
}

nb::object frame_globals(nb::handle frame) {
#if PY_VERSION_HEX >= 0x030B0000 || defined(Py_LIMITED_API)
  return nb::steal(PyFrame_GetGlobals(reinterpret_cast<PyFrameObject*>(frame.ptr())));
#else
  return nb::borrow(reinterpret_cast<PyFrameObject*>(frame.ptr())->f_globals);
#endif
}

// sys.modules without going through the import machinery.
nb::dict loaded_modules() { return nb::borrow<nb::dict>(PySys_GetObject("modules")); }

// A namespace's `__name__`, valid while the namespace keeps it; empty when it has none.
std::string_view name_in(PyObject* globals) { return PyDict_Check(globals) ? view(PyDict_GetItem(globals, key_name())) : std::string_view(); }

std::string_view module_name_of_frame(const Frame& frame) { return name_in(frame_globals(frame.frame).ptr()); }

// `pkg/api/__init__.py` running `from .protected import X` imports the protected module only on the
// way to its real importer: a parent package of the protected module is not the importer.
bool is_parent_package(std::string_view candidate, std::string_view protected_name) {
  return !candidate.empty() && protected_name.size() > candidate.size() && protected_name.starts_with(candidate) &&
         protected_name[candidate.size()] == '.';
}

std::optional<Frame> back(const Frame& frame) {
  nb::object previous = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetBack(reinterpret_cast<PyFrameObject*>(frame.frame.ptr()))));
  if (!previous.is_valid()) return std::nullopt;
  return Frame{previous, code_filename(previous)};
}

const std::string& package_directory() {
  static GilSafeOnce<std::string> once;  // it may import, which may switch threads (gil_once.hpp)
  return once.get([] {
    nb::object module = nb::borrow(PyDict_GetItemString(loaded_modules().ptr(), "importspy"));
    if (!module.is_valid()) module = nb::module_::import_("importspy");
    return fs::path(utf8(nb::getattr(module, "__file__"))).parent_path().string();
  });
}

bool inside_this_package(std::string_view filename) { return filename.starts_with(package_directory()); }

// importlib's frames: `<frozen importlib._bootstrap>` and friends, and importlib/__init__.py
// (import_module), whatever the installation's separators.
bool inside_import_machinery(std::string_view filename) {
  if (filename.starts_with("<frozen importlib")) return true;
  const std::size_t slash = filename.find_last_of("/\\");
  if (slash == std::string_view::npos) return false;
  const std::string_view base = filename.substr(slash + 1);
  std::string_view folder = filename.substr(0, slash);
  if (const std::size_t up = folder.find_last_of("/\\"); up != std::string_view::npos) folder = folder.substr(up + 1);
  return folder == "importlib" && (base == "__init__.py" || base.starts_with("_bootstrap"));
}

std::string text_of(nb::handle path) {
  PyObject* text = PyOS_FSPath(path.ptr());
  if (!text) throw nb::python_error();
  nb::object owned = nb::steal(text);
  return PyUnicode_Check(text) ? utf8(owned) : std::string(PyBytes_AS_STRING(text), static_cast<size_t>(PyBytes_GET_SIZE(text)));
}

// Adds to `basis` what the importer's namespace `globals` binds each of `names` (the module-level names
// `contract` reads) to, its `__annotations__`, and, for a class, the members the contract names on it (a
// class's version tag does not change when a method's defaults or a list attribute change in place).
// False when one of them cannot be watched: the verdict must not be remembered.
bool watch_importer_namespace(VerdictBasis& basis, PyObject* globals, const Contract& contract, const std::vector<std::string>& names) {
  if (!watch_names(basis, globals, true, names) || !watch_identity(basis, globals, true, "__annotations__")) return false;
  for (const std::string& name : names) {
    PyObject* value = PyDict_GetItemString(globals, name.c_str());  // borrowed
    if (value && PyType_Check(value) && !watch_class_members(basis, value, referenced_class_members(contract, name))) return false;
  }
  return true;
}

// A class the importer defines below its import line is known only from source; when its bases are
// already importable (a base class the protected module defined before calling Spy, say), complete it
// with their live method resolution order and inherited members (the classes in `names` only).
// `basis` (when there is one) records each live object the completion read; reset when one cannot be watched.
void complete_static_classes(ModuleFacts& facts, const ModuleFacts& live, nb::handle globals, const std::vector<std::string>& names,
                             const Contract& contract, std::optional<VerdictBasis>& basis) {
  nb::dict modules = loaded_modules();
  const auto watch = [&](PyObject* space, bool own, const std::string& name) {
    if (basis && !watch_names(*basis, space, own, {name})) basis.reset();
  };
  for (auto& cls : facts.classes) {
    if (live.find_class(cls.name) || std::find(names.begin(), names.end(), cls.name) == names.end()) continue;
    std::vector<SuperclassFact> resolved;
    ClassFact inherited_from;
    for (const auto& base : cls.superclasses) {
      if (base.name == "object") continue;
      nb::object found;
      PyObject* by_name = PyDict_GetItemString(globals.ptr(), base.name.c_str());
      watch(globals.ptr(), true, base.name);
      if (by_name && PyType_Check(by_name)) found = nb::borrow(by_name);
      if (!found.is_valid() && !base.qualified.empty()) {
        const size_t dot = base.qualified.rfind('.');
        const std::string module = base.qualified.substr(0, dot);
        if (dot != std::string::npos) watch(modules.ptr(), false, module);
        if (dot != std::string::npos && modules.contains(module.c_str())) {
          nb::object owner = modules[module.c_str()];
          if (PyModule_CheckExact(owner.ptr())) {
            watch(PyModule_GetDict(owner.ptr()), false, base.qualified.substr(dot + 1));
          } else {
            basis.reset();  // its attributes may be computed
          }
          nb::object candidate = nb::getattr(owner, base.qualified.substr(dot + 1).c_str(), nb::none());
          if (PyType_Check(candidate.ptr())) found = candidate;
        }
      }
      if (!found.is_valid()) {
        resolved.push_back(base);
        continue;
      }
      // Inherited members are read from the live base: watched as the importer's own classes are.
      if (basis && !watch_class_members(*basis, found.ptr(), referenced_class_members(contract, cls.name))) basis.reset();
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

// The line the module whose namespace is `globals` is running at module level (the nearest frame of
// its module code, above functions it called); INT_MAX when no such frame runs: the module has run to
// its end (an import in a function called later).
int module_running_line(PyObject* globals) {
  nb::object frame = nb::borrow(reinterpret_cast<PyObject*>(PyEval_GetFrame()));
  for (int depth = 0; frame.is_valid() && !frame.is_none() && depth < 64; ++depth) {
    PyFrameObject* f = reinterpret_cast<PyFrameObject*>(frame.ptr());
    if (frame_globals(frame).ptr() == globals) {
      nb::object code = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetCode(f)));
      PyObject* code_name = bindings::code_name(code.ptr());
      if (code_name && PyUnicode_Check(code_name) && PyUnicode_CompareWithASCIIString(code_name, "<module>") == 0) return PyFrame_GetLineNumber(f);
    }
    frame = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetBack(f)));
  }
  return std::numeric_limits<int>::max();
}

// What a module mid-import is, as far as `contract` reads it: for each name the contract reads, what
// exists live when the source binds it above the line running now (a definition that did not run is
// gone), its source (it is never executed a second time) when it binds it below; without a file (`-c`,
// a REPL): what exists live.
// `basis` (when there is one) is given what the facts rest on (verdict_cache.hpp); reset when it cannot be.
ModuleFacts importer_facts(nb::handle globals, const std::string& name, const std::string& filename, bool has_file, const Contract& contract,
                           std::optional<VerdictBasis>& basis) {
  const std::vector<std::string> names = referenced_module_names(contract);
  if (basis && !watch_importer_namespace(*basis, globals.ptr(), contract, names)) basis.reset();
  if (basis && has_file) {
    basis->source = filename;
    basis->source_stamp = file_stamp(basis->source);
  }
  ModuleFacts live = extract_live_names(globals, name, filename, names);
  if (!has_file) return live;
  // The file's SHA-256 only when a rule reads it (an integrity pin): a cold check has no other use for it.
  const bool hashes = needs_hashes(contract);
  const ExtractOptions options{.structure_hashes = hashes, .file_sha256 = hashes, .per_user_store = true};
  ModuleFacts facts = merge_importer_facts(*cached_static_facts(filename, name, options), live, module_running_line(globals.ptr()), names);
  complete_static_classes(facts, live, globals, names, contract, basis);
  return facts;
}

// A verdict's basis, begun before the contract and the facts it rests on are read; nullopt when the
// contract's verdicts cannot be remembered, or its file's stamp cannot be read.
std::optional<VerdictBasis> begin_basis(const fs::path& contract_path) {
  std::optional<VerdictBasis> basis(std::in_place);
  basis->checked_at = std::chrono::system_clock::now();
  basis->contract_path = contract_path;
  const auto stamp = file_stamp(contract_path);
  if (!stamp || !stamp_is_trustworthy(*stamp, basis->checked_at)) return std::nullopt;
  basis->contract_stamp = *stamp;
  return basis;
}

// Remembers a compliant verdict (the contract is known only now: its rules decide whether it can be).
void remember_verdict(std::optional<VerdictBasis>& basis, const std::shared_ptr<const Contract>& contract, std::string importer_file,
                      std::string importer_name) {
  if (!basis || !verdict_can_be_remembered(*contract)) return;
  if (basis->source_stamp && !stamp_is_trustworthy(*basis->source_stamp, basis->checked_at)) return;
  basis->contract = contract;
  verdict_cache().remember(std::move(importer_file), std::move(importer_name), std::move(*basis));
}

Report check_importer(const Contract& contract, const ModuleFacts& facts) {
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(contract));
  const auto context = import_context(contract);
  nb::gil_scoped_release released;  // checking touches no Python object
  return check_module(contract, environment, facts, context);
}

std::string text_in(PyObject* globals, const char* key) {
  PyObject* value = PyDict_Check(globals) ? PyDict_GetItemString(globals, key) : nullptr;  // borrowed
  return value && PyUnicode_Check(value) ? utf8(nb::handle(value)) : std::string();
}

// ---- Every importer, not only the first (docs/python-api.md, "Every importer is checked") ----
//
// Once a protected module is in sys.modules, importing it again runs none of its code: Spy is not called.
// So Spy also puts a small function in front of builtins.__import__, which every import statement calls.
// For an import statement that names a protected module (`import p`, `from p import x`, `from pkg import
// p`, the relative forms, or a parent package seen re-exporting it), it checks the module running the
// statement, once per module while its file is unchanged. Any other import only pays a comparison of
// names; imports that are not import statements (importlib.import_module, pickle, __import__ called by a
// function) are left alone.

struct ProtectedModule {
  std::string name;                // absolute dotted name
  std::vector<std::string> names;  // the names whose import gives it: its own, and parent packages seen re-exporting it
  fs::path contract;               // absolute
  nb::object module;               // a weak reference to the module object that called Spy
  nb::object key;                  // `name` as an interned str: its lookup in sys.modules allocates nothing
};

struct ValidatedImporter {
  nb::object globals;  // held, so that no other module gets its address while it is remembered
  nb::object spec;     // its `__spec__` when it was validated: executing it again (a reload) gives it a new one
};

// The GIL guards these. Never destroyed: they hold Python objects, which must not be released after the
// interpreter finalized.
auto& g_protected = *new std::vector<ProtectedModule>();
auto& g_validated = *new std::map<std::pair<const PyObject*, std::size_t>, ValidatedImporter>();
PyObject* g_previous_import = nullptr;     // builtins.__import__ before ours: every import goes on through it
// The opcode of an import statement (opcode.opmap["IMPORT_NAME"]).
int import_name_opcode() {
#ifdef Py_LIMITED_API
  static GilSafeOnce<int> once;  // it imports (gil_once.hpp)
  return once.get([] { return nb::cast<int>(nb::module_::import_("opcode").attr("opmap")["IMPORT_NAME"]); });
#else
  return IMPORT_NAME;
#endif
}

std::optional<FileStamp> stamp_of(const std::string& filename) { return filename.empty() ? std::nullopt : file_stamp(filename); }

// sys.modules, borrowed, without a lookup by name.
PyObject* modules_dict() { return PyImport_GetModuleDict(); }

PyObject* spec_in(PyObject* globals) { return PyDict_GetItem(globals, key_spec()); }  // borrowed, or nullptr

// True when the module whose namespace is `globals` was validated against protected module `index` and has
// not been executed again since.
bool already_validated(PyObject* globals, std::size_t index) {
  auto it = g_validated.find({globals, index});
  return it != g_validated.end() && it->second.spec.ptr() == spec_in(globals);
}

void remember(PyObject* globals, std::size_t index) {
  if (already_validated(globals, index)) return;
  PyObject* spec = spec_in(globals);
  g_validated[{globals, index}] = ValidatedImporter{nb::borrow(globals), spec ? nb::borrow(spec) : nb::object()};
}

// True when importing `base` with `fromlist` gives the module `name`: `import name`, `from name import x`,
// or `from parent import tail`.
bool gives(std::string_view base, PyObject* fromlist, std::string_view name) {
  if (base == name) return true;
  if (name.size() <= base.size() + 1 || !name.starts_with(base) || name[base.size()] != '.') return false;
  const std::string_view tail = name.substr(base.size() + 1);
  if (tail.find('.') != std::string_view::npos || !fromlist || !PyTuple_Check(fromlist)) return false;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(fromlist); ++i) {
    if (view(PyTuple_GET_ITEM(fromlist, i)) == tail) return true;
  }
  return false;
}

// The package a relative import of `level` starts from, as importlib resolves it; empty when unknown.
std::string package_for(PyObject* globals, long level) {
  std::string package = text_in(globals, "__package__");
  if (package.empty()) {
    package = text_in(globals, "__name__");
    if (!PyDict_GetItemString(globals, "__path__")) package = package.substr(0, package.rfind('.') == std::string::npos ? 0 : package.rfind('.'));
  }
  for (long up = 1; up < level && !package.empty(); ++up) package = package.substr(0, package.rfind('.') == std::string::npos ? 0 : package.rfind('.'));
  return package;
}

// The protected module an import gives, if any.
std::optional<std::size_t> protected_by(PyObject* name, PyObject* globals, PyObject* fromlist, long level) {
  std::string resolved;
  std::string_view base = view(name);
  if (level > 0) {
    if (!globals || !PyDict_Check(globals)) return std::nullopt;
    resolved = package_for(globals, level);
    if (resolved.empty()) return std::nullopt;
    if (!base.empty()) resolved += "." + std::string(base);
    base = resolved;
  }
  if (base.empty()) return std::nullopt;
  for (std::size_t i = 0; i < g_protected.size(); ++i) {
    for (const auto& protected_name : g_protected[i].names) {
      if (gives(base, fromlist, protected_name)) return i;
    }
  }
  return std::nullopt;
}

// The opcode a frame is executing (-1 when it cannot be told).
int current_opcode(PyFrameObject* frame) {
  nb::object code = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetCode(frame)));
#if PY_VERSION_HEX >= 0x030B0000 || defined(Py_LIMITED_API)
  const int offset = PyFrame_GetLasti(frame);
  nb::object bytes = nb::steal(PyCode_GetCode(reinterpret_cast<PyCodeObject*>(code.ptr())));
#else
  const int offset = frame->f_lasti * 2;
  nb::object bytes = nb::borrow(reinterpret_cast<PyCodeObject*>(code.ptr())->co_code);
#endif
  if (!bytes.is_valid() || !PyBytes_Check(bytes.ptr()) || offset < 0 || offset >= PyBytes_GET_SIZE(bytes.ptr())) {
    PyErr_Clear();
    return -1;
  }
  return static_cast<unsigned char>(PyBytes_AS_STRING(bytes.ptr())[offset]);
}

// True when the module whose namespace is `globals` is running an import statement right now (the nearest
// frame of that module, above any import wrappers of other tools).
bool running_an_import_statement(PyObject* globals) {
  nb::object frame = nb::borrow(reinterpret_cast<PyObject*>(PyEval_GetFrame()));
  for (int depth = 0; frame.is_valid() && !frame.is_none() && depth < 16; ++depth) {
    if (frame_globals(frame).ptr() == globals) return current_opcode(reinterpret_cast<PyFrameObject*>(frame.ptr())) == import_name_opcode();
    frame = nb::steal(reinterpret_cast<PyObject*>(PyFrame_GetBack(reinterpret_cast<PyFrameObject*>(frame.ptr()))));
  }
  return false;
}

// The checks of one import, after it succeeded. Raises ContractViolation for an importer that breaks the
// contract.
void check_import(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject* arguments[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};  // name, globals, locals, fromlist, level
  for (Py_ssize_t i = 0; i < nargs && i < 5; ++i) arguments[i] = args[i];
  if (kwnames) {
    static const char* const keys[5] = {"name", "globals", "locals", "fromlist", "level"};
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); ++i) {
      const std::string_view key = view(PyTuple_GET_ITEM(kwnames, i));
      for (int k = 0; k < 5; ++k) {
        if (key == keys[k]) arguments[k] = args[nargs + i];
      }
    }
  }
  PyObject* name = arguments[0];
  PyObject* globals = arguments[1];
  if (!name || !PyUnicode_Check(name) || !globals || !PyDict_Check(globals)) return;
  const long level = arguments[4] && PyLong_Check(arguments[4]) ? PyLong_AsLong(arguments[4]) : 0;
  const auto index = protected_by(name, globals, arguments[3] == Py_None ? nullptr : arguments[3], level);
  if (!index) return;

  const ProtectedModule& target = g_protected[*index];
  // Only while the module in sys.modules is the one that called Spy (not a stand-in put there since).
  PyObject* current = PyDict_GetItem(modules_dict(), target.key.ptr());  // borrowed
  if (!current || !PyWeakref_CheckRef(target.module.ptr()) || PyWeakref_GetObject(target.module.ptr()) != current) return;
  if (already_validated(globals, *index)) return;  // the repeat importer: a lookup and two comparisons
  const std::string importer = text_in(globals, "__name__");
  const std::string filename = text_in(globals, "__file__");
  if (importer == target.name || is_parent_package(importer, target.name) || (!filename.empty() && inside_this_package(filename))) return;
  if (!running_an_import_statement(globals)) return;
  const std::size_t validated_index = *index;
  if (verdict_cache().find(target.contract.native(), filename, importer, globals)) {
    remember(globals, validated_index);  // a new importer whose verdict is known (verdict_cache.hpp)
    return;
  }

  const fs::path contract_path = target.contract;
  const std::string protected_name = target.name;
  std::optional<VerdictBasis> basis = begin_basis(contract_path);
  std::shared_ptr<const Contract> contract = default_contract_cache().load(contract_path, {}, compiled_contract_store());
  const bool has_file = stamp_of(filename).has_value();  // one stat(): false for no regular file
  const Report report = check_importer(*contract, importer_facts(nb::handle(globals), importer, filename, has_file, *contract, basis));
  log_debug("importer " + (importer.empty() ? filename : importer) + " of " + protected_name + ": " +
            (report.ok() ? "compliant" : std::to_string(report.violations.size()) + " violation(s)"));
  if (!report.ok()) raise_contract_violation(report);
  remember_verdict(basis, contract, filename, importer);
  remember(globals, validated_index);
}

PyObject* import_with_checks(PyObject*, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  PyObject* module = PyObject_Vectorcall(g_previous_import, args, nargsf, kwnames);
  if (!module) return nullptr;
  try {
    check_import(args, PyVectorcall_NARGS(nargsf), kwnames);
    return module;
  } catch (nb::python_error& error) {
    error.restore();
  } catch (const std::exception& error) {
    if (!set_python_error(std::current_exception())) PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  Py_DECREF(module);
  return nullptr;
}

PyObject* import_entry(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  return import_with_checks(self, args, static_cast<size_t>(nargs), kwnames);
}

PyMethodDef g_import_definition = {"__import__", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(import_entry)),
                                   METH_FASTCALL | METH_KEYWORDS,
                                   "__import__(name, globals=None, locals=None, fromlist=(), level=0)\n\nThe import function, "
                                   "with ImportSpy's check of the modules that import a protected module (embedded mode)."};

// Registers the protected module `name` (and the packages that re-export it) with its contract, and puts
// the check in front of builtins.__import__ the first time.
std::size_t protect(const std::string& name, const std::string& reexported_by, const fs::path& contract) {
  auto it = std::find_if(g_protected.begin(), g_protected.end(), [&](const ProtectedModule& p) { return p.name == name; });
  if (it == g_protected.end()) {
    nb::object key = nb::steal(interned(name.c_str()));
    if (!key.is_valid()) throw nb::python_error();
    it = g_protected.insert(g_protected.end(), ProtectedModule{name, {name}, contract, nb::none(), key});
  }
  it->contract = contract;
  // The module object running Spy is in sys.modules already (importlib puts it there before executing it).
  if (PyObject* module = PyDict_GetItem(modules_dict(), it->key.ptr())) {
    it->module = nb::steal(PyWeakref_NewRef(module, nullptr));
    if (!it->module.is_valid()) {
      PyErr_Clear();
      it->module = nb::none();
    }
  }
  if (!reexported_by.empty() && std::find(it->names.begin(), it->names.end(), reexported_by) == it->names.end()) it->names.push_back(reexported_by);
  if (!g_previous_import) {
    nb::module_ builtins = nb::module_::import_("builtins");
    nb::object previous = builtins.attr("__import__");
    nb::object function = nb::steal(PyCFunction_NewEx(&g_import_definition, nullptr, nullptr));
    if (!function.is_valid()) throw nb::python_error();
    builtins.attr("__import__") = function;
    g_previous_import = previous.release().ptr();
  }
  return static_cast<std::size_t>(it - g_protected.begin());
}

// The index of protected module `name` when protect() would change nothing about it: the same contract,
// the module object in sys.modules the one remembered, `reexported_by` (if any) known.
std::optional<std::size_t> protected_as_is(std::string_view name, std::string_view reexported_by, std::string_view contract) {
  for (std::size_t i = 0; i < g_protected.size(); ++i) {
    const ProtectedModule& p = g_protected[i];
    if (p.name != name) continue;
    if (p.contract.native() != contract) return std::nullopt;
    PyObject* module = PyDict_GetItem(modules_dict(), p.key.ptr());
    if (!module || !PyWeakref_CheckRef(p.module.ptr()) || PyWeakref_GetObject(p.module.ptr()) != module) return std::nullopt;
    if (!reexported_by.empty() && std::find(p.names.begin(), p.names.end(), reexported_by) == p.names.end()) return std::nullopt;
    return i;
  }
  return std::nullopt;
}

// The absolute path of the contract `written` names, resolved as resolve_contract_path() does, into `out`
// (kept between calls: no allocation once grown), and into `stamp` its stamp when finding it read it.
// False where that takes the file system library (Windows): verdicts are then not remembered.
bool contract_key(std::string_view written, std::string_view protected_file, std::string& out, std::optional<FileStamp>* stamp = nullptr) {
#ifdef _WIN32
  return false;
#else
  const auto absolute = [&out] {
    if (out.starts_with('/')) return true;
    char folder[4096];
    if (!::getcwd(folder, sizeof folder)) return false;
    out.insert(0, "/").insert(0, folder);
    return true;
  };
  if (written.empty()) return false;
  out.assign(written);
  if (written.starts_with('/')) return true;
  if (!protected_file.empty()) {
    const std::size_t slash = protected_file.rfind('/');
    if (slash != std::string_view::npos) out.insert(0, protected_file.substr(0, slash + 1));
    if (std::optional<FileStamp> found = file_stamp(out.c_str())) {  // a regular file: what the cache compares
      if (stamp) *stamp = found;
      return absolute();
    }
    struct stat info {};
    if (::stat(out.c_str(), &info) == 0) return absolute();  // exists, but not a regular file
    out.assign(written);
  }
  return absolute();
#endif
}

// The warm path of validate_importer(): a verdict still valid for the importer (verdict_cache.hpp) answers
// without facts, allocation or a new Python object. nullopt: check in full.
std::optional<nb::object> validate_warm(std::string_view written, std::string_view protected_file, std::string_view protected_name,
                                        std::string_view reexported_by, const std::optional<Frame>& importer, nb::handle info_module) {
  static std::string key;  // the contract's absolute path; reused (the GIL guards it)
  std::optional<FileStamp> stamp;
  if (!contract_key(written, protected_file, key, &stamp)) return std::nullopt;
  if (!info_module.is_none()) {
    if (!PyModule_Check(info_module.ptr())) return std::nullopt;
    PyObject* globals = PyModule_GetDict(info_module.ptr());  // borrowed
    static PyObject* const file_key = interned("__file__");
    if (!verdict_cache().find(key, view(PyDict_GetItem(globals, file_key)), name_in(globals), globals, stamp)) return std::nullopt;
    return nb::borrow(info_module);
  }
  if (!importer) return std::nullopt;  // only the environment is checked: not remembered
  nb::object globals = frame_globals(importer->frame);
  if (!PyDict_Check(globals.ptr()) || !verdict_cache().find(key, importer->filename, name_in(globals.ptr()), globals.ptr(), stamp)) return std::nullopt;
  if (!protected_name.empty() && protected_name != "__main__") {
    std::optional<std::size_t> index = protected_as_is(protected_name, reexported_by, key);
    if (!index) index = protect(std::string(protected_name), std::string(reexported_by), fs::path(key));
    remember(globals.ptr(), *index);
  }
  PyObject* name = PyDict_GetItem(globals.ptr(), key_name());
  PyObject* module = name && PyUnicode_Check(name) ? PyDict_GetItem(modules_dict(), name) : nullptr;
  return module ? nb::borrow(module) : nb::none();
}

}  // namespace

fs::path resolve_contract_path(const std::string& written, const std::string& naming_file) {
  const fs::path path(written);
  if (path.is_absolute()) return path;
  std::error_code ec;
  const fs::path beside = fs::path(naming_file).parent_path() / path;
  if (!naming_file.empty() && fs::exists(beside, ec)) return beside;
  return fs::current_path() / path;  // ImportSpy's behaviour, and the place the error will name
}

void forget_validated_importers() {
  g_validated.clear();
  verdict_cache().clear();
}

nb::object validate_importer(nb::handle filepath, nb::handle info_module) {
  PyFrameObject* current = PyEval_GetFrame();
  if (!current) throw std::runtime_error("Spy().importspy() must be called from Python code");
  Frame frame{nb::borrow(reinterpret_cast<PyObject*>(current)), code_filename(nb::handle(reinterpret_cast<PyObject*>(current)))};
  std::optional<Frame> protected_frame = frame;
  while (protected_frame && inside_this_package(protected_frame->filename)) protected_frame = back(*protected_frame);
  const std::string_view protected_file = protected_frame ? protected_frame->filename : std::string_view();

  // The importer: the nearest frame outside the protected module, importlib's machinery and this package.
  std::string_view protected_name, reexported_by;  // reexported_by: the outermost parent package the import came through
  std::optional<Frame> importer;
  if (info_module.is_none() && protected_frame) {
    protected_name = module_name_of_frame(*protected_frame);
    importer = back(*protected_frame);
    while (importer && (importer->filename == protected_file || inside_import_machinery(importer->filename) || inside_this_package(importer->filename) ||
                        is_parent_package(module_name_of_frame(*importer), protected_name))) {
      if (const std::string_view name = module_name_of_frame(*importer); is_parent_package(name, protected_name)) reexported_by = name;
      importer = back(*importer);
    }
  }

  nb::object path_text = nb::steal(PyOS_FSPath(filepath.ptr()));
  if (!path_text.is_valid()) throw nb::python_error();
  const std::string_view written = PyBytes_Check(path_text.ptr())
                                       ? std::string_view(PyBytes_AS_STRING(path_text.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(path_text.ptr())))
                                       : view(path_text.ptr());
  if (std::optional<nb::object> known = validate_warm(written, protected_file, protected_name, reexported_by, importer, info_module)) return *known;

  // The cold path: the contract compiled (or served by its cache), the importer's facts read and checked.
  const std::string protected_path(protected_file);
  const fs::path contract_path = resolve_contract_path(text_of(filepath), protected_path);
  std::string key;
  const bool keyed = contract_key(written, protected_file, key);
  std::optional<VerdictBasis> basis = keyed ? begin_basis(fs::path(key)) : std::nullopt;
  std::shared_ptr<const Contract> contract = default_contract_cache().load(contract_path, {}, compiled_contract_store());
  log_debug("contract " + contract_path.string() + " loaded for " + protected_path);

  nb::object result = nb::none();
  ModuleFacts facts;
  bool have_module = false;
  nb::object importer_globals;        // the importer found, validated below
  std::string importer_file, importer_name;
  std::optional<std::size_t> protected_index;
  if (!info_module.is_none()) {
    facts = runtime_facts(info_module, {needs_hashes(*contract)});
    result = nb::borrow(info_module);
    have_module = true;
    importer_globals = nb::getattr(info_module, "__dict__", nb::none());
    if (basis && PyModule_Check(info_module.ptr()) && PyDict_Check(importer_globals.ptr())) {
      importer_file = text_in(importer_globals.ptr(), "__file__");
      importer_name = text_in(importer_globals.ptr(), "__name__");
      std::error_code ec;
      if (!importer_file.empty() && fs::path(importer_file).extension() == ".py" && fs::is_regular_file(importer_file, ec)) {
        basis->source = importer_file;
        basis->source_stamp = file_stamp(basis->source);
      }
      if (!watch_importer_namespace(*basis, importer_globals.ptr(), *contract, referenced_module_names(*contract))) basis.reset();
    } else {
      basis.reset();
    }
    importer_globals = nb::object();  // not remembered as a validated importer
  } else {
    if (importer) {
      importer_globals = frame_globals(importer->frame);
      importer_file = std::string(importer->filename);
      importer_name = std::string(name_in(importer_globals.ptr()));
      log_debug("importer of " + protected_path + ": " + (importer_name.empty() ? importer_file : importer_name) + " (" + importer_file + ")");
      std::error_code ec;
      facts = importer_facts(importer_globals, importer_name, importer_file, fs::is_regular_file(importer_file, ec), *contract, basis);
      have_module = true;
      if (PyObject* module = importer_name.empty() ? nullptr : PyDict_GetItemString(modules_dict(), importer_name.c_str())) result = nb::borrow(module);
    } else {
      log_debug("no importer of " + protected_path + " (run as a script?): only the environment is checked");
    }
    // Later importers are checked by the import statements that name it (protect()).
    if (!protected_name.empty() && protected_name != "__main__") {
      protected_index = protect(std::string(protected_name), std::string(reexported_by), keyed ? fs::path(key) : fs::absolute(contract_path));
    }
  }

  Report report;
  if (have_module) {
    report = check_importer(*contract, facts);
  } else {
    const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
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
  if (have_module) remember_verdict(basis, contract, importer_file, importer_name);
  if (protected_index && importer_globals.is_valid()) remember(importer_globals.ptr(), *protected_index);
  return result;
}

}  // namespace importspy::bindings
