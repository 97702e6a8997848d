#pragma once
// One worker of a --jobs run: `python -I -m importspy _worker`, its standard input and output on pipes.
// Started from C++ (posix_spawn), so that this process imports no Python module to start it: a planted
// `subprocess.py` on sys.path (PYTHONPATH pointing into the checked tree) never runs.

#include <optional>
#include <string>

namespace importspy::bindings {

class WorkerProcess {
public:
  // Starts `python` isolated (-I) without IMPORTSPY_POLICY in its environment, writes `request` to its
  // standard input and closes it. nullopt when it cannot be started (or on platforms without posix_spawn:
  // the caller then does the work itself).
  static std::optional<WorkerProcess> start(const std::string& python, const std::string& request);

  // Everything the worker wrote on its standard output, once it has exited with status 0; nullopt when it
  // failed. Blocks without holding the GIL.
  std::optional<std::string> finish();

  WorkerProcess(WorkerProcess&& other) noexcept;
  WorkerProcess& operator=(WorkerProcess&&) = delete;
  WorkerProcess(const WorkerProcess&) = delete;
  ~WorkerProcess();

private:
  WorkerProcess(int pid, int output) : pid_(pid), output_(output) {}
  int pid_ = -1;
  int output_ = -1;  // read end of the worker's standard output
};

}  // namespace importspy::bindings
