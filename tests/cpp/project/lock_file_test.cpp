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
