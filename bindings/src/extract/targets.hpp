#pragma once
// What the user names (a module object, a path to a .py file, a dotted module name) → facts.

#include <nanobind/nanobind.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "importspy/contract/contract.hpp"
#include "importspy/facts/facts.hpp"
#include "extract/static_extractor.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

enum class Mode { static_source, runtime };

// "static" or "runtime"; anything else throws std::invalid_argument (ValueError in Python).
Mode parse_mode(const std::string& text);

// Static mode never executes the target: a path is parsed, a dotted name is located on sys.path without
// importing anything (not even its parent packages), a module object is read from its source file.
// Runtime mode imports a path or dotted name (a path's folder goes first on sys.path meanwhile, as when
// running a script) and reads the live objects, completed by the source. An import that raises becomes
// a SourceError naming the file and line where it raised.
ModuleFacts facts_for_target(nb::handle target, Mode mode, const ExtractOptions& options = {});

// Live facts of `module` completed by its source's facts, when it has a source file.
ModuleFacts runtime_facts(nb::handle module, const ExtractOptions& options = {});

// A contract given as a path (str or os.PathLike) or as a loaded Contract.
std::shared_ptr<const Contract> contract_from(nb::handle contract);

// The folders where a dotted module name is looked up, in order: sys.path's entries ('' as the working
// directory), preceded by the working directory while a CommandLineSearch is alive.
std::vector<std::filesystem::path> module_search_path();

// The same without the standard library's folders (sysconfig's stdlib and platstdlib, and what lies
// below them): where modules of the project and its dependencies are, for following imports statically.
std::vector<std::filesystem::path> project_search_path();

// The command line's search rule (docs/cli.md, "Where modules are looked up"), while alive. Started as a
// program (`importspy` or `python -m importspy`), the entry point's own first sys.path entry (the console
// script's folder, or the working directory `-m` puts there) is dropped — unless -P or -I put none — so both
// entry points see the same sys.path, and nothing ImportSpy imports comes from the checked folder. Module
// targets are then looked up in the working directory first, then sys.path; runtime mode imports them with
// the working directory first on sys.path for the import. The dropped entry is put back at the end.
class CommandLineSearch {
public:
  explicit CommandLineSearch(bool program);
  ~CommandLineSearch();
  CommandLineSearch(const CommandLineSearch&) = delete;
  CommandLineSearch& operator=(const CommandLineSearch&) = delete;

private:
  nb::object dropped_;  // the entry point's sys.path[0], or invalid
};

// Writes a debug line to the `importspy` logger, only when debug logging was asked for.
void log_debug(const std::string& message);
void enable_logging(nb::handle level);

}  // namespace importspy::bindings
