#include "importspy/draw/graph_picture.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace importspy {
namespace {

bool under(std::string_view name, std::string_view package) {
  return package.empty() || name == package || (name.size() > package.size() && name.starts_with(package) && name[package.size()] == '.');
}

// The shortest loop from the cycle's first module back to it, along runtime imports inside the cycle.
std::vector<std::size_t> loop_through(const ImportGraph& graph, const std::vector<std::size_t>& cycle) {
  const std::set<std::size_t> members(cycle.begin(), cycle.end());
  const std::size_t start = cycle.front();
  std::map<std::size_t, std::size_t> parent;
  std::deque<std::size_t> queue{start};
  parent[start] = start;
  const EdgeFilter runtime;
  while (!queue.empty()) {
    const std::size_t at = queue.front();
    queue.pop_front();
    for (const ImportEdge& edge : graph.imports[at]) {
      if (!runtime.follows(edge) || !members.count(edge.to)) continue;
      if (edge.to == start) {
        std::vector<std::size_t> path{at};
        while (path.back() != start) path.push_back(parent[path.back()]);
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (parent.try_emplace(edge.to, at).second) queue.push_back(edge.to);
    }
  }
  return cycle;  // not reached: a cycle's first module lies on a loop inside it
}

}  // namespace

GraphPicture picture_of(const ImportGraph& graph, std::vector<std::string> files, std::string title) {
  GraphPicture picture;
  picture.title = std::move(title);
  picture.modules = graph.modules;
  picture.files = std::move(files);
  picture.files.resize(picture.modules.size());
  const auto cycles = import_cycles(graph);
  std::vector<int> cycle_of(graph.modules.size(), -1);
  for (std::size_t c = 0; c < cycles.size(); ++c)
    for (std::size_t node : cycles[c]) cycle_of[node] = static_cast<int>(c);
  for (std::size_t from = 0; from < graph.modules.size(); ++from) {
    for (const ModuleDependency& dependency : dependencies_of(graph, from)) {
      PictureEdge edge;
      edge.from = from;
      edge.to = dependency.to;
      for (const ImportEdge& import : dependency.imports) {
        if (edge.lines.empty() || edge.lines.back() != import.line) edge.lines.push_back(import.line);
        const bool runs = !import.lazy && !import.type_checking && !import.main_guard;
        edge.runtime = edge.runtime || runs;
        edge.lazy = edge.lazy || import.lazy;
        edge.type_checking = edge.type_checking || import.type_checking;
        edge.main_guard = edge.main_guard || import.main_guard;
      }
      edge.cycle = edge.runtime && cycle_of[from] >= 0 && cycle_of[from] == cycle_of[dependency.to];
      picture.edges.push_back(std::move(edge));
    }
  }
  for (std::size_t c = 0; c < cycles.size(); ++c) {
    Chain chain{"cycle", "cycle of " + std::to_string(cycles[c].size()) + " modules", {}};
    for (std::size_t node : loop_through(graph, cycles[c])) chain.modules.push_back(graph.modules[node]);
    picture.chains.push_back(std::move(chain));
  }
  return picture;
}

std::string top_package(const GraphPicture& picture) {
  std::set<std::string> tops;
  bool nested = false;
  for (const std::string& name : picture.modules) {
    const std::size_t dot = name.find('.');
    tops.insert(name.substr(0, dot));
    nested = nested || dot != std::string::npos;
  }
  return tops.size() == 1 && nested ? *tops.begin() : std::string();
}

std::vector<std::string> view_packages(const GraphPicture& picture) {
  const std::string top = top_package(picture);
  std::set<std::string> packages;
  for (const std::string& name : picture.modules) {
    if (!under(name, top)) continue;
    // Every proper prefix below the top that has a module under it is a package with a view.
    std::size_t dot = top.empty() ? name.find('.') : (name.size() > top.size() ? name.find('.', top.size() + 1) : std::string::npos);
    while (dot != std::string::npos) {
      packages.insert(name.substr(0, dot));
      dot = name.find('.', dot + 1);
    }
  }
  std::vector<std::string> out{top};
  for (const std::string& package : packages)
    if (package != top) out.push_back(package);
  return out;
}

PictureView view_of(const GraphPicture& picture, const std::string& package) {
  PictureView view;
  view.package = package;
  std::map<std::string, std::size_t> node_of;                  // key → index in view.nodes
  std::vector<std::ptrdiff_t> module_node(picture.modules.size(), -1);
  const std::size_t skip = package.empty() ? 0 : package.size() + 1;
  for (std::size_t m = 0; m < picture.modules.size(); ++m) {
    const std::string& name = picture.modules[m];
    if (!under(name, package)) continue;
    std::string key = name;
    bool deeper = false;
    if (name != package) {
      const std::size_t dot = name.find('.', skip);
      key = name.substr(0, dot);
      deeper = dot != std::string::npos;
    }
    auto [it, inserted] = node_of.try_emplace(key, view.nodes.size());
    if (inserted) {
      ViewNode node;
      node.key = key;
      node.label = key == package ? "__init__" : key.substr(skip);
      view.nodes.push_back(std::move(node));
    }
    ViewNode& node = view.nodes[it->second];
    node.package = node.package || deeper;
    ++node.modules;
    module_node[m] = static_cast<std::ptrdiff_t>(it->second);
  }
  for (ViewNode& node : view.nodes) {
    if (node.package) node.label += "/";
    for (std::size_t b = 0; b < picture.bands.size() && node.band < 0; ++b)
      for (const std::string& member : picture.bands[b].modules)
        if (under(node.key, member)) node.band = static_cast<int>(b);
  }
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> edge_of;
  for (const PictureEdge& edge : picture.edges) {
    const std::ptrdiff_t from = module_node[edge.from], to = module_node[edge.to];
    if (from < 0 || to < 0 || from == to) continue;
    auto [it, inserted] = edge_of.try_emplace({static_cast<std::size_t>(from), static_cast<std::size_t>(to)}, view.edges.size());
    if (inserted) view.edges.push_back(ViewEdge{static_cast<std::size_t>(from), static_cast<std::size_t>(to)});
    ViewEdge& shown = view.edges[it->second];
    ++shown.imports;
    shown.runtime = shown.runtime || edge.runtime;
    shown.lazy = shown.lazy || edge.lazy;
    shown.type_checking = shown.type_checking || edge.type_checking;
    shown.main_guard = shown.main_guard || edge.main_guard;
    shown.cycle = shown.cycle || edge.cycle;
  }
  return view;
}

}  // namespace importspy
