#include "extract/source_facts_cache.hpp"

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "importspy/facts/stored_form.hpp"
#include "importspy/util/file_stamp.hpp"
#include "extract/per_user_store.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"

namespace importspy::bindings {
namespace {

struct Entry {
  FileStamp stamp;
  std::chrono::system_clock::time_point read_at;
  std::string text;
  std::shared_ptr<const ModuleFacts> facts;
};

std::mutex g_mutex;
std::unordered_map<std::string, Entry> g_entries;
std::atomic<std::size_t> g_hits{0}, g_reads{0}, g_stored{0};

std::string read_whole(const std::filesystem::path& path) { return read_source_file(path, SourceLimits{}.max_bytes); }

// How a source is read, for the caches' keys: the parser, the reading target in full (a target a command
// named reads other facts than the running interpreter, which the hook and Spy read for), the digests
// asked for and the limits (the defaults: the paths that cache facts read under no others).
std::string reading_description(const ExtractOptions& options) {
  const SourceLimits limits;
  std::string description = options.parser == SourceParser::cpython ? "cpython|" : "reader|";
  description += options.structure_hashes ? "hashes" : options.file_sha256 ? "sha256" : "no digest";
  if (const auto target = reading_target()) {
    for (const std::string& part : {target->sys_platform, target->os_name, target->platform_system, std::to_string(target->python_major),
                                    std::to_string(target->python_minor), std::to_string(target->python_micro), target->byteorder}) {
      description += '|';
      description += part;
    }
  } else {
    description += "|any";
  }
  for (const std::size_t limit : {limits.max_bytes, limits.inheritance.max_superclasses, limits.inheritance.max_bases, limits.inheritance.max_inheritance_entries}) {
    description += '|';
    description += std::to_string(limit);
  }
  return description;
}

// The in-memory cache's key: the file, the module name and `reading` (reading_description()).
std::string key_of(const std::filesystem::path& path, const std::string& module_name, const std::string& reading) {
  std::string key = path.string();
  key += '\0';
  key += module_name;
  key += '\0';
  key += reading;
  return key;
}

// Facts read from source, kept between processes (docs/python-api.md, "What a cold check reads"): the
// same bytes read the same way by the same engine give the same facts, so a fresh process reads them back
// instead of reading the source again. Opened once per process; nullptr when nothing can be kept.
const EngineStore* stored_facts() {
  static const std::optional<EngineStore> store = EngineStore::open("facts", "facts");
  return store ? &*store : nullptr;
}

// The facts of `source` (the bytes of `path`, read as `reading` describes): with
// ExtractOptions::per_user_store, from the per-user store when this engine read the same bytes the same way
// before, else read, and stored. Only the reader's facts are kept (CPython's parser is the oracle the
// reader is compared with: it is always run).
std::shared_ptr<const ModuleFacts> facts_of_source(std::string_view source, const std::filesystem::path& path, const std::string& module_name,
                                                   const ExtractOptions& options, const std::string& reading) {
  const EngineStore* stored = options.per_user_store && options.parser == SourceParser::reader ? stored_facts() : nullptr;
  std::string key;
  if (stored) {
    key = stored_facts_key(source, path.string(), module_name, reading, stored->engine());
    const auto bytes = stored->load(key);
    if (auto facts = bytes ? decode_facts(*bytes) : std::nullopt) {
      ++g_stored;
      return std::make_shared<const ModuleFacts>(*std::move(facts));
    }
  }
  ++g_reads;
  auto facts = std::make_shared<const ModuleFacts>(extract_static_source(source, path.string(), module_name, options));
  if (stored) stored->store(key, encode_facts(*facts));
  return facts;
}

}  // namespace

std::shared_ptr<const ModuleFacts> cached_static_facts(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options) {
  const auto stamp = file_stamp(path);
  if (!stamp) return std::make_shared<const ModuleFacts>(extract_static_file(path, module_name, options));  // reports why
  const std::string reading = reading_description(options);
  const std::string key = key_of(path, module_name, reading);
  {
    std::lock_guard lock(g_mutex);
    auto it = g_entries.find(key);
    if (it != g_entries.end() && it->second.stamp == *stamp) {
      if (stamp_is_trustworthy(*stamp, it->second.read_at)) {
        ++g_hits;
        return it->second.facts;
      }
      if (read_whole(path) == it->second.text) {
        ++g_hits;
        it->second.read_at = std::chrono::system_clock::now();
        return it->second.facts;
      }
    }
  }
  const auto read_at = std::chrono::system_clock::now();
  std::string text = read_whole(path);
  // The map only guards the entries: reading is done outside the lock.
  auto facts = facts_of_source(text, path, module_name, options, reading);
  std::lock_guard lock(g_mutex);
  g_entries[key] = Entry{*stamp, read_at, std::move(text), facts};
  return facts;
}

std::shared_ptr<const ModuleFacts> static_facts_of_bytes(const std::filesystem::path& path, const std::string& bytes, const std::string& module_name,
                                                         const ExtractOptions& options) {
  const std::string reading = reading_description(options);
  const std::string key = key_of(path, module_name, reading);
  {
    std::lock_guard lock(g_mutex);
    auto it = g_entries.find(key);
    if (it != g_entries.end() && it->second.text == bytes) {
      ++g_hits;
      return it->second.facts;
    }
  }
  const auto read_at = std::chrono::system_clock::now();
  auto facts = facts_of_source(bytes, path, module_name, options, reading);
  // Stored under the file's stamp only when the file still has it: a later path lookup re-reads otherwise.
  if (const auto stamp = file_stamp(path)) {
    std::lock_guard lock(g_mutex);
    g_entries[key] = Entry{*stamp, read_at, bytes, facts};
  }
  return facts;
}

SourceFactsStats source_facts_stats() { return {g_hits.load(), g_reads.load(), g_stored.load()}; }

void clear_static_facts_cache() {
  std::lock_guard lock(g_mutex);
  g_entries.clear();
}

}  // namespace importspy::bindings
