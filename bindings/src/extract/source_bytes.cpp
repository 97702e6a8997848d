#include "extract/source_bytes.hpp"

#include <nanobind/nanobind.h>

#include <optional>

#include "importspy/util/utf8.hpp"
#include "interop/errors.hpp"
#include "interop/python_values.hpp"

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

// tokenize's cookie_re, `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` (ASCII), on one line.
std::optional<std::string> cookie_of(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
  if (i == line.size() || line[i] != '#') return std::nullopt;
  const auto is_name = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'; };
  for (std::size_t at = line.find("coding", i); at != std::string_view::npos; at = line.find("coding", at + 1)) {
    std::size_t p = at + 6;
    if (p >= line.size() || (line[p] != ':' && line[p] != '=')) continue;
    ++p;
    while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
    const std::size_t begin = p;
    while (p < line.size() && is_name(line[p])) ++p;
    if (p > begin) return std::string(line.substr(begin, p - begin));
  }
  return std::nullopt;
}

// tokenize's _get_normal_name: the spellings of UTF-8 and Latin-1 folded to one name each.
std::string normal_name(const std::string& original) {
  std::string name = original.substr(0, 12);
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  if (name == "utf-8" || name.starts_with("utf-8-")) return "utf-8";
  for (const char* latin : {"latin-1", "iso-8859-1", "iso-latin-1"}) {
    if (name == latin || name.starts_with(std::string(latin) + "-")) return "iso-8859-1";
  }
  return original;
}

// tokenize's blank_re, `^[ \t\f]*(?:[#\r\n]|$)`: a line that cannot hold code, so line 2 may hold the cookie.
bool blank_or_comment(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
  return i == line.size() || line[i] == '#' || line[i] == '\r' || line[i] == '\n';
}

std::string_view line_from(std::string_view text, std::size_t start) {
  if (start >= text.size()) return {};
  const std::size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end + 1 - start);
}

std::string decode_with_codec(std::string_view body, const std::string& encoding, int cookie_line, const std::string& filename) {
  nb::object text = nb::steal(PyUnicode_Decode(body.data(), static_cast<Py_ssize_t>(body.size()), encoding.c_str(), "strict"));
  if (!text.is_valid()) {
    nb::python_error error;
    if (error.matches(PyExc_LookupError)) {
      throw SourceError(filename, cookie_line, 1, "unknown encoding `" + encoding + "` in the coding declaration; Python cannot import this file");
    }
    if (error.matches(PyExc_UnicodeDecodeError)) {
      Py_ssize_t start = 0;
      PyUnicodeDecodeError_GetStart(error.value().ptr(), &start);
      const SourceMark at = mark_at_offset(body, static_cast<std::size_t>(start));
      throw SourceError(filename, at.line, at.column, "the source is not valid " + encoding + " (its coding declaration, line " + std::to_string(cookie_line) + ")");
    }
    throw SourceError(filename, cookie_line, 1, "the source cannot be decoded as " + encoding + ": " + utf8(nb::str(error.value())));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    throw SourceError(filename, cookie_line, 1, "the source decoded as " + encoding + " holds characters Python source cannot (lone surrogates)");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

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
  const bool bom = bytes.starts_with("\xEF\xBB\xBF");
  const std::string_view body = bom ? bytes.substr(3) : bytes;

  // Line 1, and line 2 when line 1 holds no code: where a coding declaration counts.
  std::optional<std::string> encoding;
  int cookie_line = 0;
  const std::string_view first = line_from(body, 0);
  for (int number = 1; number <= 2; ++number) {
    const std::string_view line = number == 1 ? first : line_from(body, first.size());
    if (line.empty()) break;
    if (const std::size_t bad = first_invalid_utf8(line); bad != std::string_view::npos) {
      // tokenize reads these lines as UTF-8 to look for the declaration; so does CPython's tokenizer.
      if (cookie_of(line.substr(0, bad))) throw SourceError(filename, number, static_cast<int>(bad) + 1, "invalid or missing encoding declaration");
      break;
    }
    if (auto cookie = cookie_of(line)) {
      encoding = normal_name(*cookie);
      cookie_line = number;
      break;
    }
    if (number == 1 && !blank_or_comment(line)) break;
  }

  if (encoding && *encoding != "utf-8") {
    if (bom) throw SourceError(filename, cookie_line, 1, "the file starts with a UTF-8 byte order mark but declares the encoding `" + *encoding + "`");
    return decode_with_codec(body, *encoding, cookie_line, filename);
  }
  if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos) {
    const SourceMark at = mark_at_offset(body, bad);
    throw SourceError(filename, at.line, at.column,
                      "the source is not valid UTF-8 and declares no other encoding; add a coding declaration (PEP 263) or save it as UTF-8");
  }
  return std::string(body);
}

}  // namespace importspy::bindings
