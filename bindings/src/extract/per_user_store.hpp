#pragma once
// What the live-process paths (Spy, the import hook, importspy.check) keep between processes, in the
// user's cache ($XDG_CACHE_HOME/importspy, else ~/.cache/importspy): every entry authenticated under the
// per-user key (core/…/project/result_cache.hpp) and bound by its lookup key to this engine build, so
// that an entry is never read by another build and never stands for anything but what its key names.
// Nothing is written while sys.dont_write_bytecode is set, as for Python's own __pycache__.

#include <optional>
#include <string>

#include "importspy/project/result_cache.hpp"

namespace importspy::bindings {

// The engine in stored forms' lookup keys: its version, and the size and modification time of this
// extension module's file. A development build keeps its version from one build to the next, and a build
// that compiles or reads differently must not read what an earlier one stored. nullopt when the file
// cannot be found: then nothing is kept.
std::optional<std::string> engine_identity();

// sys.dont_write_bytecode: stores read, but write nothing.
bool dont_write_bytecode();

// The store in folder `name` of the per-user cache, under the per-user key (read once per process);
// nullopt when there is no per-user key (no home, or a key file that is not private to this user).
std::optional<ResultCache> per_user_store(const char* name);

// A per-user store of forms this engine build computes (compiled contracts, source facts): entries of one
// kind, whose lookup keys bind engine(); written only when sys.dont_write_bytecode is not set.
class EngineStore {
public:
  // nullopt when there is no per-user key or the engine's identity cannot be read: then nothing is kept.
  static std::optional<EngineStore> open(const char* folder, std::string kind);
  std::optional<std::string> load(const std::string& key) const { return cache_.load_blob(kind_, key); }
  void store(const std::string& key, const std::string& bytes) const;
  const std::string& engine() const { return engine_; }

private:
  EngineStore(ResultCache cache, std::string kind, std::string engine) : cache_(std::move(cache)), kind_(std::move(kind)), engine_(std::move(engine)) {}
  ResultCache cache_;
  std::string kind_, engine_;
};

}  // namespace importspy::bindings
