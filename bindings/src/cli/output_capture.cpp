#include "cli/output_capture.hpp"

#include <nanobind/nanobind.h>

#include <cstdio>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#endif

namespace importspy::bindings {
namespace {

namespace nb = nanobind;

constexpr std::size_t kMaxCaptured = std::size_t{1} << 20;

// Python buffers what print() writes: flushed before the descriptors change hands, it lands where it
// was meant to go.
void flush_python_streams() {
  for (const char* name : {"stdout", "stderr"}) {
    PyObject* stream = PySys_GetObject(name);
    if (!stream || stream == Py_None) continue;
    PyObject* result = PyObject_CallMethod(stream, "flush", nullptr);
    if (result) Py_DECREF(result);
    else PyErr_Clear();  // a closed or broken stream: nothing to flush
  }
  std::fflush(nullptr);
}

#ifndef _WIN32
// A file in memory with no name anyone could open, replace or read (the docs' "no file in the shared
// temporary folder"); tmpfile() where memfd_create is not available (it is unlinked at once).
int anonymous_file() {
#ifdef __linux__
  const int memory = ::memfd_create("importspy-output", MFD_CLOEXEC);
  if (memory >= 0) return memory;
#endif
  std::FILE* file = std::tmpfile();
  if (!file) return -1;
  const int fd = ::dup(::fileno(file));
  std::fclose(file);
  return fd;
}

std::string read_back(int fd) {
  std::string text;
  if (::lseek(fd, 0, SEEK_SET) != 0) return text;
  char buffer[8192];
  while (text.size() < kMaxCaptured) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (text.size() >= kMaxCaptured) {
    text.resize(kMaxCaptured);
    text += "\n[importspy: output cut at 1 MiB]\n";
  }
  return text;
}
#endif

}  // namespace

OutputCapture::OutputCapture() {
#ifndef _WIN32
  flush_python_streams();
  for (int i = 0; i < 2; ++i) {
    Stream& s = streams_[i];
    s.target = i + 1;
    s.capture = anonymous_file();
    s.saved = s.capture >= 0 ? ::fcntl(s.target, F_DUPFD_CLOEXEC, 3) : -1;
    if (s.saved < 0 || ::dup2(s.capture, s.target) < 0) {
      // Not capturable (no descriptor to save, none to write into): this stream is left as it is.
      if (s.saved >= 0) ::close(s.saved);
      if (s.capture >= 0) ::close(s.capture);
      s.saved = s.capture = -1;
    }
  }
#endif
}

OutputCapture::~OutputCapture() {
  if (!finished_) finish();
}

PrintedOutput OutputCapture::finish() {
  PrintedOutput printed;
  if (finished_) return printed;
  finished_ = true;
#ifndef _WIN32
  flush_python_streams();  // what the module left in Python's buffers belongs to it
  for (int i = 0; i < 2; ++i) {
    Stream& s = streams_[i];
    if (s.capture < 0) continue;
    ::dup2(s.saved, s.target);
    ::close(s.saved);
    (i == 0 ? printed.out : printed.err) = read_back(s.capture);
    ::close(s.capture);
  }
#endif
  return printed;
}

}  // namespace importspy::bindings
