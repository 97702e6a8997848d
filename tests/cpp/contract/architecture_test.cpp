#include "importspy/contract/architecture.hpp"

#include <gtest/gtest.h>

#include "importspy/contract/compiled_form.hpp"
#include "support.hpp"

namespace importspy {
namespace {

using testing::contract_error_from;
using testing::contract_from;

TEST(ArchitectureRulesYaml, compiles_every_rule_type_with_its_options) {
  const auto contract = contract_from(R"(
architecture_rules:
  root_packages: [shop]
  include_external_packages: true
  rules:
    - name: layered
      id: layers-1
      type: layers
      containers: [shop]
      layers: ["api", "orders | billing", "(cli) : tasks", "db"]
      exhaustive: true
      exhaustive_ignores: [tests]
    - {name: f, type: forbidden, source_modules: [shop.api], forbidden_modules: [requests], allow_indirect_imports: True, as_packages: no}
    - {name: i, type: independence, modules: ["shop.*"], ignore_imports: ["shop.a -> shop.**"], unmatched_ignore_imports_alerting: warn}
    - {name: c, type: acyclic_siblings, ancestors: [shop], depth: 3, skip_descendants: [shop.tests]}
    - {name: p, type: protected, protected_modules: [shop.db], allowed_importers: [shop.repo], as_packages: false, lazy_imports: false}
    - {name: pm, type: private_modules, packages_with_private_modules: [shop], broken_contract_guidance: ask the core team, main_imports: false}
)");
  ASSERT_TRUE(contract->architecture_rules);
  const ArchitectureRules& a = *contract->architecture_rules;
  EXPECT_EQ(a.root_packages, std::vector<std::string>{"shop"});
  EXPECT_TRUE(a.include_external_packages);
  ASSERT_EQ(a.rules.size(), 6u);
  const LayersOptions& l = a.rules[0].layers;
  EXPECT_EQ(a.rules[0].id, "layers-1");
  ASSERT_EQ(l.layers.size(), 4u);
  EXPECT_TRUE(l.layers[1].independent);
  EXPECT_EQ(l.layers[1].modules[1].name, "billing");
  EXPECT_FALSE(l.layers[2].independent);
  EXPECT_TRUE(l.layers[2].modules[0].optional);
  EXPECT_EQ(l.layers[2].modules[0].name, "cli");
  EXPECT_TRUE(l.exhaustive);
  EXPECT_EQ(l.exhaustive_ignores, std::vector<std::string>{"tests"});
  EXPECT_TRUE(a.rules[1].forbidden.allow_indirect_imports);
  EXPECT_FALSE(a.rules[1].forbidden.as_packages);
  EXPECT_EQ(a.rules[2].ignore_imports[0].imported.components, (std::vector<std::string>{"shop", "**"}));
  EXPECT_EQ(a.rules[2].unmatched_ignore_imports_alerting, UnmatchedIgnoreAlerting::warn);
  EXPECT_EQ(a.rules[3].acyclic_siblings.depth, 3);
  EXPECT_FALSE(a.rules[4].protected_modules.as_packages);
  EXPECT_FALSE(a.rules[4].counted.lazy);
  EXPECT_TRUE(a.rules[4].counted.type_checking);
  EXPECT_EQ(a.rules[5].broken_contract_guidance, "ask the core team");
  EXPECT_FALSE(a.rules[5].counted.main_guard);
  EXPECT_EQ(a.rules[5].mark.line, 17);
}

struct Case {
  const char* yaml;
  ContractErrorKind kind;
  int line;
  const char* at;  // the text the column points at, on that line
  const char* message;
  const char* hint;
};

class ArchitectureRulesErrors : public ::testing::TestWithParam<Case> {};

TEST_P(ArchitectureRulesErrors, name_file_line_column_and_the_fix) {
  const Case& c = GetParam();
  const ContractError error = contract_error_from(c.yaml);
  EXPECT_EQ(error.kind(), c.kind) << error.what();
  EXPECT_EQ(error.file(), "contract.yml");
  EXPECT_EQ(error.line(), c.line) << error.what();
  std::string text = c.yaml;
  for (int l = 1; l < c.line; ++l) text = text.substr(text.find('\n') + 1);
  text = text.substr(0, text.find('\n'));
  EXPECT_EQ(error.column(), static_cast<int>(text.find(c.at)) + 1) << error.what() << "\n(expected at `" << c.at << "` in: " << text << ")";
  EXPECT_NE(error.message().find(c.message), std::string::npos) << error.message();
  EXPECT_NE(error.hint().find(c.hint), std::string::npos) << error.hint();
}

INSTANTIATE_TEST_SUITE_P(
    Every, ArchitectureRulesErrors,
    ::testing::Values(
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbiden}\n", ContractErrorKind::invalid_value, 3, R"(forbiden})", "unknown rule type `forbiden`",
             "did you mean `forbidden`?"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a], forbidden_modules: [b], allow_indirect_import: true}\n",
             ContractErrorKind::unknown_key, 3, R"(allow_indirect_import:)", "unknown key `allow_indirect_import`", "did you mean `allow_indirect_imports`?"},
        Case{"architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [a], allow_indirect_imports: true}\n", ContractErrorKind::unknown_key, 3, R"(allow_indirect_imports:)", "unknown key `allow_indirect_imports`", "an option of forbidden rules"},
        Case{"architecture_rules:\n  rules:\n    - {type: layers, layers: [a]}\n", ContractErrorKind::missing_key, 3, R"({type)", "has no `name`", "name:"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a]}\n", ContractErrorKind::missing_key, 3, R"({name: f, type: forbidden, source)",
             "has no `forbidden_modules`", "add `forbidden_modules:`"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a.*.**], forbidden_modules: [b]}\n",
             ContractErrorKind::invalid_value, 3, R"(a.*.**)", "puts `*` next to `**`", "may not touch another wildcard"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a.**.*], forbidden_modules: [b]}\n",
             ContractErrorKind::invalid_value, 3, R"(a.**.*)", "puts `**` next to `*`", "may not touch another wildcard"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a-b], forbidden_modules: [b]}\n",
             ContractErrorKind::invalid_value, 3, R"(a-b)", "`a-b` is not a module expression", "`*` stands for one whole component"},
        Case{"architecture_rules:\n  rules:\n    - {name: i, type: independence, modules: [a, b], ignore_imports: [a to b]}\n",
             ContractErrorKind::invalid_value, 3, R"(a to b)", "`a to b` is not an import expression", "importer -> imported"},
        Case{"architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: ['a | b : c']}\n", ContractErrorKind::invalid_value, 3, R"('a | b : c')",
             "mixes `|` and `:`", "not both"},
        Case{"architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [a, a.b]}\n", ContractErrorKind::invalid_value, 3, R"(a.b])",
             "contain each other", "sibling packages"},
        Case{"architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [a, b, a]}\n", ContractErrorKind::invalid_value, 3, R"(a]})",
             "more than one layer", "one layer"},
        Case{"architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [a], exhaustive: true}\n", ContractErrorKind::invalid_value, 3, R"(exhaustive:)",
             "needs `containers`", "name the containers"},
        Case{"architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [a], forbidden_modules: [b], as_packages: maybe}\n",
             ContractErrorKind::invalid_value, 3, R"(maybe)", "must be true or false", "as_packages: true"},
        Case{"architecture_rules:\n  rules:\n    - {name: c, type: acyclic_siblings, ancestors: [a], depth: -1}\n", ContractErrorKind::invalid_value, 3, R"(-1)", "`depth` must be a whole number", "depth: 10"},
        Case{"architecture_rules:\n  rules:\n    - {name: i, type: independence, modules: [a], unmatched_ignore_imports_alerting: loud}\n",
             ContractErrorKind::invalid_value, 3, R"(loud)", "must be error, warn or none", "warn prints a warning"},
        Case{"architecture_rules:\n  rules:\n    - {name: p, type: private_modules, packages_with_private_modules: [a._b]}\n",
             ContractErrorKind::invalid_value, 3, R"(a._b)", "is private or inside a private module", "ancestor"},
        Case{"architecture_rules:\n  rules:\n    - {name: p, type: protected, protected_modules: [a]}\n", ContractErrorKind::missing_key, 3, R"({name: p)",
             "has no `allowed_importers`", "allowed_importers:"},
        Case{"architecture_rules:\n  root_pakage: a\n  rules: []\n", ContractErrorKind::unknown_key, 2, R"(root_pakage)", "unknown key `root_pakage`",
             "did you mean `root_package`?"},
        Case{"architecture_rules:\n  rules:\n    - {name: i, type: independence, modules: [a, b]}\n    - a rule\n", ContractErrorKind::wrong_type, 4, R"(a rule)",
             "must be a mapping", "name:"},
        Case{"architecture_rules: [a]\n", ContractErrorKind::wrong_type, 1, R"([a])", "`architecture_rules` must be a mapping", "rules:"},
        Case{"architecture_rules:\n  rules:\n    - {name: i, type: independence, modules: [{a: b}]}\n", ContractErrorKind::wrong_type, 3, R"({a: b})",
             "must be text", "one module"}));

TEST(ArchitectureRulesRaw, the_raw_form_of_any_front_end_compiles_the_same_way) {
  RawArchitecture raw;
  raw.file = ".importlinter";
  raw.session.push_back({"root_package", {"shop"}, false, {2, 1}, {}});
  RawArchitectureRule rule;
  rule.id = "one";
  rule.mark = {4, 1};
  rule.options.push_back({"name", {"Layers"}, false, {5, 1}, {}});
  rule.options.push_back({"type", {"layers"}, false, {6, 1}, {}});
  rule.options.push_back({"layers", {"shop.api", "", "shop.db"}, true, {7, 1}, {}});
  raw.rules.push_back(rule);
  const ArchitectureRules rules = compile_architecture(raw);
  EXPECT_EQ(rules.root_packages, std::vector<std::string>{"shop"});
  ASSERT_EQ(rules.rules[0].layers.layers.size(), 2u);  // a blank INI line is no layer
  EXPECT_EQ(rules.rules[0].id, "one");

  raw.rules[0].options.push_back({"exhaustiv", {"True"}, false, {9, 3}, {}});
  try {
    compile_architecture(raw);
    FAIL() << "an unknown option must be refused";
  } catch (const ContractError& error) {
    EXPECT_EQ(error.file(), ".importlinter");
    EXPECT_EQ(error.line(), 9);
    EXPECT_EQ(error.column(), 3);
    EXPECT_NE(error.hint().find("did you mean `exhaustive`?"), std::string::npos) << error.hint();
  }
}

TEST(ArchitectureRulesCache, the_compiled_form_keeps_every_architecture_option) {
  const auto contract = contract_from(R"YAML(
architecture_rules:
  exclude_type_checking_imports: true
  rules:
    - {name: l, type: layers, containers: ["a.*"], layers: ["x | (y)", z], exhaustive: true, exhaustive_ignores: [t]}
    - {name: c, type: acyclic_siblings, ancestors: [a], depth: 2, ignore_imports: ["a.** -> b"], broken_contract_guidance: why}
)YAML");
  const std::string bytes = encode_contract(*contract);
  const auto decoded = decode_contract(bytes, "contract.yml");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(encode_contract(*decoded), bytes);
  EXPECT_EQ(decoded->architecture_rules->rules[0].layers.layers[0].modules[1].optional, true);
  EXPECT_EQ(decoded->architecture_rules->rules[1].acyclic_siblings.depth, 2);
}

}  // namespace
}  // namespace importspy
