#include "importing/code_cache.hpp"

#include <marshal.h>

#include <optional>
#include <string_view>

#include "importspy/project/result_cache.hpp"
#include "importspy/util/file_stamp.hpp"
#include "importspy/util/sha256.hpp"
#include "interop/python_values.hpp"

namespace nb = nanobind;

namespace importspy::bindings {
namespace {

constexpr std::string_view kKind = "code";

// Opened once per process: the key file is read (or created) the first time a matched module is compiled.
const std::optional<ResultCache>& store() {
  static const std::optional<ResultCache> cache = []() -> std::optional<ResultCache> {
    const auto key_path = default_cache_key_path();
    if (key_path.empty()) return std::nullopt;
    return ResultCache(key_path.parent_path() / "code", default_cache_key());
  }();
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

bool dont_write_bytecode() {
  PyObject* dont_write = PySys_GetObject("dont_write_bytecode");  // borrowed
  return dont_write && PyObject_IsTrue(dont_write) == 1;
}

// The engine in compiled contracts' lookup keys: its version, and the size and modification time of this
// extension module's file. A development build keeps its version from one build to the next, and a build
// that compiles a contract differently must not read what an earlier one stored. nullopt when the file
// cannot be found: then nothing is kept.
std::optional<std::string> engine_identity() {
  nb::object name = nb::steal(PyUnicode_FromString("importspy._engine"));
  nb::object module = name.is_valid() ? nb::steal(PyImport_GetModule(name.ptr())) : nb::object();
  nb::object file = module.is_valid() ? nb::steal(PyModule_GetFilenameObject(module.ptr())) : nb::object();
  PyErr_Clear();
  if (!file.is_valid() || !PyUnicode_Check(file.ptr())) return std::nullopt;
  const auto stamp = file_stamp(utf8(file));
  if (!stamp) return std::nullopt;
  return std::string(IMPORTSPY_VERSION) + "+" + std::to_string(stamp->size) + "." +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(stamp->modified.time_since_epoch()).count());
}

class ContractStore final : public CompiledContractStore {
public:
  ContractStore(ResultCache cache, std::string engine) : cache_(std::move(cache)), engine_(std::move(engine)) {}
  std::optional<std::string> load(const std::string& key) const override { return cache_.load_blob(kContractKind, key); }
  void store(const std::string& key, const std::string& bytes) const override {
    if (!dont_write_bytecode()) cache_.store_blob(kContractKind, key, bytes);
  }
  std::string_view engine_version() const override { return engine_; }

private:
  static constexpr std::string_view kContractKind = "contract";
  ResultCache cache_;
  std::string engine_;
};

}  // namespace

const CompiledContractStore* compiled_contract_store() {
  static const std::optional<ContractStore> contracts = []() -> std::optional<ContractStore> {
    const auto key_path = default_cache_key_path();
    if (key_path.empty()) return std::nullopt;
    auto engine = engine_identity();
    if (!engine) return std::nullopt;
    auto secret = default_cache_key();
    if (!secret) return std::nullopt;
    return ContractStore(ResultCache(key_path.parent_path() / "contracts", std::move(secret)), *std::move(engine));
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
