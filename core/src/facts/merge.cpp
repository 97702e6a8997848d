#include "importspy/facts/merge.hpp"

namespace importspy {
namespace {

template <typename T>
T* find_named(std::vector<T>& items, const std::string& name) {
  for (auto& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

// Annotations: the source's text is what the author wrote; the live one went through an object.
void prefer_source_annotation(std::optional<std::string>& merged, const std::optional<std::string>& source) {
  if (source) merged = source;
}

FunctionFact merge_function(const FunctionFact& source, const FunctionFact& live) {
  FunctionFact merged = live;
  merged.line = source.line ? source.line : live.line;
  if (!merged.structure_hash) merged.structure_hash = source.structure_hash;  // hashes come from the source
  if (merged.structure_unverifiable.empty()) merged.structure_unverifiable = source.structure_unverifiable;
  prefer_source_annotation(merged.return_annotation, source.return_annotation);
  for (auto& parameter : merged.parameters) {
    for (const auto& source_parameter : source.parameters) {
      if (source_parameter.name != parameter.name) continue;
      prefer_source_annotation(parameter.annotation, source_parameter.annotation);
      // A default the source could not evaluate is known live; a live default that is opaque stays.
      if (parameter.default_value && parameter.default_value->is_unknown() && source_parameter.default_value) {
        parameter.default_value = source_parameter.default_value;
      }
    }
  }
  return merged;
}

ClassFact merge_class(const ClassFact& source, const ClassFact& live) {
  ClassFact merged = live;
  merged.line = source.line ? source.line : live.line;
  if (!merged.structure_hash) merged.structure_hash = source.structure_hash;
  if (merged.structure_unverifiable.empty()) merged.structure_unverifiable = source.structure_unverifiable;
  for (auto& method : merged.methods) {
    for (const auto& source_method : source.methods) {
      if (source_method.name == method.name) method = merge_function(source_method, method);
    }
  }
  for (const auto& source_method : source.methods) {
    if (!find_named(merged.methods, source_method.name)) merged.methods.push_back(source_method);
  }
  for (const auto& source_attribute : source.attributes) {
    AttributeFact* found = nullptr;
    for (auto& attribute : merged.attributes) {
      if (attribute.name == source_attribute.name && attribute.kind == source_attribute.kind) found = &attribute;
    }
    if (!found) {
      // Instance attributes exist only in the source until an instance is made.
      merged.attributes.push_back(source_attribute);
      continue;
    }
    found->line = source_attribute.line;
    prefer_source_annotation(found->annotation, source_attribute.annotation);
    if (found->value.is_unknown()) found->value = source_attribute.value;
  }
  if (merged.superclasses.empty()) merged.superclasses = source.superclasses;
  return merged;
}

}  // namespace

ModuleFacts merge_facts(ModuleFacts merged, const ModuleFacts& live) {
  if (!live.name.empty()) merged.name = live.name;
  if (!live.filename.empty()) merged.filename = live.filename;
  if (!merged.file_sha256) merged.file_sha256 = live.file_sha256;
  merged.dynamic_namespace.clear();  // the live module shows every name it bound, however it bound them
  if (live.version) {
    merged.version = live.version;
    merged.version_unknown = false;
  }
  const auto imported_name = [&](const std::string& name) {
    for (const auto& import : merged.imports) {
      if (import.alias == name && !import.lazy && !import.type_checking && !import.in_class) return true;
    }
    return false;
  };
  for (const auto& variable : live.variables) {
    VariableFact* source = find_named(merged.variables, variable.name);
    // A name the source binds by an import is not a variable of this module (`from typing import Any`).
    if (!source && imported_name(variable.name)) continue;
    if (!source) {
      merged.variables.push_back(variable);
      continue;
    }
    if (!variable.value.is_unknown()) source->value = variable.value;
    if (!source->annotation) source->annotation = variable.annotation;
  }
  for (const auto& function : live.functions) {
    FunctionFact* source = find_named(merged.functions, function.name);
    if (source) {
      *source = merge_function(*source, function);
    } else {
      merged.functions.push_back(function);
    }
  }
  for (const auto& cls : live.classes) {
    ClassFact* source = find_named(merged.classes, cls.name);
    if (source) {
      *source = merge_class(*source, cls);
    } else {
      merged.classes.push_back(cls);
    }
  }
  return merged;
}

}  // namespace importspy
