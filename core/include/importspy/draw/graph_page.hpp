#pragma once
// Pictures of the import graph for people: SVG laid out by Graphviz's dot, and the graph page (HTML, one
// self-contained file) built around them. Documented in docs/html-report.md.

#include <string>

#include "importspy/draw/graph_picture.hpp"

namespace importspy {

// dot's layout of one view as SVG (Graphviz is called under a lock: it keeps global state). Each node's
// and edge's SVG id is `id_prefix` followed by `n` or `e` and its index in the view; classes name its kind.
std::string layout_svg(const GraphPicture& picture, const PictureView& view, const std::string& id_prefix);

// `importspy graph --format svg`: the view of the top package.
std::string render_graph_svg(const GraphPicture& picture);

// `importspy graph --format html`: every package's view, opened from the top; a click on a module shows
// its importers and imports, on a subpackage opens it; chains (cycles first) and bands listed and
// highlighted; lazy, TYPE_CHECKING and `__main__` imports drawn apart.
std::string render_graph_page(const GraphPicture& picture);

}  // namespace importspy
