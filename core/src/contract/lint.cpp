#include "importspy/contract/lint.hpp"

#include <algorithm>
#include <map>

namespace importspy {
namespace {

class Linter {
public:
  explicit Linter(const Contract& contract) : contract_(contract) {}

  std::vector<LintFinding> run() {
    module(contract_.module, "the contract");
    unused_opt_out();
    std::map<std::string, SourceMark> archs;
    for (const auto& deployment : contract_.deployments) {
      if (auto [it, fresh] = archs.emplace(deployment.arch, deployment.mark); !fresh) {
        add("duplicate-entry", deployment.mark, "deployment `" + deployment.arch + "` is declared again (first at line " + std::to_string(it->second.line) + ")",
            "merge the two deployments' systems into one entry");
      }
      for (const auto& system : deployment.systems) this->system(system, deployment.arch);
    }
    if (contract_.architecture_rules) architecture(*contract_.architecture_rules);
    std::sort(findings_.begin(), findings_.end(), [](const LintFinding& a, const LintFinding& b) {
      return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
    });
    return std::move(findings_);
  }

private:
  void add(std::string code, SourceMark mark, std::string message, std::string hint) {
    findings_.push_back({std::move(code), std::move(message), std::move(hint), mark});
  }

  template <typename Entry, typename Key>
  void duplicates(const std::vector<Entry>& entries, Key key, const std::string& what, const std::string& where) {
    std::map<std::string, SourceMark> seen;
    for (const auto& entry : entries) {
      const std::string name = key(entry);
      if (auto [it, fresh] = seen.emplace(name, entry.mark); !fresh) {
        add("duplicate-entry", entry.mark, what + " `" + name + "` is declared twice in " + where + " (first at line " + std::to_string(it->second.line) + ")",
            "keep one entry; the checker applies both, so a difference between them can never be satisfied");
      }
    }
  }

  // Architecture rules: a rule name used twice (reports could not tell them apart), a module or an
  // excuse listed twice, a forbidden rule whose sources and forbidden modules are one and the same.
  void architecture(const ArchitectureRules& rules) {
    duplicates(rules.rules, [](const ArchitectureRule& r) { return r.name; }, "architecture rule", "`architecture_rules`");
    const auto expression = [](const ModuleExpression& e) { return e.written; };
    for (const ArchitectureRule& rule : rules.rules) {
      const std::string where = "architecture rule `" + rule.name + "`";
      duplicates(rule.ignore_imports, [](const ImportExpression& e) { return e.importer.written + " -> " + e.imported.written; }, "excuse", where);
      duplicates(rule.forbidden.source_modules, expression, "source module", where);
      duplicates(rule.forbidden.forbidden_modules, expression, "forbidden module", where);
      duplicates(rule.independence.modules, expression, "module", where);
      duplicates(rule.protected_modules.protected_modules, expression, "protected module", where);
      duplicates(rule.protected_modules.allowed_importers, expression, "allowed importer", where);
      for (const ModuleExpression& source : rule.forbidden.source_modules) {
        for (const ModuleExpression& forbidden : rule.forbidden.forbidden_modules) {
          if (source.written != forbidden.written) continue;
          add("conflicting-rules", forbidden.mark, "`" + forbidden.written + "` is both a source and a forbidden module of " + where,
              "a package may always import itself, so this pair is never judged: remove it from one of the two lists");
        }
      }
    }
  }

  void function(const FunctionRule& f, const std::string& where) {
    duplicates(f.arguments, [](const ArgumentRule& a) { return a.name; }, "argument", where + " `" + f.name + "`");
  }

  void module(const ModuleRule& m, const std::string& where) {
    duplicates(m.variables, [](const VariableRule& v) { return v.name; }, "variable", where);
    duplicates(m.functions, [](const FunctionRule& f) { return f.name; }, "function", where);
    duplicates(m.classes, [](const ClassRule& c) { return c.name; }, "class", where);
    for (const auto& f : m.functions) function(f, "function");
    for (const auto& c : m.classes) {
      duplicates(c.attributes, [](const AttributeRule& a) { return std::string(a.kind == AttributeKind::class_attribute ? "class " : "instance ") + a.name; },
                 "attribute", "class `" + c.name + "`");
      duplicates(c.methods, [](const FunctionRule& f) { return f.name; }, "method", "class `" + c.name + "`");
      duplicates(c.superclasses, [](const SuperclassRule& s) { return s.name; }, "superclass", "class `" + c.name + "`");
      for (const auto& method : c.methods) function(method, "method `" + c.name + "." + method.name + "`");
    }
  }

  // A deployment's module entry applies on top of the top-level rules: disagreeing rules can never
  // both hold.
  void conflicts(const ModuleRule& entry) {
    for (const auto& variable : entry.variables) {
      for (const auto& top : contract_.module.variables) {
        if (top.name != variable.name) continue;
        if (top.value && variable.value && !(*top.value == *variable.value)) {
          add("conflicting-rules", variable.mark,
              "variable `" + variable.name + "` must be " + variable.value->repr() + " here but " + top.value->repr() + " at the top (line " + std::to_string(top.mark.line) + ")",
              "a module cannot satisfy both; keep one value");
        }
        if (top.annotation && variable.annotation && top.annotation->canonical != variable.annotation->canonical) {
          add("conflicting-rules", variable.mark,
              "variable `" + variable.name + "` is annotated `" + variable.annotation->written + "` here but `" + top.annotation->written + "` at the top",
              "a module cannot satisfy both; keep one annotation");
        }
      }
    }
    for (const auto& f : entry.functions) {
      for (const auto& top : contract_.module.functions) {
        if (top.name == f.name && top.return_annotation && f.return_annotation && top.return_annotation->canonical != f.return_annotation->canonical) {
          add("conflicting-rules", f.mark, "function `" + f.name + "` returns `" + f.return_annotation->written + "` here but `" + top.return_annotation->written + "` at the top",
              "a module cannot satisfy both; keep one return annotation");
        }
      }
    }
  }

  // True when no Python release from 2.0 to 3.40 (with micro releases up to 40) satisfies the rule.
  static bool unsatisfiable(const VersionRule& rule) {
    for (int minor = 0; minor <= 40; ++minor) {
      for (int micro = 0; micro <= 40; ++micro) {
        if (rule.matches("3." + std::to_string(minor) + "." + std::to_string(micro))) return false;
      }
    }
    for (int minor = 0; minor <= 7; ++minor) {
      if (rule.matches("2." + std::to_string(minor) + ".18")) return false;
    }
    return true;
  }

  void system(const SystemRule& s, const std::string& arch) {
    const std::string where = "system `" + s.os + "` of deployment `" + arch + "`";
    duplicates(s.environment_variables, [](const EnvironmentVariableRule& v) { return v.name; }, "environment variable", where);
    duplicates(s.secrets, [](const SecretRule& v) { return v.name; }, "secret", where);
    std::map<std::string, SourceMark> pythons;
    for (const auto& python : s.pythons) {
      const std::string key = (python.version ? python.version->text() : "any version") + " / " + python.interpreter.value_or("any interpreter");
      if (auto [it, fresh] = pythons.emplace(key, python.mark); !fresh) {
        add("duplicate-entry", python.mark, "python `" + key + "` is declared twice in " + where + " (first at line " + std::to_string(it->second.line) + ")",
            "merge their modules into one entry");
      }
      if (python.version && python.version->is_specifier_set() && unsatisfiable(*python.version)) {
        add("unreachable-deployment", python.mark, "no Python release satisfies `" + python.version->text() + "`: this entry can never match",
            "check the bounds, for example `>=3.10,<3.13`");
      }
      for (const auto& m : python.modules) {
        const bool other_file = m.filename && contract_.module.filename && !same_file(*m.filename, *contract_.module.filename);
        if (other_file) {
          add("unreachable-deployment", m.mark,
              "module entry `" + *m.filename + "` never applies: the contract is for `" + *contract_.module.filename + "` (top-level filename)",
              "use the top-level filename here, or move this entry to the contract of `" + *m.filename + "`");
        } else {
          module(m, "a module entry");
          conflicts(m);
        }
      }
    }
  }

  static bool names_required(const ModuleRule& m) { return m.version || !m.variables.empty() || !m.functions.empty() || !m.classes.empty(); }

  // `when_unsure` allows a kind of unknown fact that no rule of the contract needs: the opt-out does
  // nothing (a scalar `allow` is reported only when it allows nothing any rule needs).
  void unused_opt_out() {
    const Contract::WhenUnsure& unsure = contract_.when_unsure;
    if (!unsure.written) return;
    bool names = names_required(contract_.module);
    for (const auto& deployment : contract_.deployments) {
      for (const auto& system : deployment.systems) {
        for (const auto& python : system.pythons) {
          for (const auto& m : python.modules) names = names || names_required(m);
        }
      }
    }
    const bool imports = !contract_.required_contracts.empty() ||
                         (contract_.imports && (contract_.imports->has_allowed || !contract_.imports->forbidden.empty() || contract_.imports->no_cycles));
    std::vector<std::string> unused;
    if (!unsure.deny_namespace && !names) unused.push_back("namespace");
    if (!unsure.deny_definitions && !names) unused.push_back("definitions");
    if (!unsure.deny_imports && !imports) unused.push_back("imports");
    const std::size_t allowed = !unsure.deny_namespace + !unsure.deny_definitions + !unsure.deny_imports;
    if (unused.empty() || (allowed == 3 && unused.size() < 3)) return;
    std::string kinds;
    for (const auto& kind : unused) kinds += (kinds.empty() ? "" : ", ") + kind;
    add("unused-opt-out", unsure.mark, "`when_unsure` allows unknown " + kinds + ", but no rule of the contract needs it: the opt-out has no effect",
        "remove it (or the kinds no rule needs), so that an opt-out is written only where a rule would otherwise deny");
  }

  static bool same_file(const std::string& a, const std::string& b) {
    const auto base = [](const std::string& p) { return p.substr(p.find_last_of("/\\") == std::string::npos ? 0 : p.find_last_of("/\\") + 1); };
    return base(a) == base(b);
  }

  const Contract& contract_;
  std::vector<LintFinding> findings_;
};

}  // namespace

std::vector<LintFinding> lint_contract(const Contract& contract) { return Linter(contract).run(); }

}  // namespace importspy
