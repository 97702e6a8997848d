#pragma once
// Embedded mode's warm path: an importer found compliant with a contract is not checked again while nothing
// the verdict rests on has changed. What it rests on, and how a warm check tells (docs/python-api.md,
// "What a warm check looks at"):
// - the contract file: the same stamp (size, modification time: one stat) as when it was compiled;
// - the importer's source file: the same stamp (one stat), or still none;
// - each module-level name the contract reads, in the importer's namespace: bound to the same object,
//   which is a constant (None, bool, int, float, complex, str, bytes, a tuple of those), a module, a
//   function whose code, defaults and annotations are the same objects, or a class whose type version tag
//   is the same (CPython gives a class a new tag whenever it or one of its bases is modified); the
//   stable-ABI build, which cannot read tags, compares what a tag stands for instead: the class's method
//   resolution order, and each class in it (builtins aside) with the same name, qualified name and
//   namespace entries (the same keys, bound to the same objects);
// - for each class the contract names, the members it names, found along the class's method resolution
//   order: a method (or the function a staticmethod, classmethod or property wraps) whose code, defaults and
//   annotations are the same objects (a function changes in place without touching its class's tag), a
//   constant, a module or a class as above;
// - the same for the live classes a class known only from source was completed with (its bases);
// - no stamp read within two seconds of its file's modification (the file caches' rule, file_stamp.hpp).
// A verdict that rests on anything else (a mutable value, the environment's variables, the modules the
// importer imports) is not remembered: such an importer is checked in full every time.
// The GIL guards the cache; a warm check allocates nothing and creates no Python object (on the stable ABI,
// one read-only proxy of each class namespace it compares, freed at once: the limited API has no other
// way to read a class's namespace).

#include <nanobind/nanobind.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "importspy/contract/contract.hpp"
#include "importspy/util/file_stamp.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

struct ClassState;  // the stable-ABI build's stand-in for a class's version tag (verdict_cache.cpp)

// What a name was bound to: the object (held, so that its address is never another object's) and the
// parts of it a check reads that can change in place.
struct BoundValue {
  nb::object value;  // invalid: the name was not bound
  const void* parts[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
  unsigned int version = 0;
  // The stable-ABI build has no version tags: what a class's tag stands for, read when the verdict was
  // reached (its method resolution order, and each class's names and namespace entries, by identity).
  std::shared_ptr<const ClassState> class_state;
};

// Where a name is looked up: the importer's own namespace (`space` invalid) or another dict, held.
struct WatchedName {
  nb::object space;
  nb::object key;  // an interned str
  BoundValue bound;
  bool identity_only = false;  // a dict a check reads whole (the module's `__annotations__`): its identity
};

// The basis of one compliant verdict, built on the cold path.
struct VerdictBasis {
  std::shared_ptr<const Contract> contract;
  std::filesystem::path contract_path;
  FileStamp contract_stamp;
  std::filesystem::path source;  // the importer's source file; empty: it has none
  std::optional<FileStamp> source_stamp;
  std::chrono::system_clock::time_point checked_at;
  std::vector<WatchedName> watched;
  std::vector<BoundValue> members;  // class members a check reads (watch_class_members), held
};

// True when a verdict that rests on this object can be remembered; fills `bound`.
bool describe_value(PyObject* value, BoundValue& bound);

// Adds, for each name, what `space` binds it to (in the importer's namespace when `own`). False when one
// of them cannot be watched (a mutable value): the verdict must not be remembered.
bool watch_names(VerdictBasis& basis, PyObject* space, bool own, const std::vector<std::string>& names);

// Adds the object `space` binds `name` to, by identity only.
bool watch_identity(VerdictBasis& basis, PyObject* space, bool own, const char* name);

// Adds what the members `names` of class `cls` rest on beyond the class's version tag, each resolved along
// the class's method resolution order as the runtime extractor reads it (builtin classes, which cannot
// change, are skipped). False when one cannot be watched (a mutable class attribute, a build without
// version tags): the verdict must not be remembered.
bool watch_class_members(VerdictBasis& basis, PyObject* cls, const std::vector<std::string>& names);

// True when a contract's verdict can be remembered at all (no environment variable, no import following).
bool verdict_can_be_remembered(const Contract& contract);

class VerdictCache {
public:
  // The contract of a verdict still valid for the importer (file `importer_file`, name `importer_name`,
  // namespace `globals`) against the contract at `contract_path`; nullptr when there is none.
  // `contract_stamp`: the contract file's stamp when the caller just read it (not read again).
  const Contract* find(std::string_view contract_path, std::string_view importer_file, std::string_view importer_name, PyObject* globals,
                       const std::optional<FileStamp>& contract_stamp = std::nullopt);

  void remember(std::string importer_file, std::string importer_name, VerdictBasis basis);
  void clear();

private:
  struct Entry {
    std::string contract_path, importer_file, importer_name;
    VerdictBasis basis;
  };
  static std::size_t key_of(std::string_view contract_path, std::string_view importer_file, std::string_view importer_name);
  std::unordered_map<std::size_t, std::vector<Entry>> entries_;  // by key_of
};

VerdictCache& verdict_cache();

}  // namespace importspy::bindings
