#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/contract/compiled_form.hpp"
#include "importspy/project/result_cache.hpp"

using namespace importspy;
namespace fs = std::filesystem;

namespace {

// Every part of the compiled model at least once: values of each kind, annotations, argument kinds,
// hashes, imports, requires, deployments with variables, secrets and module entries, when_unsure.
constexpr const char* kRichContract = R"(importspy: 1
filename: plugin.py
version: ">=1.2,<2"
integrity:
  sha256: "0000000000000000000000000000000000000000000000000000000000000000"
when_unsure:
  imports: allow
variables:
  - name: engine
    value: docker
  - name: big
    value: 123456789012345678901234567890
  - name: ratio
    value: 0.1
  - name: flags
    value: [true, false, null, -3]
  - name: table
    value: {a: 1, b: [x, y]}
  - name: typed
    annotation: "list[int]"
functions:
  - name: register
    hash: "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    arguments:
      - name: host
        annotation: str
      - name: "*args"
      - name: priority
        kind: keyword_only
        value: 10
      - name: "**options"
    return_annotation: "Optional[str]"
classes:
  - name: Extension
    attributes:
      - type: class
        name: extension_name
        value: extension_value
      - type: instance
        name: count
        annotation: int
    methods:
      - name: add
        arguments:
          - name: self
    superclasses:
      - name: pkg.Plugin
imports:
  allowed: [json, "plugins.*"]
  forbidden: [subprocess]
  type_checking: true
  no_cycles: true
requires:
  - module: pkg.base
    contract: base.yml
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables:
            - name: MODE
              value: prod
            - name: HOME
          secrets: [TOKEN]
        pythons:
          - version: "3.11"
            interpreter: CPython
            modules:
              - filename: plugin.py
                variables:
                  - name: engine
                    value: docker
)";

// The store the bindings give, over the authenticated per-user cache (bindings/src/importing/code_cache.cpp).
class AuthenticatedStore final : public CompiledContractStore {
public:
  AuthenticatedStore(fs::path directory, std::string secret, std::string engine = "1.0-test")
      : cache_(std::move(directory), std::move(secret)), engine_(std::move(engine)) {}
  std::optional<std::string> load(const std::string& key) const override { return cache_.load_blob("contract", key); }
  void store(const std::string& key, const std::string& bytes) const override { cache_.store_blob("contract", key, bytes); }
  std::string_view engine_version() const override { return engine_; }
  const fs::path& directory() const { return cache_.directory(); }

private:
  ResultCache cache_;
  std::string engine_;
};

const std::string kSecret(64, 'k');

class CompiledFormTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("importspy_compiled_form_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = dir_ / "spymodel.yml";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& text) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << text;
    fs::last_write_time(path_, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  // Every entry file the store holds.
  std::vector<fs::path> entries(const fs::path& store) const {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(store, ec)) {
      if (entry.is_regular_file() && entry.path().filename().string().size() == 64) found.push_back(entry.path());
    }
    return found;
  }

  fs::path dir_;
  fs::path path_;
};

}  // namespace

TEST(CompiledForm, decodes_to_a_contract_that_encodes_to_the_same_bytes) {
  const auto contract = parse_contract(kRichContract, "rich.yml");
  const std::string bytes = encode_contract(*contract);
  const auto decoded = decode_contract(bytes, "rich.yml");
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(encode_contract(*decoded), bytes);
  EXPECT_EQ(decoded->source, "rich.yml");
  EXPECT_EQ(decoded->module.variables[1].value->repr(), "123456789012345678901234567890");
  EXPECT_EQ(decoded->module.variables[2].value->as_float(), 0.1);
  EXPECT_EQ(decoded->module.version->text(), contract->module.version->text());
  EXPECT_TRUE(decoded->module.version->matches("1.5"));
  EXPECT_EQ(decoded->secret_names, (std::vector<std::string>{"TOKEN"}));
  EXPECT_FALSE(decoded->when_unsure.deny_imports);
}

TEST(CompiledForm, every_bundled_example_contract_survives_the_round_trip) {
  int seen = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(IMPORTSPY_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".yml") continue;
    std::shared_ptr<const Contract> contract;
    try {
      contract = load_contract_file(entry.path());
    } catch (const ContractError&) {
      continue;  // examples of errors
    }
    const std::string bytes = encode_contract(*contract);
    const auto decoded = decode_contract(bytes, contract->source);
    ASSERT_NE(decoded, nullptr) << entry.path();
    EXPECT_EQ(encode_contract(*decoded), bytes) << entry.path();
    ++seen;
  }
  EXPECT_GT(seen, 0);
}

TEST(CompiledForm, refuses_every_truncation_and_trailing_bytes) {
  const std::string bytes = encode_contract(*parse_contract(kRichContract, "rich.yml"));
  for (std::size_t size = 0; size < bytes.size(); ++size) EXPECT_EQ(decode_contract(bytes.substr(0, size), "x"), nullptr) << size;
  EXPECT_EQ(decode_contract(bytes + '\0', "x"), nullptr);
}

TEST(CompiledForm, a_changed_byte_anywhere_decodes_to_a_contract_or_to_nothing_never_past_its_input) {
  const std::string bytes = encode_contract(*parse_contract(kRichContract, "rich.yml"));
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (const unsigned char flip : std::array<unsigned char, 3>{0x01, 0x80, 0xff}) {
      std::string changed = bytes;
      changed[at] = static_cast<char>(static_cast<unsigned char>(changed[at]) ^ flip);
      const auto decoded = decode_contract(changed, "x");  // AddressSanitizer runs this too
      if (decoded) {
        EXPECT_EQ(encode_contract(*decoded), changed) << at;
      }
    }
  }
}

TEST(CompiledForm, refuses_bytes_of_another_encoding) {
  std::string bytes = encode_contract(*parse_contract("filename: a.py\n", "a.yml"));
  bytes[bytes.find("-1") + 1] = '0';  // "importspy-compiled-contract-0"
  EXPECT_EQ(decode_contract(bytes, "a.yml"), nullptr);
}

TEST(CompiledForm, key_changes_with_the_text_the_engine_and_the_limits) {
  const std::string base = compiled_contract_key("filename: a.py\n", {}, "1.0");
  EXPECT_NE(base, compiled_contract_key("filename: b.py\n", {}, "1.0"));
  EXPECT_NE(base, compiled_contract_key("filename: a.py\n", {}, "1.1"));
  ContractLimits deeper;
  deeper.max_depth = 65;
  EXPECT_NE(base, compiled_contract_key("filename: a.py\n", deeper, "1.0"));
  EXPECT_EQ(base, compiled_contract_key("filename: a.py\n", {}, "1.0"));
}

TEST_F(CompiledFormTest, a_new_process_reads_the_compiled_form_instead_of_compiling) {
  write(kRichContract);
  const AuthenticatedStore store(dir_ / "store", kSecret);
  ContractCache first;
  const auto compiled = first.load(path_, {}, &store);
  EXPECT_EQ(first.stats().compiles, 1u);
  ContractCache fresh;  // another process: nothing in memory
  const auto served = fresh.load(path_, {}, &store);
  EXPECT_EQ(fresh.stats().compiles, 0u);
  EXPECT_EQ(fresh.stats().stored, 1u);
  EXPECT_EQ(encode_contract(*served), encode_contract(*compiled));
  EXPECT_EQ(served->source, path_.string());
  EXPECT_EQ(fresh.load(path_, {}, &store), served);  // then from memory
  EXPECT_EQ(fresh.stats().hits, 1u);
}

TEST_F(CompiledFormTest, a_tampered_entry_is_a_miss_and_the_contract_is_compiled) {
  write("filename: a.py\nvariables:\n  - name: engine\n    value: docker\n");
  const AuthenticatedStore store(dir_ / "store", kSecret);
  ContractCache().load(path_, {}, &store);
  const auto stored = entries(store.directory());
  ASSERT_EQ(stored.size(), 1u);
  std::string text;
  {
    std::ifstream in(stored[0], std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::size_t at = text.find("docker");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 6, "podman");  // a forged value, the MAC left as it was
  std::ofstream(stored[0], std::ios::binary | std::ios::trunc) << text;
  ContractCache fresh;
  const auto contract = fresh.load(path_, {}, &store);
  EXPECT_EQ(fresh.stats().stored, 0u);
  EXPECT_EQ(fresh.stats().compiles, 1u);
  EXPECT_EQ(contract->module.variables[0].value->text(), "docker");
}

TEST_F(CompiledFormTest, an_entry_copied_to_another_contracts_key_is_a_miss) {
  const AuthenticatedStore store(dir_ / "store", kSecret);
  write("filename: permissive.py\n");
  ContractCache().load(path_, {}, &store);
  const fs::path permissive = entries(store.directory()).at(0);
  const std::string strict_text = "filename: strict.py\nvariables:\n  - name: engine\n    value: docker\n";
  const std::string strict_key = compiled_contract_key(strict_text, {}, store.engine_version());
  const fs::path copy = permissive.parent_path().parent_path() / strict_key.substr(0, 2) / strict_key;
  fs::create_directories(copy.parent_path());
  fs::copy_file(permissive, copy);
  write(strict_text);
  ContractCache fresh;
  const auto contract = fresh.load(path_, {}, &store);
  EXPECT_EQ(fresh.stats().stored, 0u);
  EXPECT_EQ(contract->module.filename, "strict.py");
  ASSERT_EQ(contract->module.variables.size(), 1u);
}

TEST_F(CompiledFormTest, an_entry_written_under_another_users_key_is_a_miss) {
  write("filename: a.py\n");
  ContractCache().load(path_, {}, std::make_unique<AuthenticatedStore>(dir_ / "store", std::string(64, 'o')).get());
  const AuthenticatedStore mine(dir_ / "store", kSecret);
  ContractCache fresh;
  fresh.load(path_, {}, &mine);
  EXPECT_EQ(fresh.stats().stored, 0u);
  EXPECT_EQ(fresh.stats().compiles, 1u);
}

TEST_F(CompiledFormTest, an_edited_contract_is_compiled_again_not_served_stale) {
  const AuthenticatedStore store(dir_ / "store", kSecret);
  write("filename: a.py\n");
  ContractCache().load(path_, {}, &store);
  write("filename: b.py\n");
  ContractCache fresh;
  EXPECT_EQ(fresh.load(path_, {}, &store)->module.filename, "b.py");
  EXPECT_EQ(fresh.stats().stored, 0u);
  EXPECT_EQ(fresh.stats().compiles, 1u);
}

TEST_F(CompiledFormTest, another_engine_version_does_not_read_the_entry) {
  write("filename: a.py\n");
  ContractCache().load(path_, {}, std::make_unique<AuthenticatedStore>(dir_ / "store", kSecret, "1.0").get());
  const AuthenticatedStore newer(dir_ / "store", kSecret, "1.1");
  ContractCache fresh;
  fresh.load(path_, {}, &newer);
  EXPECT_EQ(fresh.stats().stored, 0u);
  EXPECT_EQ(fresh.stats().compiles, 1u);
}

TEST_F(CompiledFormTest, a_contract_that_does_not_compile_stores_nothing) {
  const AuthenticatedStore store(dir_ / "store", kSecret);
  write("filename: [unclosed\n");
  EXPECT_THROW(ContractCache().load(path_, {}, &store), ContractError);
  EXPECT_TRUE(entries(store.directory()).empty());
}
