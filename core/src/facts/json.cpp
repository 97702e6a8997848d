#include "importspy/facts/json.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace importspy {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 5> kParameterKinds = {"positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"};
constexpr std::array<std::string_view, 5> kCallableKinds = {"function", "method", "static_method", "class_method", "property"};

class FactsReader {
public:
  explicit FactsReader(std::string_view source) : source_(source) {}

  FactsDocument read(const json& root) {
    expect_object(root, "$");
    FactsDocument document;
    document.module = read_module(member(root, "module", "$"), "$.module");
    if (root.contains("environment")) document.environment = read_environment(root.at("environment"), "$.environment");
    return document;
  }

private:
  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw FactsError(std::string(source_) + ": at " + path + ": " + message);
  }

  void expect_object(const json& node, const std::string& path) const {
    if (!node.is_object()) fail(path, std::string("expected an object, found ") + node.type_name());
  }

  const json& member(const json& object, const char* key, const std::string& path) const {
    auto it = object.find(key);
    if (it == object.end()) fail(path, std::string("missing \"") + key + "\"");
    return *it;
  }

  std::string text(const json& object, const char* key, const std::string& path) const {
    const json& node = member(object, key, path);
    if (!node.is_string()) fail(path + "." + key, std::string("expected a string, found ") + node.type_name());
    return node.get<std::string>();
  }

  std::optional<std::string> optional_text(const json& object, const char* key, const std::string& path) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(path + "." + key, std::string("expected a string or null, found ") + it->type_name());
    return it->get<std::string>();
  }

  int line(const json& object, const std::string& path) const {
    auto it = object.find("line");
    if (it == object.end()) return 0;
    if (!it->is_number_integer()) fail(path + ".line", "expected an integer");
    return it->get<int>();
  }

  const json& array(const json& object, const char* key, const std::string& path) const {
    static const json empty = json::array();
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return empty;
    if (!it->is_array()) fail(path + "." + key, std::string("expected an array, found ") + it->type_name());
    return *it;
  }

  Value read_value(const json& node, const std::string& path, int depth = 0) const {
    if (depth > 64) fail(path, "value nests deeper than 64 levels");
    switch (node.type()) {
      case json::value_t::null: return Value::none();
      case json::value_t::boolean: return Value::boolean(node.get<bool>());
      case json::value_t::number_integer: return Value::integer(node.get<std::int64_t>());
      case json::value_t::number_unsigned: {
        const auto u = node.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return Value::big_integer(std::to_string(u));
        return Value::integer(static_cast<std::int64_t>(u));
      }
      case json::value_t::number_float: return Value::floating(node.get<double>());
      case json::value_t::string: return Value::string(node.get<std::string>());
      case json::value_t::array: {
        std::vector<Value> items;
        for (size_t i = 0; i < node.size(); ++i) items.push_back(read_value(node[i], path + "[" + std::to_string(i) + "]", depth + 1));
        return Value::list(std::move(items));
      }
      case json::value_t::object: {
        if (node.size() == 1 && node.contains("$unknown")) return Value::unknown(node["$unknown"].is_string() ? node["$unknown"].get<std::string>() : "unknown");
        if (node.size() == 1 && node.contains("$int")) return Value::big_integer(node["$int"].get<std::string>());
        if (node.size() == 2 && node.contains("$repr") && node.contains("$type")) {
          return Value::opaque(node["$repr"].get<std::string>(), node["$type"].get<std::string>());
        }
        std::vector<Value::Entry> entries;
        for (const auto& [key, item] : node.items()) entries.emplace_back(Value::string(key), read_value(item, path + "." + key, depth + 1));
        return Value::mapping(std::move(entries));
      }
      default: fail(path, "unsupported value");
    }
  }

  template <size_t N>
  size_t choice(const json& object, const char* key, const std::string& path, const std::array<std::string_view, N>& options, size_t fallback) const {
    auto value = optional_text(object, key, path);
    if (!value) return fallback;
    for (size_t i = 0; i < N; ++i) {
      if (options[i] == *value) return i;
    }
    fail(path + "." + key, "unknown value \"" + *value + "\"");
  }

  FunctionFact read_function(const json& node, const std::string& path) const {
    expect_object(node, path);
    FunctionFact fn;
    fn.name = text(node, "name", path);
    const json& params = array(node, "parameters", path);
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string p_path = path + ".parameters[" + std::to_string(i) + "]";
      const json& p = params[i];
      expect_object(p, p_path);
      ParameterFact param;
      param.name = text(p, "name", p_path);
      param.kind = static_cast<ParameterKind>(choice(p, "kind", p_path, kParameterKinds, 1));
      if (p.contains("default")) param.default_value = read_value(p.at("default"), p_path + ".default");
      param.annotation = optional_text(p, "annotation", p_path);
      fn.parameters.push_back(std::move(param));
    }
    fn.return_annotation = optional_text(node, "return_annotation", path);
    fn.kind = static_cast<CallableKind>(choice(node, "kind", path, kCallableKinds, 0));
    if (auto it = node.find("async"); it != node.end()) {
      if (!it->is_boolean()) fail(path + ".async", "expected true or false");
      fn.is_async = it->get<bool>();
    }
    fn.line = line(node, path);
    fn.unverifiable = optional_text(node, "unverifiable", path).value_or("");
    return fn;
  }

  ModuleFacts read_module(const json& node, const std::string& path) const {
    expect_object(node, path);
    ModuleFacts module;
    module.name = optional_text(node, "name", path).value_or("");
    module.filename = text(node, "filename", path);
    module.version = optional_text(node, "version", path);
    const json& variables = array(node, "variables", path);
    for (size_t i = 0; i < variables.size(); ++i) {
      const std::string v_path = path + ".variables[" + std::to_string(i) + "]";
      expect_object(variables[i], v_path);
      VariableFact v;
      v.name = text(variables[i], "name", v_path);
      v.value = variables[i].contains("value") ? read_value(variables[i].at("value"), v_path + ".value") : Value::unknown("not recorded");
      v.annotation = optional_text(variables[i], "annotation", v_path);
      v.line = line(variables[i], v_path);
      v.unverifiable = optional_text(variables[i], "unverifiable", v_path).value_or("");
      module.variables.push_back(std::move(v));
    }
    const json& functions = array(node, "functions", path);
    for (size_t i = 0; i < functions.size(); ++i) module.functions.push_back(read_function(functions[i], path + ".functions[" + std::to_string(i) + "]"));
    const json& classes = array(node, "classes", path);
    for (size_t i = 0; i < classes.size(); ++i) {
      const std::string c_path = path + ".classes[" + std::to_string(i) + "]";
      const json& c = classes[i];
      expect_object(c, c_path);
      ClassFact cls;
      cls.name = text(c, "name", c_path);
      cls.line = line(c, c_path);
      cls.unverifiable = optional_text(c, "unverifiable", c_path).value_or("");
      const json& attributes = array(c, "attributes", c_path);
      for (size_t k = 0; k < attributes.size(); ++k) {
        const std::string a_path = c_path + ".attributes[" + std::to_string(k) + "]";
        expect_object(attributes[k], a_path);
        AttributeFact a;
        a.name = text(attributes[k], "name", a_path);
        const std::string type = text(attributes[k], "type", a_path);
        if (type != "class" && type != "instance") fail(a_path + ".type", "expected \"class\" or \"instance\"");
        a.kind = type == "class" ? AttributeKind::class_attribute : AttributeKind::instance_attribute;
        a.value = attributes[k].contains("value") ? read_value(attributes[k].at("value"), a_path + ".value") : Value::unknown("not recorded");
        a.annotation = optional_text(attributes[k], "annotation", a_path);
        a.line = line(attributes[k], a_path);
        cls.attributes.push_back(std::move(a));
      }
      const json& methods = array(c, "methods", c_path);
      for (size_t k = 0; k < methods.size(); ++k) cls.methods.push_back(read_function(methods[k], c_path + ".methods[" + std::to_string(k) + "]"));
      const json& bases = array(c, "superclasses", c_path);
      for (size_t k = 0; k < bases.size(); ++k) {
        const std::string b_path = c_path + ".superclasses[" + std::to_string(k) + "]";
        if (bases[k].is_string()) {
          cls.superclasses.push_back({bases[k].get<std::string>(), ""});
        } else {
          expect_object(bases[k], b_path);
          cls.superclasses.push_back({text(bases[k], "name", b_path), optional_text(bases[k], "qualified", b_path).value_or("")});
        }
      }
      module.classes.push_back(std::move(cls));
    }
    if (node.contains("version_unknown")) {
      const json& unknown = node.at("version_unknown");
      if (!unknown.is_boolean()) fail(path + ".version_unknown", "expected true or false");
      module.version_unknown = unknown.get<bool>() && !module.version;
    }
    if (node.contains("dynamic_namespace")) {
      const json& reasons = array(node, "dynamic_namespace", path);
      for (size_t i = 0; i < reasons.size(); ++i) {
        const std::string r_path = path + ".dynamic_namespace[" + std::to_string(i) + "]";
        if (!reasons[i].is_string()) fail(r_path, std::string("expected a string, found ") + reasons[i].type_name());
        module.dynamic_namespace.push_back(reasons[i].get<std::string>());
      }
    }
    if (node.contains("unknown_imports")) {
      const json& unknown = array(node, "unknown_imports", path);
      for (size_t i = 0; i < unknown.size(); ++i) {
        const std::string u_path = path + ".unknown_imports[" + std::to_string(i) + "]";
        expect_object(unknown[i], u_path);
        module.unknown_imports.push_back(UnknownImport{text(unknown[i], "text", u_path), optional_text(unknown[i], "reason", u_path).value_or(""), line(unknown[i], u_path)});
      }
    }
    return module;
  }

  EnvironmentFacts read_environment(const json& node, const std::string& path) const {
    expect_object(node, path);
    EnvironmentFacts env;
    env.arch = text(node, "arch", path);
    env.os = text(node, "os", path);
    env.python_version = text(node, "python_version", path);
    env.interpreter = text(node, "interpreter", path);
    if (auto it = node.find("variables"); it != node.end() && !it->is_null()) {
      expect_object(*it, path + ".variables");
      for (const auto& [key, value] : it->items()) {
        if (!value.is_string()) fail(path + ".variables." + key, "environment values are strings");
        env.variables.emplace(key, value.get<std::string>());
      }
    }
    return env;
  }

  std::string_view source_;
};

json value_to_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return nullptr;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.is_big_integer() ? json{{"$int", v.text()}} : json(v.as_int());
    case Value::Kind::floating: return v.as_float();
    case Value::Kind::string: return v.text();
    case Value::Kind::unknown: return json{{"$unknown", v.text()}};
    case Value::Kind::opaque: return json{{"$repr", v.text()}, {"$type", v.opaque_type()}};
    case Value::Kind::list: {
      json out = json::array();
      for (const auto& item : v.items()) out.push_back(value_to_json(item));
      return out;
    }
    case Value::Kind::mapping: {
      json out = json::object();
      for (const auto& [key, item] : v.entries()) out[key.kind() == Value::Kind::string ? key.text() : key.repr()] = value_to_json(item);
      return out;
    }
  }
  return nullptr;
}

json optional_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json function_to_json(const FunctionFact& fn) {
  json params = json::array();
  for (const auto& p : fn.parameters) {
    json param = {{"name", p.name}, {"kind", kParameterKinds[static_cast<size_t>(p.kind)]}, {"annotation", optional_json(p.annotation)}};
    if (p.default_value) param["default"] = value_to_json(*p.default_value);
    params.push_back(std::move(param));
  }
  json out = {{"name", fn.name}, {"parameters", std::move(params)}, {"return_annotation", optional_json(fn.return_annotation)},
              {"kind", kCallableKinds[static_cast<size_t>(fn.kind)]}, {"async", fn.is_async}, {"line", fn.line}};
  if (!fn.unverifiable.empty()) out["unverifiable"] = fn.unverifiable;
  return out;
}

}  // namespace

FactsDocument parse_facts_json(std::string_view text, std::string_view source) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double (`1e99999`): both are the input's fault.
    throw FactsError(std::string(source) + ": not valid JSON: " + e.what());
  }
  return FactsReader(source).read(root);
}

std::string facts_to_json(const FactsDocument& document) {
  const ModuleFacts& m = document.module;
  json variables = json::array(), functions = json::array(), classes = json::array();
  for (const auto& v : m.variables) {
    json variable = {{"name", v.name}, {"value", value_to_json(v.value)}, {"annotation", optional_json(v.annotation)}, {"line", v.line}};
    if (!v.unverifiable.empty()) variable["unverifiable"] = v.unverifiable;
    variables.push_back(std::move(variable));
  }
  for (const auto& fn : m.functions) functions.push_back(function_to_json(fn));
  for (const auto& c : m.classes) {
    json attributes = json::array(), methods = json::array(), bases = json::array();
    for (const auto& a : c.attributes) {
      attributes.push_back({{"name", a.name}, {"type", a.kind == AttributeKind::class_attribute ? "class" : "instance"}, {"value", value_to_json(a.value)},
                            {"annotation", optional_json(a.annotation)}, {"line", a.line}});
    }
    for (const auto& fn : c.methods) methods.push_back(function_to_json(fn));
    for (const auto& b : c.superclasses) bases.push_back({{"name", b.name}, {"qualified", b.qualified}});
    json cls = {{"name", c.name}, {"attributes", std::move(attributes)}, {"methods", std::move(methods)}, {"superclasses", std::move(bases)}, {"line", c.line}};
    if (!c.unverifiable.empty()) cls["unverifiable"] = c.unverifiable;
    classes.push_back(std::move(cls));
  }
  json out = {{"module",
               {{"name", m.name}, {"filename", m.filename}, {"version", optional_json(m.version)}, {"variables", std::move(variables)},
                {"functions", std::move(functions)}, {"classes", std::move(classes)}}}};
  // What the reader could not know, when there is some: a rule that needs it is unverifiable.
  if (m.version_unknown) out["module"]["version_unknown"] = true;
  if (!m.dynamic_namespace.empty()) out["module"]["dynamic_namespace"] = m.dynamic_namespace;
  if (!m.unknown_imports.empty()) {
    json unknown = json::array();
    for (const UnknownImport& u : m.unknown_imports) unknown.push_back({{"text", u.text}, {"reason", u.reason}, {"line", u.line}});
    out["module"]["unknown_imports"] = std::move(unknown);
  }
  if (document.environment) {
    const EnvironmentFacts& e = *document.environment;
    out["environment"] = {{"arch", e.arch}, {"os", e.os}, {"python_version", e.python_version}, {"interpreter", e.interpreter}, {"variables", e.variables}};
  }
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);  // a file name need not be UTF-8
}

}  // namespace importspy
