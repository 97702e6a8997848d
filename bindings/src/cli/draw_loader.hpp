#pragma once
// Pictures of the import graph, drawn by importspy/libimportspy-draw.so (Graphviz inside), loaded on first use so that
// the extension itself links no Graphviz library.

#include <string>

#include "importspy/draw/graph_picture.hpp"

namespace importspy::cli {

// `format`: "svg" or "html". Throws std::runtime_error when the module cannot be loaded or Graphviz fails.
std::string draw_graph(const GraphPicture& picture, const std::string& format);

}  // namespace importspy::cli
