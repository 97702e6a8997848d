#include "importspy/file_stamp.hpp"

#include <chrono>

namespace importspy {

std::optional<FileStamp> file_stamp(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  const auto modified = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return FileStamp{size, modified};
}

bool stamp_is_trustworthy(const FileStamp& stamp, std::filesystem::file_time_type read_at) {
  return stamp.modified + std::chrono::seconds(2) < read_at;
}

}  // namespace importspy
