#include "importspy/facts/merge.hpp"

#include <algorithm>

#include "importspy/lang/annotation.hpp"

namespace importspy {
namespace {

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  for (const auto& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

bool is_identifier_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (c & 0x80); }

// `typing.Optional[jobs.Job]` → `Optional[Job]`: a live annotation names classes by their module, the
// source as imported.
std::string without_qualifiers(std::string_view text) {
  std::string out;
  std::size_t word = 0;  // where the current dotted word starts in `out`
  for (char c : text) {
    if (c == '.' && out.size() > word && is_identifier_char(out.back())) {
      out.resize(word);  // drop `module.` and keep reading the name after it
      continue;
    }
    out += c;
    if (!is_identifier_char(c)) word = out.size();
  }
  return out;
}

// Two annotations that say the same thing, one as written, one read from an evaluated object.
bool same_annotation(const std::string& written, const std::string& live) {
  if (written == live) return true;
  return canonical_annotation_or_text(without_qualifiers(written)) == canonical_annotation_or_text(without_qualifiers(live));
}

// The annotation as written when it says what the live one says; the live one otherwise (the source
// shows an annotation that is not the one that ran).
void written_if_same(std::optional<std::string>& live, const std::optional<std::string>& written) {
  if (written && (!live || same_annotation(*written, *live))) live = written;
}

// How a live definition relates to a source one of the same name. Live lines come from code objects
// (the first decorator's line, CPython 3.8+) and are 0 when the code was not compiled from this file.
enum class Identity { none, decorated, exact };

Identity identity(int source_line, int live_line) {
  if (live_line <= 0 || source_line <= 0) return Identity::none;
  if (live_line == source_line) return Identity::exact;
  return live_line < source_line ? Identity::decorated : Identity::none;
}

bool same_parameters(const FunctionFact& a, const FunctionFact& b) {
  return std::equal(a.parameters.begin(), a.parameters.end(), b.parameters.begin(), b.parameters.end(),
                    [](const ParameterFact& x, const ParameterFact& y) { return x.name == y.name && x.kind == y.kind; });
}

// `live` completed with what only `source` shows, when `source` is the definition that ran.
void complete_function(FunctionFact& live, const FunctionFact* source) {
  const int live_line = live.line;
  live.unverifiable.clear();  // the live object is what the name is bound to
  live.structure_unverifiable.clear();
  const Identity same = source ? identity(source->line, live_line) : Identity::none;
  if (same == Identity::none || !same_parameters(*source, live)) {
    if (source && source->structure_hash) {
      live.structure_unverifiable = "the function that runs (line " + std::to_string(live_line) + ") is not the definition at line " +
                                    std::to_string(source->line) + " that the hash covers";
    }
    return;
  }
  if (same == Identity::exact) {
    // The definition that ran: its annotations as written, its hash.
    if (source->return_annotation) live.return_annotation = source->return_annotation;
    for (std::size_t i = 0; i < live.parameters.size(); ++i) {
      if (source->parameters[i].annotation) live.parameters[i].annotation = source->parameters[i].annotation;
    }
    live.structure_hash = source->structure_hash;
    live.structure_unverifiable = source->structure_unverifiable;
    return;
  }
  // Decorated (or another definition above): lines alone cannot tie the two, so the live line stays, and
  // written text only where it says the same.
  written_if_same(live.return_annotation, source->return_annotation);
  for (std::size_t i = 0; i < live.parameters.size(); ++i) written_if_same(live.parameters[i].annotation, source->parameters[i].annotation);
  if (source->structure_hash) {
    live.structure_unverifiable = "it is decorated, and in runtime mode the function that ran (from line " + std::to_string(live_line) +
                                  ") cannot be tied to the definition the hash covers (line " + std::to_string(source->line) + ")";
  }
}

void complete_class(ClassFact& live, const ClassFact* source) {
  live.unverifiable.clear();
  live.structure_unverifiable.clear();
  // Before CPython 3.13 a class has no first line (0): taken as the source's class of that name. From
  // 3.13, -1: the class was made by no class statement.
  const Identity same = !source ? Identity::none : live.line == 0 ? Identity::exact : identity(source->line, live.line);
  if (same == Identity::none) {
    if (live.line < 0) live.line = 0;  // made by no class statement (CPython 3.13+ tells)
    if (source && source->structure_hash) {
      live.structure_unverifiable = "the class that runs (line " + std::to_string(live.line) + ") is not the definition at line " +
                                    std::to_string(source->line) + " that the hash covers";
    }
    for (auto& method : live.methods) complete_function(method, nullptr);
    return;
  }
  if (same == Identity::exact) {
    live.structure_hash = source->structure_hash;
    live.structure_unverifiable = source->structure_unverifiable;
  } else if (source->structure_hash) {
    live.structure_unverifiable = "it is decorated, and in runtime mode the class that ran (from line " + std::to_string(live.line) +
                                  ") cannot be tied to the definition the hash covers (line " + std::to_string(source->line) + ")";
  }
  live.line = source->line;
  for (auto& method : live.methods) complete_function(method, find_named(source->methods, method.name));
  for (auto& attribute : live.attributes) {
    for (const auto& written : source->attributes) {
      if (written.name != attribute.name || written.kind != attribute.kind) continue;
      attribute.line = written.line;
      written_if_same(attribute.annotation, written.annotation);
      // An instance attribute the live class names (`__static_attributes__`, CPython 3.13+) has no value
      // until an instance exists: the one its `self.x = ...` writes, as on versions without that list.
      if (attribute.kind == AttributeKind::instance_attribute && attribute.value.is_unknown()) attribute.value = written.value;
    }
  }
  // Instance attributes set through `self.x = ...` exist only once an instance is made: the source's,
  // for a name the live class does not bind otherwise.
  for (const auto& written : source->attributes) {
    if (written.kind != AttributeKind::instance_attribute) continue;
    const bool bound = std::any_of(live.attributes.begin(), live.attributes.end(), [&](const AttributeFact& a) { return a.name == written.name; }) ||
                       find_named(live.methods, written.name);
    if (!bound) live.attributes.push_back(written);
  }
}

void complete_variable(VariableFact& live, const VariableFact* source) {
  live.unverifiable.clear();
  if (!source) return;
  live.line = source->line;
  written_if_same(live.annotation, source->annotation);
}

// A live name the source binds by an import (and never assigns) is not a variable of this module
// (`from typing import Any`); an import in a class body binds no module name.
bool bound_by_import(const ModuleFacts& source, std::string_view name) {
  if (find_named(source.variables, name)) return false;
  return std::any_of(source.imports.begin(), source.imports.end(), [&](const ImportFact& import) {
    return import.alias == name && !import.lazy && !import.type_checking && !import.in_class && !import.main_guard;
  });
}

// The live facts of one name (any kind), completed from the source's.
void add_live(ModuleFacts& out, const ModuleFacts& source, const ModuleFacts& live, std::string_view name) {
  if (const VariableFact* v = find_named(live.variables, name); v && !bound_by_import(source, name)) {
    complete_variable(out.variables.emplace_back(*v), find_named(source.variables, name));
  }
  if (const FunctionFact* f = find_named(live.functions, name)) complete_function(out.functions.emplace_back(*f), find_named(source.functions, name));
  if (const ClassFact* c = find_named(live.classes, name)) complete_class(out.classes.emplace_back(*c), find_named(source.classes, name));
}

template <typename T>
void erase_named(std::vector<T>& items, std::string_view name) {
  std::erase_if(items, [&](const T& item) { return item.name == name; });
}

// The line of the source's last binding of `name`, 0 when the source does not bind it.
int source_line(const ModuleFacts& source, std::string_view name) {
  int line = 0;
  if (const auto* v = find_named(source.variables, name)) line = std::max(line, v->line);
  if (const auto* f = find_named(source.functions, name)) line = std::max(line, f->line);
  if (const auto* c = find_named(source.classes, name)) line = std::max(line, c->line);
  return line;
}

}  // namespace

ModuleFacts merge_runtime_facts(const ModuleFacts& from_source, ModuleFacts live) {
  ModuleFacts out;
  out.name = live.name.empty() ? from_source.name : live.name;
  out.filename = live.filename.empty() ? from_source.filename : live.filename;
  out.file_sha256 = live.file_sha256 ? live.file_sha256 : from_source.file_sha256;
  out.version = std::move(live.version);  // the live `__version__`, or none: no longer unknown
  // The live module has no import statements: the source's stand, with the imports it cannot name.
  out.imports = from_source.imports;
  out.unknown_imports = from_source.unknown_imports;
  // dynamic_namespace stays empty: the live module shows every name it bound, however it bound them.
  for (const auto& v : live.variables) add_live(out, from_source, live, v.name);
  for (const auto& f : live.functions) {
    if (!find_named(out.functions, f.name)) add_live(out, from_source, live, f.name);
  }
  for (const auto& c : live.classes) {
    if (!find_named(out.classes, c.name)) add_live(out, from_source, live, c.name);
  }
  return out;
}

ModuleFacts merge_importer_facts(const ModuleFacts& source, const ModuleFacts& live, int running_line, std::span<const std::string> looked_up) {
  ModuleFacts merged = source;
  if (!live.name.empty()) merged.name = live.name;
  if (!live.filename.empty()) merged.filename = live.filename;
  if (live.version) {
    merged.version = live.version;
    merged.version_unknown = false;
  }
  for (const std::string& name : looked_up) {
    const int line = source_line(source, name);
    if (line > 0 && running_line > 0 && line >= running_line) continue;  // not run yet: the source stands
    const bool bound_now = find_named(live.variables, name) || find_named(live.functions, name) || find_named(live.classes, name);
    if (line > 0 && running_line <= 0 && !bound_now) continue;  // where the module stopped is not known
    if (line > 0) {
      erase_named(merged.variables, name);
      erase_named(merged.functions, name);
      erase_named(merged.classes, name);
    }
    if (bound_now) add_live(merged, source, live, name);
  }
  return merged;
}

}  // namespace importspy
