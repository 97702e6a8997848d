#pragma once
// `importspy graph TARGET` and `importspy check --package PKG`: every module of a package read statically
// (never executed), its import graph, and each module checked with the contracts its contract requires.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "importspy/facts/facts.hpp"
#include "importspy/graph/import_graph.hpp"
#include "importspy/report/batch.hpp"

namespace importspy::bindings {

// What a command prints and the exit status it ends with.
struct CommandOutput {
  int status = 0;
  std::string out;  // standard output
  std::string err;  // standard error
};

// The import graph of a package (a folder, or a dotted package name found on sys.path without importing
// anything) as text, JSON or Graphviz dot, with its import cycles. Exit 0, or 2 when the package cannot be
// found or one of its modules cannot be read.
// With `contract_path`, a contract with `architecture_rules:`, the pictures (svg, html) draw the first
// layers rule's layers as bands and highlight every chain of every broken rule; the other formats refuse it.
CommandOutput run_graph_command(const std::string& target, const std::string& format, const std::string& contract_path = {});

struct PackageCheckOptions {
  std::optional<std::pair<std::size_t, std::size_t>> shard;  // --shard I/N: the I-th of N slices of the modules, by name
  std::optional<std::filesystem::path> cache_directory;      // the result cache (result_cache.hpp); none: --no-cache
  bool trace = false;                                        // --dry-run: each report records its deployment and rules (never cached)
};

// Every module of the package checked against `contract_path`, with the contracts its `requires:` names
// applied along the package's import graph: a batch, one result per module; or, when the package cannot
// be found or a contract cannot be loaded, the message saying so (`file:line:column: ...`, newline-ended).
std::variant<BatchResult, std::string> check_package(const std::string& target, const std::string& contract_path,
                                                     const PackageCheckOptions& options = {});

// The report of a package check in an output format of `importspy check` (text, json, sarif, junit,
// github, html); `target` names the package in the HTML report's title.
std::string render_package_report(const BatchResult& batch, const std::string& target, const std::string& format, bool color);

// Every module of several packages (folders, or dotted names found on sys.path without importing
// anything), read statically, and one import graph across all of them: what `importspy lint-imports`
// judges its root packages on. facts[i], files[i] and errors[i] are node i of the graph; facts keep a
// module's name, file and imports only; a module that cannot be read has no imports and its error.
struct PackagesRead {
  std::vector<ModuleFacts> facts;
  std::vector<std::string> files;
  std::vector<std::optional<TargetError>> errors;
  ImportGraph graph;
};

// The packages read, or why one cannot be found (the message, newline-ended). A package named twice is
// read once.
std::variant<PackagesRead, std::string> read_packages(const std::vector<std::string>& packages);

// What every module of the packages is, without reading any as Python: SHA-256 over each module's
// name, file and bytes (a result cache's key for judgements of the whole graph), and the number of
// modules. Or why a package cannot be found (the message, newline-ended).
struct PackagesDigest {
  std::string sha256;
  std::size_t modules = 0;
};
std::variant<PackagesDigest, std::string> digest_packages(const std::vector<std::string>& packages);

}  // namespace importspy::bindings
