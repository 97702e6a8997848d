#pragma once
// Serves an unchanged contract file from memory instead of reading and compiling it again.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "importspy/contract/loader.hpp"
#include "importspy/util/file_stamp.hpp"

namespace importspy {

// Thread-safe. A file is taken as unchanged when its size and modification time are as they were and
// the timestamp can be trusted (file_stamp.hpp); otherwise it is read again and compared byte for byte,
// so an edit inside one timestamp tick is never missed.
class ContractCache {
public:
  std::shared_ptr<const Contract> load(const std::filesystem::path& path, const ContractLimits& limits = {});

  struct Stats {
    std::size_t hits = 0;      // served without reading the file
    std::size_t rereads = 0;   // read again because the timestamp was too recent, then found unchanged
    std::size_t compiles = 0;  // read and compiled
  };
  Stats stats() const;
  std::size_t size() const;
  void clear();

private:
  struct Entry {
    FileStamp stamp;
    std::chrono::system_clock::time_point read_at;
    std::string text;
    std::shared_ptr<const Contract> contract;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  Stats stats_;
};

// The process-wide cache the bindings use.
ContractCache& default_contract_cache();

}  // namespace importspy
