#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>

#include "importspy/draw/graph_page.hpp"

// The two Graphviz plugins the pictures need, linked in (cmake/FindGraphviz.cmake) and handed to
// Graphviz as preloaded: no plugin folder or config file is ever searched, so a wheel carries exactly these.
extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
}

namespace importspy {
namespace {

lt_symlist_t kPlugins[] = {
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {nullptr, nullptr},
};

// A DOT double-quoted string: `"` and `\` escaped (so no Graphviz escape like \N or \G is read in a name).
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') c = ' ';
    out += c;
  }
  return out + "\"";
}

constexpr const char* kBandColors[] = {"#ddf4ff", "#fff8c5", "#dafbe1", "#fbefff", "#ffebe9", "#f6f8fa"};

std::string dot_text(const GraphPicture& picture, const PictureView& view, const std::string& prefix) {
  std::string out = "digraph view {\n";
  out += "graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.6, id=" + quoted(prefix) + "];\n";
  out += "node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#8c959f\", fontname=\"Helvetica\", fontsize=10, height=0.3];\n";
  out += "edge [color=\"#6e7781\", arrowsize=0.6];\n";
  const auto node_line = [&](std::size_t i) {
    const ViewNode& node = view.nodes[i];
    std::string line = quoted(node.key) + " [id=" + quoted(prefix + "n" + std::to_string(i)) + ", label=" +
                       quoted(node.package ? node.label + " (" + std::to_string(node.modules) + ")" : node.label) + ", class=" +
                       quoted(node.package ? "package" : "module");
    if (node.package) line += ", shape=folder, fillcolor=\"#f6f8fa\"";
    return line + "];\n";
  };
  // Bands are clusters, drawn in their order top first (an invisible edge from each band to the next).
  std::vector<std::vector<std::size_t>> in_band(picture.bands.size());
  for (std::size_t i = 0; i < view.nodes.size(); ++i) {
    if (view.nodes[i].band >= 0) in_band[static_cast<std::size_t>(view.nodes[i].band)].push_back(i);
    else out += node_line(i);
  }
  std::ptrdiff_t previous = -1;
  for (std::size_t b = 0; b < in_band.size(); ++b) {
    if (in_band[b].empty()) continue;
    out += "subgraph " + quoted("cluster_band" + std::to_string(b)) + " {\nlabel=" + quoted(picture.bands[b].name) + "; id=" +
           quoted(prefix + "b" + std::to_string(b)) + "; class=\"band\"; style=\"filled,rounded\"; color=\"#d0d7de\"; fillcolor=" +
           quoted(kBandColors[b % std::size(kBandColors)]) + "; labeljust=l;\n";
    for (std::size_t i : in_band[b]) out += node_line(i);
    out += "}\n";
    if (previous >= 0)
      out += quoted(view.nodes[static_cast<std::size_t>(previous)].key) + " -> " + quoted(view.nodes[in_band[b].front()].key) + " [style=invis, weight=10];\n";
    previous = static_cast<std::ptrdiff_t>(in_band[b].front());
  }
  for (std::size_t e = 0; e < view.edges.size(); ++e) {
    const ViewEdge& edge = view.edges[e];
    std::string cls = edge.runtime ? "runtime" : edge.type_checking && !edge.lazy && !edge.main_guard ? "typing" : edge.lazy ? "lazy" : "main";
    std::string style;
    if (edge.cycle) style = ", color=\"#cf222e\", penwidth=1.6";
    else if (cls == "typing") style = ", style=dotted, color=\"#8250df\"";
    else if (cls == "lazy") style = ", style=dashed, color=\"#0969da\"";
    else if (cls == "main") style = ", style=dashed, color=\"#bc4c00\"";
    if (edge.cycle) cls += " cycle";
    const double width = 1.0 + std::log2(static_cast<double>(edge.imports));
    out += quoted(view.nodes[edge.from].key) + " -> " + quoted(view.nodes[edge.to].key) + " [id=" + quoted(prefix + "e" + std::to_string(e)) + ", class=" +
           quoted(cls) + style + (edge.imports > 1 && !edge.cycle ? ", penwidth=" + std::to_string(std::min(width, 4.0)) : std::string()) + "];\n";
  }
  return out + "}\n";
}

std::mutex graphviz_lock;
std::string* graphviz_messages = nullptr;  // under graphviz_lock: where Graphviz's messages go instead of stderr

int keep_message(char* text) {
  if (graphviz_messages && text) *graphviz_messages += text;
  return 0;
}

std::string failure(const std::string& what, const std::string& messages) {
  std::string out = "Graphviz could not " + what;
  if (!messages.empty()) out += " (" + messages.substr(0, messages.find_last_not_of(" \n") + 1) + ")";
  return out;
}

}  // namespace

std::string layout_svg(const GraphPicture& picture, const PictureView& view, const std::string& id_prefix) {
  const std::string dot = dot_text(picture, view, id_prefix);
  const std::lock_guard<std::mutex> lock(graphviz_lock);
  // Warnings (a label too long for a node, say) are Graphviz's business; errors are reported with ours.
  std::string messages;
  graphviz_messages = &messages;
  const agusererrf previous = agseterrf(keep_message);
  agseterr(AGERR);
  struct Restore {
    agusererrf previous;
    ~Restore() {
      agseterrf(previous);
      graphviz_messages = nullptr;
    }
  } restore{previous};
  const std::string what = view.package.empty() ? std::string("the top") : view.package;
  std::unique_ptr<GVC_t, int (*)(GVC_t*)> context(gvContextPlugins(kPlugins, 0), gvFreeContext);
  if (!context) throw std::runtime_error(failure("start", messages));
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(dot.c_str()), agclose);
  if (!graph) throw std::runtime_error(failure("read the graph of " + what, messages));
  if (gvLayout(context.get(), graph.get(), "dot") != 0) throw std::runtime_error(failure("lay out " + what, messages));
  char* data = nullptr;
  unsigned int length = 0;
  const int status = gvRenderData(context.get(), graph.get(), "svg", &data, &length);
  std::string svg = status == 0 && data ? std::string(data, length) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(context.get(), graph.get());
  if (status != 0) throw std::runtime_error(failure("draw " + what, messages));
  return svg;
}

std::string render_graph_svg(const GraphPicture& picture) { return layout_svg(picture, view_of(picture, top_package(picture)), "v0"); }

}  // namespace importspy
