#include "importspy/graph/dependency_check.hpp"

#include <gtest/gtest.h>

#include "importspy/render/report.hpp"
#include "support.hpp"

namespace importspy {
namespace {

using testing::contract_from;
using testing::linux_cpython;

ModuleFacts module(std::string name, std::vector<ImportFact> imports) {
  ModuleFacts m;
  std::string path = name;
  for (char& c : path) {
    if (c == '.') c = '/';
  }
  m.filename = "/src/" + path + ".py";
  m.name = std::move(name);
  m.imports = std::move(imports);
  return m;
}

ImportFact plain(std::string name, int line) { return {std::move(name), "", "", line}; }

struct Fixture {
  std::vector<ModuleFacts> facts;
  ImportGraph graph;
  explicit Fixture(std::vector<ModuleFacts> modules) : facts(std::move(modules)), graph(build_import_graph(facts)) {}

  Report check(std::string_view contract_yaml, std::vector<std::shared_ptr<const Contract>> required, std::string_view root = "app") const {
    const auto contract = contract_from(contract_yaml);
    return check_with_dependencies(*contract, required, linux_cpython(), graph, facts, *graph.find(root));
  }
};

// app -> app.core -> app.db (app.db has no `connect`); app.db -> app.core (a cycle).
Fixture chain() {
  ModuleFacts db = module("app.db", {plain("app.core", 1)});
  return Fixture({module("app", {plain("os", 1), plain("app.core", 2)}), module("app.core", {plain("app.db", 3)}), db});
}

const char* kRequiresDb = "requires:\n  - {module: app.db, contract: db.yml}\n";

TEST(DependencyCheck, a_dependency_along_the_chain_is_checked_against_its_contract) {
  const auto db_contract = contract_from("functions:\n  - name: connect\n");
  const Report report = chain().check(kRequiresDb, {db_contract});
  ASSERT_EQ(report.violations.size(), 1u);
  const Violation& v = report.violations[0];
  EXPECT_EQ(v.code, "dependency-violation");
  EXPECT_EQ(v.path, "requires[0]");
  EXPECT_EQ(v.expected, "db.yml");
  EXPECT_EQ(v.actual, "1 violation");
  EXPECT_EQ(v.chain, (std::vector<std::string>{"app", "app.core", "app.db"}));
  EXPECT_EQ(v.source_line, 2);  // app's import of app.core
  // Every step with its file and the line of its import of the next.
  ASSERT_EQ(v.chains.size(), 1u);
  ASSERT_EQ(v.chains[0].size(), 3u);
  EXPECT_EQ(v.chains[0][0].file, "/src/app.py");
  EXPECT_EQ(v.chains[0][0].line, 2);
  EXPECT_EQ(v.chains[0][1].file, "/src/app/core.py");
  EXPECT_EQ(v.chains[0][1].line, 3);
  EXPECT_EQ(v.chains[0][2].line, 0);
  EXPECT_EQ(v.contract_mark.line, 2);
  EXPECT_NE(v.message.find("app -> app.core -> app.db"), std::string::npos);
  EXPECT_NE(v.message.find("function-missing"), std::string::npos);
  ASSERT_TRUE(v.dependency);
  ASSERT_EQ(v.dependency->violations.size(), 1u);
  EXPECT_EQ(v.dependency->violations[0].code, "function-missing");
}

TEST(DependencyCheck, a_compliant_dependency_adds_nothing) {
  ModuleFacts db = module("app.db", {plain("app.core", 1)});
  db.functions.push_back(testing::function("connect"));
  const Fixture f({module("app", {plain("app.core", 2)}), module("app.core", {plain("app.db", 3)}), db});
  EXPECT_TRUE(f.check(kRequiresDb, {contract_from("functions:\n  - name: connect\n")}).ok());
}

TEST(DependencyCheck, a_module_not_reached_is_not_checked_and_cycles_end_the_walk) {
  const auto db_contract = contract_from("functions:\n  - name: connect\n");
  // From app.db, app.core then app.db again: the cycle is walked once; app is never reached.
  const Report report = chain().check("requires:\n  - {module: app, contract: app.yml}\n", {db_contract}, "app.db");
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(chain().check("requires:\n  - {module: elsewhere, contract: x.yml}\n", {db_contract}).ok());
}

TEST(DependencyCheck, each_contract_applies_to_its_module_only_and_the_module_is_checked_too) {
  const auto db_contract = contract_from("imports: {forbidden: [app.core]}\n");
  const Report report = chain().check("imports: {forbidden: [os]}\nrequires:\n  - {module: app.db, contract: db.yml}\n", {db_contract});
  ASSERT_EQ(testing::codes_of(report), (std::vector<std::string>{"import-forbidden", "dependency-violation"}));
  EXPECT_EQ(report.violations[1].dependency->violations[0].code, "import-forbidden");
  EXPECT_EQ(report.violations[1].dependency->violations[0].source_line, 1);
}

TEST(DependencyCheck, lazy_imports_are_followed_and_type_checking_ones_only_when_asked) {
  ImportFact typed = plain("app.db", 3);
  typed.type_checking = true;
  const Fixture f({module("app", {typed}), module("app.db", {})});
  const auto db_contract = contract_from("functions:\n  - name: connect\n");
  EXPECT_TRUE(f.check(kRequiresDb, {db_contract}).ok());
  EXPECT_FALSE(f.check(std::string(kRequiresDb) + "imports: {type_checking: true}\n", {db_contract}).ok());
  ImportFact lazy = plain("app.db", 3);
  lazy.lazy = true;
  const Fixture g({module("app", {lazy}), module("app.db", {})});
  EXPECT_FALSE(g.check(kRequiresDb, {db_contract}).ok());
}

TEST(DependencyCheck, json_nests_the_dependency_report_and_the_chain) {
  const Report report = chain().check(kRequiresDb, {contract_from("functions:\n  - name: connect\n")});
  const std::string json = render_json(report);
  EXPECT_NE(json.find("\"chain\": [\n        \"app\",\n        \"app.core\",\n        \"app.db\"\n      ]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"dependency\": {"), std::string::npos);
  EXPECT_NE(json.find("\"code\": \"function-missing\""), std::string::npos);
  // Other violations keep exactly their eight fields.
  const std::string plain_json = render_json(chain().check("imports: {forbidden: [os]}\n", {}));
  EXPECT_EQ(plain_json.find("\"chain\""), std::string::npos);
}

TEST(DependencyCheck, no_cycles_reports_each_cycle_once_on_its_first_module_with_the_shortest_way_round) {
  // app.core -> app.db -> app.core, and app.db -> app.x -> app.core: one cycle of three modules.
  const Fixture f({module("app", {plain("app.core", 1)}), module("app.core", {plain("app.db", 4)}),
                   module("app.db", {plain("app.core", 2), plain("app.x", 3)}), module("app.x", {plain("app.core", 1)})});
  const auto cycles = import_cycles(f.graph);
  const auto contract = contract_from("imports:\n  no_cycles: true\n");
  std::vector<std::string> reported;
  for (std::size_t i = 0; i < f.facts.size(); ++i) {
    const Report report = check_with_dependencies(*contract, {}, linux_cpython(), f.graph, f.facts, i, {}, &cycles);
    for (const Violation& v : report.violations) reported.push_back(f.graph.modules[i] + ": " + v.code);
  }
  EXPECT_EQ(reported, std::vector<std::string>{"app.core: import-cycle"});
  const Report report = check_with_dependencies(*contract, {}, linux_cpython(), f.graph, f.facts, 1, {}, &cycles);
  const Violation& v = report.violations.at(0);
  EXPECT_EQ(v.path, "imports.no_cycles");
  EXPECT_EQ(v.chain, (std::vector<std::string>{"app.core", "app.db", "app.core"}));
  EXPECT_EQ(v.actual, "app.core, app.db, app.x");
  EXPECT_EQ(v.source_line, 4);
  EXPECT_EQ(v.contract_mark.line, 2);
  EXPECT_NE(v.message.find("app.core -> app.db -> app.core (the cycle's modules: app.core, app.db, app.x)"), std::string::npos) << v.message;
}

TEST(DependencyCheck, no_cycles_is_not_evaluated_without_the_package_cycles_nor_over_lazy_imports) {
  ImportFact lazy = plain("app", 2);
  lazy.lazy = true;
  const Fixture f({module("app", {plain("app.db", 1)}), module("app.db", {lazy})});
  const auto contract = contract_from("imports: {no_cycles: true}\n");
  const auto cycles = import_cycles(f.graph);
  EXPECT_TRUE(check_with_dependencies(*contract, {}, linux_cpython(), f.graph, f.facts, 0, {}, &cycles).ok());
  const Fixture self({module("app", {plain("app", 1)})});
  const auto self_cycles = import_cycles(self.graph);
  EXPECT_TRUE(check_with_dependencies(*contract, {}, linux_cpython(), self.graph, self.facts, 0).ok());
  // A module importing itself is no cycle.
  EXPECT_TRUE(check_with_dependencies(*contract, {}, linux_cpython(), self.graph, self.facts, 0, {}, &self_cycles).ok());
  EXPECT_EQ(testing::contract_error_from("imports: {no_cycles: maybe}\n").kind(), ContractErrorKind::wrong_type);
}

TEST(ContractRequires, reads_entries_and_rejects_bad_ones_at_their_place) {
  const auto c = contract_from("requires:\n  - module: pkg.db\n    contract: contracts/db.yml\n");
  ASSERT_EQ(c->required_contracts.size(), 1u);
  EXPECT_EQ(c->required_contracts[0].module, "pkg.db");
  EXPECT_EQ(c->required_contracts[0].contract, "contracts/db.yml");
  EXPECT_EQ(c->required_contracts[0].mark.line, 2);
  const ContractError missing = testing::contract_error_from("requires:\n  - {module: pkg.db}\n");
  EXPECT_EQ(missing.kind(), ContractErrorKind::missing_key);
  EXPECT_EQ(missing.line(), 2);
  const ContractError bad = testing::contract_error_from("requires:\n  - {module: .db, contract: x.yml}\n");
  EXPECT_EQ(bad.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(bad.column(), 14);
  EXPECT_EQ(testing::contract_error_from("requires:\n  - {module: a, contract: x.yml, extra: 1}\n").kind(), ContractErrorKind::unknown_key);
}

}  // namespace
}  // namespace importspy
