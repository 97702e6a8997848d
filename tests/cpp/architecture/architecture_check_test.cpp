#include "importspy/architecture/architecture_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "importspy/contract/loader.hpp"

namespace importspy {
namespace {

struct Import {
  std::string module;
  std::string name;
  int line = 1;
  bool lazy = false;
  bool type_checking = false;
  bool main_guard = false;
};

ModuleFacts module(std::string name, std::vector<Import> imports = {}, bool package = false) {
  ModuleFacts m;
  std::string path = name;
  for (char& c : path) {
    if (c == '.') c = '/';
  }
  m.filename = path + (package ? "/__init__.py" : ".py");
  m.name = std::move(name);
  for (const Import& i : imports) {
    ImportFact fact{i.module, i.name, i.name, i.line};
    fact.lazy = i.lazy;
    fact.type_checking = i.type_checking;
    fact.main_guard = i.main_guard;
    m.imports.push_back(fact);
  }
  return m;
}

ModuleFacts package(std::string name, std::vector<Import> imports = {}) { return module(std::move(name), std::move(imports), true); }

Report check(std::string_view yaml, const std::vector<ModuleFacts>& modules) {
  const auto contract = parse_contract(yaml, "rules.yml");
  const ImportGraph graph = build_import_graph(modules);
  return check_architecture(*contract->architecture_rules, graph, modules);
}

// "code a -> b -> c" for each violation (its first chain), in report order.
std::vector<std::string> found(const Report& report) {
  std::vector<std::string> out;
  for (const Violation& v : report.violations) {
    std::string text = v.code;
    if (!v.chains.empty()) {
      text += " ";
      for (std::size_t k = 0; k < v.chains[0].size(); ++k) text += (k ? " -> " : "") + v.chains[0][k].module;
    }
    out.push_back(text);
  }
  return out;
}

using Found = std::vector<std::string>;

// shop: api (top) -> services -> db (bottom); utils beside them.
std::vector<ModuleFacts> shop(std::vector<Import> db_imports = {}) {
  return {
      package("shop"),
      package("shop.api", {{"shop.services", "", 1}}),
      module("shop.api.views", {{"shop.services.orders", "", 3}}),
      package("shop.services"),
      module("shop.services.orders", {{"shop.db.models", "", 2}, {"shop.utils", "", 5}}),
      package("shop.db"),
      module("shop.db.models", db_imports),
      module("shop.utils"),
  };
}

constexpr std::string_view kLayers = R"(
architecture_rules:
  rules:
    - name: layered shop
      type: layers
      layers: [shop.api, shop.services, shop.db]
)";

TEST(ArchitectureLayers, a_layered_package_keeps_the_rule) {
  EXPECT_EQ(found(check(kLayers, shop())), Found{});
}

TEST(ArchitectureLayers, a_lower_layer_importing_a_higher_one_breaks_it_with_file_and_line_at_every_step) {
  const Report report = check(kLayers, shop({{"shop.api.views", "", 7}}));
  ASSERT_EQ(found(report), Found{"architecture-layers shop.db.models -> shop.api.views"});
  const Violation& v = report.violations[0];
  EXPECT_EQ(v.chains[0][0].file, "shop/db/models.py");
  EXPECT_EQ(v.chains[0][0].line, 7);
  EXPECT_EQ(v.chains[0][1].line, 0);
  EXPECT_EQ(v.source_line, 7);
  EXPECT_EQ(v.path, "architecture_rules.rules[0].layers");
  EXPECT_NE(v.message.find("`shop.db` imports `shop.api`"), std::string::npos) << v.message;
  EXPECT_NE(v.hint.find("shop.db.models -> shop.api.views"), std::string::npos) << v.hint;
  EXPECT_NE(v.hint.find("shop/db/models.py:7"), std::string::npos) << v.hint;
}

TEST(ArchitectureLayers, an_indirect_import_through_a_module_outside_the_layers_breaks_it) {
  std::vector<ModuleFacts> modules = shop({{"shop.utils", "", 4}});
  modules.back() = module("shop.utils", {{"shop.api", "", 9}});
  const Report report = check(kLayers, modules);
  // services imports utils too, so it breaks the rule the same way.
  ASSERT_EQ(found(report), (Found{"architecture-layers shop.services.orders -> shop.utils -> shop.api",
                                  "architecture-layers shop.db.models -> shop.utils -> shop.api"}));
  EXPECT_EQ(report.violations[1].chains[0][1].file, "shop/utils.py");
  EXPECT_EQ(report.violations[1].chains[0][1].line, 9);
}

TEST(ArchitectureLayers, a_chain_through_another_layer_is_reported_once_for_the_pair_it_breaks) {
  // db -> services -> api: services -> api is the broken pair; db -> services is broken too, on its own.
  std::vector<ModuleFacts> modules = shop({{"shop.services", "", 2}});
  modules[3] = package("shop.services", {{"shop.api", "", 1}});
  EXPECT_EQ(found(check(kLayers, modules)),
            (Found{"architecture-layers shop.services -> shop.api", "architecture-layers shop.db.models -> shop.services"}));
}

TEST(ArchitectureLayers, containers_repeat_the_layers_in_each_container_and_a_missing_layer_is_reported) {
  const std::vector<ModuleFacts> modules = {
      package("app"),
      package("app.blog"),
      module("app.blog.views", {{"app.blog.models", "", 1}}),
      module("app.blog.models", {{"app.blog.views", "", 2}}),
      package("app.shop"),
      module("app.shop.views"),
  };
  const Report report = check(R"(
architecture_rules:
  rules:
    - name: per app
      type: layers
      containers: ["app.*"]
      layers: [views, models]
)",
                              modules);
  EXPECT_EQ(found(report), (Found{"architecture-layers app.blog.models -> app.blog.views", "architecture-module-missing"}));
  EXPECT_NE(report.violations[1].message.find("app.shop.models"), std::string::npos) << report.violations[1].message;
}

TEST(ArchitectureLayers, an_optional_layer_may_be_missing) {
  EXPECT_EQ(found(check(R"(
architecture_rules:
  rules:
    - {name: layered, type: layers, layers: [shop.api, (shop.cli), shop.db]}
)",
                        shop())),
            Found{});
}

TEST(ArchitectureLayers, independent_siblings_must_not_import_each_other_and_colon_siblings_may) {
  const std::vector<ModuleFacts> modules = {
      package("p"), module("p.top"), module("p.left", {{"p.right", "", 3}}), module("p.right"),
  };
  EXPECT_EQ(found(check("architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [p.top, p.left | p.right]}\n", modules)),
            Found{"architecture-layers p.left -> p.right"});
  EXPECT_EQ(found(check("architecture_rules:\n  rules:\n    - {name: l, type: layers, layers: [p.top, 'p.left : p.right']}\n", modules)), Found{});
}

TEST(ArchitectureLayers, exhaustive_names_each_child_of_a_container_in_no_layer_except_the_ignored) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.a"), module("p.b"), module("p.extra"), module("p.tests")};
  const Report report = check(R"(
architecture_rules:
  rules:
    - name: all layered
      type: layers
      containers: [p]
      layers: [a, b]
      exhaustive: true
      exhaustive_ignores: [tests]
)",
                              modules);
  EXPECT_EQ(found(report), Found{"architecture-layers-undeclared p.extra"});
}

TEST(ArchitectureLayers, exhaustive_compares_whole_layer_names_with_the_children_as_import_linter_does) {
  const std::vector<ModuleFacts> modules = {package("p"), package("p.a"), module("p.a.x"), module("p.b")};
  EXPECT_EQ(found(check("architecture_rules:\n  rules:\n    - {name: l, type: layers, containers: [p], layers: [a.x, b], exhaustive: true}\n", modules)),
            Found{"architecture-layers-undeclared p.a"});
}

TEST(ArchitectureForbidden, is_transitive_by_default_and_direct_only_with_allow_indirect_imports) {
  const std::vector<ModuleFacts> modules = {
      package("p"), module("p.utils", {{"p.helpers", "", 2}}), module("p.helpers", {{"p.db.engine", "", 4}}), package("p.db"), module("p.db.engine"),
  };
  const std::string rule = "architecture_rules:\n  rules:\n    - {name: no db, type: forbidden, source_modules: [p.utils], forbidden_modules: [p.db]";
  const Report transitive = check(rule + "}\n", modules);
  ASSERT_EQ(found(transitive), Found{"architecture-forbidden p.utils -> p.helpers -> p.db.engine"});
  EXPECT_EQ(transitive.violations[0].chains[0][1].line, 4);
  EXPECT_EQ(found(check(rule + ", allow_indirect_imports: true}\n", modules)), Found{});
}

TEST(ArchitectureForbidden, as_packages_false_judges_the_named_modules_only) {
  const std::vector<ModuleFacts> modules = {package("p"), package("p.a"), module("p.a.x", {{"p.b", "", 1}}), module("p.b")};
  const std::string rule = "architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.b]";
  EXPECT_EQ(found(check(rule + "}\n", modules)), Found{"architecture-forbidden p.a.x -> p.b"});
  EXPECT_EQ(found(check(rule + ", as_packages: false}\n", modules)), Found{});
}

TEST(ArchitectureForbidden, external_packages_need_include_external_packages) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.core", {{"requests.adapters", "", 6}})};
  const std::string rules = "  rules:\n    - {name: no http, type: forbidden, source_modules: [p.core], forbidden_modules: [requests]}\n";
  const Report without = check("architecture_rules:\n" + rules, modules);
  ASSERT_EQ(found(without), Found{"architecture-module-missing"});
  EXPECT_NE(without.violations[0].hint.find("include_external_packages"), std::string::npos);
  const Report with = check("architecture_rules:\n  include_external_packages: true\n" + rules, modules);
  ASSERT_EQ(found(with), Found{"architecture-forbidden p.core -> requests"});
  EXPECT_EQ(with.violations[0].chains[0][0].line, 6);
}

TEST(ArchitectureForbidden, reports_every_pair_once_with_every_chain_and_counts_them_all) {
  std::vector<ModuleFacts> modules = {package("p"), package("p.src"), package("p.bad")};
  for (int i = 0; i < 12; ++i) modules.push_back(module("p.src.m" + std::to_string(i), {{"p.bad.x", "", i + 1}}));
  modules.push_back(module("p.bad.x"));
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.src], forbidden_modules: [p.bad]}\n", modules);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].chains.size(), 12u);
  EXPECT_NE(report.violations[0].message.find("12 chains"), std::string::npos) << report.violations[0].message;
}

TEST(ArchitectureChains, an_import_made_at_several_lines_is_one_step_with_every_line) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.a", {{"p.b", "", 9}, {"p.b", "", 3}, {"p.c", "", 4}, {"p.b", "", 9}}), module("p.b"), module("p.c")};
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.b]}\n", modules);
  ASSERT_EQ(found(report), Found{"architecture-forbidden p.a -> p.b"});
  const ChainStep& first = report.violations[0].chains[0][0];
  EXPECT_EQ(first.line, 9);  // the first import in the source stays the step's line
  EXPECT_EQ(first.lines, (std::vector<int>{9, 3}));
}

TEST(ArchitectureChains, the_hint_names_the_import_whose_removal_breaks_the_most_chains_of_the_rule) {
  // Two broken pairs, low -> h1 and low -> h2. Within low -> h1, mid.hub -> h1.x is the import most of
  // its chains take (2 of 4); across the rule, low.a -> mid.hub breaks 3 of the 8 chains, and it is one
  // of low -> h1's imports, so its hint names it.
  const std::vector<ModuleFacts> modules = {
      package("p"),
      package("p.low"),
      module("p.low.a", {{"p.mid.hub", "", 1}, {"p.h1.w", "", 2}}),
      module("p.low.b", {{"p.mid.hub", "", 1}}),
      module("p.low.c", {{"p.h1.w", "", 1}}),
      package("p.mid"),
      module("p.mid.hub", {{"p.h1.x", "", 1}, {"p.h2.y", "", 2}, {"p.h2.z", "", 3}}),
      package("p.h1"),
      module("p.h1.w"),
      module("p.h1.x"),
      package("p.h2"),
      module("p.h2.y"),
      module("p.h2.z"),
  };
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.low], forbidden_modules: [p.h1, p.h2]}\n", modules);
  ASSERT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(report.violations[0].chains.size(), 4u);
  EXPECT_EQ(report.violations[1].chains.size(), 4u);
  EXPECT_EQ(report.violations[0].hint.substr(0, report.violations[0].hint.find(", or")),
            "cut the import `p.low.a -> p.mid.hub` (p/low/a.py:1), which 3 of the rule's 8 chains take");
  EXPECT_EQ(report.violations[1].hint.substr(0, report.violations[1].hint.find(", or")),
            "cut the import `p.low.a -> p.mid.hub` (p/low/a.py:1), which 3 of the rule's 8 chains take");
}

TEST(ArchitectureChains, the_hint_counts_one_chain_in_the_singular) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.a", {{"p.x", "", 1}, {"p.y", "", 2}}), module("p.x"), module("p.y")};
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.x, p.y]}\n", modules);
  ASSERT_EQ(report.violations.size(), 2u);
  EXPECT_NE(report.violations[0].hint.find("`p.a -> p.x` (p/a.py:1), which 1 of the rule's 2 chains takes,"), std::string::npos) << report.violations[0].hint;
}

TEST(ArchitectureChains, a_single_chain_hint_names_its_first_import_without_counting) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.a", {{"p.m", "", 2}}), module("p.m", {{"p.b", "", 5}}), module("p.b")};
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.b]}\n", modules);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].hint, "cut the import `p.a -> p.m` (p/a.py:2), or excuse it with `ignore_imports: [\"p.a -> p.m\"]`");
}

TEST(ArchitectureForbidden, a_long_graph_is_searched_without_enumerating_paths) {
  // 400 modules, each importing the next two: exponentially many paths, one shortest chain.
  std::vector<ModuleFacts> modules = {package("p")};
  for (int i = 0; i < 400; ++i) {
    std::vector<Import> imports;
    if (i + 1 < 400) imports.push_back({"p.m" + std::to_string(i + 1), "", 1});
    if (i + 2 < 400) imports.push_back({"p.m" + std::to_string(i + 2), "", 2});
    modules.push_back(module("p.m" + std::to_string(i), imports));
  }
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.m0], forbidden_modules: [p.m399]}\n", modules);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].chains[0].size(), 201u);
}

TEST(ArchitectureWildcards, one_star_is_one_component_and_two_stars_one_or_more) {
  ModuleExpression one{"p.*.models", {"p", "*", "models"}, {}};
  EXPECT_TRUE(one.matches("p.blog.models"));
  EXPECT_FALSE(one.matches("p.blog.sub.models"));
  EXPECT_FALSE(one.matches("p.models"));
  ModuleExpression any{"p.**.models", {"p", "**", "models"}, {}};
  EXPECT_TRUE(any.matches("p.blog.models"));
  EXPECT_TRUE(any.matches("p.blog.sub.models"));
  EXPECT_FALSE(any.matches("p.models"));
  ModuleExpression all{"p.**", {"p", "**"}, {}};
  EXPECT_TRUE(all.matches("p.a.b"));
  EXPECT_FALSE(all.matches("p"));
}

TEST(ArchitectureWildcards, both_kinds_mix_in_one_expression_when_a_name_separates_them) {
  // django's `django.contrib.*.migrations.**`, as import-linter reads it.
  ModuleExpression migrations{"d.contrib.*.migrations.**", {"d", "contrib", "*", "migrations", "**"}, {}};
  EXPECT_TRUE(migrations.matches("d.contrib.auth.migrations.0001_initial"));
  EXPECT_TRUE(migrations.matches("d.contrib.auth.migrations.sub.0002_more"));
  EXPECT_FALSE(migrations.matches("d.contrib.auth.migrations"));
  EXPECT_FALSE(migrations.matches("d.contrib.auth.models"));
  EXPECT_FALSE(migrations.matches("d.contrib.a.b.migrations.0001_initial"));
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.contrib"), package("p.contrib.auth"), package("p.contrib.auth.migrations"),
      module("p.contrib.auth.migrations.m0001", {{"p.web", "", 2}}), module("p.web"),
  };
  EXPECT_EQ(found(check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: ['p.contrib.*.migrations.**'], forbidden_modules: [p.web]}\n",
                        modules)),
            Found{"architecture-forbidden p.contrib.auth.migrations.m0001 -> p.web"});
}

TEST(ArchitectureWildcards, name_sources_and_targets_of_a_rule) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.blog"), module("p.blog.models", {{"p.shop.views", "", 3}}), package("p.shop"), module("p.shop.views"),
  };
  EXPECT_EQ(found(check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: ['p.*.models'], forbidden_modules: ['p.**.views']}\n",
                        modules)),
            Found{"architecture-forbidden p.blog.models -> p.shop.views"});
}

constexpr std::string_view kIndependence = R"(
architecture_rules:
  rules:
    - name: apps apart
      type: independence
      modules: ["p.*"]
      ignore_imports: ["p.blog.** -> p.shop.api"]
)";

TEST(ArchitectureIndependence, modules_must_not_import_each_other_directly_or_not) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.blog"), module("p.blog.models", {{"p.shop.models", "", 3}}), package("p.shop"), module("p.shop.models"),
  };
  const Report report = check("architecture_rules:\n  rules:\n    - {name: apart, type: independence, modules: ['p.*']}\n", modules);
  EXPECT_EQ(found(report), Found{"architecture-independence p.blog.models -> p.shop.models"});
}

TEST(ArchitectureIgnores, an_ignored_import_is_excused_and_an_unmatched_one_is_an_error_by_default) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.blog"), module("p.blog.models", {{"p.shop.api", "", 3}}), package("p.shop"), module("p.shop.api"),
  };
  EXPECT_EQ(found(check(kIndependence, modules)), Found{});
  const std::vector<ModuleFacts> clean = {package("p"), package("p.blog"), module("p.blog.models"), package("p.shop"), module("p.shop.api")};
  const Report stale = check(kIndependence, clean);
  ASSERT_EQ(found(stale), Found{"architecture-ignore-unmatched"});
  EXPECT_EQ(stale.violations[0].contract_mark.line, 7);
}

TEST(ArchitectureIgnores, unmatched_alerting_warn_makes_a_warning_and_none_says_nothing) {
  const std::vector<ModuleFacts> clean = {package("p"), module("p.a"), module("p.b")};
  const std::string rule = "architecture_rules:\n  rules:\n    - {name: i, type: independence, modules: [p.a, p.b], ignore_imports: ['p.a -> p.b'], "
                           "unmatched_ignore_imports_alerting: ";
  const Report warned = check(rule + "warn}\n", clean);
  EXPECT_TRUE(warned.ok());
  ASSERT_EQ(warned.warnings.size(), 1u);
  EXPECT_EQ(warned.warnings[0].code, "architecture-ignore-unmatched");
  const Report quiet = check(rule + "none}\n", clean);
  EXPECT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet.warnings.empty());
}

TEST(ArchitectureMarks, every_import_counts_by_default_and_each_mark_can_be_left_out_per_rule) {
  const std::string rule = "architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.b]";
  const std::vector<std::pair<Import, std::string>> cases = {
      {{"p.b", "", 1, true, false, false}, "lazy_imports"},
      {{"p.b", "", 1, false, true, false}, "type_checking_imports"},
      {{"p.b", "", 1, false, false, true}, "main_imports"},
  };
  for (const auto& [import, option] : cases) {
    const std::vector<ModuleFacts> modules = {package("p"), module("p.a", {import}), module("p.b")};
    EXPECT_EQ(found(check(rule + "}\n", modules)), Found{"architecture-forbidden p.a -> p.b"}) << option;
    EXPECT_EQ(found(check(rule + ", " + option + ": false}\n", modules)), Found{}) << option;
  }
}

TEST(ArchitectureMarks, exclude_type_checking_imports_in_the_settings_leaves_them_out_of_every_rule) {
  const std::vector<ModuleFacts> modules = {package("p"), module("p.a", {{"p.b", "", 1, false, true, false}}), module("p.b")};
  EXPECT_EQ(found(check("architecture_rules:\n  exclude_type_checking_imports: true\n  rules:\n"
                        "    - {name: f, type: forbidden, source_modules: [p.a], forbidden_modules: [p.b]}\n",
                        modules)),
            Found{});
}

TEST(ArchitectureAcyclicSiblings, a_cycle_among_children_is_reported_with_the_dependency_to_cut) {
  const std::vector<ModuleFacts> modules = {
      package("p"),
      package("p.a"),
      module("p.a.x", {{"p.b.y", "", 2}}),
      module("p.a.z", {{"p.b.y", "", 3}}),
      package("p.b"),
      module("p.b.y", {{"p.a.x", "", 8}}),
      module("p.c", {{"p.a", "", 1}}),
  };
  const Report report = check("architecture_rules:\n  rules:\n    - {name: no cycles, type: acyclic_siblings, ancestors: [p]}\n", modules);
  ASSERT_EQ(found(report), Found{"architecture-cycle p.b.y -> p.a.x"});
  EXPECT_NE(report.violations[0].message.find("p.a, p.b"), std::string::npos) << report.violations[0].message;
  EXPECT_NE(report.violations[0].hint.find("`p.b -> p.a` (1 import)"), std::string::npos) << report.violations[0].hint;
}

TEST(ArchitectureAcyclicSiblings, depth_and_skip_descendants_bound_the_search) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.deep"), module("p.deep.x", {{"p.deep.y", "", 1}}), module("p.deep.y", {{"p.deep.x", "", 1}}),
  };
  const std::string rule = "architecture_rules:\n  rules:\n    - {name: c, type: acyclic_siblings, ancestors: [p]";
  EXPECT_EQ(found(check(rule + "}\n", modules)), Found{"architecture-cycle p.deep.x -> p.deep.y"});
  EXPECT_EQ(found(check(rule + ", depth: 0}\n", modules)), Found{});
  EXPECT_EQ(found(check(rule + ", skip_descendants: [p.deep]}\n", modules)), Found{});
}

TEST(ArchitectureProtected, only_allowed_importers_may_import_a_protected_package) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.db"), module("p.db.engine"), module("p.repo", {{"p.db.engine", "", 4}}), module("p.views", {{"p.db", "", 9}}),
  };
  const Report report = check("architecture_rules:\n  rules:\n    - {name: db, type: protected, protected_modules: [p.db], allowed_importers: [p.repo]}\n", modules);
  ASSERT_EQ(found(report), Found{"architecture-protected p.views -> p.db"});
  EXPECT_EQ(report.violations[0].chains[0][0].line, 9);
}

TEST(ArchitecturePrivate, a_private_module_is_imported_only_from_inside_its_parent) {
  const std::vector<ModuleFacts> modules = {
      package("p"), package("p.core"), module("p.core._impl"), module("p.core.api", {{"p.core._impl", "", 1}}),
      module("p.cli", {{"p.core._impl", "", 5}}), module("p.__main__", {{"p.cli", "", 1}}),
  };
  const Report report = check("architecture_rules:\n  rules:\n    - {name: private, type: private_modules}\n", modules);
  ASSERT_EQ(found(report), Found{"architecture-private p.cli -> p.core._impl"});
  EXPECT_NE(report.violations[0].message.find("private to `p.core`"), std::string::npos);
}

TEST(ArchitectureMissing, a_literal_module_the_package_lacks_is_reported) {
  const Report report = check("architecture_rules:\n  rules:\n    - {name: f, type: forbidden, source_modules: [p.nope], forbidden_modules: [p.a]}\n",
                              {package("p"), module("p.a")});
  ASSERT_EQ(found(report), Found{"architecture-module-missing"});
  EXPECT_EQ(report.violations[0].contract_mark.line, 3);
}

}  // namespace
}  // namespace importspy
