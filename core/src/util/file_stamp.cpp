#include "importspy/util/file_stamp.hpp"

#ifndef _WIN32
#include <sys/stat.h>
#endif

namespace importspy {

std::optional<FileStamp> file_stamp(const std::filesystem::path& path) {
#ifdef _WIN32
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  const auto modified = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return FileStamp{size, std::chrono::clock_cast<std::chrono::system_clock>(modified)};
#else
  return file_stamp(path.c_str());
#endif
}

std::optional<FileStamp> file_stamp(const char* path) {
#ifdef _WIN32
  return file_stamp(std::filesystem::path(path));
#else
  struct stat info {};
  if (::stat(path, &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
#ifdef __APPLE__
  const auto& time = info.st_mtimespec;
#else
  const auto& time = info.st_mtim;
#endif
  const auto since_epoch = std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec);
  return FileStamp{static_cast<std::uintmax_t>(info.st_size),
                   std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch))};
#endif
}

bool stamp_is_trustworthy(const FileStamp& stamp, std::chrono::system_clock::time_point read_at) {
  return stamp.modified + std::chrono::seconds(2) < read_at;
}

}  // namespace importspy
