#include "importing/code_cache.hpp"

#include <marshal.h>

#include <optional>
#include <string_view>

#include "importspy/project/result_cache.hpp"
#include "extract/per_user_store.hpp"
#include "importspy/util/sha256.hpp"
#include "interop/python_values.hpp"

namespace nb = nanobind;

namespace importspy::bindings {
namespace {

constexpr std::string_view kKind = "code";

// Opened once per process: the key file is read (or created) the first time a matched module is compiled.
const std::optional<ResultCache>& store() {
  static const std::optional<ResultCache> cache = per_user_store("code");
  return cache;
}

long optimisation_level() {
  PyObject* flags = PySys_GetObject("flags");  // borrowed
  if (!flags) return 0;
  nb::object level = nb::getattr(nb::handle(flags), "optimize", nb::int_(0));
  return PyLong_Check(level.ptr()) ? PyLong_AsLong(level.ptr()) : 0;
}

std::string lookup_key(const std::string& source_sha256, const std::string& filename) {
  std::string material = source_sha256;
  for (const std::string& part : {filename, std::to_string(PyImport_GetMagicNumber()), std::to_string(optimisation_level())}) {
    material += '\0';
    material += part;
  }
  return sha256_hex(material);
}

class ContractStore final : public CompiledContractStore {
public:
  explicit ContractStore(EngineStore store) : store_(std::move(store)) {}
  std::optional<std::string> load(const std::string& key) const override { return store_.load(key); }
  void store(const std::string& key, const std::string& bytes) const override { store_.store(key, bytes); }
  std::string_view engine_version() const override { return store_.engine(); }

private:
  EngineStore store_;
};

}  // namespace

const CompiledContractStore* compiled_contract_store() {
  static const std::optional<ContractStore> contracts = []() -> std::optional<ContractStore> {
    auto store = EngineStore::open("contracts", "contract");
    if (!store) return std::nullopt;
    return ContractStore(*std::move(store));
  }();
  return contracts ? &*contracts : nullptr;
}

nb::object cached_code(const std::string& source_sha256, const std::string& filename) {
  const auto& cache = store();
  if (!cache || source_sha256.empty()) return {};
  const auto body = cache->load_blob(kKind, lookup_key(source_sha256, filename));
  if (!body) return {};
#ifdef Py_LIMITED_API
  nb::bytes marshalled(body->data(), body->size());
  PyObject* code = PyObject_CallMethod(limited::types().marshal, "loads", "O", marshalled.ptr());
#else
  PyObject* code = PyMarshal_ReadObjectFromString(body->data(), static_cast<Py_ssize_t>(body->size()));
#endif
  if (!code || !PyCode_Check(code)) {  // authenticated but unreadable (another build wrote it): a miss
    PyErr_Clear();
    Py_XDECREF(code);
    return {};
  }
  return nb::steal(code);
}

void store_code(const std::string& source_sha256, const std::string& filename, nb::handle code) {
  const auto& cache = store();
  if (!cache || source_sha256.empty()) return;
  if (dont_write_bytecode()) return;
#ifdef Py_LIMITED_API
  PyObject* bytes = PyObject_CallMethod(limited::types().marshal, "dumps", "O", code.ptr());  // the current format
#else
  PyObject* bytes = PyMarshal_WriteObjectToString(code.ptr(), Py_MARSHAL_VERSION);
#endif
  if (!bytes) {
    PyErr_Clear();
    return;
  }
  const std::string body(PyBytes_AS_STRING(bytes), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  cache->store_blob(kKind, lookup_key(source_sha256, filename), body);
}

}  // namespace importspy::bindings
