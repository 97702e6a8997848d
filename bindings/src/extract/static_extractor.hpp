#pragma once
// Facts from source text without executing it. The engine is the C++ reader of core/source
// (read_module_source: no Python object, so it runs without the GIL); CPython's own parser
// (compile(..., PyCF_ONLY_AST), its tree walked in C++) is kept for comparison (`--parser cpython`) and
// for structure hashes, which are defined over CPython's syntax tree.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "importspy/facts/facts.hpp"
#include "importspy/facts/static_rules.hpp"
#include "importspy/source/reader.hpp"

namespace importspy::bindings {

// Bounds against hostile sources; each is refused with a SourceError naming the class and its line.
struct SourceLimits {
  std::size_t max_bytes = 16u << 20;             // larger sources are refused
  InheritanceLimits inheritance;                 // core/facts/static_rules.hpp, shared by both parsers
};

// Which parser reads the source: the C++ reader (default) or CPython's parser (comparison).
enum class SourceParser { reader, cpython };

// "reader" or "cpython"; anything else throws std::invalid_argument (ValueError in Python).
SourceParser parse_source_parser(const std::string& text);

struct ExtractOptions {
  // Structure hashes of functions, methods and classes ("sha256:<hex>" of the syntax tree without
  // positions, docstrings or type comments: formatting and comments do not change it, any change to a
  // signature, decorator or body does). Costs a walk of every node, so only when a contract pins one.
  // With the reader, the hashes come from CPython's tree of the same text (the GIL is taken for that
  // part only), matched to the reader's definitions by name and line.
  bool structure_hashes = false;
  SourceParser parser = SourceParser::reader;
  // ModuleFacts::file_sha256 of the bytes, a fifth of the reader's time: a caller that knows no rule
  // reads it (no pin, no lock) leaves it out. Structure hashes always come with it.
  bool file_sha256 = true;
  // Keep the reader's facts between processes in the per-user store (source_facts_cache.hpp), and read
  // them back from there. Only for a caller that holds the GIL (the store asks sys.dont_write_bytecode and
  // locates the extension's file): the live-process paths, Spy and the import hook.
  bool per_user_store = false;
};

// The target static reading decides platform and version conditions and version-specific syntax for
// (core/source/reader.hpp): the running interpreter, unless a command named another (`--for`); nullopt
// reads every branch and every version's syntax. On a platform the reader has no name for (not Linux,
// macOS or Windows) the running interpreter is no target either.
std::optional<TargetEnvironment> reading_target();
// Whether a command named the target (ReadingTargetScope): caches of facts then key their entries by it.
bool reading_target_is_named();
// The running interpreter as a target (what `--for here` and no `--for` mean).
std::optional<TargetEnvironment> running_target();

// Names the reading target for the rest of a command: the command line sets it before it reads anything,
// and its end puts the previous one back (a command run in a process that also imports under the hook).
class ReadingTargetScope {
public:
  explicit ReadingTargetScope(std::optional<TargetEnvironment> target);
  ~ReadingTargetScope();
  ReadingTargetScope(const ReadingTargetScope&) = delete;
  ReadingTargetScope& operator=(const ReadingTargetScope&) = delete;

private:
  std::optional<std::optional<TargetEnvironment>> previous_;
};

// `--for SPEC`: "here", "any" or PLATFORM[:3.N] (parse_reading_target). Throws std::invalid_argument.
std::optional<TargetEnvironment> parse_reading_target_option(const std::string& spec);

// Facts of `source`, the bytes of a Python source file, decoded as CPython decodes them (source_bytes.hpp).
// `filename` names it in facts and errors; `module_name` (dotted, may be empty) resolves relative imports
// and qualifies the module's own classes. Throws SourceError for bytes that are too large, not valid in
// their encoding or not Python. Values that need running code are Value::unknown. With the reader and no
// structure hashes it touches no Python object: callers may release the GIL around it.
ModuleFacts extract_static_source(std::string_view source, const std::string& filename, const std::string& module_name,
                                  const ExtractOptions& options = {}, const SourceLimits& limits = {});

// The same for a file, read once (read_source_file). Throws SourceError when it cannot be read.
ModuleFacts extract_static_file(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options = {},
                                const SourceLimits& limits = {});

}  // namespace importspy::bindings
