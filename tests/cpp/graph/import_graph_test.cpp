#include "importspy/graph/import_graph.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace importspy {
namespace {

ModuleFacts module(std::string name, std::vector<ImportFact> imports, bool package = false) {
  ModuleFacts m;
  std::string path = name;
  for (char& c : path) {
    if (c == '.') c = '/';
  }
  m.filename = "/src/" + path + (package ? "/__init__.py" : ".py");
  m.name = std::move(name);
  m.imports = std::move(imports);
  return m;
}

ImportFact plain(std::string name, int line) { return {std::move(name), "", "", line}; }
ImportFact from(std::string name, std::string what, int line) { return {std::move(name), what, what, line}; }

// "a->b@3 ..." over every edge, with `~` for lazy and `?` for TYPE_CHECKING ones.
std::string edges_of(const ImportGraph& g) {
  std::string out;
  for (std::size_t i = 0; i < g.modules.size(); ++i) {
    for (const ImportEdge& e : g.imports[i]) {
      if (!out.empty()) out += ' ';
      out += g.modules[i] + "->" + g.modules[e.to] + "@" + std::to_string(e.line) + (e.lazy ? "~" : "") + (e.type_checking ? "?" : "");
    }
  }
  return out;
}

std::string cycles_of(const ImportGraph& g, EdgeFilter filter = {}) {
  std::string out;
  for (const auto& cycle : import_cycles(g, filter)) {
    if (!out.empty()) out += " | ";
    for (std::size_t i = 0; i < cycle.size(); ++i) out += (i ? " " : "") + g.modules[cycle[i]];
  }
  return out;
}

TEST(ImportGraph, resolves_imports_to_modules_of_the_set_and_drops_the_others) {
  const std::vector<ModuleFacts> modules = {
      module("pkg", {from(".", "core", 1)}, true),
      module("pkg.core", {plain("os", 1), from("pkg.util", "helper", 2), plain("pkg.util", 3)}),
      module("pkg.util", {from(".", "core", 1), from("..", "outside", 2)}),
  };
  const ImportGraph g = build_import_graph(modules);
  EXPECT_EQ(edges_of(g), "pkg->pkg.core@1 pkg.core->pkg.util@2 pkg.core->pkg.util@3 pkg.util->pkg.core@1");
  EXPECT_EQ(g.find("pkg.util"), 2u);
  EXPECT_FALSE(g.find("os").has_value());
}

TEST(ImportGraph, from_import_of_a_submodule_goes_to_the_submodule_else_to_the_package) {
  const std::vector<ModuleFacts> modules = {
      module("app", {from("lib", "sub", 1), from("lib", "function", 2)}),
      module("lib", {}, true),
      module("lib.sub", {}),
  };
  EXPECT_EQ(edges_of(build_import_graph(modules)), "app->lib.sub@1 app->lib@2");
}

TEST(ImportGraph, keeps_lazy_and_type_checking_flags_on_edges) {
  ImportFact lazy = plain("b", 4);
  lazy.lazy = true;
  ImportFact typed = plain("b", 5);
  typed.type_checking = true;
  const std::vector<ModuleFacts> modules = {module("a", {lazy, typed}), module("b", {})};
  EXPECT_EQ(edges_of(build_import_graph(modules)), "a->b@4~ a->b@5?");
}

TEST(ImportGraph, dependencies_group_a_modules_imports_by_imported_module_with_each_statement_once) {
  ImportFact lazy = from("b", "z", 5);
  lazy.lazy = true;
  const std::vector<ModuleFacts> modules = {
      module("a", {from("b", "x", 1), from("b", "y", 1), plain("c", 2), plain("b", 3), lazy}), module("b", {}), module("c", {}),
  };
  const ImportGraph g = build_import_graph(modules);
  const std::vector<ModuleDependency> deps = dependencies_of(g, 0);
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(g.modules[deps[0].to], "b");
  ASSERT_EQ(deps[0].imports.size(), 3u);
  EXPECT_EQ(deps[0].imports[0].line, 1);
  EXPECT_EQ(deps[0].imports[1].line, 3);
  EXPECT_EQ(deps[0].imports[2].line, 5);
  EXPECT_TRUE(deps[0].imports[2].lazy);
  EXPECT_EQ(g.modules[deps[1].to], "c");
  EXPECT_EQ(deps[1].imports.size(), 1u);
}

TEST(ImportGraph, finds_each_cycle_once) {
  const std::vector<ModuleFacts> modules = {
      module("a", {plain("b", 1)}), module("b", {plain("c", 1)}), module("c", {plain("a", 1), plain("d", 2)}),
      module("d", {plain("e", 1)}), module("e", {plain("d", 1)}), module("g", {plain("a", 1)}),
  };
  EXPECT_EQ(cycles_of(build_import_graph(modules)), "a b c | d e");
}

TEST(ImportGraph, a_module_importing_itself_is_not_a_cycle) {
  const std::vector<ModuleFacts> modules = {module("f", {plain("f", 1)}), module("pkg", {from(".", "x", 2)}, true)};
  EXPECT_EQ(cycles_of(build_import_graph(modules)), "");
  EXPECT_EQ(cycles_of(build_import_graph(modules), EdgeFilter{true, true}), "");
}

TEST(ImportGraph, main_guard_edges_are_kept_marked_and_close_no_cycle_by_default) {
  ImportFact guarded = plain("a", 7);
  guarded.main_guard = true;
  const std::vector<ModuleFacts> modules = {module("a", {plain("b", 1)}), module("b", {guarded})};
  const ImportGraph g = build_import_graph(modules);
  ASSERT_EQ(g.imports[1].size(), 1u);
  EXPECT_TRUE(g.imports[1][0].main_guard);
  EXPECT_EQ(cycles_of(g), "");
  EXPECT_EQ(cycles_of(g, EdgeFilter{true, true}), "");
  EXPECT_EQ(cycles_of(g, EdgeFilter{false, false, true}), "a b");
}

TEST(ImportGraph, cycles_follow_only_the_edges_the_filter_allows) {
  ImportFact lazy = plain("a", 3);
  lazy.lazy = true;
  ImportFact typed = plain("a", 4);
  typed.type_checking = true;
  const std::vector<ModuleFacts> lazily = {module("a", {plain("b", 1)}), module("b", {lazy})};
  EXPECT_EQ(cycles_of(build_import_graph(lazily)), "");
  EXPECT_EQ(cycles_of(build_import_graph(lazily), EdgeFilter{true, false}), "a b");
  const std::vector<ModuleFacts> typing = {module("a", {plain("b", 1)}), module("b", {typed})};
  EXPECT_EQ(cycles_of(build_import_graph(typing)), "");
  EXPECT_EQ(cycles_of(build_import_graph(typing), EdgeFilter{false, true}), "a b");
}

TEST(ImportGraph, a_chain_of_a_hundred_thousand_modules_needs_no_recursion) {
  std::vector<ModuleFacts> modules;
  const int n = 100000;
  modules.reserve(n);
  for (int i = 0; i < n; ++i) modules.push_back(module("m" + std::to_string(i), {plain("m" + std::to_string((i + 1) % n), 1)}));
  const ImportGraph g = build_import_graph(modules);
  const auto cycles = import_cycles(g);
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), static_cast<std::size_t>(n));
}

TEST(ImportGraph, a_module_named_twice_keeps_its_first_facts) {
  const std::vector<ModuleFacts> modules = {module("a", {plain("b", 1)}), module("a", {plain("b", 9)}), module("b", {})};
  const ImportGraph g = build_import_graph(modules);
  EXPECT_EQ(g.modules.size(), 2u);
  EXPECT_EQ(edges_of(g), "a->b@1");
}

}  // namespace
}  // namespace importspy
