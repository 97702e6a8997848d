#include <gtest/gtest.h>

#include "importspy/contract/lint.hpp"
#include "support.hpp"

using namespace importspy;
using importspy::testing::contract_from;

namespace {
std::vector<std::string> codes(std::string_view yaml) {
  std::vector<std::string> out;
  for (const auto& f : lint_contract(*contract_from(yaml))) out.push_back(f.code);
  return out;
}
}  // namespace

TEST(ContractLint, a_clean_contract_has_no_finding) { EXPECT_TRUE(codes("filename: a.py\nvariables:\n  - name: x\n").empty()); }

TEST(ContractLint, duplicates_conflicts_and_unreachable_entries) {
  EXPECT_EQ(codes("variables:\n  - name: a\n  - name: a\n"), (std::vector<std::string>{"duplicate-entry"}));
  EXPECT_EQ(codes("filename: a.py\nvariables:\n  - {name: x, value: 1}\ndeployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n"
                  "          - modules:\n              - {filename: a.py, variables: [{name: x, value: 2}]}\n              - {filename: b.py}\n"),
            (std::vector<std::string>{"conflicting-rules", "unreachable-deployment"}));
  EXPECT_EQ(codes("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: '<2'\n"),
            (std::vector<std::string>{"unreachable-deployment"}));
}

TEST(ContractLint, findings_carry_the_contract_line) {
  const auto findings = lint_contract(*contract_from("variables:\n  - name: a\n  - name: a\n"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].mark.line, 3);
  EXPECT_NE(findings[0].message.find("first at line 2"), std::string::npos);
}

TEST(ContractLint, architecture_rules_named_twice_listed_twice_or_contradicting_themselves) {
  EXPECT_EQ(codes("architecture_rules:\n  rules:\n    - {name: a, type: private_modules}\n    - {name: a, type: private_modules}\n"),
            (std::vector<std::string>{"duplicate-entry"}));
  EXPECT_EQ(codes("architecture_rules:\n  rules:\n    - {name: a, type: independence, modules: [p.x, p.y, p.x], ignore_imports: ['p.x -> p.y', 'p.x->p.y']}\n"),
            (std::vector<std::string>{"duplicate-entry", "duplicate-entry"}));
  const auto findings = lint_contract(*contract_from("architecture_rules:\n  rules:\n    - {name: a, type: forbidden, source_modules: [p.x], forbidden_modules: [p.y, p.x]}\n"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "conflicting-rules");
  EXPECT_EQ(findings[0].mark.line, 3);
  EXPECT_TRUE(codes("architecture_rules:\n  rules:\n    - {name: a, type: forbidden, source_modules: [p.x], forbidden_modules: [p.y]}\n").empty());
}
