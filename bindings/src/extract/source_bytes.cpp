#include "extract/source_bytes.hpp"

#include "importspy/source/decode.hpp"
#include "importspy/source/source_error.hpp"
#include "importspy/util/utf8.hpp"
#include "interop/errors.hpp"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#else
#include <fstream>
#endif

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;

std::string too_large(std::size_t max_bytes) { return "the source is larger than the limit of " + std::to_string(max_bytes) + " bytes"; }

#ifndef _WIN32
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};
#endif

}  // namespace

std::string read_source_file(const fs::path& path, std::size_t max_bytes) {
  const std::string filename = path.string();
#ifndef _WIN32
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) throw SourceError(filename, 0, 0, "the file does not exist");
    throw SourceError(filename, 0, 0, std::string("the file cannot be read: ") + std::strerror(error));
  }
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) throw SourceError(filename, 0, 0, std::string("the file cannot be read: ") + std::strerror(errno));
  if (S_ISDIR(status.st_mode)) throw SourceError(filename, 0, 0, "this is a folder, not a Python source file");
  if (!S_ISREG(status.st_mode)) throw SourceError(filename, 0, 0, "this is not a regular file (a FIFO, socket or device); name a .py file");
  if (static_cast<std::size_t>(status.st_size) > max_bytes) throw SourceError(filename, 0, 0, too_large(max_bytes));
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(status.st_size));
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw SourceError(filename, 0, 0, std::string("the file cannot be read: ") + std::strerror(errno));
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (bytes.size() > max_bytes) throw SourceError(filename, 0, 0, too_large(max_bytes));
  }
  return bytes;
#else
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw SourceError(filename, 0, 0, "this is a folder, not a Python source file");
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) throw SourceError(filename, 0, 0, "this is not a regular file; name a .py file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SourceError(filename, 0, 0, fs::exists(path, ec) ? "the file cannot be read (permission denied?)" : "the file does not exist");
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) throw SourceError(filename, 0, 0, too_large(max_bytes));
  }
  return bytes;
#endif
}

std::string decode_python_source(std::string_view bytes, const std::string& filename) {
  // The reader's decoder: the text the hook compiles and the parser="cpython" path parses is the very
  // text the reader checked (line ends, declaration and codec table as compile() applies them).
  try {
    const DecodedSource source = decode_source(bytes, filename);
    const std::string_view text = source.text();
    if (source.utf8_unchecked()) {
      // compile() would still accept bad bytes inside a comment; a file that needs that is refused here.
      const std::size_t bad = first_invalid_utf8(text);
      const SourceMark at = mark_at_offset(text, bad);
      throw SourceError(filename, at.line, at.column,
                        "the source is not valid UTF-8 and declares no other encoding; add a coding declaration (PEP 263) or save it as UTF-8");
    }
    return std::string(text);
  } catch (const SourceReadError& error) {
    throw SourceError(filename, error.line(), error.column(), error.message());
  }
}

}  // namespace importspy::bindings
