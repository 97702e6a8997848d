#pragma once
// An architecture violation's chains merged for reading. The data keeps every chain (JSON and SARIF add
// the groups beside them); text, GitHub, JUnit and HTML show each group once: every chain through the
// same middle modules, which differ only in where they start or end, is one group
// (`a.x & a.w -> m -> b.y & b.z`), each import of it listed once with all its lines. A direct import
// (no middle) is a group of its own. docs/architecture-rules.md, "Reports".

#include <cstddef>
#include <string>
#include <vector>

#include "importspy/report/report.hpp"

namespace importspy {

// One import of a group: the importing step (module, file, every line) and the module it imports.
struct ChainLink {
  ChainStep from;
  std::string to;
  std::size_t at = 0;  // the importer's position in the group's chains (0: a start)
};

struct ChainGroup {
  std::vector<std::size_t> chains;               // indices into the violation's chains, in order
  std::vector<std::vector<std::string>> steps;   // the distinct modules at each position: starts, the shared middle, ends
  std::vector<ChainLink> links;                  // each distinct import once: the starts' first, the ends' last
};

// The groups of `chains`, in the order of their first chain. Every combination a group lists is a real
// chain of imports (each start imports the middle's first module, its last module imports each end).
std::vector<ChainGroup> group_chains(const std::vector<std::vector<ChainStep>>& chains);

// A step's lines, first to last: `lines`, or `line` alone when `lines` is empty (none when 0).
std::vector<int> step_lines(const ChainStep& step);

// "a.x & a.w -> m -> b.y": the group's modules, position by position.
std::string group_text(const ChainGroup& group);

// "chain 2", "chains 2, 3" or "chains 1-4, 9": the group's chains, numbered from 1, a run of three or more
// as a range.
std::string chain_numbers(const ChainGroup& group);

// "3" or "3, 7, 9": the lines of a step.
std::string lines_text(const ChainStep& step);

}  // namespace importspy
