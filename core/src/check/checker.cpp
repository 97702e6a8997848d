#include "importspy/check/checker.hpp"

#include <algorithm>

#include "importspy/facts/static_rules.hpp"
#include "importspy/lang/annotation.hpp"
#include "importspy/lang/platform.hpp"
#include "importspy/report/violation_codes.hpp"

namespace importspy {

namespace {

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  return out;
}

void add_unique(std::vector<std::string>& items, std::string item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(std::move(item));
}

std::string_view kind_name(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::positional_only: return "positional-only";
    case ParameterKind::positional_or_keyword: return "positional-or-keyword";
    case ParameterKind::var_positional: return "*args";
    case ParameterKind::keyword_only: return "keyword-only";
    case ParameterKind::var_keyword: return "**kwargs";
  }
  return "positional-or-keyword";
}

std::string parameter_text(const ParameterFact& p) {
  std::string out = p.kind == ParameterKind::var_positional ? "*" : p.kind == ParameterKind::var_keyword ? "**" : "";
  out += p.name;
  if (p.annotation) out += ": " + *p.annotation;
  if (p.default_value) out += (p.annotation ? " = " : "=") + p.default_value->repr();
  return out;
}

// `(self, msg: str) -> str`, with `/` and `*` markers where the kinds need them.
std::string signature_text(const FunctionFact& fn) {
  std::string out = "(";
  bool first = true;
  bool star_written = false;
  for (size_t i = 0; i < fn.parameters.size(); ++i) {
    const ParameterFact& p = fn.parameters[i];
    const auto comma = [&] {
      if (!first) out += ", ";
      first = false;
    };
    if (p.kind == ParameterKind::var_positional) star_written = true;
    if (p.kind == ParameterKind::keyword_only && !star_written) {
      comma();
      out += "*";
      star_written = true;
    }
    comma();
    out += parameter_text(p);
    const bool next_is_positional_only = i + 1 < fn.parameters.size() && fn.parameters[i + 1].kind == ParameterKind::positional_only;
    if (p.kind == ParameterKind::positional_only && !next_is_positional_only) out += ", /";
  }
  out += ")";
  if (fn.return_annotation) out += " -> " + *fn.return_annotation;
  return out;
}

bool annotation_matches(const AnnotationRule& rule, const std::string& actual) {
  // Fast path: most modules spell annotations the way their contract does.
  if (actual == rule.written || actual == rule.canonical) return true;
  return canonical_annotation_or_text(actual) == rule.canonical;
}

std::string normalise_separators(std::string_view path) {
  std::string out(path);
  std::replace(out.begin(), out.end(), '\\', '/');
  return out;
}

// `extension.py` matches /any/dir/extension.py; `plugins/extension.py` matches by its last components;
// `extension` (no suffix) matches extension.py too.
bool filename_matches(std::string_view wanted_raw, std::string_view actual_raw) {
  std::string wanted = normalise_separators(wanted_raw);
  std::string actual = normalise_separators(actual_raw);
  while (wanted.starts_with("./")) wanted.erase(0, 2);
  const auto tail_matches = [](const std::string& want, const std::string& have) {
    if (want == have) return true;
    return have.size() > want.size() && have.ends_with(want) && have[have.size() - want.size() - 1] == '/';
  };
  if (tail_matches(wanted, actual)) return true;
  const size_t slash = wanted.rfind('/');
  const bool has_suffix = wanted.find('.', slash == std::string::npos ? 0 : slash + 1) != std::string::npos;
  if (!has_suffix && actual.ends_with(".py")) return tail_matches(wanted, actual.substr(0, actual.size() - 3));
  return false;
}

std::string basename_of(std::string_view path) {
  const std::string p = normalise_separators(path);
  const size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// A contract path assembled only when a violation is reported, so that a compliant module costs no
// string building. Each level must be a named local of the function checking it: a level points to its
// parent, so chaining child() on a temporary would leave a dangling parent.
struct PathRef {
  const PathRef* parent = nullptr;
  std::string_view segment;
  long index = -1;  // rendered as segment[index]

  PathRef child(std::string_view name) const { return PathRef{this, name, -1}; }
  PathRef item(std::string_view name, size_t i) const { return PathRef{this, name, static_cast<long>(i)}; }

  std::string str() const {
    std::string out = parent ? parent->str() : std::string();
    if (!segment.empty()) {
      if (!out.empty()) out += '.';
      out += segment;
    }
    if (index >= 0) out += "[" + std::to_string(index) + "]";
    return out;
  }
};

class Checker {
public:
  Checker(const Contract& contract, const EnvironmentFacts& env, const ModuleFacts& module, const CheckOptions& options)
      : contract_(contract), env_(env), module_(module), python_version_(Version::parse(env.python_version)) {
    if (options.trace) trace_.emplace();
  }

  Report run() {
    Report report;
    report.contract_source = contract_.source;
    report.module_filename = module_.filename;
    out_ = &report.violations;
    check_module(contract_.module, PathRef{});
    if (contract_.imports) check_imports(*contract_.imports);
    check_requires_unsure();
    check_deployments();
    report.trace = std::move(trace_);
    return report;
  }

private:
  struct Site {
    Context context;
    const PathRef& path;
    SourceMark mark;
    int line = 0;
  };

  // Records a rule as evaluated, for --dry-run; free when no trace was asked for.
  void applied(const PathRef& path) {
    if (trace_) trace_->rules.push_back(path.str());
  }

  void add(std::string_view code, const Site& site, std::optional<std::string> expected, std::optional<std::string> actual, std::string message,
           std::string hint) {
    const ViolationCode& entry = violation_code(code);
    out_->push_back(Violation{std::string(code), entry.category, site.context, site.path.str(), std::move(expected), std::move(actual),
                              std::move(message), std::move(hint), site.mark, site.line});
  }

  // ---- module structure ---------------------------------------------------------------------------

  // `filename_already_matched`: a deployment's module entry is chosen by its filename, so it cannot mismatch.
  void check_module(const ModuleRule& rule, const PathRef& prefix, bool filename_already_matched = false) {
    if (!filename_already_matched && rule.filename && !filename_matches(*rule.filename, module_.filename)) {
      const PathRef path = prefix.child("filename");
      add(codes::filename_mismatch, {Context::module, path, rule.mark, 0}, *rule.filename, basename_of(module_.filename),
          "module file is " + quoted(basename_of(module_.filename)) + ", the contract is written for " + quoted(*rule.filename),
          "validate the module the contract was written for, or correct `filename:` in the contract");
    }
    if (rule.filename) {
      const PathRef path = prefix.child("filename");
      applied(path);
    }
    if (rule.file_sha256) {
      const PathRef path = prefix.child("integrity");
      applied(path);
      check_integrity(*rule.file_sha256, {Context::module, path, rule.mark, 0});
    }
    if (rule.version) {
      const PathRef path = prefix.child("version");
      applied(path);
      check_module_version(*rule.version, {Context::module, path, rule.mark, 0});
    }
    check_namespace_unsure(rule, prefix);
    const PathRef variables = prefix.child("variables");
    for (const auto& variable : rule.variables) check_variable(variable, variables);
    const PathRef functions = prefix.child("functions");
    for (const auto& function : rule.functions) {
      const PathRef path = functions.child(function.name);
      applied(path);
      const FunctionFact* fact = module_.find_function(function.name);
      if (!fact) {
        add(codes::function_missing, {Context::module, path, function.mark, 0}, function.name, std::nullopt,
            "function " + quoted(function.name) + " is not defined", "define `def " + function.name + "(...)` at module level");
        continue;
      }
      if (definition_unsure(*fact, {Context::module, path, function.mark, fact->line}, "function " + quoted(function.name), function.structure_hash.has_value())) {
        continue;
      }
      check_callable(function, *fact, {Context::module, path, function.mark, fact->line}, [&] { return "function " + quoted(function.name); });
      check_structure_hash(function.structure_hash, *fact, path, function.mark, Context::module, "function " + quoted(function.name));
    }
    const PathRef classes = prefix.child("classes");
    for (const auto& cls : rule.classes) check_class(cls, classes);
  }

  // ---- imports ------------------------------------------------------------------------------------

  // The import a violation just added judges, as a one-step chain: the module's file and the import's line.
  void import_step(const ImportFact& fact, const std::string& imported) {
    out_->back().chains.push_back({{module_.name.empty() ? module_.filename : module_.name, module_.filename, fact.line}, {imported, "", 0}});
  }

  // Each import statement's binding against `imports:`. `from a import b` imports `a`, and `a.b` when `b`
  // is a submodule: a forbidden pattern matching either is reported; an allowed one matching either admits it.
  void check_imports(const ImportRules& rules) {
    const PathRef path{nullptr, "imports", -1};
    applied(path);
    const std::string package = package_of(module_);
    for (const ImportFact& fact : module_.imports) {
      if (fact.type_checking && !rules.type_checking) continue;
      if (fact.main_guard) continue;  // recorded and marked, never run on import: no rule judges it yet
      // A relative import of a module whose package is unknown stays as written: it matches no pattern.
      const std::string module = package.empty() ? fact.module : resolve_relative(fact.module, package);
      if (module == "__future__") continue;  // a compiler directive, not a dependency
      const std::string submodule = fact.name.empty() ? std::string() : module + "." + fact.name;
      const auto matching = [&](const std::vector<ImportPattern>& patterns) -> const ImportPattern* {
        for (const ImportPattern& pattern : patterns) {
          if (pattern.matches(module) || (!submodule.empty() && pattern.matches(submodule))) return &pattern;
        }
        return nullptr;
      };
      if (const ImportPattern* forbidden = matching(rules.forbidden)) {
        add(codes::import_forbidden, {Context::module, path, forbidden->mark, fact.line}, forbidden->written, import_text(fact, module),
            import_kind(fact) + " of " + quoted(submodule.empty() ? module : submodule) + " is forbidden by " + quoted(forbidden->written),
            "remove the import, or move what it needs behind a module the contract allows");
        import_step(fact, submodule.empty() ? module : submodule);
      } else if (rules.has_allowed && !matching(rules.allowed)) {
        add(codes::import_not_allowed, {Context::module, path, rules.mark, fact.line}, allowed_text(rules), import_text(fact, module),
            import_kind(fact) + " of " + quoted(submodule.empty() ? module : submodule) + " is not among the allowed imports",
            "remove the import, or add a pattern for it to `imports.allowed`");
        import_step(fact, submodule.empty() ? module : submodule);
      } else if (fact.name == "*") {
        star_import_unsure(fact, module, rules, path);
      }
    }
    if ((rules.has_allowed || !rules.forbidden.empty() || rules.no_cycles) && imports_unsure()) {
      report_unknown_imports(path, rules.mark, "`imports`");
      unknown_imports_reported_ = true;
    }
  }

  // ---- unsure means no ------------------------------------------------------------------------------
  // A rule that needs a fact the reader marked unknown reports it unverifiable (a violation) unless the
  // contract's `when_unsure` allows that kind of fact; allowed, the rule judges what the source shows.

  static bool names_required(const ModuleRule& rule) {
    return rule.version || !rule.variables.empty() || !rule.functions.empty() || !rule.classes.empty();
  }

  static std::string opt_out_hint(std::string_view kind) {
    return "or, to judge what the source shows, opt this contract out explicitly: `when_unsure: {" + std::string(kind) + ": allow}`";
  }

  // The module's namespace, when a rule of this module entry reads a name of it.
  void check_namespace_unsure(const ModuleRule& rule, const PathRef& prefix) {
    if (!contract_.when_unsure.deny_namespace || module_.dynamic_namespace.empty() || !names_required(rule)) return;
    const PathRef path = prefix.child("when_unsure");
    applied(path);
    std::string reasons;
    for (const auto& reason : module_.dynamic_namespace) reasons += (reasons.empty() ? "" : "; ") + reason;
    add(codes::namespace_unverifiable, Site{Context::module, path, rule.mark, 0}, std::string("every name visible in the source"), reasons,
        "module `" + module_.filename + "` changes its own namespace when it runs (" + reasons + "): the names the contract requires cannot be verified from source",
        "declare the names statically, or check the module at run time (--mode runtime); " + opt_out_hint("namespace"));
  }

  // A required definition the source shows, but that code the reader cannot follow may rebind or replace.
  // A rule with a `hash:` pin is judged by its pin instead: the hash covers the decorators' code, and a
  // definition the pin cannot stand for is reported by it (value-unverifiable).
  template <typename Fact>
  bool definition_unsure(const Fact& fact, const Site& site, const std::string& what, bool pinned = false) {
    if (pinned || !contract_.when_unsure.deny_definitions || fact.unverifiable.empty()) return false;
    add(codes::definition_unverifiable, site, what, "unknown: " + fact.unverifiable,
        what + " is defined at line " + std::to_string(fact.line) + " but cannot be verified from source: " + fact.unverifiable,
        "bind it once by a plain definition the reader can follow (no unknown decorator or later rebinding), or check the module at run time "
        "(--mode runtime); " + opt_out_hint("definitions"));
    return true;
  }

  void report_unknown_imports(const PathRef& path, SourceMark mark, std::string_view rule) {
    for (const UnknownImport& unknown : module_.unknown_imports) {
      add(codes::import_unverifiable, {Context::module, path, mark, unknown.line}, std::string(rule), unknown.text,
          "`" + unknown.text + "` at line " + std::to_string(unknown.line) + " imports a module the source does not name (" + unknown.reason +
              "): " + std::string(rule) + " cannot be verified",
          "import the module by a plain `import` statement or a literal name (`importlib.import_module(\"pkg.mod\")`); " + opt_out_hint("imports"));
    }
  }

  // `from pkg import *` also imports the submodules that pkg's `__all__` names, which this module's source
  // does not show: a forbidden pattern under pkg may be imported. (An allowed pattern that admits pkg
  // admits its submodules too.)
  void star_import_unsure(const ImportFact& fact, const std::string& module, const ImportRules& rules, const PathRef& path) {
    if (!contract_.when_unsure.deny_imports) return;
    for (const ImportPattern& forbidden : rules.forbidden) {
      if (!forbidden.module.starts_with(module + ".")) continue;
      add(codes::import_unverifiable, {Context::module, path, forbidden.mark, fact.line}, forbidden.written, import_text(fact, module),
          "`" + import_text(fact, module) + "` at line " + std::to_string(fact.line) + " also imports the submodules of `" + module +
              "` that its `__all__` names, which this module's source does not show: whether it imports " + quoted(forbidden.module) +
              " (forbidden by " + quoted(forbidden.written) + ") cannot be verified",
          "import the names this module needs explicitly (`from " + module + " import name`); " + opt_out_hint("imports"));
    }
  }

  bool imports_unsure() const { return contract_.when_unsure.deny_imports && !module_.unknown_imports.empty(); }

  // `requires:` follows what the module imports: an import it cannot name may reach a required module.
  // Reported here only when `imports:` rules have not already reported each unknown import.
  void check_requires_unsure() {
    if (contract_.required_contracts.empty() || !imports_unsure() || unknown_imports_reported_) return;
    const PathRef path{nullptr, "requires", -1};
    report_unknown_imports(path, contract_.required_contracts.front().mark, "`requires`");
  }

  static std::string package_of(const ModuleFacts& module) {
    if (module.filename.ends_with("__init__.py")) return module.name;
    const std::size_t dot = module.name.rfind('.');
    return dot == std::string::npos ? std::string() : module.name.substr(0, dot);
  }

  // `import a.b` / `from a import b` (relative ones resolved).
  static std::string import_text(const ImportFact& fact, const std::string& module) {
    return fact.name.empty() ? "import " + module : "from " + module + " import " + fact.name;
  }

  static std::string import_kind(const ImportFact& fact) {
    if (fact.type_checking) return "the import under `if TYPE_CHECKING:`";
    if (fact.lazy) return "the lazy import (in a function body, or `lazy import`)";
    if (fact.in_class) return "the import in a class body";
    return "the import";
  }

  static std::string allowed_text(const ImportRules& rules) {
    std::string out;
    for (const ImportPattern& pattern : rules.allowed) out += (out.empty() ? "" : ", ") + pattern.written;
    return out.empty() ? "no import" : out;
  }

  void check_integrity(const std::string& pinned, const Site& site) {
    if (!module_.file_sha256) {
      add(codes::value_unverifiable, site, pinned, std::nullopt, "the module's file cannot be read to verify its pinned SHA-256",
          "check a module that has a source file");
    } else if (*module_.file_sha256 != pinned) {
      add(codes::integrity_mismatch, site, pinned, *module_.file_sha256, "the module's file has changed since it was pinned (SHA-256 differs)",
          "review the change, then update `integrity: {sha256: ...}` with `importspy hash`");
    }
  }

  // Structure pins: the fact's hash is computed from the normalised syntax tree when the contract asks.
  // A pin is verified only when the hash stands for the code that runs: a definition rebound later, or
  // decorated by code the hash does not cover, is reported as unverifiable, never as matching.
  template <typename Fact>
  void check_structure_hash(const std::optional<std::string>& pinned, const Fact& fact, const PathRef& owner, SourceMark mark, Context context,
                            const std::string& what) {
    if (!pinned) return;
    const std::optional<std::string>& actual = fact.structure_hash;
    const PathRef path = owner.child("hash");
    applied(path);
    const Site site{context, path, mark, fact.line};
    if (!actual) {
      add(codes::value_unverifiable, site, *pinned, std::nullopt, "the structure of " + what + " cannot be hashed (no source)", "check a module that has a source file");
    } else if (!fact.structure_unverifiable.empty()) {
      add(codes::value_unverifiable, site, *pinned, std::nullopt, "the pin of " + what + " cannot be verified: " + fact.structure_unverifiable,
          "define it once and leave it bound to that definition, or remove the `hash:` pin (docs/authoring.md, Integrity pins)");
    } else if (*actual != *pinned) {
      add(codes::hash_mismatch, site, *pinned, *actual, what + " has changed since it was pinned (its structure hash differs)",
          "review the change, then update `hash:` with `importspy hash --select`");
    }
  }

  void check_module_version(const VersionRule& rule, const Site& site) {
    if (!module_.version && module_.version_unknown) {
      add(codes::value_unverifiable, site, rule.text(), std::nullopt, "the module's `__version__` is computed and cannot be known without running it",
          "check in runtime mode, or assign `__version__` a literal string");
    } else if (!module_.version) {
      add(codes::version_mismatch, site, rule.text(), std::nullopt, "module has no `__version__`; the contract requires " + rule.text(),
          "set `__version__ = \"...\"` in the module, or remove `version:` from the contract");
    } else if (!rule.matches(*module_.version)) {
      add(codes::version_mismatch, site, rule.text(), *module_.version, "module version " + *module_.version + " does not satisfy " + rule.text(),
          "use a module version that satisfies " + rule.text() + ", or update the contract's `version:`");
    }
  }

  // value-unverifiable when the fact is unknown, `mismatch_code` when it differs. `what` and `fix` are
  // called only when there is something to report.
  template <typename What, typename Fix>
  void check_value(const Value& expected, const Value& actual, std::string_view mismatch_code, const Site& site, What&& what, Fix&& fix) {
    if (actual.is_unknown()) {
      add(codes::value_unverifiable, site, expected.repr(), std::nullopt,
          "the value of " + what() + " cannot be known without running the module (" + actual.text() + ")",
          "check in runtime mode, or remove `value:` from the contract for this entry");
    } else if (!(expected == actual)) {
      add(mismatch_code, site, expected.repr(), actual.repr(), what() + " is " + actual.repr() + ", expected " + expected.repr(), fix());
    }
  }

  template <typename What>
  void check_annotation(const std::optional<AnnotationRule>& rule, const std::optional<std::string>& actual, std::string_view code, const Site& site,
                        std::string_view name, What&& what) {
    if (!rule) return;
    if (actual && annotation_matches(*rule, *actual)) return;
    const std::string fix = name.empty() ? "declare `-> " + rule->written + "`" : "annotate it as `" + std::string(name) + ": " + rule->written + "`";
    if (!actual) {
      add(code, site, rule->written, std::nullopt, what() + " has no annotation, expected " + quoted(rule->written), fix);
    } else {
      add(code, site, rule->written, *actual, what() + " is annotated " + quoted(*actual) + ", expected " + quoted(rule->written), fix);
    }
  }

  void check_variable(const VariableRule& rule, const PathRef& variables) {
    const PathRef path = variables.child(rule.name);
    applied(path);
    const VariableFact* fact = module_.find_variable(rule.name);
    const Site site{Context::module, path, rule.mark, fact ? fact->line : 0};
    const auto what = [&] { return "variable " + quoted(rule.name); };
    if (!fact) {
      const std::string assignment = rule.name + (rule.annotation ? ": " + rule.annotation->written : "") + " = " + (rule.value ? rule.value->repr() : "...");
      add(codes::variable_missing, site, rule.value ? std::optional(rule.value->repr()) : std::nullopt, std::nullopt, what() + " is not defined",
          "define `" + assignment + "` at module level");
      return;
    }
    if (definition_unsure(*fact, site, what())) return;
    if (rule.value) {
      check_value(*rule.value, fact->value, codes::variable_value_mismatch, site, what, [&] { return "set `" + rule.name + " = " + rule.value->repr() + "`"; });
    }
    check_annotation(rule.annotation, fact->annotation, codes::variable_annotation_mismatch, site, rule.name, what);
  }

  template <typename What>
  void check_callable(const FunctionRule& rule, const FunctionFact& fact, const Site& site, What&& what) {
    const auto find_parameter = [&](const std::string& name) -> std::optional<size_t> {
      for (size_t i = 0; i < fact.parameters.size(); ++i) {
        if (fact.parameters[i].name == name) return i;
      }
      return std::nullopt;
    };
    const PathRef arguments = site.path.child("arguments");
    std::optional<size_t> last_index;
    const ArgumentRule* last_rule = nullptr;
    for (const auto& argument : rule.arguments) {
      const auto index = find_parameter(argument.name);
      const PathRef path = arguments.child(argument.name);
      applied(path);
      const Site arg_site{site.context, path, argument.mark, fact.line};
      const auto arg_what = [&] { return "parameter " + quoted(argument.name) + " of " + what(); };
      if (!index) {
        add(codes::argument_missing, arg_site, argument.name, signature_text(fact),
            what() + " has no parameter " + quoted(argument.name) + "; its signature is " + fact.name + signature_text(fact),
            "add parameter `" + argument.name + "` to " + fact.name + ", in the position the contract declares");
        continue;
      }
      const ParameterFact& param = fact.parameters[*index];
      if (last_index && *index < *last_index) {
        add(codes::argument_mismatch, arg_site, "after " + quoted(last_rule->name), "before " + quoted(last_rule->name),
            arg_what() + " comes before " + quoted(last_rule->name) + "; the contract declares it after",
            "reorder the parameters of " + fact.name + " to match the contract: callers pass them in that order");
      } else {
        last_index = index;
        last_rule = &argument;
      }
      if (argument.kind && *argument.kind != param.kind) {
        add(codes::argument_mismatch, arg_site, std::string(kind_name(*argument.kind)), std::string(kind_name(param.kind)),
            arg_what() + " is " + std::string(kind_name(param.kind)) + ", expected " + std::string(kind_name(*argument.kind)),
            "declare it as the contract says: " + parameter_text(ParameterFact{argument.name, *argument.kind, std::nullopt, std::nullopt}));
      }
      check_annotation(argument.annotation, param.annotation, codes::argument_annotation_mismatch, arg_site, argument.name, arg_what);
      if (argument.default_value) {
        const auto fix = [&] { return "give it the default `" + argument.name + "=" + argument.default_value->repr() + "`"; };
        if (!param.default_value) {
          add(codes::argument_default_mismatch, arg_site, argument.default_value->repr(), std::nullopt,
              arg_what() + " has no default, expected " + argument.default_value->repr(), fix());
        } else {
          check_value(*argument.default_value, *param.default_value, codes::argument_default_mismatch, arg_site,
                      [&] { return "the default of " + arg_what(); }, fix);
        }
      }
    }
    if (rule.return_annotation) {
      const PathRef path = site.path.child("return_annotation");
      check_annotation(rule.return_annotation, fact.return_annotation, codes::return_annotation_mismatch,
                       Site{site.context, path, rule.return_annotation_mark, fact.line}, "", [&] { return "the return of " + what(); });
    }
  }

  void check_class(const ClassRule& rule, const PathRef& classes) {
    const PathRef class_path = classes.child(rule.name);
    applied(class_path);
    const ClassFact* fact = module_.find_class(rule.name);
    if (!fact) {
      add(codes::class_missing, {Context::class_, class_path, rule.mark, 0}, rule.name, std::nullopt, "class " + quoted(rule.name) + " is not defined",
          "define `class " + rule.name + ":` at module level");
      return;
    }
    if (definition_unsure(*fact, {Context::class_, class_path, rule.mark, fact->line}, "class " + quoted(rule.name), rule.structure_hash.has_value())) return;
    check_structure_hash(rule.structure_hash, *fact, class_path, rule.mark, Context::class_, "class " + quoted(rule.name));
    const PathRef attributes = class_path.child("attributes");
    for (const auto& attribute : rule.attributes) check_attribute(attribute, *fact, attributes);
    const PathRef methods = class_path.child("methods");
    for (const auto& method : rule.methods) {
      const PathRef path = methods.child(method.name);
      applied(path);
      const FunctionFact* found = find_method(*fact, method.name);
      const auto what = [&] { return "method " + quoted(rule.name + "." + method.name); };
      if (!found) {
        add(codes::method_missing, {Context::class_, path, method.mark, fact->line}, method.name, std::nullopt, what() + " is not defined",
            "define `def " + method.name + "(self, ...)` in class " + rule.name);
        continue;
      }
      if (definition_unsure(*found, {Context::class_, path, method.mark, found->line}, what(), method.structure_hash.has_value())) continue;
      check_callable(method, *found, Site{Context::class_, path, method.mark, found->line}, what);
      check_structure_hash(method.structure_hash, *found, path, method.mark, Context::class_, what());
    }
    const PathRef superclasses = class_path.child("superclasses");
    for (const auto& base : rule.superclasses) check_superclass(base, *fact, superclasses);
  }

  void check_attribute(const AttributeRule& rule, const ClassFact& cls, const PathRef& attributes) {
    const bool want_class = rule.kind == AttributeKind::class_attribute;
    const AttributeFact* fact = nullptr;
    const AttributeFact* other_kind = nullptr;
    for (const auto& a : cls.attributes) {
      if (a.name != rule.name) continue;
      (a.kind == rule.kind ? fact : other_kind) = &a;
    }
    const PathRef path = attributes.child(rule.name);
    applied(path);
    const Site site{Context::class_, path, rule.mark, fact ? fact->line : cls.line};
    const auto what = [&] { return std::string(want_class ? "class" : "instance") + " attribute " + quoted(cls.name + "." + rule.name); };
    if (!fact) {
      std::string hint = want_class ? "define `" + rule.name + " = ...` in the body of class " + cls.name
                                    : "assign `self." + rule.name + " = ...` in " + cls.name + ".__init__";
      if (other_kind) hint = "it exists as " + std::string(want_class ? "an instance" : "a class") + " attribute; " + hint;
      add(codes::attribute_missing, site, rule.name,
          other_kind ? std::optional<std::string>(std::string(want_class ? "instance" : "class") + " attribute") : std::nullopt, what() + " is not defined",
          hint);
      return;
    }
    if (rule.value) {
      check_value(*rule.value, fact->value, codes::attribute_value_mismatch, site, what, [&] {
        return want_class ? "set `" + rule.name + " = " + rule.value->repr() + "` in the class body"
                          : "set `self." + rule.name + " = " + rule.value->repr() + "` in __init__";
      });
    }
    check_annotation(rule.annotation, fact->annotation, codes::attribute_annotation_mismatch, site, rule.name, what);
  }

  static std::string_view last_component(std::string_view dotted) {
    const size_t dot = dotted.rfind('.');
    return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
  }

  static bool superclass_matches(const SuperclassRule& rule, const SuperclassFact& base) {
    const std::string& want = rule.name;
    if (base.name == want || base.qualified == want) return true;
    const auto ends_with_dotted = [&](const std::string& have) {
      return have.size() > want.size() && have.ends_with(want) && have[have.size() - want.size() - 1] == '.';
    };
    if (want.find('.') != std::string::npos) return ends_with_dotted(base.qualified) || ends_with_dotted(base.name);
    return last_component(base.name) == want || (!base.qualified.empty() && last_component(base.qualified) == want);
  }

  void check_superclass(const SuperclassRule& rule, const ClassFact& cls, const PathRef& superclasses) {
    if (trace_) {
      const PathRef traced = superclasses.child(rule.name);
      applied(traced);
    }
    for (const auto& base : cls.superclasses) {
      if (superclass_matches(rule, base)) return;
    }
    std::vector<std::string> names;
    for (const auto& base : cls.superclasses) names.push_back(base.qualified.empty() ? base.name : base.qualified);
    const PathRef path = superclasses.child(rule.name);
    add(codes::superclass_missing, {Context::class_, path, rule.mark, cls.line}, rule.name, names.empty() ? std::nullopt : std::optional(list_of(names)),
        "class " + quoted(cls.name) + " does not inherit from " + quoted(rule.name) + (names.empty() ? "" : " (its bases: " + list_of(names) + ")"),
        "declare `class " + cls.name + "(" + rule.name + "):`");
  }

  // ---- deployments --------------------------------------------------------------------------------

  struct MatchedPath {
    size_t deployment, system, python;
    const SystemRule* system_rule;  // null: the deployment lists no systems
    const PythonRule* python_rule;  // null: the system lists no pythons
  };

  void note_deployment(std::string text) {
    if (trace_) trace_->deployment = std::move(text);
  }

  void check_deployments() {
    if (contract_.deployments.empty()) {
      note_deployment("none declared: runs anywhere");
      return;
    }
    const std::string arch(canonical_arch(env_.arch).value_or(env_.arch));
    const std::string os(canonical_os(env_.os).value_or(env_.os));
    const std::string interpreter(canonical_interpreter(env_.interpreter).value_or(env_.interpreter));

    std::vector<size_t> arch_matches;
    std::vector<std::string> allowed_archs;
    for (size_t d = 0; d < contract_.deployments.size(); ++d) {
      add_unique(allowed_archs, contract_.deployments[d].arch);
      if (contract_.deployments[d].arch == arch) arch_matches.push_back(d);
    }
    if (arch_matches.empty()) {
      const PathRef path{nullptr, "deployments.arch"};
      add(codes::arch_unsupported, {Context::runtime, path, contract_.deployments.front().mark, 0}, list_of(allowed_archs), env_.arch,
          "architecture " + env_.arch + " is not supported; the contract allows " + list_of(allowed_archs),
          "run on " + list_of(allowed_archs) + ", or add a deployment with `arch: " + arch + "` to the contract");
      note_deployment("none: architecture " + arch + " is not listed");
      return;
    }

    std::vector<std::pair<size_t, size_t>> os_matches;  // (deployment, system); system npos: any
    std::vector<std::string> allowed_os;
    for (size_t d : arch_matches) {
      const auto& systems = contract_.deployments[d].systems;
      if (systems.empty()) os_matches.emplace_back(d, std::string::npos);
      for (size_t s = 0; s < systems.size(); ++s) {
        add_unique(allowed_os, systems[s].os);
        if (systems[s].os == os) os_matches.emplace_back(d, s);
      }
    }
    if (os_matches.empty()) {
      const PathRef path{nullptr, "deployments.systems.os"};
      add(codes::os_unsupported, {Context::environment, path, contract_.deployments[arch_matches.front()].mark, 0}, list_of(allowed_os), env_.os,
          "operating system " + env_.os + " is not supported on " + arch + "; the contract allows " + list_of(allowed_os),
          "run on " + list_of(allowed_os) + ", or add a system with `os: " + os + "` under the " + arch + " deployment");
      note_deployment("none: operating system " + os + " is not listed for " + arch);
      return;
    }

    std::vector<MatchedPath> paths;
    std::vector<const PythonRule*> version_matched;  // version fits, interpreter does not
    std::vector<const PythonRule*> all_pythons;
    for (const auto& [d, s] : os_matches) {
      if (s == std::string::npos) {
        paths.push_back({d, s, std::string::npos, nullptr, nullptr});
        continue;
      }
      const SystemRule& system = contract_.deployments[d].systems[s];
      if (system.pythons.empty()) paths.push_back({d, s, std::string::npos, &system, nullptr});
      for (size_t p = 0; p < system.pythons.size(); ++p) {
        const PythonRule& python = system.pythons[p];
        all_pythons.push_back(&python);
        const bool version_ok = !python.version || python.version->matches(python_version_, env_.python_version);
        const bool interpreter_ok = !python.interpreter || *python.interpreter == interpreter;
        if (version_ok && interpreter_ok) paths.push_back({d, s, p, &system, &python});
        else if (version_ok) version_matched.push_back(&python);
      }
    }
    if (paths.empty()) {
      report_python_unsupported(version_matched, all_pythons, arch, os, interpreter);
      note_deployment("none: no python entry matches " + env_.python_version + " (" + interpreter + ")");
      return;
    }

    // Alternatives: the first path that raises nothing wins; when all raise, report the first one's.
    std::vector<Violation>* outer = out_;
    std::vector<Violation> first_violations;
    std::optional<CheckTrace> outer_trace = std::move(trace_);
    std::optional<CheckTrace> first_trace;
    for (size_t i = 0; i < paths.size(); ++i) {
      std::vector<Violation> violations;
      out_ = &violations;
      if (outer_trace) trace_.emplace();
      check_path(paths[i]);
      out_ = outer;
      if (violations.empty() || i == 0) {
        if (outer_trace) {
          CheckTrace path_trace = std::move(*trace_);
          path_trace.deployment = describe(paths[i]);
          if (violations.empty()) {
            finish_trace(std::move(outer_trace), std::move(path_trace));
            return;
          }
          first_trace = std::move(path_trace);
        }
      }
      if (violations.empty()) return;
      if (i == 0) first_violations = std::move(violations);
    }
    for (auto& v : first_violations) out_->push_back(std::move(v));
    if (outer_trace) finish_trace(std::move(outer_trace), std::move(*first_trace));
  }

  // The module-level rules' trace, then the chosen path's.
  void finish_trace(std::optional<CheckTrace> outer, CheckTrace path) {
    outer->deployment = std::move(path.deployment);
    for (auto& rule : path.rules) outer->rules.push_back(std::move(rule));
    trace_ = std::move(outer);
  }

  static std::string describe(const MatchedPath& matched) {
    std::string text = "deployments[" + std::to_string(matched.deployment) + "]";
    if (matched.system_rule) text += ".systems[" + std::to_string(matched.system) + "]";
    if (matched.python_rule) text += ".pythons[" + std::to_string(matched.python) + "]";
    return text;
  }

  void report_python_unsupported(const std::vector<const PythonRule*>& version_matched, const std::vector<const PythonRule*>& all_pythons,
                                 const std::string& arch, const std::string& os, const std::string& interpreter) {
    if (!version_matched.empty()) {
      std::vector<std::string> allowed;
      for (const PythonRule* p : version_matched) add_unique(allowed, p->interpreter.value_or("any"));
      const PathRef path{nullptr, "deployments.systems.pythons.interpreter"};
      add(codes::interpreter_unsupported, {Context::runtime, path, version_matched.front()->mark, 0}, list_of(allowed),
          env_.interpreter,
          "interpreter " + env_.interpreter + " is not supported for Python " + env_.python_version + " on " + arch + "/" + os + "; the contract allows " +
              list_of(allowed),
          "run under " + list_of(allowed) + ", or add `interpreter: " + interpreter + "` to the contract");
      return;
    }
    std::vector<std::string> allowed;
    for (const PythonRule* p : all_pythons) {
      std::string entry = p->version ? p->version->text() : "any version";
      if (p->interpreter) entry += " (" + *p->interpreter + ")";
      add_unique(allowed, std::move(entry));
    }
    const PathRef path{nullptr, "deployments.systems.pythons.version"};
    add(codes::python_unsupported, {Context::runtime, path, all_pythons.front()->mark, 0}, list_of(allowed),
        env_.python_version + " (" + env_.interpreter + ")",
        "Python " + env_.python_version + " is not supported on " + arch + "/" + os + "; the contract allows " + list_of(allowed),
        "run under one of the allowed Python versions, or add a python entry for " + env_.python_version + " to the contract");
  }

  void check_path(const MatchedPath& matched) {
    if (!matched.system_rule) return;
    const PathRef root;
    const PathRef deployment = root.item("deployments", matched.deployment);
    const PathRef system = deployment.item("systems", matched.system);
    check_environment(*matched.system_rule, system);
    if (!matched.python_rule) return;
    const PathRef python = system.item("pythons", matched.python);
    const auto& modules = matched.python_rule->modules;
    bool any_applied = false;
    for (size_t m = 0; m < modules.size(); ++m) {
      if (modules[m].filename && !filename_matches(*modules[m].filename, module_.filename)) continue;
      any_applied = true;
      check_module(modules[m], python.item("modules", m), true);
    }
    if (!modules.empty() && !any_applied) {
      std::vector<std::string> names;
      for (const auto& m : modules) add_unique(names, *m.filename);
      const PathRef path = python.child("modules");
      add(codes::filename_mismatch, {Context::module, path, modules.front().mark, 0}, list_of(names), basename_of(module_.filename),
          "no module entry of the matched python applies to " + quoted(basename_of(module_.filename)) + "; entries are for " + list_of(names),
          "validate one of " + list_of(names) + ", or add a module entry with `filename: " + basename_of(module_.filename) + "`");
    }
  }

  void check_environment(const SystemRule& system, const PathRef& system_path) {
    const PathRef environment = system_path.child("environment");
    const PathRef variables = environment.child("variables");
    for (const auto& variable : system.environment_variables) {
      if (trace_) {
        const PathRef traced = variables.child(variable.name);
        applied(traced);
      }
      const auto found = env_.variables.find(variable.name);
      const bool missing = found == env_.variables.end();
      if (!missing && (!variable.value || found->second == *variable.value)) continue;
      const PathRef path = variables.child(variable.name);
      const Site site{Context::environment, path, variable.mark, 0};
      // A variable listed as a secret anywhere in the contract (this deployment or another) is compared,
      // never shown: neither the value found nor the value required.
      const bool secret = contract_.is_secret(variable.name);
      if (missing) {
        add(codes::env_missing, site, variable.value ? std::optional(secret ? "<secret>" : *variable.value) : std::nullopt, std::nullopt,
            "environment variable " + quoted(variable.name) + " is not set",
            "set " + variable.name + (variable.value && !secret ? "=" + *variable.value : "") + " in the environment before importing");
      } else {
        add(codes::env_value_mismatch, site, secret ? "<secret>" : *variable.value, secret ? "<secret>" : found->second,
            "environment variable " + quoted(variable.name) +
                (secret ? " has another value than required" : " is " + quoted(found->second) + ", expected " + quoted(*variable.value)),
            secret ? "set " + variable.name + " to the required value" : "set " + variable.name + "=" + *variable.value);
      }
    }
    const PathRef secrets = environment.child("secrets");
    for (const auto& secret : system.secrets) {
      if (trace_) {
        const PathRef traced = secrets.child(secret.name);
        applied(traced);
      }
      const auto found = env_.variables.find(secret.name);
      const bool unset = found == env_.variables.end();
      if (!unset && !found->second.empty()) continue;
      const PathRef path = secrets.child(secret.name);
      add(codes::secret_missing, {Context::environment, path, secret.mark, 0}, "set", unset ? std::nullopt : std::optional<std::string>("empty"),
          "secret " + quoted(secret.name) + (unset ? " is not set" : " is set but empty"),
          "provide " + secret.name + " through the environment (its value is never shown by ImportSpy)");
    }
  }

  const Contract& contract_;
  const EnvironmentFacts& env_;
  const ModuleFacts& module_;
  const std::optional<Version> python_version_;  // parsed once per check
  std::optional<CheckTrace> trace_;
  std::vector<Violation>* out_ = nullptr;
  bool unknown_imports_reported_ = false;
};

}  // namespace

Report check(const Contract& contract, const EnvironmentFacts& environment, const ModuleFacts& module, const CheckOptions& options) {
  return Checker(contract, environment, module, options).run();
}

}  // namespace importspy
