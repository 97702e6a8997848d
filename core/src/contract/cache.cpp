#include "importspy/contract/cache.hpp"

#include <chrono>
#include <fstream>

namespace importspy {
namespace {

// In blocks, not character by character: a cold embedded check reads its contract once per process.
std::optional<std::string> read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  char buffer[1 << 14];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) text.append(buffer, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return std::nullopt;
  return text;
}

}  // namespace

std::shared_ptr<const Contract> ContractCache::load(const std::filesystem::path& path, const ContractLimits& limits, const CompiledContractStore* store) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  const std::string key = absolute.lexically_normal().string();
  const auto stamp = file_stamp(absolute);
  if (!stamp) {
    // Let the loader produce its precise error (missing, directory, unreadable).
    std::lock_guard lock(mutex_);
    entries_.erase(key);
    ++stats_.compiles;
    return load_contract_file(path, limits);
  }
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.stamp == *stamp) {
      if (stamp_is_trustworthy(*stamp, it->second.read_at)) {
        ++stats_.hits;
        return it->second.contract;
      }
      if (auto text = read_whole(absolute); text && *text == it->second.text) {
        ++stats_.rereads;
        it->second.read_at = std::chrono::system_clock::now();
        return it->second.contract;
      }
    }
  }
  // Compile outside the lock: a slow compile must not block other contracts' lookups.
  const auto read_at = std::chrono::system_clock::now();
  auto text = read_whole(absolute);
  if (!text) return load_contract_file(path, limits);  // the loader reports why it cannot be read
  if (text->size() > limits.max_bytes) return load_contract_file(path, limits);
  std::shared_ptr<const Contract> contract;
  const std::string stored_key = store ? compiled_contract_key(*text, limits, store->engine_version()) : std::string();
  if (store) {
    if (const auto bytes = store->load(stored_key)) contract = decode_contract(*bytes, path.string());
    if (contract) {
      std::lock_guard lock(mutex_);
      ++stats_.stored;
      entries_[key] = Entry{*stamp, read_at, *std::move(text), contract};
      return contract;
    }
  }
  try {
    contract = parse_contract(*text, path.string(), limits);
  } catch (...) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
    ++stats_.compiles;
    throw;
  }
  if (store) store->store(stored_key, encode_contract(*contract));
  std::lock_guard lock(mutex_);
  ++stats_.compiles;
  entries_[key] = Entry{*stamp, read_at, *std::move(text), contract};
  return contract;
}

ContractCache::Stats ContractCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t ContractCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ContractCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  stats_ = {};
}

ContractCache& default_contract_cache() {
  static ContractCache cache;
  return cache;
}

}  // namespace importspy
