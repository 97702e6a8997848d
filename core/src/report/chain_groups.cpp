#include "importspy/report/chain_groups.hpp"

#include <map>

namespace importspy {
namespace {

void add_unique(std::vector<std::string>& names, const std::string& name) {
  for (const std::string& seen : names) {
    if (seen == name) return;
  }
  names.push_back(name);
}

// The key a chain is grouped by: its middle modules, or, for a direct import, both its ends (a start and
// an end of two different direct imports do not import each other).
std::vector<std::string> group_key(const std::vector<ChainStep>& chain) {
  std::vector<std::string> key;
  if (chain.size() <= 2) {
    key.push_back("");  // never a module name: keeps direct imports apart from chains
    for (const ChainStep& step : chain) key.push_back(step.module);
    return key;
  }
  for (std::size_t k = 1; k + 1 < chain.size(); ++k) key.push_back(chain[k].module);
  return key;
}

void add_link(std::vector<ChainLink>& links, const ChainStep& from, const std::string& to, std::size_t at) {
  for (const ChainLink& link : links) {
    if (link.from.module == from.module && link.to == to) return;  // one import (with all its lines) per pair of modules
  }
  links.push_back({from, to, at});
}

}  // namespace

std::vector<int> step_lines(const ChainStep& step) {
  if (!step.lines.empty()) return step.lines;
  if (step.line > 0) return {step.line};
  return {};
}

std::string lines_text(const ChainStep& step) {
  std::string out;
  for (int line : step_lines(step)) out += (out.empty() ? "" : ", ") + std::to_string(line);
  return out;
}

std::string group_text(const ChainGroup& group) {
  std::string out;
  for (const auto& names : group.steps) {
    if (!out.empty()) out += " -> ";
    for (std::size_t k = 0; k < names.size(); ++k) out += (k ? " & " : "") + names[k];
  }
  return out;
}

std::string chain_numbers(const ChainGroup& group) {
  std::string out = group.chains.size() == 1 ? "chain " : "chains ";
  const auto& c = group.chains;
  for (std::size_t k = 0; k < c.size();) {
    std::size_t end = k;
    while (end + 1 < c.size() && c[end + 1] == c[end] + 1) ++end;
    if (k > 0) out += ", ";
    out += std::to_string(c[k] + 1);
    if (end >= k + 2) {
      out += "-" + std::to_string(c[end] + 1);
      k = end + 1;
    } else {
      ++k;
    }
  }
  return out;
}

std::vector<ChainGroup> group_chains(const std::vector<std::vector<ChainStep>>& chains) {
  std::vector<ChainGroup> groups;
  std::map<std::vector<std::string>, std::size_t> by_key;
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const auto& chain = chains[c];
    if (chain.empty()) continue;
    const auto [it, added] = by_key.try_emplace(group_key(chain), groups.size());
    if (added) groups.push_back({{}, std::vector<std::vector<std::string>>(chain.size()), {}});
    ChainGroup& group = groups[it->second];
    group.chains.push_back(c);
    for (std::size_t k = 0; k < chain.size(); ++k) add_unique(group.steps[k], chain[k].module);
  }
  // Each import once, in chain order: the starts' imports, then the middle's, then those of the ends.
  for (ChainGroup& group : groups) {
    const std::size_t length = group.steps.size();
    for (std::size_t k = 0; k + 1 < length; ++k) {
      for (std::size_t c : group.chains) add_link(group.links, chains[c][k], chains[c][k + 1].module, k);
    }
  }
  return groups;
}

}  // namespace importspy
