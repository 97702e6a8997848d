#pragma once
// The modules one module reaches along its imports, found as source files on a search path: what a
// contract's `requires:` and `imports.no_cycles` need when a module is checked alone (not a package).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "importspy/facts/facts.hpp"

namespace importspy {

// Reads the source file of module `name`; nothing when it cannot be read (the module is then a leaf).
using ModuleReader = std::function<std::optional<ModuleFacts>(const std::filesystem::path& file, const std::string& name)>;

struct ImportClosure {
  std::vector<ModuleFacts> modules;  // [0] is the root; then breadth first, each module once
  bool truncated = false;            // `limit` modules were read before every import was followed
};

// `root` and, breadth first, every module its imports name (the module, its parent packages, and for
// `from a import b` the submodule a.b when there is one; relative imports resolved against the importer's
// package), each located as a/b.py or a/b/__init__.py in the first folder of `search_path` holding one,
// and read with `read`. A module found nowhere (builtin, extension, absent) is not followed. At most
// `limit` modules are read, the root included.
ImportClosure read_import_closure(ModuleFacts root, std::span<const std::filesystem::path> search_path, const ModuleReader& read,
                                  std::size_t limit = 20000);

// The cycles of `cycles` (import_cycles) that hold `module`, each turned to start at it: the form
// check_with_dependencies reports on, for a module checked on its own.
std::vector<std::vector<std::size_t>> cycles_through(const std::vector<std::vector<std::size_t>>& cycles, std::size_t module);

}  // namespace importspy
