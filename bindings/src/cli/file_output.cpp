#include "cli/file_output.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace importspy::bindings {

namespace fs = std::filesystem;

bool write_whole_file(const std::string& path, const std::string& text, ExistingFile existing) {
#ifndef _WIN32
  std::string temporary = path + ".importspy-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return false;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = ::fchmod(fd, 0666 & ~mask) == 0;  // as an ordinary new file, not mkstemp's 0600
  for (std::size_t written = 0; ok && written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (existing == ExistingFile::keep) {
    ok = ok && ::link(temporary.c_str(), path.c_str()) == 0;  // fails when the name exists, whatever it is
    ::unlink(temporary.c_str());
    return ok;
  }
  std::error_code ec;
  if (ok) fs::rename(temporary, path, ec);
  if (!ok || ec) fs::remove(temporary, ec);
  return ok && !ec;
#else
  std::error_code ec;
  if (existing == ExistingFile::keep && fs::exists(fs::symlink_status(path, ec))) return false;
  const fs::path temporary = fs::path(path + ".importspy-tmp");
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out) return false;
  }
  fs::rename(temporary, path, ec);
  if (ec) fs::remove(temporary, ec);
  return !ec;
#endif
}

}  // namespace importspy::bindings
