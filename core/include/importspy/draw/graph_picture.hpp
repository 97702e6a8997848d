#pragma once
// The import graph as something to draw: modules, their import edges with kinds, chains to highlight
// (import cycles; any other chain a caller adds, such as a broken architecture rule's) and named bands
// (an architecture's layers). Pictures show one package at a time with each subpackage squashed to one
// node, as grimp's squash does, starting at the top package: so a graph of 1,500 modules opens readable.

#include <cstddef>
#include <string>
#include <vector>

#include "importspy/graph/import_graph.hpp"

namespace importspy {

// The imports of one module from another, as one edge: which kinds of import statements it has.
struct PictureEdge {
  std::size_t from = 0, to = 0;  // indices into GraphPicture::modules
  std::vector<int> lines;        // the import statements' lines in `from`
  bool runtime = false;          // at least one import runs at import time
  bool lazy = false, type_checking = false, main_guard = false;  // at least one import of this kind
  bool cycle = false;            // a runtime import between two modules of one import cycle
};

// A path of modules to highlight, in order (a cycle's last module imports its first).
struct Chain {
  std::string kind;   // "cycle", or what a caller names (for example "rule")
  std::string label;  // shown in the page's list
  std::vector<std::string> modules;
};

// A named band of modules drawn together (an architecture's layer); `modules` holds module names or
// package names (a package covers every module under it). Bands are listed top first.
struct Band {
  std::string name;
  std::vector<std::string> modules;
};

struct GraphPicture {
  std::string title;
  std::vector<std::string> modules;  // dotted names, as in ImportGraph
  std::vector<std::string> files;    // each module's file, as shown to the user
  std::vector<PictureEdge> edges;    // one per importing module and imported module, by importing module
  std::vector<Chain> chains;
  std::vector<Band> bands;
};

// The picture of `graph` (files: one per module): its edges, and one chain per import cycle (the
// shortest loop through the cycle's first module, along imports that run at import time).
GraphPicture picture_of(const ImportGraph& graph, std::vector<std::string> files, std::string title);

// One package seen from inside: its modules and subpackages (each squashed to one node), and the edges
// between them, each the sum of the module edges it stands for.
struct ViewNode {
  std::string key;      // the module's or subpackage's dotted name
  std::string label;    // what the node shows
  bool package = false; // a subpackage that can be opened
  std::size_t modules = 0;  // how many modules it stands for
  int band = -1;        // index into GraphPicture::bands, -1 for none
};
struct ViewEdge {
  std::size_t from = 0, to = 0;  // indices into PictureView::nodes
  std::size_t imports = 0;       // how many module edges it stands for
  bool runtime = false, lazy = false, type_checking = false, main_guard = false, cycle = false;
};
struct PictureView {
  std::string package;  // "" for the top, where several top-level packages are drawn
  std::vector<ViewNode> nodes;
  std::vector<ViewEdge> edges;
};

// The package a picture opens at: the one top-level package when there is one, else "".
std::string top_package(const GraphPicture& picture);
// Every package that has a view: the top first, then each subpackage, in name order.
std::vector<std::string> view_packages(const GraphPicture& picture);
// The view of `package`.
PictureView view_of(const GraphPicture& picture, const std::string& package);

}  // namespace importspy
