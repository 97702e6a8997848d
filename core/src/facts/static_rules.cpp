#include "importspy/facts/static_rules.hpp"

#include "importspy/util/ascii.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace importspy {
namespace {

struct BuiltinClass {
  const char* name;
  const char* mro;
};
#include "builtin_classes.inc"

const std::unordered_map<std::string_view, std::vector<SuperclassFact>>& builtin_table() {
  static const auto table = [] {
    std::unordered_map<std::string_view, std::vector<SuperclassFact>> out;
    for (const auto& cls : kBuiltinClasses) {
      std::vector<SuperclassFact>& mro = out[cls.name];
      std::string_view rest = cls.mro;
      while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        const std::string item(rest.substr(0, space));
        mro.push_back({item, "builtins." + item});
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      }
    }
    return out;
  }();
  return table;
}

class ClassCompletion {
public:
  ClassCompletion(ModuleFacts& facts, const std::string& package, const InheritanceLimits& limits)
      : facts_(facts), package_(package), limits_(limits), own_(facts.classes), budget_(limits.max_inheritance_entries) {
    for (std::size_t i = 0; i < own_.size(); ++i) own_index_.try_emplace(own_[i].name, i);  // the first of a name, as a lookup finds it
    linearized_.assign(own_.size(), std::nullopt);
    visiting_.assign(own_.size(), false);
  }

  void run() {
    for (std::size_t i = 0; i < facts_.classes.size(); ++i) {
      ClassFact& cls = facts_.classes[i];
      std::vector<SuperclassFact> order = linearize(i, 0);
      order.erase(order.begin());  // the class itself
      std::unordered_set<std::string> bound;
      for (const auto& m : cls.methods) bound.insert(m.name);
      for (const auto& a : cls.attributes) bound.insert(a.name);
      for (const auto& base : order) {
        const auto local_at = own_index_.find(base.name);
        if (local_at == own_index_.end() || (base.qualified != qualify(base.name) && base.qualified != own_name(base.name))) continue;
        const ClassFact& local = own_[local_at->second];
        spend(local.methods.size() + local.attributes.size(), cls);
        for (const auto& m : local.methods) {
          if (bound.insert(m.name).second) cls.methods.push_back(m);
        }
        for (const auto& a : local.attributes) {
          if (bound.insert(a.name).second) cls.attributes.push_back(a);
        }
      }
      cls.superclasses = std::move(order);
    }
  }

private:
  // `base.Plugin` → the module path it names; "" when unknown. Imports and classes no longer change once
  // the module is read, so each name is resolved once.
  const std::string& qualify(const std::string& name) {
    const auto [it, added] = qualified_.try_emplace(name);
    if (added) it->second = qualify_now(name);
    return it->second;
  }

  std::string qualify_now(const std::string& name) const {
    if (!is_dotted_name(name)) return {};  // `namedtuple('P', 'x')`, `A if c else B`: unknown
    if (std::string path = resolve_through_imports(facts_.imports, package_, name); !path.empty()) return path;
    if (name.find('.') != std::string::npos) return {};
    if (own_index_.contains(name)) return facts_.name.empty() ? name : facts_.name + "." + name;
    if (const auto* mro = builtin_class_mro(name)) return mro->front().qualified;  // IOError is builtins.OSError
    return {};
  }

  // A class of this module under its own name (`pkg.mod.Plugin`).
  std::string own_name(const std::string& name) const { return facts_.name.empty() ? name : facts_.name + "." + name; }

  // The class `local`, defined before `line`, is what its name is bound to there although an import binds
  // the same name (`from base import Plugin` then `class Plugin:`): it was defined after that import.
  bool shadows_import(const ClassFact& local, int line) const {
    if (local.line >= line) return false;
    int imported_at = 0;
    for (const auto& import : facts_.imports) {
      if (import.alias == local.name && !import.lazy && !import.type_checking && !import.in_class && !import.main_guard && import.line < line) {
        imported_at = std::max(imported_at, import.line);
      }
    }
    return imported_at > 0 && local.line > imported_at;
  }

  // The base as the runtime has it: a typing.NamedTuple base is `tuple`, a TypedDict base is `dict`.
  std::string runtime_base(const std::string& written) {
    const std::string& q = qualify(written);
    if (q == "typing.NamedTuple" || q == "typing_extensions.NamedTuple") return "tuple";
    if (q == "typing.TypedDict" || q == "typing_extensions.TypedDict") return "dict";
    return written;
  }

  // Counts work done for inheritance against InheritanceLimits::max_inheritance_entries.
  void spend(std::size_t entries, const ClassFact& cls) {
    if (entries > budget_) {
      throw InheritanceLimitError(facts_.filename, cls.line,
                                  "class " + cls.name + ": the classes of this module need more than " + std::to_string(limits_.max_inheritance_entries) +
                                      " superclass entries and inherited members in total, the limit for one module");
    }
    budget_ -= entries;
  }

  const std::vector<SuperclassFact>& linearize(std::size_t index, std::size_t depth) {
    if (linearized_[index]) return *linearized_[index];
    const ClassFact& cls = own_[index];
    if (depth >= limits_.max_superclasses) {  // bases defined below their subclass: the walk recurses
      throw InheritanceLimitError(facts_.filename, cls.line,
                                  "class " + cls.name + " inherits through more than " + std::to_string(limits_.max_superclasses) +
                                      " levels of classes of this module, the limit");
    }
    if (cls.superclasses.size() > limits_.max_bases) {
      throw InheritanceLimitError(facts_.filename, cls.line,
                                  "class " + cls.name + " has " + std::to_string(cls.superclasses.size()) + " bases, more than the limit of " +
                                      std::to_string(limits_.max_bases));
    }
    const SuperclassFact self{cls.name, shadows_import(cls, std::numeric_limits<int>::max()) ? own_name(cls.name) : qualify(cls.name)};
    const SuperclassFact object{"object", "builtins.object"};
    visiting_[index] = true;
    std::vector<std::vector<SuperclassFact>> sequences;
    std::vector<SuperclassFact> direct;
    for (const auto& written_base : cls.superclasses) {
      const std::string base = runtime_base(written_base.name);
      auto local = base.find('.') == std::string::npos ? own_index_.find(base) : own_index_.end();
      const bool shadowed = local != own_index_.end() && shadows_import(own_[local->second], cls.line);
      if (local != own_index_.end() && !shadowed && !resolve_through_imports(facts_.imports, package_, base).empty()) local = own_index_.end();
      const std::string qualified = shadowed ? own_name(base) : qualify(base);
      const std::vector<SuperclassFact>* builtin =
          local == own_index_.end() && qualified.starts_with("builtins.") ? builtin_class_mro(last_component(qualified)) : nullptr;
      if (local != own_index_.end() && !visiting_[local->second]) {
        direct.push_back({base, qualified});
        sequences.push_back(linearize(local->second, depth + 1));  // cycles are not followed
      } else if (builtin) {
        direct.push_back(builtin->front());  // builtins are known without running anything
        sequences.push_back(*builtin);
      } else {
        // A base that is no name (a call, a conditional expression) is kept whole, unqualified.
        const SuperclassFact written{is_dotted_name(base) ? last_component(base) : base, qualified};
        direct.push_back(written);
        sequences.push_back({written, object});
      }
    }
    visiting_[index] = false;
    std::vector<SuperclassFact> result;
    if (direct.empty()) {
      result = {self, object};
    } else {
      sequences.push_back(std::move(direct));
      result = c3_merge(self, sequences);
    }
    if (result.size() - 1 > limits_.max_superclasses) {
      throw InheritanceLimitError(facts_.filename, cls.line,
                                  "class " + cls.name + " has " + std::to_string(result.size() - 1) +
                                      " superclasses in its method resolution order, more than the limit of " + std::to_string(limits_.max_superclasses));
    }
    spend(result.size(), cls);
    linearized_[index] = std::move(result);
    return *linearized_[index];
  }

  // C3: repeatedly take the first head that is in no sequence's tail. Entries are interned to numbers and
  // each tail keeps a count per entry, so a step costs the number of sequences, not their lengths.
  static std::vector<SuperclassFact> c3_merge(const SuperclassFact& self, const std::vector<std::vector<SuperclassFact>>& sequences) {
    std::unordered_map<std::string, std::size_t> ids;
    std::vector<const SuperclassFact*> entry_of;
    std::vector<std::vector<std::size_t>> seqs;
    for (const auto& seq : sequences) {
      std::vector<std::size_t>& out = seqs.emplace_back();
      for (const auto& x : seq) {
        const auto [it, added] = ids.try_emplace(x.name + '\0' + x.qualified, entry_of.size());
        if (added) entry_of.push_back(&x);
        out.push_back(it->second);
      }
    }
    std::vector<std::size_t> in_tails(entry_of.size(), 0), head(seqs.size(), 0);
    for (const auto& seq : seqs) {
      for (std::size_t k = 1; k < seq.size(); ++k) ++in_tails[seq[k]];
    }
    std::vector<bool> taken(entry_of.size(), false);
    std::vector<SuperclassFact> result{self};
    while (true) {
      std::optional<std::size_t> next;
      bool any_left = false;
      for (std::size_t s = 0; s < seqs.size(); ++s) {
        if (head[s] >= seqs[s].size()) continue;
        any_left = true;
        if (in_tails[seqs[s][head[s]]] == 0) {
          next = seqs[s][head[s]];
          break;
        }
      }
      if (!any_left) return result;
      if (!next) {
        // Python would refuse this class ("cannot create a consistent MRO"); keep the remaining order.
        for (std::size_t s = 0; s < seqs.size(); ++s) {
          for (std::size_t k = head[s]; k < seqs[s].size(); ++k) {
            if (!taken[seqs[s][k]]) {
              taken[seqs[s][k]] = true;
              result.push_back(*entry_of[seqs[s][k]]);
            }
          }
        }
        return result;
      }
      taken[*next] = true;
      result.push_back(*entry_of[*next]);
      for (std::size_t s = 0; s < seqs.size(); ++s) {
        if (head[s] < seqs[s].size() && seqs[s][head[s]] == *next) {
          ++head[s];
          if (head[s] < seqs[s].size()) --in_tails[seqs[s][head[s]]];  // it leaves a tail to become a head
        }
      }
    }
  }

  ModuleFacts& facts_;
  const std::string& package_;
  const InheritanceLimits& limits_;
  const std::vector<ClassFact> own_;  // bases as written, members as defined
  std::unordered_map<std::string, std::size_t> own_index_;
  std::unordered_map<std::string, std::string> qualified_;
  std::vector<std::optional<std::vector<SuperclassFact>>> linearized_;
  std::vector<bool> visiting_;
  std::size_t budget_;
};

}  // namespace

bool is_dunder(std::string_view name) { return name.size() > 4 && name.starts_with("__") && name.ends_with("__"); }

std::string mangle_private(std::string_view name, std::string_view class_name) {
  if (!name.starts_with("__") || name.ends_with("__") || name.find('.') != std::string_view::npos) return std::string(name);
  const std::size_t first = class_name.find_first_not_of('_');
  if (first == std::string_view::npos) return std::string(name);
  return "_" + std::string(class_name.substr(first)) + std::string(name);
}

bool is_dotted_name(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
  });
}

std::string last_component(std::string_view dotted) {
  const std::size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

std::string resolve_relative(const std::string& written, const std::string& package) {
  std::size_t dots = 0;
  while (dots < written.size() && written[dots] == '.') ++dots;
  if (dots == 0) return written;
  std::string base = package;
  for (std::size_t i = 1; i < dots; ++i) {
    const std::size_t cut = base.rfind('.');
    base = cut == std::string::npos ? std::string() : base.substr(0, cut);
  }
  const std::string rest = written.substr(dots);
  if (base.empty()) return rest;
  return rest.empty() ? base : base + "." + rest;
}

std::string resolve_through_imports(const std::vector<ImportFact>& imports, const std::string& package, const std::string& name) {
  const std::size_t dot = name.find('.');
  const std::string head = name.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : name.substr(dot);
  for (auto it = imports.rbegin(); it != imports.rend(); ++it) {
    if (it->alias != head || it->lazy || it->type_checking || it->in_class || it->main_guard) continue;  // those bind no name of the module
    const std::string module = resolve_relative(it->module, package);
    if (it->name.empty()) {
      // `import a.b` binds `a` (the name then continues the path); `import a.b as x` binds `a.b`.
      const bool aliased = it->alias != it->module.substr(0, it->module.find('.'));
      return (aliased ? module : head) + rest;
    }
    return module + "." + it->name + rest;
  }
  return {};
}

const std::vector<SuperclassFact>* builtin_class_mro(std::string_view name) {
  const auto& table = builtin_table();
  const auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

bool decorator_keeps_definition(std::string_view qualified, std::string_view arguments, bool in_class) {
  static constexpr std::string_view kSame[] = {
      "typing.final",          "typing_extensions.final",          "typing.no_type_check",   "typing.override",
      "typing_extensions.override", "typing.runtime_checkable",    "typing_extensions.runtime_checkable",
      "abc.abstractmethod",    "atexit.register",                  "functools.total_ordering", "enum.unique",
      "dataclasses.dataclass", "typing.dataclass_transform",       "typing_extensions.dataclass_transform"};
  static constexpr std::string_view kMethodKinds[] = {"builtins.staticmethod", "builtins.classmethod", "builtins.property",
                                                      "functools.cached_property"};
  // Called decorators are factories: only those whose result is itself an identity decorator.
  const bool factory = qualified == "dataclasses.dataclass" || qualified == "typing.dataclass_transform" ||
                       qualified == "typing_extensions.dataclass_transform";
  if (!arguments.empty() && !factory) return false;
  if (qualified == "dataclasses.dataclass" && arguments.find("slots") != std::string_view::npos) return false;  // slots=True: a new class
  if (std::find(std::begin(kSame), std::end(kSame), qualified) != std::end(kSame)) return true;
  return in_class && std::find(std::begin(kMethodKinds), std::end(kMethodKinds), qualified) != std::end(kMethodKinds);
}

bool context_manager_keeps_exceptions(std::string_view qualified) {
  static constexpr std::string_view kKeep[] = {"builtins.open",         "io.open",
                                               "warnings.catch_warnings", "contextlib.nullcontext",
                                               "contextlib.redirect_stdout", "contextlib.redirect_stderr",
                                               "contextlib.chdir",      "os.scandir"};
  return std::find(std::begin(kKeep), std::end(kKeep), qualified) != std::end(kKeep);
}

bool module_variable_rule(ModuleFacts& facts, const std::string& name, const Value& value, std::optional<std::string>& annotation) {
  if (name == "__version__") {
    facts.version.reset();
    facts.version_unknown = value.kind() != Value::Kind::string;
    if (!facts.version_unknown) facts.version = value.text();
    return false;
  }
  if (is_dunder(name)) return false;
  if (!annotation && !value.is_unknown()) annotation = std::string(value.python_type_name());
  return true;
}

std::string attribute_key(std::string_view name, AttributeKind kind) {
  return std::string(name) + (kind == AttributeKind::instance_attribute ? std::string("\0i", 2) : std::string("\0c", 2));
}

void bind_instance_attribute(ClassFact& cls, AttributePositions& positions, const std::string& name, Value value,
                             const std::optional<std::string>& annotation, int line) {
  const auto [at, added] = positions.try_emplace(attribute_key(name, AttributeKind::instance_attribute), cls.attributes.size());
  if (added) {
    cls.attributes.push_back({name, AttributeKind::instance_attribute, std::move(value), annotation, line});
    return;
  }
  AttributeFact& existing = cls.attributes[at->second];
  if (!existing.annotation && annotation) existing.annotation = annotation;
  if (existing.value.is_unknown() && existing.value.text() == "declared without a value") existing.value = std::move(value);
}

void bind_class_attribute(ClassFact& cls, AttributePositions& positions, const std::string& name, AttributeKind kind, Value value,
                          std::optional<std::string> annotation, int line) {
  if (is_dunder(name)) return;
  if (!annotation && kind == AttributeKind::class_attribute && !value.is_unknown()) annotation = std::string(value.python_type_name());
  const auto [at, added] = positions.try_emplace(attribute_key(name, kind), cls.attributes.size());
  if (added) {
    cls.attributes.push_back({name, kind, std::move(value), std::move(annotation), line});
    return;
  }
  AttributeFact& existing = cls.attributes[at->second];
  existing.value = std::move(value);
  if (annotation) existing.annotation = std::move(annotation);
  existing.line = line;
}

bool is_module_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c == '.' || c == '_' || ascii::is_alnum(static_cast<unsigned char>(c)) || (c & 0x80); });
}

std::optional<std::string> import_module_target(const std::string& name, const std::optional<std::string>& package) {
  if (!name.starts_with('.')) return is_module_name(name) ? std::optional(name) : std::nullopt;
  if (!package || !is_module_name(*package)) return std::nullopt;
  const std::size_t level = name.find_first_not_of('.') == std::string::npos ? name.size() : name.find_first_not_of('.');
  std::string base = *package;
  for (std::size_t up = 1; up < level; ++up) {
    const std::size_t dot = base.rfind('.');
    if (dot == std::string::npos) return std::nullopt;  // beyond the top-level package: ImportError
    base.resize(dot);
  }
  const std::string rest = name.substr(level);
  if (rest.empty()) return base;
  return is_module_name(rest) ? std::optional(base + "." + rest) : std::nullopt;
}

bool is_module_loader(std::string_view function) {
  static constexpr std::string_view kLoaders[] = {"run_module", "run_path", "spec_from_file_location", "spec_from_loader", "module_from_spec",
                                                  "exec_module", "load_module", "load_source", "load_compiled", "load_dynamic", "load_package",
                                                  "SourceFileLoader", "SourcelessFileLoader", "ExtensionFileLoader", "resolve_name", "find_and_load"};
  return std::find(std::begin(kLoaders), std::end(kLoaders), function) != std::end(kLoaders);
}

void complete_classes(ModuleFacts& facts, const std::string& package, const InheritanceLimits& limits) { ClassCompletion(facts, package, limits).run(); }

}  // namespace importspy
