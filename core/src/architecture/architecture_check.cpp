#include "importspy/architecture/architecture_check.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "importspy/facts/static_rules.hpp"
#include "importspy/report/violation_codes.hpp"

namespace importspy {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
// Chains shown per broken pair of packages; the message counts them all.

struct Edge {
  std::size_t to = 0;
  int line = 0;
  bool lazy = false, type_checking = false, main_guard = false;
};

// The graph the rules see: the package's modules, then (include_external_packages) the top-level
// packages it imports from outside, each once.
struct Nodes {
  std::vector<std::string> names;
  std::vector<std::string> files;
  std::vector<std::vector<Edge>> edges;  // every import, in source order
  std::size_t internal = 0;              // names[0, internal) are the package's modules
  std::unordered_map<std::string, std::size_t> index;

  std::size_t find(const std::string& name) const {
    const auto it = index.find(name);
    return it == index.end() ? kNone : it->second;
  }
};

std::string top_of(const std::string& name) { return name.substr(0, name.find('.')); }

bool within(const std::string& name, const std::string& package) {
  return name == package || (name.size() > package.size() && name.starts_with(package) && name[package.size()] == '.');
}

Nodes build_nodes(const ImportGraph& graph, std::span<const ModuleFacts> facts, bool external) {
  Nodes nodes;
  nodes.names = graph.modules;
  nodes.internal = graph.modules.size();
  nodes.files.resize(nodes.internal);
  nodes.edges.resize(nodes.internal);
  for (std::size_t i = 0; i < nodes.internal; ++i) {
    nodes.index.emplace(nodes.names[i], i);
    if (i < facts.size()) nodes.files[i] = facts[i].filename;
    for (const ImportEdge& edge : graph.imports[i]) nodes.edges[i].push_back({edge.to, edge.line, edge.lazy, edge.type_checking, edge.main_guard});
  }
  if (!external) return nodes;
  std::set<std::string> tops;
  for (const std::string& name : graph.modules) tops.insert(top_of(name));
  for (std::size_t i = 0; i < nodes.internal && i < facts.size(); ++i) {
    for (const ImportFact& fact : facts[i].imports) {
      if (fact.module.empty() || fact.module.starts_with('.')) continue;  // relative: inside the package
      const std::string top = top_of(fact.module);
      if (tops.count(top)) continue;
      auto [it, added] = nodes.index.try_emplace(top, nodes.names.size());
      if (added) {
        nodes.names.push_back(top);
        nodes.files.emplace_back();
        nodes.edges.emplace_back();
      }
      nodes.edges[i].push_back({it->second, fact.line, fact.lazy, fact.type_checking, fact.main_guard});
    }
  }
  return nodes;
}

// One rule's view: the edges it counts (its marks, minus its ignored imports), one per pair of modules,
// with the first line that makes it, and every line that makes it.
struct View {
  std::vector<std::vector<std::pair<std::size_t, int>>> out;  // (to, line)
  std::map<std::pair<std::size_t, std::size_t>, std::vector<int>> lines;  // every line of an edge made at several, first to last
  std::vector<std::vector<std::size_t>> in;

  std::vector<int> lines_of(std::size_t from, std::size_t to) const {
    if (const auto it = lines.find({from, to}); it != lines.end()) return it->second;
    for (const auto& [target, line] : out[from]) {
      if (target == to) return {line};
    }
    return {};
  }
};

std::vector<std::size_t> expand(const Nodes& nodes, const ModuleExpression& expression, bool as_packages) {
  std::vector<std::size_t> out;
  if (!expression.has_wildcard()) {
    const std::size_t at = nodes.find(expression.written);
    if (!as_packages) {
      if (at != kNone) out.push_back(at);
      return out;
    }
  }
  for (std::size_t i = 0; i < nodes.names.size(); ++i) {
    if (expression.has_wildcard() ? expression.matches(nodes.names[i]) : within(nodes.names[i], expression.written)) out.push_back(i);
  }
  if (as_packages && expression.has_wildcard()) {  // each match with its descendants
    std::vector<bool> taken(nodes.names.size(), false);
    for (std::size_t i : out) taken[i] = true;
    std::vector<std::size_t> more;
    for (std::size_t i = 0; i < nodes.names.size(); ++i) {
      if (taken[i]) continue;
      for (std::size_t m : out) {
        if (within(nodes.names[i], nodes.names[m])) {
          more.push_back(i);
          break;
        }
      }
    }
    out.insert(out.end(), more.begin(), more.end());
    std::sort(out.begin(), out.end());
  }
  return out;
}

class Checker {
public:
  Checker(const ArchitectureRules& rules, const ImportGraph& graph, std::span<const ModuleFacts> facts)
      : rules_(rules), nodes_(build_nodes(graph, facts, rules.include_external_packages)) {}

  Report run() {
    Report report;
    report.contract_source = rules_.file;
    for (std::size_t r = 0; r < rules_.rules.size(); ++r) {
      rule_ = &rules_.rules[r];
      path_ = "architecture_rules.rules[" + std::to_string(r) + "]";
      view_ = make_view(report);
      pairs_.clear();
      switch (rule_->type) {
        case ArchitectureRuleType::forbidden: forbidden(report); break;
        case ArchitectureRuleType::layers: layers(report); break;
        case ArchitectureRuleType::independence: independence(report); break;
        case ArchitectureRuleType::acyclic_siblings: acyclic_siblings(report); break;
        case ArchitectureRuleType::protected_modules: protected_modules(report); break;
        case ArchitectureRuleType::private_modules: private_modules(report); break;
      }
      cut_hints(report);
    }
    return report;
  }

private:
  bool counts(const Edge& edge) const {
    const CountedImports& c = rule_->counted;
    return (!edge.lazy || c.lazy) && (!edge.type_checking || c.type_checking) && (!edge.main_guard || c.main_guard);
  }

  View make_view(Report& report) {
    const std::size_t n = nodes_.names.size();
    // Excused pairs: every import from a module the importer expression matches to one the imported matches.
    std::set<std::pair<std::size_t, std::size_t>> excused;
    for (const ImportExpression& ignore : rule_->ignore_imports) {
      bool matched = false;
      for (std::size_t from = 0; from < n; ++from) {
        if (!matches(ignore.importer, from)) continue;
        for (const Edge& edge : nodes_.edges[from]) {
          if (matches(ignore.imported, edge.to)) {
            excused.emplace(from, edge.to);
            matched = true;
          }
        }
      }
      if (matched || rule_->unmatched_ignore_imports_alerting == UnmatchedIgnoreAlerting::none) continue;
      Violation v = violation(codes::architecture_ignore_unmatched, "ignore_imports");
      v.contract_mark = ignore.mark;
      v.expected = "an import `" + ignore.written + "`";
      v.actual = "no such import in the package";
      v.message = "`ignore_imports` entry `" + ignore.written + "` of rule `" + rule_->name + "` excuses no import";
      v.hint = "remove the entry (the import it excused is gone), or correct it; `unmatched_ignore_imports_alerting: warn` makes this a warning";
      (rule_->unmatched_ignore_imports_alerting == UnmatchedIgnoreAlerting::error ? report.violations : report.warnings).push_back(std::move(v));
    }
    View view;
    view.out.resize(n);
    view.in.resize(n);
    for (std::size_t from = 0; from < n; ++from) {
      for (const Edge& edge : nodes_.edges[from]) {
        if (!counts(edge) || excused.count({from, edge.to})) continue;
        auto& out = view.out[from];
        const auto seen = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == edge.to; });
        if (seen != out.end()) {  // a further line of an edge: kept aside, as few edges have one
          auto [it, added] = view.lines.try_emplace({from, edge.to});
          if (added) it->second.push_back(seen->second);
          it->second.push_back(edge.line);
          continue;
        }
        out.emplace_back(edge.to, edge.line);
        view.in[edge.to].push_back(from);
      }
    }
    for (auto& [edge, lines] : view.lines) {  // the first import stays `line`; the others follow in order, each once
      const int first = lines.front();
      std::sort(lines.begin() + 1, lines.end());
      lines.erase(std::unique(lines.begin() + 1, lines.end()), lines.end());
      lines.erase(std::remove(lines.begin() + 1, lines.end(), first), lines.end());
    }
    return view;
  }

  bool matches(const ModuleExpression& expression, std::size_t node) const {
    return expression.has_wildcard() ? expression.matches(nodes_.names[node]) : nodes_.names[node] == expression.written;
  }

  Violation violation(std::string_view code, const std::string& option) const {
    Violation v;
    v.code = std::string(code);
    const ViolationCode& entry = violation_code(code);
    v.category = entry.category;
    v.context = entry.context;
    v.path = path_ + (option.empty() ? "" : "." + option);
    v.contract_mark = rule_->mark;
    return v;
  }

  std::vector<ChainStep> steps(const std::vector<std::size_t>& chain) const {
    std::vector<ChainStep> out;
    for (std::size_t k = 0; k < chain.size(); ++k) {
      const std::size_t node = chain[k];
      std::vector<int> lines = k + 1 < chain.size() ? view_.lines_of(node, chain[k + 1]) : std::vector<int>{};
      const int line = lines.empty() ? 0 : lines.front();
      if (lines.size() < 2) lines.clear();  // one line: `line` says it
      out.push_back({nodes_.names[node], nodes_.files[node], line, std::move(lines)});
    }
    return out;
  }

  static std::string chain_text(const std::vector<ChainStep>& chain) {
    std::string out;
    for (const ChainStep& step : chain) out += (out.empty() ? "" : " -> ") + step.module;
    return out;
  }

  // The hint of each broken pair of the rule: the import whose removal breaks the most of the rule's
  // chains (every violation of the rule counted, each chain once), chosen among the violation's own
  // imports; among equals, the first in its chains (shortest first).
  void cut_hints(Report& report) const {
    std::map<std::pair<std::string, std::string>, std::size_t> taken;
    std::size_t total = 0;
    for (std::size_t index : pairs_) {
      for (const auto& chain : report.violations[index].chains) {
        ++total;
        std::set<std::pair<std::string, std::string>> edges;
        for (std::size_t k = 0; k + 1 < chain.size(); ++k) edges.emplace(chain[k].module, chain[k + 1].module);
        for (const auto& edge : edges) ++taken[edge];
      }
    }
    for (std::size_t index : pairs_) {
      Violation& v = report.violations[index];
      std::pair<std::string, std::string> best;
      std::size_t most = 0;
      std::string where;
      for (const auto& chain : v.chains) {
        for (std::size_t k = 0; k + 1 < chain.size(); ++k) {
          const std::pair<std::string, std::string> edge{chain[k].module, chain[k + 1].module};
          if (const std::size_t count = taken[edge]; count > most) {
            best = edge, most = count;
            where = chain[k].file + ":" + std::to_string(chain[k].line);
          }
        }
      }
      v.hint = "cut the import `" + best.first + " -> " + best.second + "` (" + where + ")";
      if (total > 1) hint_count(v.hint, most, total);
      v.hint += ", or excuse it with `ignore_imports: [\"" + best.first + " -> " + best.second + "\"]`";
      if (rule_->broken_contract_guidance) v.hint += ". " + *rule_->broken_contract_guidance;
    }
  }

  static void hint_count(std::string& hint, std::size_t most, std::size_t total) {
    hint += most == total ? ", which all " + std::to_string(total) + " chains of the rule take"
                          : ", which " + std::to_string(most) + " of the rule's " + std::to_string(total) + (most == 1 ? " chains takes" : " chains take");
  }

  // Shortest chains from each of `sources` to the first module of `targets` reached, passing through no
  // module of `blocked` (the source and target packages themselves included): one chain per (source,
  // target) pair, as import-linter finds them. A reverse search from the targets first marks the modules
  // that can reach one at all, so each forward search visits only those. Linear per source.
  std::vector<std::vector<std::size_t>> chains(const std::vector<std::size_t>& sources, const std::vector<bool>& target, const std::vector<bool>& blocked,
                                               bool direct_only) const {
    const std::size_t n = nodes_.names.size();
    std::vector<std::vector<std::size_t>> out;
    if (direct_only) {
      for (std::size_t s : sources) {
        for (const auto& [to, line] : view_.out[s]) {
          if (target[to] && to != s) out.push_back({s, to});
        }
      }
      return out;
    }
    std::vector<bool> reaches(n, false);  // a middle module with a way to a target
    std::deque<std::size_t> queue;
    for (std::size_t t = 0; t < n; ++t) {
      if (target[t]) queue.push_back(t);
    }
    while (!queue.empty()) {
      const std::size_t node = queue.front();
      queue.pop_front();
      for (std::size_t from : view_.in[node]) {
        if (reaches[from] || blocked[from] || target[from]) continue;
        reaches[from] = true;
        queue.push_back(from);
      }
    }
    std::vector<std::size_t> parent(n, kNone);
    std::vector<std::size_t> touched;
    for (std::size_t s : sources) {
      bool any = false;
      for (const auto& [to, line] : view_.out[s]) any = any || target[to] || reaches[to];
      if (!any) continue;
      queue.assign(1, s);
      parent[s] = s;
      touched.assign(1, s);
      while (!queue.empty()) {
        const std::size_t node = queue.front();
        queue.pop_front();
        for (const auto& [to, line] : view_.out[node]) {
          if (parent[to] != kNone) continue;
          if (target[to]) {
            parent[to] = node;
            touched.push_back(to);
            std::vector<std::size_t> chain{to};
            for (std::size_t at = node; at != s; at = parent[at]) chain.push_back(at);
            chain.push_back(s);
            std::reverse(chain.begin(), chain.end());
            out.push_back(std::move(chain));
          } else if (reaches[to]) {
            parent[to] = node;
            touched.push_back(to);
            queue.push_back(to);
          }
        }
      }
      for (std::size_t node : touched) parent[node] = kNone;
    }
    return out;
  }

  std::vector<bool> mask(const std::vector<std::size_t>& members) const {
    std::vector<bool> out(nodes_.names.size(), false);
    for (std::size_t m : members) out[m] = true;
    return out;
  }

  // One violation per broken (importer package, imported package) pair, with all its chains (shortest
  // first) and the import to cut.
  void report_pair(Report& report, std::string_view code, const std::string& option, const std::string& importer, const std::string& imported,
                   std::vector<std::vector<std::size_t>> found, const std::string& why) {
    std::sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
      if (a.size() != b.size()) return a.size() < b.size();
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                          [&](std::size_t x, std::size_t y) { return nodes_.names[x] < nodes_.names[y]; });
    });
    Violation v = violation(code, option);
    const std::size_t total = found.size();
    for (const auto& chain : found) v.chains.push_back(steps(chain));
    v.source_line = v.chains[0][0].line;
    v.chain.clear();
    for (const ChainStep& step : v.chains[0]) v.chain.push_back(step.module);
    v.expected = "no import of `" + imported + "` by `" + importer + "`";
    v.actual = total == 1 ? chain_text(v.chains[0]) : std::to_string(total) + " chains, the shortest " + chain_text(v.chains[0]);
    v.message = "`" + importer + "` imports `" + imported + "`" + (total == 1 ? "" : " (" + std::to_string(total) + " chains)") + ": " + why +
                " (rule `" + rule_->name + "`)";
    pairs_.push_back(report.violations.size());  // its hint when the rule is done (cut_hints)
    report.violations.push_back(std::move(v));
  }

  void missing(Report& report, const std::string& option, const std::string& name, SourceMark mark, const std::string& hint) const {
    Violation v = violation(codes::architecture_module_missing, option);
    v.contract_mark = mark;
    v.expected = "a module `" + name + "`";
    v.actual = "no such module in the package";
    v.message = "rule `" + rule_->name + "` names `" + name + "`, which the package does not have";
    v.hint = hint;
    report.violations.push_back(std::move(v));
  }

  // Literal expressions must name a module of the graph (an external one may be absent: nothing imports it).
  bool exists_or_report(Report& report, const std::string& option, const ModuleExpression& expression, bool may_be_external) const {
    if (expression.has_wildcard() || nodes_.find(expression.written) != kNone) return true;
    const bool external = !std::any_of(nodes_.names.begin(), nodes_.names.begin() + static_cast<std::ptrdiff_t>(nodes_.internal),
                                       [&](const std::string& name) { return top_of(name) == top_of(expression.written); });
    if (external && may_be_external) {
      if (rules_.include_external_packages) return true;
      missing(report, option, expression.written, expression.mark,
              "`" + expression.written + "` is outside the package: set `include_external_packages: true` in `architecture_rules` to judge imports of it");
      return false;
    }
    missing(report, option, expression.written, expression.mark, "check the spelling; modules are named in full, `mypackage.sub`");
    return false;
  }

  void forbidden(Report& report) {
    const ForbiddenOptions& o = rule_->forbidden;
    for (const ModuleExpression& e : o.source_modules) exists_or_report(report, "source_modules", e, false);
    for (const ModuleExpression& e : o.forbidden_modules) exists_or_report(report, "forbidden_modules", e, true);
    for (const ModuleExpression& source : o.source_modules) {
      for (std::size_t s_top : expand(nodes_, source, false)) {
        const std::vector<std::size_t> sources = o.as_packages ? expand(nodes_, ModuleExpression{nodes_.names[s_top], {}, {}}, true) : std::vector{s_top};
        for (const ModuleExpression& forbidden : o.forbidden_modules) {
          for (std::size_t f_top : expand(nodes_, forbidden, false)) {
            if (within(nodes_.names[s_top], nodes_.names[f_top]) || within(nodes_.names[f_top], nodes_.names[s_top])) continue;
            const std::vector<std::size_t> targets =
                o.as_packages && f_top < nodes_.internal ? expand(nodes_, ModuleExpression{nodes_.names[f_top], {}, {}}, true) : std::vector{f_top};
            std::vector<bool> blocked = mask(sources);
            auto found = chains(sources, mask(targets), blocked, o.allow_indirect_imports);
            if (found.empty()) continue;
            report_pair(report, codes::architecture_forbidden, "forbidden_modules", nodes_.names[s_top], nodes_.names[f_top], std::move(found),
                        std::string(o.allow_indirect_imports ? "a direct import" : "an import") + " the rule forbids");
          }
        }
      }
    }
  }

  struct LayerPackage {
    std::size_t node;
    std::size_t layer;
  };

  void layers(Report& report) {
    const LayersOptions& o = rule_->layers;
    std::vector<std::string> containers;
    for (const ModuleExpression& e : o.containers) {
      if (!exists_or_report(report, "containers", e, false)) continue;
      for (std::size_t c : expand(nodes_, e, false)) {
        if (c < nodes_.internal) containers.push_back(nodes_.names[c]);
      }
    }
    if (o.containers.empty()) containers.emplace_back();
    for (const std::string& container : containers) {
      std::vector<LayerPackage> packages;
      std::vector<bool> layer_independent;
      for (std::size_t l = 0; l < o.layers.size(); ++l) {
        for (const LayerModule& module : o.layers[l].modules) {
          const std::string name = container.empty() ? module.name : container + "." + module.name;
          const std::size_t node = nodes_.find(name);
          if (node == kNone || node >= nodes_.internal) {
            if (!module.optional) {
              missing(report, "layers", name, module.mark,
                      "create it, correct the name, or write `(" + module.name + ")` to make the layer optional");
            }
            continue;
          }
          packages.push_back({node, l});
        }
      }
      std::vector<std::size_t> all;
      std::vector<std::vector<std::size_t>> members(packages.size());
      for (std::size_t p = 0; p < packages.size(); ++p) {
        members[p] = expand(nodes_, ModuleExpression{nodes_.names[packages[p].node], {}, {}}, true);
        all.insert(all.end(), members[p].begin(), members[p].end());
      }
      const std::vector<bool> blocked = mask(all);
      std::vector<std::size_t> owner(nodes_.names.size(), kNone);
      for (std::size_t p = 0; p < packages.size(); ++p) {
        for (std::size_t m : members[p]) owner[m] = p;
      }
      for (std::size_t p = 0; p < packages.size(); ++p) {
        const std::size_t layer = packages[p].layer;
        std::vector<std::size_t> targets;
        for (std::size_t q = 0; q < packages.size(); ++q) {
          const std::size_t other = packages[q].layer;
          if (other < layer || (other == layer && q != p && o.layers[layer].independent)) targets.insert(targets.end(), members[q].begin(), members[q].end());
        }
        if (targets.empty()) continue;
        auto found = chains(members[p], mask(targets), blocked, false);
        std::map<std::size_t, std::vector<std::vector<std::size_t>>> by_target;
        for (auto& chain : found) by_target[owner[chain.back()]].push_back(std::move(chain));
        for (auto& [q, list] : by_target) {
          const bool sibling = packages[q].layer == layer;
          report_pair(report, codes::architecture_layers, "layers", nodes_.names[packages[p].node], nodes_.names[packages[q].node], std::move(list),
                      sibling ? "siblings of one independent layer must not import each other" : "a lower layer must not import a higher one");
        }
      }
      if (o.exhaustive && !container.empty()) {
        std::set<std::string> declared;
        for (const Layer& layer : o.layers) {
          for (const LayerModule& module : layer.modules) declared.insert(module.name);  // as import-linter: the whole name
        }
        for (const std::string& ignored : o.exhaustive_ignores) declared.insert(ignored);
        for (std::size_t i = 0; i < nodes_.internal; ++i) {
          const std::string& name = nodes_.names[i];
          if (!within(name, container) || name == container) continue;
          const std::string child = name.substr(container.size() + 1);
          if (child.find('.') != std::string::npos || declared.count(child)) continue;
          Violation v = violation(codes::architecture_layers_undeclared, "layers");
          v.expected = "every child of `" + container + "` in a layer";
          v.actual = "`" + name + "` is in none";
          v.message = "`" + name + "` is in no layer of exhaustive rule `" + rule_->name + "`";
          v.hint = "add `" + child + "` to a layer, or to `exhaustive_ignores`";
          v.chains.push_back({{name, nodes_.files[i], 0}});
          report.violations.push_back(std::move(v));
        }
      }
    }
  }

  void independence(Report& report) {
    std::vector<std::size_t> tops;
    for (const ModuleExpression& e : rule_->independence.modules) {
      if (!exists_or_report(report, "modules", e, false)) continue;
      for (std::size_t m : expand(nodes_, e, false)) {
        if (std::find(tops.begin(), tops.end(), m) == tops.end()) tops.push_back(m);
      }
    }
    std::vector<std::vector<std::size_t>> members;
    std::vector<std::size_t> all;
    std::vector<std::size_t> owner(nodes_.names.size(), kNone);
    for (std::size_t p = 0; p < tops.size(); ++p) {
      members.push_back(expand(nodes_, ModuleExpression{nodes_.names[tops[p]], {}, {}}, true));
      for (std::size_t m : members.back()) owner[m] = p;
      all.insert(all.end(), members.back().begin(), members.back().end());
    }
    const std::vector<bool> blocked = mask(all);
    for (std::size_t p = 0; p < tops.size(); ++p) {
      std::vector<std::size_t> targets;
      for (std::size_t q = 0; q < tops.size(); ++q) {
        if (q != p) targets.insert(targets.end(), members[q].begin(), members[q].end());
      }
      auto found = chains(members[p], mask(targets), blocked, false);
      std::map<std::size_t, std::vector<std::vector<std::size_t>>> by_target;
      for (auto& chain : found) by_target[owner[chain.back()]].push_back(std::move(chain));
      for (auto& [q, list] : by_target) {
        report_pair(report, codes::architecture_independence, "modules", nodes_.names[tops[p]], nodes_.names[tops[q]], std::move(list),
                    "the rule keeps them independent");
      }
    }
  }

  // The child of `package` that `node` is or is inside; kNone when neither.
  std::vector<std::size_t> children_of(const std::string& package) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < nodes_.internal; ++i) {
      const std::string& name = nodes_.names[i];
      if (within(name, package) && name != package && name.find('.', package.size() + 1) == std::string::npos) out.push_back(i);
    }
    return out;
  }

  void acyclic_siblings(Report& report) {
    const AcyclicSiblingsOptions& o = rule_->acyclic_siblings;
    std::set<std::size_t> skipped;
    for (const ModuleExpression& e : o.skip_descendants) {
      if (!exists_or_report(report, "skip_descendants", e, false)) continue;
      for (std::size_t m : expand(nodes_, e, false)) skipped.insert(m);
    }
    std::vector<std::size_t> ancestors;
    for (const ModuleExpression& e : o.ancestors) {
      if (!exists_or_report(report, "ancestors", e, false)) continue;
      for (std::size_t m : expand(nodes_, e, false)) ancestors.push_back(m);
    }
    std::sort(ancestors.begin(), ancestors.end());
    ancestors.erase(std::unique(ancestors.begin(), ancestors.end()), ancestors.end());
    std::vector<std::pair<std::size_t, int>> stack;
    for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) stack.emplace_back(*it, o.depth);
    std::set<std::size_t> done;
    while (!stack.empty()) {
      const auto [package, depth] = stack.back();
      stack.pop_back();
      if (!done.insert(package).second) continue;
      const std::vector<std::size_t> children = children_of(nodes_.names[package]);
      if (children.size() >= 2) sibling_cycles(report, package, children);
      if (depth > 0) {
        for (auto c = children.rbegin(); c != children.rend(); ++c) {
          if (!skipped.count(*c)) stack.emplace_back(*c, depth - 1);
        }
      }
    }
  }

  void sibling_cycles(Report& report, std::size_t package, const std::vector<std::size_t>& children) {
    const std::size_t k = children.size();
    std::vector<std::size_t> child_of(nodes_.names.size(), kNone);
    for (std::size_t c = 0; c < k; ++c) {
      for (std::size_t m : expand(nodes_, ModuleExpression{nodes_.names[children[c]], {}, {}}, true)) child_of[m] = c;
    }
    // Child-level dependencies, each with the imports that make it.
    std::vector<std::map<std::size_t, std::vector<std::pair<std::size_t, std::size_t>>>> depends(k);
    for (std::size_t from = 0; from < nodes_.internal; ++from) {
      if (child_of[from] == kNone) continue;
      for (const auto& [to, line] : view_.out[from]) {
        if (child_of[to] != kNone && child_of[to] != child_of[from]) depends[child_of[from]][child_of[to]].emplace_back(from, to);
      }
    }
    // Strongly connected components of the children (Tarjan, iterative; the children are few).
    std::vector<std::size_t> order(k, kNone), low(k, 0), component(k, kNone), stack;
    std::vector<bool> on(k, false);
    std::size_t counter = 0, components = 0;
    for (std::size_t root = 0; root < k; ++root) {
      if (order[root] != kNone) continue;
      std::vector<std::pair<std::size_t, std::map<std::size_t, std::vector<std::pair<std::size_t, std::size_t>>>::const_iterator>> frames;
      frames.emplace_back(root, depends[root].begin());
      order[root] = low[root] = counter++;
      stack.push_back(root);
      on[root] = true;
      while (!frames.empty()) {
        auto& [node, it] = frames.back();
        if (it != depends[node].end()) {
          const std::size_t next = (it++)->first;
          if (order[next] == kNone) {
            order[next] = low[next] = counter++;
            stack.push_back(next);
            on[next] = true;
            frames.emplace_back(next, depends[next].begin());
          } else if (on[next]) {
            low[node] = std::min(low[node], order[next]);
          }
          continue;
        }
        const std::size_t done = node;
        frames.pop_back();
        if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
        if (low[done] != order[done]) continue;
        std::size_t member;
        do {
          member = stack.back();
          stack.pop_back();
          on[member] = false;
          component[member] = components;
        } while (member != done);
        ++components;
      }
    }
    for (std::size_t c = 0; c < components; ++c) {
      std::vector<std::size_t> in_cycle;
      for (std::size_t x = 0; x < k; ++x) {
        if (component[x] == c) in_cycle.push_back(x);
      }
      if (in_cycle.size() < 2) continue;
      // The dependencies inside the cycle, fewest imports first: cutting those is the cheapest way out.
      std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> inside;  // (imports, from child, to child)
      for (std::size_t x : in_cycle) {
        for (const auto& [y, imports] : depends[x]) {
          if (component[y] == c) inside.emplace_back(imports.size(), x, y);
        }
      }
      std::sort(inside.begin(), inside.end());
      Violation v = violation(codes::architecture_cycle, "ancestors");
      std::string names;
      for (std::size_t x : in_cycle) names += (names.empty() ? "" : ", ") + nodes_.names[children[x]];
      for (const auto& [count, x, y] : inside) {
        for (const auto& [from, to] : depends[x].at(y)) {
          v.chains.push_back(steps({from, to}));
        }
      }
      const auto& [fewest, x0, y0] = inside.front();
      v.source_line = v.chains.empty() ? 0 : v.chains[0][0].line;
      v.expected = "no cycle among the children of `" + nodes_.names[package] + "`";
      v.actual = "a cycle through " + names;
      v.message = "the children of `" + nodes_.names[package] + "` depend on each other in a cycle: " + names + " (rule `" + rule_->name + "`)";
      v.hint = "the cycle has " + std::to_string(inside.size()) + " dependencies; the one with the fewest imports is `" + nodes_.names[children[x0]] + " -> " +
               nodes_.names[children[y0]] + "` (" + std::to_string(fewest) + (fewest == 1 ? " import" : " imports") + "): cut it, or excuse its imports with `ignore_imports`";
      if (rule_->broken_contract_guidance) v.hint += ". " + *rule_->broken_contract_guidance;
      report.violations.push_back(std::move(v));
    }
  }

  void protected_modules(Report& report) {
    const ProtectedOptions& o = rule_->protected_modules;
    std::vector<bool> allowed(nodes_.names.size(), false);
    for (const ModuleExpression& e : o.allowed_importers) {
      for (std::size_t m : expand(nodes_, e, o.as_packages)) allowed[m] = true;
    }
    for (const ModuleExpression& e : o.protected_modules) {
      if (!exists_or_report(report, "protected_modules", e, false)) continue;
      for (std::size_t top : expand(nodes_, e, false)) {
        const std::vector<std::size_t> guarded = o.as_packages ? expand(nodes_, ModuleExpression{nodes_.names[top], {}, {}}, true) : std::vector{top};
        const std::vector<bool> inside = mask(guarded);
        std::vector<std::vector<std::size_t>> links;
        for (std::size_t g : guarded) {
          for (std::size_t from : view_.in[g]) {
            if (!allowed[from] && !inside[from]) links.push_back({from, g});
          }
        }
        if (links.empty()) continue;
        std::sort(links.begin(), links.end(), [&](const auto& a, const auto& b) {
          return std::pair(nodes_.names[a[1]], nodes_.names[a[0]]) < std::pair(nodes_.names[b[1]], nodes_.names[b[0]]);
        });
        Violation v = violation(codes::architecture_protected, "protected_modules");
        for (const auto& link : links) v.chains.push_back(steps(link));
        v.source_line = v.chains[0][0].line;
        v.chain = {nodes_.names[links[0][0]], nodes_.names[links[0][1]]};
        v.expected = "imports of `" + nodes_.names[top] + "` only from its allowed importers";
        v.actual = std::to_string(links.size()) + (links.size() == 1 ? " import" : " imports") + " from elsewhere, the first " + chain_text(v.chains[0]);
        v.message = "`" + nodes_.names[top] + "` is protected, and `" + nodes_.names[links[0][0]] + "` imports it" +
                    (links.size() == 1 ? "" : " (" + std::to_string(links.size()) + " imports)") + " (rule `" + rule_->name + "`)";
        v.hint = "import it only from an allowed importer, add the importer to `allowed_importers`, or excuse the import with `ignore_imports: [\"" +
                 nodes_.names[links[0][0]] + " -> " + nodes_.names[links[0][1]] + "\"]`";
        if (rule_->broken_contract_guidance) v.hint += ". " + *rule_->broken_contract_guidance;
        report.violations.push_back(std::move(v));
      }
    }
  }

  static bool private_name(std::string_view component) {
    return component.starts_with('_') && !(component.size() > 4 && component.starts_with("__") && component.ends_with("__"));
  }

  // The parent of `module`'s innermost private component (never its top), or "" when none is private.
  static std::string private_parent(const std::string& module) {
    for (std::size_t end = module.size(), dot; (dot = module.rfind('.', end - 1)) != std::string::npos; end = dot) {
      if (private_name(std::string_view(module).substr(dot + 1, end - dot - 1))) return module.substr(0, dot);
      if (dot == 0) break;
    }
    return {};
  }

  void private_modules(Report& report) {
    const PrivateModulesOptions& o = rule_->private_modules;
    std::vector<bool> checked(nodes_.names.size(), o.packages_with_private_modules.empty());
    for (const ModuleExpression& e : o.packages_with_private_modules) {
      if (!exists_or_report(report, "packages_with_private_modules", e, false)) continue;
      for (std::size_t m : expand(nodes_, e, true)) checked[m] = true;
    }
    for (std::size_t imported = 0; imported < nodes_.internal; ++imported) {
      if (!checked[imported]) continue;
      const std::string parent = private_parent(nodes_.names[imported]);
      if (parent.empty()) continue;
      std::vector<std::vector<std::size_t>> links;
      for (std::size_t from : view_.in[imported]) {
        if (!within(nodes_.names[from], parent)) links.push_back({from, imported});
      }
      if (links.empty()) continue;
      std::sort(links.begin(), links.end(), [&](const auto& a, const auto& b) { return nodes_.names[a[0]] < nodes_.names[b[0]]; });
      Violation v = violation(codes::architecture_private, "packages_with_private_modules");
      for (const auto& link : links) v.chains.push_back(steps(link));
      v.source_line = v.chains[0][0].line;
      v.chain = {nodes_.names[links[0][0]], nodes_.names[imported]};
      v.expected = "imports of `" + nodes_.names[imported] + "` only from inside `" + parent + "`";
      v.actual = chain_text(v.chains[0]);
      v.message = "`" + nodes_.names[imported] + "` is private to `" + parent + "`, and `" + nodes_.names[links[0][0]] + "` imports it" +
                  (links.size() == 1 ? "" : " (" + std::to_string(links.size()) + " importers)") + " (rule `" + rule_->name + "`)";
      v.hint = "import what it offers through a public module of `" + parent + "`, or excuse the import with `ignore_imports: [\"" +
               nodes_.names[links[0][0]] + " -> " + nodes_.names[imported] + "\"]`";
      if (rule_->broken_contract_guidance) v.hint += ". " + *rule_->broken_contract_guidance;
      report.violations.push_back(std::move(v));
    }
  }

  const ArchitectureRules& rules_;
  Nodes nodes_;
  const ArchitectureRule* rule_ = nullptr;
  std::string path_;
  View view_;
  std::vector<std::size_t> pairs_;  // the rule's violations from report_pair, by index in the report
};

}  // namespace

Report check_architecture(const ArchitectureRules& rules, const ImportGraph& graph, std::span<const ModuleFacts> facts) {
  return Checker(rules, graph, facts).run();
}

}  // namespace importspy
