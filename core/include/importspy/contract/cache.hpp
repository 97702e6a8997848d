#pragma once
// Serves an unchanged contract file from memory instead of reading and compiling it again.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "importspy/contract/compiled_form.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/util/file_stamp.hpp"

namespace importspy {

// Thread-safe. A file is taken as unchanged when its size and modification time are as they were and
// the timestamp can be trusted (file_stamp.hpp); otherwise it is read again and compared byte for byte,
// so an edit inside one timestamp tick is never missed.
//
// With a `store`, a contract not in memory is looked up there by the SHA-256 of its text (and of the
// engine and the limits: compiled_contract_key) before it is compiled, and kept there once compiled: a
// new process reads the compiled form instead of compiling the YAML again. The file is read either way;
// only text that compiles is ever stored.
class ContractCache {
public:
  std::shared_ptr<const Contract> load(const std::filesystem::path& path, const ContractLimits& limits = {},
                                       const CompiledContractStore* store = nullptr);

  struct Stats {
    std::size_t hits = 0;      // served without reading the file
    std::size_t rereads = 0;   // read again because the timestamp was too recent, then found unchanged
    std::size_t compiles = 0;  // read and compiled
    std::size_t stored = 0;    // read, and served compiled by the store
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
