#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include "importspy/project/result_cache.hpp"
#include "support.hpp"

using namespace importspy;
namespace fs = std::filesystem;

TEST(Sha256, known_digest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Blake2b, known_digests_of_256_bits) {
  EXPECT_EQ(blake2b_hex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(blake2b_hex("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

// Known answers from an independent implementation (Python's hashlib.blake2b with key=, digest_size=32).
TEST(KeyedBlake2b, a_key_of_16_to_64_bytes_is_the_blake2b_key) {
  EXPECT_EQ(keyed_blake2b_hex(std::string(32, 'k'), "importspy"), "5e0c3d34508c73cccd76f384c4164e052d8b49095d1d893cd49edb324918e4e7");
  EXPECT_EQ(keyed_blake2b_hex("0123456789abcdef", ""), "bb15a8d39254ae1e047af5048db790eb55be8a642259b42e9a45f098079c6ef0");
}

TEST(KeyedBlake2b, a_shorter_or_longer_key_is_hashed_to_32_bytes_first) {
  EXPECT_EQ(keyed_blake2b_hex(std::string(100, 'x'), "importspy"), "aee13c2f9e6b4b21a0c6bd30ad81d734d7b3eba4a570bd270ce7b40418276e43");
  EXPECT_EQ(keyed_blake2b_hex("abc", "importspy"), "21b068ea0b49c9bb3f12926e7c4b1cc27d9afbe31bb8ed64cc704922c44be7c7");
  EXPECT_NE(keyed_blake2b_hex("abc", "importspy"), blake2b_hex("importspy"));  // keyed, not plain
}

TEST(ResultCacheKey, depends_on_every_input_and_never_on_secret_values) {
  EnvironmentFacts env = importspy::testing::linux_cpython();
  env.variables = {{"MODE", "prod"}, {"TOKEN", "secret-1"}};
  ResultKey parts{"0.1.0", "static", "contract", "source", "m.py", "pkg.m", "c.yml", &env, {"TOKEN"}};
  const std::string base = result_cache_key(parts);
  auto changed = [&](auto edit) {
    ResultKey copy = parts;
    EnvironmentFacts env_copy = env;
    copy.environment = &env_copy;
    edit(copy, env_copy);
    return result_cache_key(copy);
  };
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.source_text = "source2"; }));
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.contract_text = "contract2"; }));
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.engine_version = "0.2.0"; }));
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.module_name = "other.m"; }));  // same bytes, another module
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.python_version = "3.12.0"; }));
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["MODE"] = "dev"; }));
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["TOKEN"] = ""; }));
  EXPECT_EQ(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["TOKEN"] = "secret-2"; }));  // value never counts
}

TEST(ResultCache, stores_and_loads_a_report_with_everything_renderers_need) {
  const fs::path folder = fs::temp_directory_path() / "importspy_result_cache_test";
  fs::remove_all(folder);
  ResultCache cache(folder, std::string(64, 'k'));
  Report report;
  report.contract_source = "c.yml";
  report.module_filename = "m.py";
  report.violations.push_back(Violation{"variable-missing", Category::missing, Context::module, "variables.x", "'a'", std::nullopt, "msg", "hint", {3, 5}, 0});
  report.trace = CheckTrace{"deployments[0]", {"variables.x"}};
  cache.store("abcdef", report);
  const auto loaded = cache.load("abcdef");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->violations.size(), 1u);
  EXPECT_EQ(loaded->violations[0].contract_mark.line, 3);
  EXPECT_EQ(loaded->violations[0].expected, "'a'");
  EXPECT_FALSE(loaded->violations[0].actual.has_value());
  EXPECT_EQ(loaded->trace->rules, (std::vector<std::string>{"variables.x"}));
  EXPECT_FALSE(cache.load("missing").has_value());
  cache.store_summary("contract-key", {{"A", "B"}, {"B"}});
  EXPECT_EQ(cache.load_summary("contract-key")->secret_names, (std::vector<std::string>{"B"}));
  fs::remove_all(folder);
}

TEST(ResultCache, a_damaged_entry_is_a_miss) { EXPECT_FALSE(deserialize_report("{ not json").has_value()); }

namespace {

// A cache in a fresh folder under `secret`, and a report with one violation.
struct CacheFixture {
  fs::path folder = fs::temp_directory_path() / ("importspy_result_cache_" + std::to_string(::getpid()));
  CacheFixture() { fs::remove_all(folder); }
  ~CacheFixture() { fs::remove_all(folder); }
  static Report failing() {
    Report report;
    report.contract_source = "c.yml";
    report.module_filename = "m.py";
    report.violations.push_back(Violation{"variable-missing", Category::missing, Context::module, "variables.x", "'a'", std::nullopt, "msg", "hint", {3, 5}, 0});
    return report;
  }
  fs::path only_entry() const {
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      // Entries live under v1/; the folder's own .gitignore and CACHEDIR.TAG are not entries.
      if (entry.is_regular_file() && entry.path().parent_path() != folder && entry.path().parent_path().filename() != "contracts") return entry.path();
    }
    return {};
  }
};

}  // namespace

TEST(ResultCache, an_entry_written_under_another_key_is_a_miss) {
  CacheFixture f;
  ResultCache(f.folder, std::string(64, 'a')).store("abcdef", CacheFixture::failing());
  EXPECT_TRUE(ResultCache(f.folder, std::string(64, 'a')).load("abcdef").has_value());
  EXPECT_FALSE(ResultCache(f.folder, std::string(64, 'b')).load("abcdef").has_value());
}

TEST(ResultCache, a_tampered_entry_is_a_miss) {
  CacheFixture f;
  ResultCache cache(f.folder, std::string(64, 'a'));
  cache.store("abcdef", CacheFixture::failing());
  const fs::path entry = f.only_entry();
  std::string text = *read_regular_file(entry, 1 << 20);
  const size_t code = text.find("variable-missing");
  ASSERT_NE(code, std::string::npos);
  text.replace(code, 16, "variable-mizzing");
  std::ofstream(entry, std::ios::binary | std::ios::trunc) << text;
  EXPECT_FALSE(cache.load("abcdef").has_value());
}

TEST(ResultCache, an_entry_copied_to_another_lookup_key_is_a_miss) {
  CacheFixture f;
  ResultCache cache(f.folder, std::string(64, 'a'));
  Report passing;
  passing.contract_source = "c.yml";
  passing.module_filename = "m.py";
  cache.store("aaaaaa", passing);
  cache.store("bbbbbb", CacheFixture::failing());
  fs::copy_file(f.folder / "v1" / "aa" / "aaaaaa.json", f.folder / "v1" / "bb" / "bbbbbb.json", fs::copy_options::overwrite_existing);
  EXPECT_TRUE(cache.load("aaaaaa").has_value());
  EXPECT_FALSE(cache.load("bbbbbb").has_value());
}

TEST(ResultCache, an_unauthenticated_entry_of_the_old_format_is_a_miss) {
  CacheFixture f;
  fs::create_directories(f.folder / "v1" / "ab");
  std::ofstream(f.folder / "v1" / "ab" / "abcdef.json") << serialize_report(CacheFixture::failing());
  EXPECT_FALSE(ResultCache(f.folder, std::string(64, 'a')).load("abcdef").has_value());
}

TEST(ResultCache, the_folder_it_creates_is_ignored_by_git_and_tagged_as_a_cache) {
  CacheFixture f;
  ResultCache(f.folder, std::string(64, 'a')).store("abcdef", CacheFixture::failing());
  EXPECT_EQ(read_regular_file(f.folder / ".gitignore", 4096).value_or("").find("\n*\n") != std::string::npos, true);
  const std::string tag = read_regular_file(f.folder / "CACHEDIR.TAG", 4096).value_or("");
  EXPECT_TRUE(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55")) << tag;
}

TEST(ResultCache, a_gitignore_of_the_user_in_the_folder_is_left_as_it_is) {
  CacheFixture f;
  fs::create_directories(f.folder);
  std::ofstream(f.folder / ".gitignore") << "mine\n";
  ResultCache(f.folder, std::string(64, 'a')).store("abcdef", CacheFixture::failing());
  EXPECT_EQ(read_regular_file(f.folder / ".gitignore", 4096), std::optional<std::string>("mine\n"));
  EXPECT_TRUE(fs::exists(f.folder / "CACHEDIR.TAG"));
}

TEST(ResultCache, without_a_key_nothing_is_stored_or_served) {
  CacheFixture f;
  ResultCache cache(f.folder, std::nullopt);
  cache.store("abcdef", CacheFixture::failing());
  EXPECT_FALSE(fs::exists(f.folder / "v1" / "ab" / "abcdef.json"));
  EXPECT_FALSE(fs::exists(f.folder));  // not even the folder
  EXPECT_FALSE(cache.load("abcdef").has_value());
}

TEST(ResultCache, a_folder_a_fifo_or_a_link_to_a_device_in_place_of_an_entry_is_a_miss_that_never_blocks) {
  CacheFixture f;
  ResultCache cache(f.folder, std::string(64, 'a'));
  fs::create_directories(f.folder / "v1" / "aa" / "aaaaaa.json");
  fs::create_directories(f.folder / "v1" / "bb");
  ASSERT_EQ(::mkfifo((f.folder / "v1" / "bb" / "bbbbbb.json").c_str(), 0600), 0);
  fs::create_directories(f.folder / "v1" / "cc");
  fs::create_symlink("/dev/zero", f.folder / "v1" / "cc" / "cccccc.json");
  fs::create_directories(f.folder / "v1" / "contracts");
  ASSERT_EQ(::mkfifo((f.folder / "v1" / "contracts" / "dddddd.json").c_str(), 0600), 0);
  EXPECT_FALSE(cache.load("aaaaaa").has_value());
  EXPECT_FALSE(cache.load("bbbbbb").has_value());  // opened O_NONBLOCK and refused by type: no writer needed
  EXPECT_FALSE(cache.load("cccccc").has_value());  // not followed
  EXPECT_FALSE(cache.load_summary("dddddd").has_value());
  cache.store("aaaaaa", CacheFixture::failing());  // a folder in the way: the write fails quietly
  EXPECT_FALSE(cache.load("aaaaaa").has_value());
}

TEST(ResultCacheKeyFile, is_created_private_and_read_back_the_same) {
  CacheFixture f;
  const fs::path path = f.folder / "importspy" / "key";
  const auto first = load_or_create_cache_key(path);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(load_or_create_cache_key(path), first);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(path.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(ResultCacheKeyFile, a_key_others_can_read_or_a_link_is_refused) {
  CacheFixture f;
  const fs::path path = f.folder / "importspy" / "key";
  ASSERT_TRUE(load_or_create_cache_key(path).has_value());
  fs::permissions(path, fs::perms::group_read, fs::perm_options::add);
  EXPECT_FALSE(load_or_create_cache_key(path).has_value());
  fs::remove(path);
  fs::create_symlink("/dev/zero", path);
  EXPECT_FALSE(load_or_create_cache_key(path).has_value());
}

TEST(ResultCache, keeps_an_architecture_reports_chains_with_every_line_and_warnings) {
  Report report;
  Violation v;
  v.code = "architecture-forbidden";
  v.chain = {"p.a", "p.b"};
  v.chains = {{{"p.a", "p/a.py", 3, {3, 8}}, {"p.b", "p/b.py", 0}}};
  report.violations.push_back(v);
  Violation w;
  w.code = "architecture-ignore-unmatched";
  w.contract_mark = {7, 9};
  report.warnings.push_back(w);
  const auto back = deserialize_report(serialize_report(report));
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->violations.size(), 1u);
  EXPECT_EQ(back->violations[0].chain, v.chain);
  ASSERT_EQ(back->violations[0].chains.size(), 1u);
  EXPECT_EQ(back->violations[0].chains[0][0].file, "p/a.py");
  EXPECT_EQ(back->violations[0].chains[0][0].line, 3);
  EXPECT_EQ(back->violations[0].chains[0][0].lines, (std::vector<int>{3, 8}));  // every line of the import
  EXPECT_TRUE(back->violations[0].chains[0][1].lines.empty());
  ASSERT_EQ(back->warnings.size(), 1u);
  EXPECT_EQ(back->warnings[0].contract_mark.line, 7);
}
