#pragma once
// Telling an unchanged file from a changed one without reading it: the rule every cache here follows.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace importspy {

struct FileStamp {
  std::uintmax_t size = 0;
  std::chrono::system_clock::time_point modified;

  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// Size and modification time of a regular file, or nullopt when it cannot be read (missing, a
// directory, ...). One stat() on POSIX: this runs on every warm check.
std::optional<FileStamp> file_stamp(const std::filesystem::path& path);
// The same for a NUL-terminated path: no std::filesystem::path is built (the warm checks' form).
std::optional<FileStamp> file_stamp(const char* path);

// True when a file read at `read_at`, whose stamp is still `stamp`, can be taken as unchanged without
// reading it again. File systems with coarse timestamps (FAT: 2 s) cannot tell two writes inside one tick
// apart, so a file modified within two seconds of being read must be read and compared.
bool stamp_is_trustworthy(const FileStamp& stamp, std::chrono::system_clock::time_point read_at);

}  // namespace importspy
