#include "importing/verdict_cache.hpp"

#include <algorithm>
#include <functional>
#include <iterator>

#include "extract/dependencies.hpp"
#include "interop/limited_api.hpp"
#include "interop/python_values.hpp"

namespace importspy::bindings {
namespace {

// Values that cannot change in place: the same object is the same value.
bool is_constant(PyObject* value) {
  if (value == Py_None || PyBool_Check(value) || PyLong_CheckExact(value) || PyFloat_CheckExact(value) || PyComplex_CheckExact(value) ||
      PyUnicode_CheckExact(value) || PyBytes_CheckExact(value)) {
    return true;
  }
  if (!PyTuple_CheckExact(value)) return false;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(value); ++i) {
    if (!is_constant(PyTuple_GET_ITEM(value, i))) return false;
  }
  return true;
}

// A class's version tag (0: none valid). CPython clears it whenever the class or one of its bases is modified.
// The stable-ABI build cannot read it (the limited API has no tp_version_tag): 0, so a verdict that
// depends on a class is not kept there.
unsigned int version_tag([[maybe_unused]] PyTypeObject* type) {
#if defined(Py_LIMITED_API)
  return 0;
#else
#if PY_VERSION_HEX < 0x030C0000
  if (!(type->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG)) return 0;
#endif
  return type->tp_version_tag;
#endif
}

unsigned int assigned_version_tag(PyTypeObject* type) {
  if (unsigned int tag = version_tag(type)) return tag;
#if defined(Py_LIMITED_API)
#elif PY_VERSION_HEX >= 0x030C0000
  PyUnstable_Type_AssignVersionTag(type);
#else
  static PyObject* const name = PyUnicode_InternFromString("__init__");
  _PyType_Lookup(type, name);  // a method-cache lookup gives the class a tag
#endif
  return version_tag(type);
}

// What of a function a check reads and can be replaced without rebinding the function.
void function_parts(PyObject* function, const void* (&parts)[5]) {
  parts[0] = PyFunction_GetCode(function);
  parts[4] = PyFunction_GetModule(function);
  parts[1] = PyFunction_GetDefaults(function);
  parts[2] = PyFunction_GetKwDefaults(function);
  parts[3] = PyFunction_GetAnnotations(function);
}

// A builtin class (not a heap type) cannot be modified: nothing of it needs watching.
bool is_builtin_class(PyObject* cls) {
  return !(PyType_GetFlags(reinterpret_cast<PyTypeObject*>(cls)) & Py_TPFLAGS_HEAPTYPE);
}

// `namespace_[key]` (new reference), null with no error set when it is not there. `key` is an exact str:
// the lookup runs no code of the judged module.
PyObject* namespace_item(PyObject* namespace_, PyObject* key) {
  PyObject* found = PyObject_GetItem(namespace_, key);
  if (!found) PyErr_Clear();
  return found;
}

}  // namespace

#if defined(Py_LIMITED_API)
struct ClassState {
  struct Class {
    nb::object cls, name, qualified_name;
    Py_ssize_t size = 0;
    std::vector<std::pair<nb::object, nb::object>> items;  // the namespace: keys (exact str) and values
  };
  nb::object mro;
  std::vector<Class> classes;  // the heap classes of the method resolution order
};
#endif

namespace {

#if defined(Py_LIMITED_API)
// What CPython's version tag of `cls` stands for, read now; nullptr when it cannot be read whole.
std::shared_ptr<const ClassState> read_class_state(PyObject* cls) {
  auto state = std::make_shared<ClassState>();
  state->mro = method_resolution_order(cls);
  if (!state->mro.is_valid()) return nullptr;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(state->mro.ptr()); ++i) {
    PyObject* klass = PyTuple_GET_ITEM(state->mro.ptr(), i);
    if (!PyType_Check(klass)) return nullptr;
    if (is_builtin_class(klass)) continue;
    ClassState::Class entry;
    entry.cls = nb::borrow(klass);
    entry.name = nb::steal(PyType_GetName(reinterpret_cast<PyTypeObject*>(klass)));
    entry.qualified_name = nb::steal(PyType_GetQualName(reinterpret_cast<PyTypeObject*>(klass)));
    nb::object space = own_namespace_mapping(klass);
    nb::object items = space.is_valid() ? nb::steal(PyMapping_Items(space.ptr())) : nb::object();
    if (!entry.name.is_valid() || !entry.qualified_name.is_valid() || !items.is_valid() || !PyList_Check(items.ptr())) {
      PyErr_Clear();
      return nullptr;
    }
    entry.size = PyList_GET_SIZE(items.ptr());
    for (Py_ssize_t k = 0; k < entry.size; ++k) {
      PyObject* item = PyList_GET_ITEM(items.ptr(), k);
      PyObject* key = PyTuple_GET_ITEM(item, 0);
      if (!PyUnicode_CheckExact(key)) return nullptr;  // looking it up would run its own __eq__
      entry.items.emplace_back(nb::borrow(key), nb::borrow(PyTuple_GET_ITEM(item, 1)));
    }
    state->classes.push_back(std::move(entry));
  }
  return state;
}

// True when the class still is as `state` read it: the same method resolution order, and each of its
// heap classes with the same names and the same namespace entries.
bool class_state_holds(PyObject* cls, const ClassState& state) {
  if (method_resolution_order(cls).ptr() != state.mro.ptr()) return false;
  for (const ClassState::Class& entry : state.classes) {
    PyTypeObject* type = reinterpret_cast<PyTypeObject*>(entry.cls.ptr());
    if (nb::steal(PyType_GetName(type)).ptr() != entry.name.ptr() || nb::steal(PyType_GetQualName(type)).ptr() != entry.qualified_name.ptr()) {
      PyErr_Clear();
      return false;
    }
    nb::object space = own_namespace_mapping(entry.cls.ptr());
    if (!space.is_valid() || PyObject_Size(space.ptr()) != entry.size) {
      PyErr_Clear();
      return false;
    }
    for (const auto& [key, value] : entry.items) {
      PyObject* found = namespace_item(space.ptr(), key.ptr());
      Py_XDECREF(found);  // the namespace holds what it binds: only its identity is compared
      if (found != value.ptr()) return false;
    }
  }
  return true;
}
#endif

bool same_as(PyObject* value, const BoundValue& bound) {
  if (value != bound.value.ptr()) return false;
  if (!value) return true;
  if (PyFunction_Check(value)) {
    const void* parts[5];
    function_parts(value, parts);
    return std::equal(std::begin(parts), std::end(parts), std::begin(bound.parts));
  }
#if defined(Py_LIMITED_API)
  if (PyType_Check(value)) return bound.class_state && class_state_holds(value, *bound.class_state);
#else
  if (PyType_Check(value)) return version_tag(reinterpret_cast<PyTypeObject*>(value)) == bound.version;
#endif
  return true;
}

bool stamp_holds(const std::optional<FileStamp>& stamp, const std::optional<FileStamp>& expected, std::chrono::system_clock::time_point checked_at) {
  return stamp == expected && (!stamp || stamp_is_trustworthy(*stamp, checked_at));
}

bool stamp_holds(const std::filesystem::path& path, const std::optional<FileStamp>& expected, std::chrono::system_clock::time_point checked_at) {
  return stamp_holds(file_stamp(path.c_str()), expected, checked_at);
}

bool still_holds(const VerdictBasis& basis, PyObject* globals, const std::optional<FileStamp>& contract_stamp) {
  if (contract_stamp ? !stamp_holds(contract_stamp, basis.contract_stamp, basis.checked_at)
                     : !stamp_holds(basis.contract_path, basis.contract_stamp, basis.checked_at)) {
    return false;
  }
  if (!basis.source.empty() && !stamp_holds(basis.source, basis.source_stamp, basis.checked_at)) return false;
  for (const WatchedName& watched : basis.watched) {
    PyObject* space = watched.space.is_valid() ? watched.space.ptr() : globals;
    PyObject* value = PyDict_GetItemWithError(space, watched.key.ptr());  // borrowed; an interned key: no hashing
    if (!value && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    if (watched.identity_only ? value != watched.bound.value.ptr() : !same_as(value, watched.bound)) return false;
  }
  for (const BoundValue& member : basis.members) {
    if (!same_as(member.value.ptr(), member)) return false;
  }
  return true;
}

}  // namespace

bool describe_value(PyObject* value, BoundValue& bound) {
  bound = BoundValue{};
  if (!value) return true;
  bound.value = nb::borrow(value);
  if (is_constant(value) || PyModule_CheckExact(value)) return true;
  if (PyFunction_Check(value)) {
    function_parts(value, bound.parts);
    return true;
  }
  if (PyType_Check(value)) {
#if defined(Py_LIMITED_API)
    bound.class_state = read_class_state(value);
    return bound.class_state != nullptr;
#else
    bound.version = assigned_version_tag(reinterpret_cast<PyTypeObject*>(value));
    return bound.version != 0;
#endif
  }
  return false;
}

bool watch_names(VerdictBasis& basis, PyObject* space, bool own, const std::vector<std::string>& names) {
  if (!PyDict_Check(space)) return false;
  for (const std::string& name : names) {
    nb::object key = nb::steal(PyUnicode_InternFromString(name.c_str()));
    if (!key.is_valid()) throw nb::python_error();
    PyObject* value = PyDict_GetItemWithError(space, key.ptr());
    if (!value && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    WatchedName watched{own ? nb::object() : nb::borrow(space), key, {}};
    if (!describe_value(value, watched.bound)) return false;
    basis.watched.push_back(std::move(watched));
  }
  return true;
}

bool watch_identity(VerdictBasis& basis, PyObject* space, bool own, const char* name) {
  if (!PyDict_Check(space)) return false;
  nb::object key = nb::steal(PyUnicode_InternFromString(name));
  if (!key.is_valid()) throw nb::python_error();
  PyObject* value = PyDict_GetItemWithError(space, key.ptr());
  if (!value && PyErr_Occurred()) {
    PyErr_Clear();
    return false;
  }
  WatchedName watched{own ? nb::object() : nb::borrow(space), key, {}, true};
  if (value) watched.bound.value = nb::borrow(value);
  basis.watched.push_back(std::move(watched));
  return true;
}

bool watch_class_members(VerdictBasis& basis, PyObject* cls, const std::vector<std::string>& names) {
  if (!PyType_Check(cls)) return false;
  const nb::object mro = method_resolution_order(cls);
  if (!mro.is_valid()) return false;
  std::vector<nb::object> namespaces;  // of the heap classes of the method resolution order, in its order
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(mro.ptr()); ++i) {
    PyObject* klass = PyTuple_GET_ITEM(mro.ptr(), i);
    if (is_builtin_class(klass)) continue;  // immutable
    namespaces.push_back(own_namespace_mapping(klass));
    if (!namespaces.back().is_valid()) return false;
  }
  for (const std::string& name : names) {
    nb::object key = nb::steal(PyUnicode_InternFromString(name.c_str()));
    if (!key.is_valid()) throw nb::python_error();
    nb::object member;  // the first class of the method resolution order that binds it, as _PyType_Lookup finds it
    for (std::size_t i = 0; i < namespaces.size() && !member.is_valid(); ++i) member = nb::steal(namespace_item(namespaces[i].ptr(), key.ptr()));
    if (!member.is_valid()) continue;  // bound later: a change to the class, which its tag (or state) shows
    nb::object watched = member;
    // What the extractor reads of a wrapper is the function it wraps (read-only attributes of builtin types).
    PyObject* m = member.ptr();
    const char* wrapped = PyObject_TypeCheck(m, &PyStaticMethod_Type) || PyObject_TypeCheck(m, &PyClassMethod_Type) ? "__func__"
                          : PyObject_TypeCheck(m, &PyProperty_Type)                                                ? "fget"
                                                                                                                   : nullptr;
    if (wrapped) {
      watched = nb::steal(PyObject_GetAttrString(m, wrapped));
      if (!watched.is_valid()) {
        PyErr_Clear();
        return false;
      }
      if (!PyFunction_Check(watched.ptr())) continue;  // not a function: the extractor reads no signature of it
    }
    BoundValue bound;
    if (!describe_value(watched.ptr(), bound)) return false;
    basis.members.push_back(std::move(bound));
  }
  return true;
}

bool verdict_can_be_remembered(const Contract& contract) { return referenced_environment_names(contract).empty() && !follows_imports(contract); }

std::size_t VerdictCache::key_of(std::string_view contract_path, std::string_view importer_file, std::string_view importer_name) {
  const std::hash<std::string_view> hash;
  std::size_t key = hash(contract_path);
  key = key * 31 + hash(importer_file);
  return key * 31 + hash(importer_name);
}

const Contract* VerdictCache::find(std::string_view contract_path, std::string_view importer_file, std::string_view importer_name, PyObject* globals,
                                   const std::optional<FileStamp>& contract_stamp) {
  auto it = entries_.find(key_of(contract_path, importer_file, importer_name));
  if (it == entries_.end()) return nullptr;
  for (const Entry& entry : it->second) {
    if (entry.contract_path == contract_path && entry.importer_file == importer_file && entry.importer_name == importer_name) {
      return still_holds(entry.basis, globals, contract_stamp) ? entry.basis.contract.get() : nullptr;
    }
  }
  return nullptr;
}

void VerdictCache::remember(std::string importer_file, std::string importer_name, VerdictBasis basis) {
  std::string contract_path = basis.contract_path.string();
  auto& bucket = entries_[key_of(contract_path, importer_file, importer_name)];
  for (Entry& entry : bucket) {
    if (entry.contract_path == contract_path && entry.importer_file == importer_file && entry.importer_name == importer_name) {
      entry.basis = std::move(basis);
      return;
    }
  }
  bucket.push_back(Entry{std::move(contract_path), std::move(importer_file), std::move(importer_name), std::move(basis)});
}

void VerdictCache::clear() { entries_.clear(); }

VerdictCache& verdict_cache() {
  static auto& cache = *new VerdictCache();  // never destroyed: it holds Python objects (see embedded.cpp)
  return cache;
}

}  // namespace importspy::bindings
