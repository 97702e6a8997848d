#include "extract/per_user_store.hpp"

#include <chrono>

#include <nanobind/nanobind.h>

#include "importspy/util/file_stamp.hpp"
#include "interop/python_values.hpp"

namespace nb = nanobind;

namespace importspy::bindings {

std::optional<std::string> engine_identity() {
  static const std::optional<std::string> identity = []() -> std::optional<std::string> {
    nb::object name = nb::steal(PyUnicode_FromString("importspy._engine"));
    nb::object module = name.is_valid() ? nb::steal(PyImport_GetModule(name.ptr())) : nb::object();
    nb::object file = module.is_valid() ? nb::steal(PyModule_GetFilenameObject(module.ptr())) : nb::object();
    PyErr_Clear();
    if (!file.is_valid() || !PyUnicode_Check(file.ptr())) return std::nullopt;
    const auto stamp = file_stamp(utf8(file));
    if (!stamp) return std::nullopt;
    return std::string(IMPORTSPY_VERSION) + "+" + std::to_string(stamp->size) + "." +
           std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(stamp->modified.time_since_epoch()).count());
  }();
  return identity;
}

bool dont_write_bytecode() {
  PyObject* dont_write = PySys_GetObject("dont_write_bytecode");  // borrowed
  return dont_write && PyObject_IsTrue(dont_write) == 1;
}

std::optional<ResultCache> per_user_store(const char* name) {
  static const auto key_path = default_cache_key_path();
  if (key_path.empty()) return std::nullopt;
  static const std::optional<std::string> secret = default_cache_key();
  if (!secret) return std::nullopt;
  return ResultCache(key_path.parent_path() / name, secret);
}

std::optional<EngineStore> EngineStore::open(const char* folder, std::string kind) {
  auto engine = engine_identity();
  auto cache = engine ? per_user_store(folder) : std::nullopt;
  if (!cache) return std::nullopt;
  return EngineStore(*std::move(cache), std::move(kind), *std::move(engine));
}

void EngineStore::store(const std::string& key, const std::string& bytes) const {
  if (!dont_write_bytecode()) cache_.store_blob(kind_, key, bytes);
}

}  // namespace importspy::bindings
