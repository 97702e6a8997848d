#include "importspy/project/lock_file.hpp"

#include <nlohmann/json.hpp>

#include "importspy/report/violation_codes.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

Violation drift(std::string_view code, std::string path, std::optional<std::string> expected, std::optional<std::string> actual, std::string message,
                const std::string& lock_source) {
  const ViolationCode& entry = violation_code(code);
  return Violation{std::string(code), entry.category, Context::module, std::move(path), std::move(expected), std::move(actual), std::move(message),
                   "review the change, then run `importspy lock` again to accept it (" + lock_source + ")", {}, 0};
}

constexpr std::string_view kPrefix = "sha256:";

// A digest as every ImportSpy output writes it: `sha256:<hex>` (what `importspy hash` prints and `hash:`
// pins carry); empty stays empty.
std::string prefixed(const std::string& digest) { return digest.empty() || digest.starts_with(kPrefix) ? digest : std::string(kPrefix) + digest; }

// The hex digits of a digest written with or without the prefix.
std::string bare(std::string digest) {
  if (digest.starts_with(kPrefix)) digest.erase(0, kPrefix.size());
  return digest;
}

}  // namespace

LockedModule lock_entry(const ModuleFacts& facts) {
  LockedModule entry;
  entry.file_sha256 = facts.file_sha256.value_or("");
  for (const auto& f : facts.functions) {
    if (f.structure_hash) entry.definitions[f.name] = *f.structure_hash;
  }
  for (const auto& c : facts.classes) {
    if (c.structure_hash) entry.definitions[c.name] = *c.structure_hash;
    for (const auto& m : c.methods) {
      if (m.structure_hash) entry.definitions[c.name + "." + m.name] = *m.structure_hash;
    }
  }
  return entry;
}

std::string write_lock(const LockFile& lock) {
  json modules = json::object();
  // One form for every digest of the file: `sha256:<hex>`, the file's as its definitions'.
  for (const auto& [target, entry] : lock.modules) modules[target] = {{"sha256", prefixed(entry.file_sha256)}, {"definitions", entry.definitions}};
  // A module named by bytes that are not UTF-8 (its file name) is written with U+FFFD in their place.
  return json{{"importspy-lock", 1}, {"modules", std::move(modules)}}.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

LockFile read_lock(std::string_view text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& error) {  // out_of_range too: a number beyond a double
    throw LockError(source + ": not a valid lock file (JSON): " + error.what());
  }
  if (!document.is_object() || !document.contains("importspy-lock") || document["importspy-lock"] != 1 || !document.contains("modules") || !document["modules"].is_object()) {
    throw LockError(source + ": not an importspy lock file (version 1); write one with `importspy lock`");
  }
  LockFile lock;
  for (const auto& [target, entry] : document["modules"].items()) {
    try {
      LockedModule locked;
      // Lock files written before every digest carried its prefix hold the file's bare: both are read.
      locked.file_sha256 = bare(entry.at("sha256").get<std::string>());
      for (auto& [name, digest] : entry.at("definitions").get<std::map<std::string, std::string>>()) locked.definitions.emplace(name, prefixed(digest));
      lock.modules.emplace(target, std::move(locked));
    } catch (const json::exception&) {
      throw LockError(source + ": the entry of `" + target + "` needs \"sha256\" and \"definitions\"");
    }
  }
  return lock;
}

std::vector<Violation> lock_drift(const LockedModule& locked, const ModuleFacts& now, const std::string& lock_source) {
  std::vector<Violation> out;
  const LockedModule current = lock_entry(now);
  if (current.file_sha256 != locked.file_sha256) {
    out.push_back(drift(codes::integrity_mismatch, "lock.file", prefixed(locked.file_sha256), prefixed(current.file_sha256),
                        "the file changed since it was locked", lock_source));
  }
  for (const auto& [name, hash] : locked.definitions) {
    auto it = current.definitions.find(name);
    if (it == current.definitions.end()) {
      out.push_back(drift(codes::hash_mismatch, "lock.definitions." + name, hash, std::nullopt, "`" + name + "` was removed since it was locked", lock_source));
    } else if (it->second != hash) {
      out.push_back(drift(codes::hash_mismatch, "lock.definitions." + name, hash, it->second, "`" + name + "` changed since it was locked", lock_source));
    }
  }
  for (const auto& [name, hash] : current.definitions) {
    if (!locked.definitions.count(name)) {
      out.push_back(drift(codes::hash_mismatch, "lock.definitions." + name, std::nullopt, hash, "`" + name + "` was added since the lock", lock_source));
    }
  }
  return out;
}

}  // namespace importspy
