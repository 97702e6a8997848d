#pragma once
// Many targets checked in one run: each one's report or error, in a stable order.

#include <optional>
#include <string>
#include <vector>

#include "importspy/report/report.hpp"

namespace importspy {

// Why a target could not be checked. The run goes on with the other targets. Every format renders the
// same fields (JSON: {code, message, file, line, column, hint}).
struct TargetError {
  std::string code;     // "source-error" (unreadable, not UTF-8, too large, not Python, raised on import),
                        // "contract-invalid", "not-found", "no-python-files", "no-contract",
                        // "internal-error" (ImportSpy itself failed on this target); for a run that
                        // cannot start: "settings-invalid", "usage-error", "lock-invalid"
  std::string message;
  std::string file;     // the file the error is about (the module's or the contract's)
  int line = 0;
  int column = 0;
  std::string hint;     // how to fix it, when known (a contract error's "did you mean ...")
};

// What a module wrote to standard output and error while it was imported (runtime mode): reported with
// its target, never mixed into the report's own stream.
struct PrintedOutput {
  std::string out;
  std::string err;

  bool empty() const { return out.empty() && err.empty(); }
};

struct TargetResult {
  std::string target;    // as the user sees it: a path relative to the working directory, or a dotted name
  std::string file;      // the module's source file, relative when possible; empty when not found
  std::string contract;  // the contract it was checked against
  std::optional<Report> report;
  std::optional<TargetError> error;
  bool cached = false;   // served from the result cache
  PrintedOutput printed; // runtime mode: what importing it printed

  bool ok() const { return !error && report && report->ok(); }
};

// A module inside a folder target that the run leaves out, and why (listed with -v, counted in the summary).
struct LeftOutModule {
  std::string target;  // as the user sees it: a path relative to the working directory
  std::string why;
};

struct BatchShard {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
};

struct BatchResult {
  std::vector<TargetResult> results;
  std::optional<BatchShard> shard;  // --shard I/N: this run checked share I of N; renderers record it for merge
  std::vector<LeftOutModule> left_out;  // modules inside folder targets not checked (excluded, a folder's own package)

  std::size_t errors() const;
  std::size_t violating() const;       // targets with at least one violation
  std::size_t violation_count() const;
  bool ok() const { return errors() == 0 && violating() == 0; }
  // 0 every target compliant, 1 violations and no error, 2 any target could not be checked.
  int exit_status() const;
};

}  // namespace importspy
