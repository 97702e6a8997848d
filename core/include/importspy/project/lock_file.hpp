#pragma once
// importspy.lock: the hashes of a set of modules as reviewed, and what has drifted since.

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/facts/facts.hpp"
#include "importspy/report/report.hpp"

namespace importspy {

struct LockedModule {
  std::string file_sha256;                          // hex (written `sha256:<hex>`, read with or without the prefix)
  std::map<std::string, std::string> definitions;  // "f", "Class", "Class.method" → "sha256:<hex>"
};

struct LockFile {
  std::map<std::string, LockedModule> modules;  // by target as shown (relative path or dotted name)
};

class LockError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The entry of a module whose facts carry hashes (extracted with structure hashes).
LockedModule lock_entry(const ModuleFacts& facts);

// JSON, stable order: {"importspy-lock": 1, "modules": {target: {"sha256", "definitions": {...}}}}; every
// digest written `sha256:<hex>`.
std::string write_lock(const LockFile& lock);
// Reads digests with or without the `sha256:` prefix. Throws LockError naming `source` and what is wrong.
LockFile read_lock(std::string_view text, const std::string& source);

// What changed since `locked`, as violations (integrity-mismatch for the file, hash-mismatch for each
// definition changed, added or removed), each naming the definition. Empty when nothing drifted.
std::vector<Violation> lock_drift(const LockedModule& locked, const ModuleFacts& now, const std::string& lock_source);

}  // namespace importspy
