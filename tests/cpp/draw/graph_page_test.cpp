#include "importspy/draw/graph_page.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace importspy {
namespace {

using json = nlohmann::json;

struct Import {
  std::string from, to;
  int line = 1;
  bool lazy = false, type_checking = false, main_guard = false;
};

ImportGraph graph_of(const std::vector<std::string>& modules, const std::vector<Import>& imports) {
  ImportGraph graph;
  graph.modules = modules;
  graph.imports.resize(modules.size());
  for (std::size_t i = 0; i < modules.size(); ++i) graph.index[modules[i]] = i;
  for (const Import& import : imports)
    graph.imports[graph.index.at(import.from)].push_back({graph.index.at(import.to), import.line, import.lazy, import.type_checking, import.main_guard});
  return graph;
}

// pkg: core imports util at run time; util imports core lazily; api and core form a runtime cycle;
// cli imports api under TYPE_CHECKING and core under __main__.
GraphPicture sample() {
  const ImportGraph graph = graph_of({"pkg", "pkg.api", "pkg.cli", "pkg.core", "pkg.core.base", "pkg.core.util"},
                                     {{"pkg.core.base", "pkg.core.util", 3},
                                      {"pkg.core.util", "pkg.core.base", 9, true},
                                      {"pkg.api", "pkg.core.base", 1},
                                      {"pkg.api", "pkg.core", 2},
                                      {"pkg.core", "pkg.api", 4},
                                      {"pkg.cli", "pkg.api", 1, false, true},
                                      {"pkg.cli", "pkg.core", 7, false, false, true}});
  return picture_of(graph, {"pkg/__init__.py", "pkg/api.py", "pkg/cli.py", "pkg/core/__init__.py", "pkg/core/base.py", "pkg/core/util.py"}, "Import graph of pkg");
}

json data_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"graph-data\">";
  const std::size_t begin = page.find(open) + open.size();
  return json::parse(page.substr(begin, page.find("</script>", begin) - begin));
}

TEST(GraphPicture, marks_each_edge_with_the_kinds_of_its_imports_and_its_cycle) {
  const GraphPicture picture = sample();
  ASSERT_EQ(picture.edges.size(), 7u);
  const auto edge = [&](const std::string& from, const std::string& to) {
    for (const PictureEdge& e : picture.edges)
      if (picture.modules[e.from] == from && picture.modules[e.to] == to) return e;
    ADD_FAILURE() << from << " -> " << to;
    return PictureEdge{};
  };
  EXPECT_TRUE(edge("pkg.core.util", "pkg.core.base").lazy);
  EXPECT_FALSE(edge("pkg.core.util", "pkg.core.base").runtime);
  EXPECT_TRUE(edge("pkg.cli", "pkg.api").type_checking);
  EXPECT_TRUE(edge("pkg.cli", "pkg.core").main_guard);
  EXPECT_TRUE(edge("pkg.core", "pkg.api").cycle);
  EXPECT_TRUE(edge("pkg.api", "pkg.core").cycle);
  EXPECT_FALSE(edge("pkg.api", "pkg.core.base").cycle);
  EXPECT_FALSE(edge("pkg.core.base", "pkg.core.util").cycle) << "the way back is lazy: no cycle at import time";
}

TEST(GraphPicture, gives_each_import_cycle_as_a_chain_of_modules) {
  const GraphPicture picture = sample();
  ASSERT_EQ(picture.chains.size(), 1u);
  EXPECT_EQ(picture.chains[0].kind, "cycle");
  EXPECT_EQ(picture.chains[0].modules, (std::vector<std::string>{"pkg.api", "pkg.core"}));
}

TEST(GraphPicture, opens_at_the_top_package_with_each_subpackage_squashed) {
  const GraphPicture picture = sample();
  EXPECT_EQ(top_package(picture), "pkg");
  EXPECT_EQ(view_packages(picture), (std::vector<std::string>{"pkg", "pkg.core"}));
  const PictureView top = view_of(picture, "pkg");
  std::vector<std::string> keys;
  for (const ViewNode& node : top.nodes) keys.push_back(node.key + (node.package ? "/" + std::to_string(node.modules) : ""));
  EXPECT_EQ(keys, (std::vector<std::string>{"pkg", "pkg.api", "pkg.cli", "pkg.core/3"}));
  // api -> core and api -> core.base are one edge to the squashed core; core.base <-> core.util stay inside it.
  ASSERT_EQ(top.edges.size(), 4u);
  EXPECT_EQ(top.edges[0].imports, 2u);
  EXPECT_TRUE(top.edges[0].cycle);
  const PictureView core = view_of(picture, "pkg.core");
  EXPECT_EQ(core.nodes.size(), 3u);
  EXPECT_EQ(core.nodes[0].label, "__init__");
  EXPECT_EQ(core.edges.size(), 2u);
}

TEST(GraphPicture, puts_nodes_into_the_bands_that_name_them) {
  GraphPicture picture = sample();
  picture.bands = {{"interface", {"pkg.api", "pkg.cli"}}, {"domain", {"pkg.core"}}};
  const PictureView top = view_of(picture, "pkg");
  EXPECT_EQ(top.nodes[0].band, -1);
  EXPECT_EQ(top.nodes[1].band, 0);
  EXPECT_EQ(top.nodes[3].band, 1);
  EXPECT_NE(layout_svg(picture, top, "v0").find("id=\"v0b1\""), std::string::npos) << "a band is a cluster of its own";
}

TEST(GraphSvg, draws_nodes_and_edges_with_ids_and_kinds) {
  const std::string svg = render_graph_svg(sample());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("id=\"v0n3\""), std::string::npos);
  EXPECT_NE(svg.find(">core/ (3)</text>"), std::string::npos);
  EXPECT_NE(svg.find("class=\"edge typing\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"edge main\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"edge runtime cycle\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos) << "lazy and __main__ edges are dashed, TYPE_CHECKING dotted";
}

TEST(GraphPage, holds_every_view_and_the_graph_as_data) {
  const std::string page = render_graph_page(sample());
  EXPECT_NE(page.find("<template id=\"svg-0\"><svg"), std::string::npos);
  EXPECT_NE(page.find("<template id=\"svg-1\"><svg"), std::string::npos);
  EXPECT_EQ(page.find("<?xml"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  const json data = data_of(page);
  EXPECT_EQ(data["modules"].size(), 6u);
  EXPECT_EQ(data["edges"].size(), 7u);
  EXPECT_EQ(data["chains"][0]["modules"], json::parse(R"(["pkg.api", "pkg.core"])"));
  EXPECT_EQ(data["views"][1]["package"], "pkg.core");
  EXPECT_NE(page.find("6 modules, 7 edges (7 import lines), 1 cycle"), std::string::npos);
}

TEST(GraphPage, escapes_hostile_module_names_everywhere) {
  const std::string hostile = "pkg.</template></script><img src=x onerror=alert(1)>\\N\"";
  const ImportGraph graph = graph_of({"pkg", "pkg.a", hostile}, {{"pkg.a", hostile, 1}, {hostile, "pkg.a", 2}});
  const std::string page = render_graph_page(picture_of(graph, {"pkg/__init__.py", "pkg/a.py", "x.py"}, hostile));
  EXPECT_EQ(page.find("<img"), std::string::npos);
  std::size_t closed = 0;
  for (std::size_t at = page.find("</script>"); at != std::string::npos; at = page.find("</script>", at + 1)) ++closed;
  EXPECT_EQ(closed, 2u);
  std::size_t templates = 0;
  for (std::size_t at = page.find("</template>"); at != std::string::npos; at = page.find("</template>", at + 1)) ++templates;
  EXPECT_EQ(templates, 1u) << "one view, one template";
  EXPECT_EQ(data_of(page)["modules"][2], hostile);
}

}  // namespace
}  // namespace importspy
