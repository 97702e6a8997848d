#include "extract/source_facts_cache.hpp"

#include <mutex>
#include <unordered_map>

#include "importspy/util/file_stamp.hpp"
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

std::string read_whole(const std::filesystem::path& path) { return read_source_file(path, SourceLimits{}.max_bytes); }

std::string key_of(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options) {
  // Separators as std::string: a "\0..." literal would end at its NUL and add nothing to the key.
  std::string key = path.string();
  key += '\0';
  key += module_name;
  if (options.structure_hashes) key += std::string("\0hashes", 7);
  if (!options.file_sha256 && !options.structure_hashes) key += std::string("\0no file digest", 15);  // facts without ModuleFacts::file_sha256
  if (options.parser == SourceParser::cpython) key += std::string("\0cpython", 8);
  // Facts read for a target a command named are not those of the running interpreter (which the hook
  // and Spy read for): one key each.
  if (reading_target_is_named()) key += std::string("\0for ", 5) + reading_target_label(reading_target());
  return key;
}

}  // namespace

std::shared_ptr<const ModuleFacts> cached_static_facts(const std::filesystem::path& path, const std::string& module_name, const ExtractOptions& options) {
  const auto stamp = file_stamp(path);
  if (!stamp) return std::make_shared<const ModuleFacts>(extract_static_file(path, module_name, options));  // reports why
  const std::string key = key_of(path, module_name, options);
  {
    std::lock_guard lock(g_mutex);
    auto it = g_entries.find(key);
    if (it != g_entries.end() && it->second.stamp == *stamp) {
      if (stamp_is_trustworthy(*stamp, it->second.read_at)) return it->second.facts;
      if (read_whole(path) == it->second.text) {
        it->second.read_at = std::chrono::system_clock::now();
        return it->second.facts;
      }
    }
  }
  const auto read_at = std::chrono::system_clock::now();
  std::string text = read_whole(path);
  // The map only guards the entries: reading is done outside the lock.
  auto facts = std::make_shared<const ModuleFacts>(extract_static_source(text, path.string(), module_name, options));
  std::lock_guard lock(g_mutex);
  g_entries[key] = Entry{*stamp, read_at, std::move(text), facts};
  return facts;
}

std::shared_ptr<const ModuleFacts> static_facts_of_bytes(const std::filesystem::path& path, const std::string& bytes, const std::string& module_name,
                                                         const ExtractOptions& options) {
  const std::string key = key_of(path, module_name, options);
  {
    std::lock_guard lock(g_mutex);
    auto it = g_entries.find(key);
    if (it != g_entries.end() && it->second.text == bytes) return it->second.facts;
  }
  const auto read_at = std::chrono::system_clock::now();
  auto facts = std::make_shared<const ModuleFacts>(extract_static_source(bytes, path.string(), module_name, options));
  // Stored under the file's stamp only when the file still has it: a later path lookup re-reads otherwise.
  if (const auto stamp = file_stamp(path)) {
    std::lock_guard lock(g_mutex);
    g_entries[key] = Entry{*stamp, read_at, bytes, facts};
  }
  return facts;
}

void clear_static_facts_cache() {
  std::lock_guard lock(g_mutex);
  g_entries.clear();
}

}  // namespace importspy::bindings
