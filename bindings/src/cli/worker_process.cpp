#include "cli/worker_process.hpp"

#include <nanobind/nanobind.h>

#include <cerrno>
#include <cstring>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
extern char** environ;
#endif

namespace importspy::bindings {

namespace nb = nanobind;

#ifndef _WIN32
namespace {

// A pipe whose two ends are above standard input, output and error (so that dup2 onto 0 and 1 in the
// child never meets an end already there, even when this process runs with stdout closed) and close on exec.
bool private_pipe(int ends[2]) {
  int raw[2];
  if (::pipe(raw) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    ends[i] = ::fcntl(raw[i], F_DUPFD_CLOEXEC, 3);
    ::close(raw[i]);
  }
  if (ends[0] >= 0 && ends[1] >= 0) return true;
  for (int i = 0; i < 2; ++i) {
    if (ends[i] >= 0) ::close(ends[i]);
  }
  return false;
}

bool write_all(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // EPIPE: the worker is gone (SIGPIPE is ignored by Python)
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<WorkerProcess> WorkerProcess::start(const std::string& python, const std::string& request) {
  int input[2], output[2];
  if (!private_pipe(input)) return std::nullopt;
  if (!private_pipe(output)) {
    ::close(input[0]);
    ::close(input[1]);
    return std::nullopt;
  }
  std::vector<std::string> arguments = {python, "-I", "-m", "importspy", "_worker"};
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (std::strncmp(*entry, "IMPORTSPY_POLICY=", 17) != 0) envp.push_back(*entry);
  }
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], 0);
  posix_spawn_file_actions_adddup2(&actions, output[1], 1);
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, python.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(input[0]);
  ::close(output[1]);
  if (error != 0) {
    ::close(input[1]);
    ::close(output[0]);
    return std::nullopt;
  }
  WorkerProcess worker(pid, output[0]);
  {
    nb::gil_scoped_release released;
    write_all(input[1], request);  // a worker that died before reading it fails in finish()
    ::close(input[1]);
  }
  return worker;
}

std::optional<std::string> WorkerProcess::finish() {
  std::string output;
  int status = 0;
  {
    nb::gil_scoped_release released;
    char buffer[1 << 16];
    while (true) {
      const ssize_t n = ::read(output_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(output_);
    output_ = -1;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return output;
}

WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept : pid_(other.pid_), output_(other.output_) {
  other.pid_ = -1;
  other.output_ = -1;
}

WorkerProcess::~WorkerProcess() {
  if (output_ >= 0) ::close(output_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

#else

std::optional<WorkerProcess> WorkerProcess::start(const std::string&, const std::string&) { return std::nullopt; }
std::optional<std::string> WorkerProcess::finish() { return std::nullopt; }
WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept : pid_(other.pid_), output_(other.output_) {}
WorkerProcess::~WorkerProcess() = default;

#endif

}  // namespace importspy::bindings
