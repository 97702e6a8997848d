#include "importspy/contract/schema.hpp"

#include <nlohmann/json.hpp>

namespace importspy {
namespace {

using json = nlohmann::json;

json ref(const char* name) { return {{"$ref", std::string("#/definitions/") + name}}; }

// Lists may be written empty (`attributes:`): null means nothing required.
json list_of(const char* name) { return {{"type", json::array({"array", "null"})}, {"items", ref(name)}}; }

json object(json properties, json required = json::array()) {
  json out = {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

// Text fields are read as written: YAML may present `3.10` as a number, which the loader reads as "3.10".
const json kText = {{"type", json::array({"string", "number", "null"})}};

}  // namespace

std::string contract_json_schema() {
  json definitions;
  definitions["name"] = {{"type", "string"}, {"pattern", "^[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*$"}};
  definitions["annotation"] = {{"type", json::array({"string", "null"})}, {"description", "A Python annotation as written in code, e.g. list[str]"}};
  definitions["value"] = {{"description", "A literal: null, bool, int, float, str, or lists/mappings of them (YAML 1.2 core rules)"}};
  definitions["structure_hash"] = {{"type", "string"}, {"pattern", "^sha256:[0-9a-f]{64}$"}};
  definitions["argument"] = object({{"name", {{"type", "string"}, {"pattern", "^\\*{0,2}[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*$"}}},
                                    {"annotation", ref("annotation")},
                                    {"value", ref("value")},
                                    {"kind", {{"enum", {"positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"}}}}},
                                   {"name"});
  definitions["function"] = object({{"name", ref("name")}, {"arguments", list_of("argument")}, {"return_annotation", ref("annotation")},
                                    {"hash", ref("structure_hash")}},
                                   {"name"});
  definitions["variable"] = object({{"name", ref("name")}, {"value", ref("value")}, {"annotation", ref("annotation")}}, {"name"});
  definitions["attribute"] = object({{"type", {{"enum", {"class", "instance"}}}}, {"name", ref("name")}, {"value", ref("value")}, {"annotation", ref("annotation")}},
                                    {"type", "name"});
  definitions["superclass"] = {{"oneOf", json::array({{{"type", "string"}, {"pattern", "^[A-Za-z_][A-Za-z0-9_.]*$"}}, object({{"name", {{"type", "string"}}}}, {"name"})})}};
  definitions["class"] = object({{"name", ref("name")}, {"attributes", list_of("attribute")}, {"methods", list_of("function")},
                                 {"superclasses", list_of("superclass")}, {"hash", ref("structure_hash")}},
                                {"name"});
  definitions["integrity"] = object({{"sha256", {{"type", "string"}, {"pattern", "^(sha256:)?[0-9a-f]{64}$"}}}}, {"sha256"});
  const json module_properties = {{"filename", kText},           {"version", kText},           {"integrity", {{"oneOf", json::array({ref("integrity"), {{"type", "null"}}})}}},
                                  {"variables", list_of("variable")}, {"functions", list_of("function")}, {"classes", list_of("class")}};
  definitions["module"] = object(module_properties);
  definitions["environment_variable"] = {{"oneOf", json::array({{{"type", "string"}}, object({{"name", {{"type", "string"}}}, {"value", kText}}, {"name"})})}};
  definitions["secret"] = {{"oneOf", json::array({{{"type", "string"}}, object({{"name", {{"type", "string"}}}}, {"name"})})}};
  definitions["environment"] = object({{"variables", list_of("environment_variable")}, {"secrets", list_of("secret")}});
  definitions["python"] = object({{"version", kText}, {"interpreter", kText}, {"modules", list_of("module")}});
  definitions["system"] = object({{"os", {{"type", "string"}}}, {"environment", {{"oneOf", json::array({ref("environment"), {{"type", "null"}}})}}},
                                  {"pythons", list_of("python")}},
                                 {"os"});
  definitions["deployment"] = object({{"arch", {{"type", "string"}}}, {"systems", list_of("system")}}, {"arch"});

  json top = module_properties;
  top["importspy"] = {{"const", 1}, {"description", "Schema version; leave it out for the ImportSpy 0.x format"}};
  const json module_pattern = {{"type", "string"}, {"pattern", "^[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*(\\.[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*)*(\\.\\*)?$"}};
  top["imports"] = object({{"allowed", {{"type", "array"}, {"items", module_pattern}}},
                           {"forbidden", {{"type", "array"}, {"items", module_pattern}}},
                           {"type_checking", {{"type", "boolean"}}},
                           {"no_cycles", {{"type", "boolean"}}}});
  top["requires"] = {{"type", json::array({"array", "null"})},
                     {"items", object({{"module", {{"type", "string"}}}, {"contract", {{"type", "string"}}}}, {"module", "contract"})}};
  top["deployments"] = list_of("deployment");
  // architecture_rules: import-linter's contract types and option names (docs/architecture-rules.md).
  const json text_or_list = {{"type", json::array({"string", "array", "null"})}, {"items", {{"type", "string"}}}};
  const json flag = {{"type", json::array({"boolean", "string"})}};
  json rule_properties = {{"name", {{"type", "string"}}},
                          {"id", {{"type", "string"}}},
                          {"type", {{"enum", {"forbidden", "layers", "independence", "acyclic_siblings", "protected", "private_modules"}}}},
                          {"ignore_imports", text_or_list},
                          {"unmatched_ignore_imports_alerting", {{"enum", {"error", "warn", "none"}}}},
                          {"broken_contract_guidance", kText},
                          {"lazy_imports", flag},
                          {"type_checking_imports", flag},
                          {"main_imports", flag}};
  for (const char* key : {"source_modules", "forbidden_modules", "layers", "containers", "exhaustive_ignores", "modules", "ancestors", "skip_descendants",
                          "protected_modules", "allowed_importers", "packages_with_private_modules"}) {
    rule_properties[key] = text_or_list;
  }
  for (const char* key : {"allow_indirect_imports", "as_packages", "exhaustive"}) rule_properties[key] = flag;
  rule_properties["depth"] = {{"type", json::array({"integer", "string"})}};
  top["architecture_rules"] = object({{"root_package", {{"type", "string"}}},
                                      {"root_packages", text_or_list},
                                      {"include_external_packages", flag},
                                      {"exclude_type_checking_imports", flag},
                                      {"rules", {{"type", json::array({"array", "null"})}, {"items", object(rule_properties, {"name", "type"})}}}});
  const json verdict = {{"enum", json::array({"deny", "allow"})}};
  top["when_unsure"] = {{"oneOf", json::array({verdict, object({{"namespace", verdict}, {"imports", verdict}, {"definitions", verdict}})})},
                        {"description", "deny (the default): a rule that needs what the source cannot show (a namespace changed at import, an "
                                        "import it cannot name, a definition it cannot follow) is violated; allow: the rule judges what the "
                                        "source shows. One verdict for all, or one per kind: {namespace, imports, definitions}"}};
  json schema = object(top);
  schema["$schema"] = "http://json-schema.org/draft-07/schema#";
  schema["$id"] = "https://pypi.org/project/importspy/contract.schema.json";
  schema["title"] = "ImportSpy contract";
  schema["description"] = "What a module's importer must look like and where it may run (docs/contract-language.md).";
  schema["definitions"] = std::move(definitions);
  return schema.dump(2) + "\n";
}

}  // namespace importspy
