#pragma once
// The `importspy` command line, run inside the Python process that `python -m importspy` started.

#include <string>
#include <vector>

namespace importspy::bindings {

// `importspy check MODULE -s CONTRACT [--mode static|runtime] [--format text|json] [-l LEVEL]`, and the
// ImportSpy 0.x form `importspy [-s CONTRACT] [-l LEVEL] [-v] MODULE`. Returns the exit status:
// 0 compliant, 1 violations, 2 usage, contract or source error. Output goes through sys.stdout/stderr.
// `program`: the process was started as `importspy` or `python -m importspy` (CommandLineSearch says what
// that changes on sys.path while the command runs).
int run_cli(const std::vector<std::string>& arguments, bool program = false);

}  // namespace importspy::bindings
