// The entry point of importspy/libimportspy-draw.so, the module the Python extension loads only when a picture of
// the graph is asked for (bindings/src/cli/draw_loader.cpp): Graphviz and its libraries are then loaded
// with it, and `import importspy` never pays for them. Built by bindings/CMakeLists.txt, not part of the
// importspy_draw library.

#include <exception>
#include <string>

#include "importspy/draw/graph_page.hpp"

// `format` is "svg" or "html"; the result or the error message goes to *out. 0 on success.
extern "C" __attribute__((visibility("default"))) int importspy_draw_graph(const importspy::GraphPicture* picture, const char* format, std::string* out) {
  try {
    *out = std::string(format) == "svg" ? importspy::render_graph_svg(*picture) : importspy::render_graph_page(*picture);
    return 0;
  } catch (const std::exception& error) {
    *out = error.what();
    return 1;
  }
}
