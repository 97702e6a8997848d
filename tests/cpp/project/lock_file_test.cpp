#include <gtest/gtest.h>

#include "importspy/project/lock_file.hpp"
#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

ModuleFacts hashed(const std::string& file_hash, const std::string& f_hash) {
  ModuleFacts m = module_at();
  m.file_sha256 = file_hash;
  FunctionFact f = function("f");
  f.structure_hash = f_hash;
  m.functions.push_back(f);
  return m;
}

}  // namespace

TEST(LockFile, round_trips_through_its_json) {
  LockFile lock;
  lock.modules["p/a.py"] = lock_entry(hashed("aa", "sha256:1"));
  const LockFile read = read_lock(write_lock(lock), "importspy.lock");
  EXPECT_EQ(read.modules.at("p/a.py").file_sha256, "aa");
  EXPECT_EQ(read.modules.at("p/a.py").definitions.at("f"), "sha256:1");
}

TEST(LockFile, writes_the_file_digest_with_the_sha256_prefix_as_its_definitions) {
  LockFile lock;
  lock.modules["p/a.py"] = lock_entry(hashed(std::string(64, 'a'), "sha256:" + std::string(64, 'b')));
  const std::string text = write_lock(lock);
  EXPECT_NE(text.find("\"sha256\": \"sha256:" + std::string(64, 'a') + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"f\": \"sha256:" + std::string(64, 'b') + "\""), std::string::npos) << text;
}

TEST(LockFile, reads_digests_written_bare_or_with_the_prefix_alike) {
  const std::string hex(64, 'a'), other(64, 'b');
  const auto entry = [](const std::string& file, const std::string& f) {
    return "{\"importspy-lock\": 1, \"modules\": {\"a.py\": {\"sha256\": \"" + file + "\", \"definitions\": {\"f\": \"" + f + "\"}}}}";
  };
  const LockFile old_form = read_lock(entry(hex, "sha256:" + other), "x.lock");
  const LockFile new_form = read_lock(entry("sha256:" + hex, "sha256:" + other), "x.lock");
  const LockFile all_bare = read_lock(entry(hex, other), "x.lock");
  EXPECT_EQ(old_form.modules.at("a.py").file_sha256, hex);
  EXPECT_EQ(new_form.modules.at("a.py").file_sha256, hex);
  EXPECT_EQ(all_bare.modules.at("a.py").definitions.at("f"), "sha256:" + other);
  EXPECT_TRUE(lock_drift(new_form.modules.at("a.py"), hashed(hex, "sha256:" + other), "x.lock").empty());
  EXPECT_TRUE(lock_drift(all_bare.modules.at("a.py"), hashed(hex, "sha256:" + other), "x.lock").empty());
}

TEST(LockFile, drift_names_changed_added_and_removed_definitions) {
  const LockedModule locked = lock_entry(hashed("aa", "sha256:1"));
  EXPECT_TRUE(lock_drift(locked, hashed("aa", "sha256:1"), "importspy.lock").empty());
  auto changed = lock_drift(locked, hashed("bb", "sha256:2"), "importspy.lock");
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].code, "integrity-mismatch");
  EXPECT_EQ(changed[1].path, "lock.definitions.f");
  ModuleFacts renamed = hashed("aa", "sha256:1");
  renamed.functions[0].name = "g";
  auto moved = lock_drift(locked, renamed, "importspy.lock");
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_NE(moved[0].message.find("was removed"), std::string::npos);
  EXPECT_NE(moved[1].message.find("was added"), std::string::npos);
}

TEST(LockFile, damaged_files_are_errors_naming_the_file) {
  EXPECT_THROW(read_lock("{", "x.lock"), LockError);
  EXPECT_THROW(read_lock("{\"modules\": {}}", "x.lock"), LockError);
  try {
    read_lock("{\"importspy-lock\": 1, \"modules\": {\"a.py\": {}}}", "x.lock");
    FAIL();
  } catch (const LockError& e) {
    EXPECT_NE(std::string(e.what()).find("x.lock: the entry of `a.py`"), std::string::npos);
  }
}

TEST(LockFile, a_number_beyond_a_double_or_a_version_of_another_type_is_a_lock_error) {
  EXPECT_THROW(read_lock("{\"importspy-lock\": 1e99999, \"modules\": {}}", "x.lock"), LockError);
  EXPECT_THROW(read_lock("{\"importspy-lock\": \"1\", \"modules\": {}}", "x.lock"), LockError);
}
