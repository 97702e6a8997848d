#pragma once
// Python source → module facts, in C++ alone: decode, tokenize, then read the statements of the module
// and of its classes. Function bodies are skipped at token level (methods are only scanned for
// `self.x = ...`). The semantics are those of the CPython-based static extractor, corrected where the
// runtime sees otherwise: `if __name__ == "__main__":` bodies, name mangling, `del`,
// platform branches for a target environment, NamedTuple/TypedDict bases, rebinding, chained aliases.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "importspy/facts/facts.hpp"
#include "importspy/facts/static_rules.hpp"

namespace importspy {

// The environment the facts are for: conditions on it are decided, others stay undecided.
struct TargetEnvironment {
  std::string sys_platform = "linux";     // sys.platform: linux, win32, darwin, ...
  std::string os_name = "posix";          // os.name: posix, nt
  std::string platform_system = "Linux";  // platform.system(): Linux, Windows, Darwin
  int python_major = 3;
  int python_minor = 12;
  int python_micro = 0;
  std::string byteorder = "little";       // sys.byteorder
};

// A reading target as a user names it (`--for`): "any" (none: every branch and every version's syntax),
// "PLATFORM" or "PLATFORM:3.N" with PLATFORM one of linux, win32, darwin (its os.name and
// platform.system() follow; Python 3.`default_minor` unless named). "here", the running interpreter, is
// the caller's to know. Throws std::invalid_argument saying what is accepted.
std::optional<TargetEnvironment> parse_reading_target(std::string_view spec, int default_minor);

// "linux:3.12" for a target, "any" for none: what cache keys and messages record.
std::string reading_target_label(const std::optional<TargetEnvironment>& target);

struct ReadOptions {
  // Absent: conditions on sys.platform, sys.byteorder, os.name, platform.system() and sys.version_info
  // are undecided,
  // so what they guard is read as conditional (values unknown, a first definition kept).
  std::optional<TargetEnvironment> target;
  // ModuleFacts::file_sha256 of the bytes: about a fifth of the reading time (libsodium's SHA-256), so
  // a caller that identifies files otherwise can leave it out.
  bool file_sha256 = true;
  // Bounds on what inheritance may cost (facts/static_rules.hpp); passing one is a SourceReadError of
  // kind `limit` naming the class.
  InheritanceLimits inheritance;
  // Imports only: the facts hold the module's name, file, `imports` and `unknown_imports`, exactly as a
  // full reading records them (the same marks, the same branches decided), and nothing else. The text
  // is read and checked as in a full reading, so a module that is not Python is the same error; what is
  // left out is the work whose only product is definitions: inheritance (so `inheritance` is not
  // applied), the file's SHA-256, and keeping definitions, classes, signatures and values once read.
  // What import graphs and architecture rules read (FactsNeeded, contract/contract.hpp).
  bool imports_only = false;
};

// Facts of the module whose source is `bytes` (as found on disk: BOM and PEP 263 declarations are
// honoured). `filename` names it in facts and errors; `module_name` (dotted, may be empty) resolves
// relative imports and qualifies the module's own classes. Throws SourceReadError for bytes that cannot
// be decoded and for text that is not Python (as far as the reader checks: see docs in reader.cpp).
ModuleFacts read_module_source(std::string_view bytes, const std::string& filename, const std::string& module_name,
                               const ReadOptions& options = {});

}  // namespace importspy
