#include "extract/targets.hpp"
#include <nanobind/stl/string.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "interop/errors.hpp"
#include "interop/handles.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/facts/merge.hpp"
#include "importspy/facts/module_file.hpp"
#include "interop/python_values.hpp"
#include "extract/runtime_extractor.hpp"
#include "extract/source_facts_cache.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;

bool g_logging = false;
int g_command_line = 0;  // CommandLineSearch objects alive: module targets are looked up from the working directory first

std::string fspath(nb::handle path) {
  PyObject* text = PyOS_FSPath(path.ptr());
  if (!text) throw nb::python_error();
  nb::object owned = nb::steal(text);
  if (PyBytes_Check(text)) return std::string(PyBytes_AS_STRING(text), static_cast<size_t>(PyBytes_GET_SIZE(text)));
  // os.fsencode: the bytes of the name, also those Python holds as surrogates (a name that is not UTF-8).
  nb::object bytes = nb::steal(PyUnicode_EncodeFSDefault(text));
  if (!bytes.is_valid()) throw nb::python_error();
  return std::string(PyBytes_AS_STRING(bytes.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(bytes.ptr())));
}

bool looks_like_path(const std::string& text) {
  return text.ends_with(".py") || text.find('/') != std::string::npos || text.find('\\') != std::string::npos;
}

// `pkg.sub.mod` on sys.path, without importing anything: pkg/sub/mod.py or pkg/sub/mod/__init__.py.
std::optional<fs::path> locate_source(const std::string& dotted) { return locate_module_file(dotted, module_search_path()); }

// The file and line of the innermost frame of a traceback outside this package: where an import
// actually raised (an embedded Spy check raises from our facade, called on the user's line).
std::pair<std::string, int> raise_site(const nb::python_error& error, const std::string& fallback_file) {
  nb::object package = nb::borrow(PyDict_GetItemString(PySys_GetObject("modules"), "importspy"));
  const std::string own_folder =
      package.is_valid() ? fs::path(utf8(nb::getattr(package, "__file__", nb::str("")))).parent_path().string() : std::string();
  nb::handle tb = error.traceback();
  std::pair<std::string, int> site{fallback_file, 0};
  while (tb.is_valid() && !tb.is_none()) {
    nb::object frame = nb::getattr(tb, "tb_frame");
    const std::string file = utf8(frame.attr("f_code").attr("co_filename"));
    if (own_folder.empty() || !file.starts_with(own_folder)) site = {file, nb::cast<int>(nb::getattr(tb, "tb_lineno"))};
    tb = nb::getattr(tb, "tb_next");
  }
  return site;
}

[[noreturn]] void raise_import_failure(const nb::python_error& error, const std::string& what, const std::string& file) {
  const auto [where, line] = raise_site(error, file);
  const std::string type = utf8(nb::handle(error.type()).attr("__name__"));
  const std::string text = utf8(nb::str(error.value()));
  throw SourceError(where, line, 0, "importing " + what + " raised " + type + (text.empty() ? "" : ": " + text));
}

std::string module_name_for(const fs::path& file) {
  return file.filename() == "__init__.py" ? file.parent_path().filename().string() : file.stem().string();
}

bool same_file(nb::handle module, const std::string& absolute) {
  nb::object file = nb::getattr(module, "__file__", nb::none());
  return PyUnicode_Check(file.ptr()) && fs::absolute(fs::path(fspath(file))).lexically_normal().string() == absolute;
}

// Where a file inside a regular package is imported from: the folder above its outermost package, and
// its dotted name there (`root/pkg/sub/mod.py` -> `pkg.sub.mod`). Nothing for a file whose folder is no
// package, or with a part that is not an identifier.
std::optional<std::pair<fs::path, std::string>> package_place(const fs::path& absolute) {
  fs::path root = absolute.parent_path();
  const std::string package = package_name_of(root);
  if (package.empty()) return std::nullopt;
  const std::string dotted = absolute.filename() == "__init__.py" ? package : package + "." + absolute.stem().string();
  for (std::size_t start = 0; start <= dotted.size();) {
    const std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    if (!nb::cast<bool>(python_text(dotted.substr(start, dot - start)).attr("isidentifier")())) return std::nullopt;
    start = dot + 1;
  }
  for (std::size_t levels = std::count(package.begin(), package.end(), '.') + 1; levels > 0; --levels) root = root.parent_path();
  return std::pair{root, dotted};
}

// `folder` first on sys.path while an import runs, and out again after it (unless the import moved it).
class FirstOnSysPath {
public:
  explicit FirstOnSysPath(const fs::path& folder) : path_(nb::borrow<nb::list>(PySys_GetObject("path"))), entry_(python_path(folder.string())) {
    path_.insert(0, entry_);
  }
  FirstOnSysPath(const FirstOnSysPath&) = delete;
  FirstOnSysPath& operator=(const FirstOnSysPath&) = delete;
  ~FirstOnSysPath() {
    // Runs while an import's exception unwinds too: nothing here may throw.
    if (PyList_GET_SIZE(path_.ptr()) > 0 && PyObject_RichCompareBool(PyList_GET_ITEM(path_.ptr(), 0), entry_.ptr(), Py_EQ) == 1) {
      PySequence_DelItem(path_.ptr(), 0);
    }
    PyErr_Clear();
  }

private:
  nb::list path_;
  nb::str entry_;
};

// A file inside a package, imported as Python would import it from its source root: by its dotted name,
// so that its absolute imports of the package and its relative imports resolve. Nothing when that name
// would give another file (a package of the same name already imported from elsewhere): the caller then
// loads the file on its own.
std::optional<nb::object> import_in_package(const fs::path& file, const std::string& absolute) {
  const auto place = package_place(absolute);
  if (!place) return std::nullopt;
  const auto& [root, dotted] = *place;
  nb::dict modules = nb::borrow<nb::dict>(PySys_GetObject("modules"));
  if (nb::str key = python_text(dotted); modules.contains(key)) {
    if (same_file(modules[key], absolute)) return nb::object(modules[key]);
    return std::nullopt;
  }
  const std::string top = dotted.substr(0, dotted.find('.'));
  if (nb::str key = python_text(top); modules.contains(key)) {
    // The package is imported already: only when it is this one (its __init__.py in the same root).
    if (!same_file(modules[key], (root / top / "__init__.py").lexically_normal().string())) return std::nullopt;
  }
  const FirstOnSysPath first(root);
  try {
    nb::object module = nb::module_::import_("importlib").attr("import_module")(python_text(dotted));
    if (!same_file(module, absolute)) return std::nullopt;
    return module;
  } catch (nb::python_error& error) {
    raise_import_failure(error, "`" + file.string() + "`", absolute);
  }
}

nb::object import_path(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw SourceError(file.string(), 0, 0, fs::exists(file, ec) ? "this is not a regular file" : "the file does not exist");
  }
  nb::module_ sys = nb::module_::import_("sys");
  nb::module_ util = nb::module_::import_("importlib.util");
  const std::string absolute = fs::absolute(file).lexically_normal().string();
  if (auto module = import_in_package(file, absolute)) return *module;
  std::string name = module_name_for(file);
  nb::dict modules = nb::borrow<nb::dict>(sys.attr("modules"));
  if (nb::str key = python_path(name); modules.contains(key)) {
    nb::object existing = modules[key];
    if (same_file(existing, absolute)) return existing;
    name = "importspy_target_" + name;  // another module owns the name: do not replace it
  }
  nb::object spec = util.attr("spec_from_file_location")(python_path(name), python_path(absolute));
  if (spec.is_none()) throw SourceError(absolute, 0, 0, "Python cannot import this file (is it a .py source?)");
  nb::object module = util.attr("module_from_spec")(spec);
  const FirstOnSysPath first(fs::path(absolute).parent_path());
  const nb::str key = python_path(name);
  modules[key] = module;
  try {
    spec.attr("loader").attr("exec_module")(module);
  } catch (nb::python_error& error) {
    PyDict_DelItem(modules.ptr(), key.ptr());
    raise_import_failure(error, "`" + file.string() + "`", absolute);
  }
  // What an import statement gives: the module may have put another object in its place in sys.modules.
  if (PyObject* given = PyDict_GetItem(modules.ptr(), key.ptr())) return nb::borrow(given);
  return module;
}

nb::object import_dotted(const std::string& name) {
  std::optional<FirstOnSysPath> first;
  if (g_command_line > 0) first.emplace(fs::current_path());  // the command line's rule: the working directory first, for the import
  try {
    return nb::module_::import_("importlib").attr("import_module")(name);
  } catch (nb::python_error& error) {
    if (error.matches(PyExc_ModuleNotFoundError)) {
      throw SourceError(name, 0, 0, "no module named `" + name + "` can be imported: " + utf8(nb::str(error.value())));
    }
    raise_import_failure(error, "`" + name + "`", name);
  }
}

std::optional<fs::path> source_file_of(nb::handle module) {
  nb::object file = nb::getattr(module, "__file__", nb::none());
  if (!PyUnicode_Check(file.ptr())) return std::nullopt;
  fs::path path = utf8(file);
  std::error_code ec;
  if (path.extension() == ".py" && fs::is_regular_file(path, ec)) return path;
  return std::nullopt;
}

std::string module_name_of(nb::handle module) {
  nb::object name = nb::getattr(module, "__name__", nb::none());
  return PyUnicode_Check(name.ptr()) ? utf8(name) : std::string();
}

}  // namespace

std::vector<fs::path> module_search_path() {
  std::vector<fs::path> folders;
  std::error_code ec;
  if (g_command_line > 0) folders.push_back(fs::current_path(ec));
  PyObject* path = PySys_GetObject("path");  // borrowed
  if (!path || !PyList_Check(path)) return folders;
  for (nb::handle entry : nb::borrow<nb::list>(path)) {
    if (!PyUnicode_Check(entry.ptr())) continue;
    const std::string text = utf8(entry);
    folders.push_back(text.empty() ? fs::current_path(ec) : fs::path(text));
  }
  return folders;
}
std::vector<fs::path> project_search_path() {
  std::vector<fs::path> standard;
  nb::object paths = nb::module_::import_("sysconfig").attr("get_paths")();
  for (const char* key : {"stdlib", "platstdlib"}) {
    if (PyObject* folder = PyDict_GetItemString(paths.ptr(), key); folder && PyUnicode_Check(folder)) {
      standard.push_back(fs::path(fspath(folder)).lexically_normal());
    }
  }
  std::vector<fs::path> folders;
  for (const fs::path& folder : module_search_path()) {
    const fs::path normal = folder.lexically_normal();
    const bool in_standard = std::any_of(standard.begin(), standard.end(), [&](const fs::path& base) {
      const fs::path relative = normal.lexically_relative(base);
      return !relative.empty() && *relative.begin() != ".." && *relative.begin() != "site-packages" && *relative.begin() != "dist-packages";
    });
    if (!in_standard) folders.push_back(folder);
  }
  return folders;
}


CommandLineSearch::CommandLineSearch(bool program) {
  ++g_command_line;
  if (!program) return;
  nb::object flags = nb::borrow(PySys_GetObject("flags"));
  const bool safe_path = flags.is_valid() && nb::hasattr(flags, "safe_path") && nb::cast<bool>(flags.attr("safe_path"));
  PyObject* path = PySys_GetObject("path");
  if (safe_path || !path || !PyList_Check(path) || PyList_GET_SIZE(path) == 0) return;
  dropped_ = nb::borrow(PyList_GET_ITEM(path, 0));
  PySequence_DelItem(path, 0);
}

CommandLineSearch::~CommandLineSearch() {
  --g_command_line;
  PyObject* path = PySys_GetObject("path");
  if (dropped_.is_valid() && path && PyList_Check(path)) PyList_Insert(path, 0, dropped_.ptr());
}

Mode parse_mode(const std::string& text) {
  if (text == "static") return Mode::static_source;
  if (text == "runtime") return Mode::runtime;
  throw std::invalid_argument("mode must be \"static\" or \"runtime\", not \"" + text + "\"");
}

ModuleFacts runtime_facts(nb::handle module, const ExtractOptions& options) {
  ModuleFacts live = extract_live_module(module);
  auto source = source_file_of(module);
  if (!source) return live;
  return merge_runtime_facts(*cached_static_facts(*source, module_name_of(module), options), std::move(live));
}

ModuleFacts facts_for_target(nb::handle target, Mode mode, const ExtractOptions& options) {
  if (PyModule_Check(target.ptr())) {
    if (mode == Mode::runtime) return runtime_facts(target, options);
    auto source = source_file_of(target);
    if (!source) throw SourceError(module_name_of(target), 0, 0, "module `" + module_name_of(target) + "` has no Python source file to read");
    return *cached_static_facts(*source, module_name_of(target), options);
  }
  if (!PyUnicode_Check(target.ptr()) && !PyObject_HasAttrString(target.ptr(), "__fspath__")) {
    throw std::invalid_argument("the target must be a module, a path to a .py file, or a dotted module name");
  }
  const std::string text = fspath(target);
  std::error_code ec;
  const bool is_path = !PyUnicode_Check(target.ptr()) || looks_like_path(text) || fs::is_regular_file(text, ec);
  if (is_path) {
    const fs::path file(text);
    if (fs::is_directory(file, ec)) throw SourceError(text, 0, 0, "this is a directory; name a .py file or a dotted module name");
    if (mode == Mode::runtime) return runtime_facts(import_path(file), options);
    return *cached_static_facts(file, module_name_for(file), options);
  }
  if (mode == Mode::runtime) return runtime_facts(import_dotted(text), options);
  auto source = locate_source(text);
  if (!source) throw SourceError(text, 0, 0, "no Python source for module `" + text + "` was found on sys.path");
  return *cached_static_facts(*source, text, options);
}

std::shared_ptr<const Contract> contract_from(nb::handle contract) {
  if (nb::isinstance<ContractHandle>(contract)) return nb::cast<const ContractHandle&>(contract).contract;
  if (!PyUnicode_Check(contract.ptr()) && !PyObject_HasAttrString(contract.ptr(), "__fspath__")) {
    throw std::invalid_argument("the contract must be a path to a YAML file or a Contract from importspy.load_contract()");
  }
  return default_contract_cache().load(fspath(contract));
}

void enable_logging(nb::handle level) {
  nb::module_ logging = nb::module_::import_("logging");
  nb::object logger = logging.attr("getLogger")("importspy");
  nb::object numeric = nb::borrow(level);
  if (PyUnicode_Check(level.ptr())) {
    numeric = logging.attr("getLevelName")(nb::str(level).attr("upper")());
    if (!PyLong_Check(numeric.ptr())) throw std::invalid_argument("unknown log level \"" + utf8(level) + "\"; use DEBUG, INFO, WARNING or ERROR");
  }
  logger.attr("setLevel")(numeric);
  if (!nb::cast<bool>(logger.attr("hasHandlers")())) logging.attr("basicConfig")();
  g_logging = nb::cast<bool>(logger.attr("isEnabledFor")(logging.attr("DEBUG")));
}

void log_debug(const std::string& message) {
  if (!g_logging) return;
  nb::module_::import_("logging").attr("getLogger")("importspy").attr("debug")(message);
}

}  // namespace importspy::bindings
