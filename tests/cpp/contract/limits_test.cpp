// Hostile contracts: each limit in ContractLimits has a clear error, and none crashes or hangs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support.hpp"

using namespace importspy;
using importspy::testing::contract_error_from;

TEST(ContractLimits, rejects_text_over_the_size_limit) {
  ContractLimits limits;
  limits.max_bytes = 64;
  auto e = contract_error_from("filename: a.py\n# " + std::string(100, 'x') + "\n", limits);
  EXPECT_EQ(e.kind(), ContractErrorKind::too_large);
  EXPECT_NE(e.message().find("more than the limit of 64"), std::string::npos);
}

TEST(ContractLimits, rejects_a_file_over_the_size_limit_without_reading_all_of_it) {
  const auto path = std::filesystem::temp_directory_path() / "importspy_huge_contract.yml";
  {
    std::ofstream out(path);
    out << "filename: a.py\n";
    for (int i = 0; i < 200000; ++i) out << "# padding line to exceed the limit\n";
  }
  ContractLimits limits;
  limits.max_bytes = 1 << 20;
  try {
    load_contract_file(path, limits);
    FAIL() << "expected an error";
  } catch (const ContractError& e) {
    EXPECT_EQ(e.kind(), ContractErrorKind::too_large);
    EXPECT_EQ(e.file(), path.string());
  }
  std::filesystem::remove(path);
}

TEST(ContractLimits, rejects_values_nested_beyond_the_depth_limit) {
  std::string deep = "variables:\n  - name: a\n    value: " + std::string(100, '[') + std::string(100, ']') + "\n";
  auto e = contract_error_from(deep);
  EXPECT_EQ(e.kind(), ContractErrorKind::too_deep);
  EXPECT_EQ(e.line(), 3);
}

TEST(ContractLimits, rejects_nesting_too_deep_for_the_yaml_parser) {
  std::string deep = "variables:\n  - name: a\n    value: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  auto e = contract_error_from(deep);
  EXPECT_EQ(e.kind(), ContractErrorKind::too_deep);
}

TEST(ContractLimits, stops_alias_expansion_billion_laughs) {
  // Ten levels of ten aliases each: 10^10 nodes once expanded, a few hundred bytes as text.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]";
  for (int level = 1; level < 10; ++level) {
    bomb += ", a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", " : "") + "*a" + std::to_string(level - 1);
    bomb += "]";
  }
  auto e = contract_error_from("variables:\n  - name: bomb\n    value: {" + bomb + "}\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::too_many_nodes);
  EXPECT_NE(e.hint().find("aliases"), std::string::npos);
}

TEST(ContractLimits, stops_alias_expansion_in_schema_lists) {
  // Aliased module entries reused under many pythons multiply the walk; the node budget bounds it.
  std::string contract = "functions:\n  - &f {name: f, arguments: [{name: a}, {name: b}, {name: c}]}\n";
  contract += "classes:\n";
  for (int i = 0; i < 50; ++i) {
    contract += "  - name: C" + std::to_string(i) + "\n    methods: [";
    for (int k = 0; k < 50; ++k) contract += std::string(k ? ", " : "") + "*f";
    contract += "]\n";
  }
  ContractLimits limits;
  limits.max_nodes = 5000;
  EXPECT_EQ(contract_error_from(contract, limits).kind(), ContractErrorKind::too_many_nodes);
}

TEST(ContractLimits, refuses_a_nul_byte_followed_by_non_ascii_text_with_its_place) {
  // yaml-cpp stopped at the NUL and misread the bytes after it.
  auto e = contract_error_from(std::string("variables:\n  - name: caf\xC3\xA9\n    value: \"a\0\xC3\xA9\xE2\x82\xAC\"\n", 48));
  EXPECT_EQ(e.kind(), ContractErrorKind::syntax);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 14);
  EXPECT_EQ(e.message(), "the contract contains the control character U+0000, which YAML does not allow");
  EXPECT_NE(e.hint().find("\\x00"), std::string::npos);
}

TEST(ContractLimits, refuses_other_control_characters_but_accepts_tabs_and_carriage_returns) {
  auto e = contract_error_from("filename: a\x1b.py\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::syntax);
  EXPECT_EQ((std::pair{e.line(), e.column()}), (std::pair{1, 12}));
  EXPECT_NO_THROW(parse_contract("filename:\ta.py\r\nvariables:\r\n  - name: x\r\n", "c.yml"));
}

TEST(ContractLimits, refuses_an_annotation_over_the_size_limit_quoting_only_its_start) {
  std::string members;
  for (int i = 0; i < 20000; ++i) members += "Name" + std::to_string(i) + ", ";
  auto e = contract_error_from("variables:\n  - name: x\n    annotation: Union[" + members + "None]\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(e.message().find("more than the limit of 65536"), std::string::npos) << e.message();
  EXPECT_LT(e.message().size(), 300u);
}
