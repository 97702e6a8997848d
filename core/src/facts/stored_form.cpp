#include "importspy/facts/stored_form.hpp"

#include "importspy/lang/byte_codec.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy {
namespace {

// Bump with every change to what is written below, or to the facts model it writes.
constexpr std::string_view kEncoding = "importspy-stored-facts-1";

#if defined(__GLIBCXX__) && (defined(__x86_64__) || defined(__aarch64__))
// A member added to the facts model and not encoded here would be lost on the way back: these sizes make
// such a change fail to build until this file (and kEncoding) is updated with it.
static_assert(sizeof(ModuleFacts) == 296, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(VariableFact) == 248, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(ParameterFact) == 224, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(FunctionFact) == 216, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(AttributeFact) == 224, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(SuperclassFact) == 64, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(ClassFact) == 216, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(ImportFact) == 104, "the facts model changed: update stored_form.cpp and kEncoding");
static_assert(sizeof(UnknownImport) == 72, "the facts model changed: update stored_form.cpp and kEncoding");
#endif

class Writer : public codec::ByteWriter {
public:
  void function(const FunctionFact& f) {
    text(f.name);
    optional_text(f.structure_hash);
    text(f.structure_unverifiable);
    each(f.parameters, [&](const ParameterFact& p) {
      text(p.name);
      u64(static_cast<std::uint64_t>(p.kind));
      value(p.default_value);
      optional_text(p.annotation);
    });
    optional_text(f.return_annotation);
    u64(static_cast<std::uint64_t>(f.kind));
    flag(f.is_async);
    i64(f.line);
    text(f.unverifiable);
  }
  void module(const ModuleFacts& m) {
    text(kEncoding);
    text(m.name);
    text(m.filename);
    optional_text(m.version);
    flag(m.version_unknown);
    optional_text(m.file_sha256);
    each(m.variables, [&](const VariableFact& v) {
      text(v.name);
      value(v.value);
      optional_text(v.annotation);
      i64(v.line);
      text(v.unverifiable);
    });
    each(m.functions, [&](const FunctionFact& f) { function(f); });
    each(m.classes, [&](const ClassFact& c) {
      text(c.name);
      optional_text(c.structure_hash);
      text(c.structure_unverifiable);
      each(c.attributes, [&](const AttributeFact& a) {
        text(a.name);
        u64(static_cast<std::uint64_t>(a.kind));
        value(a.value);
        optional_text(a.annotation);
        i64(a.line);
      });
      each(c.methods, [&](const FunctionFact& f) { function(f); });
      each(c.superclasses, [&](const SuperclassFact& s) {
        text(s.name);
        text(s.qualified);
      });
      i64(c.line);
      text(c.unverifiable);
    });
    each(m.imports, [&](const ImportFact& i) {
      text(i.module);
      text(i.name);
      text(i.alias);
      i64(i.line);
      flag(i.type_checking);
      flag(i.lazy);
      flag(i.in_class);
      flag(i.main_guard);
    });
    each(m.dynamic_namespace, [&](const std::string& s) { text(s); });
    each(m.unknown_imports, [&](const UnknownImport& u) {
      text(u.text);
      text(u.reason);
      i64(u.line);
    });
  }
};

class Reader : public codec::ByteReader {
public:
  using ByteReader::ByteReader;

  FunctionFact function() {
    FunctionFact f;
    f.name = text();
    f.structure_hash = optional_text();
    f.structure_unverifiable = text();
    f.parameters = each<ParameterFact>([&](ParameterFact& p) {
      p.name = text();
      p.kind = enumerator(ParameterKind::var_keyword);
      p.default_value = optional_value();
      p.annotation = optional_text();
    });
    f.return_annotation = optional_text();
    f.kind = enumerator(CallableKind::property);
    f.is_async = flag();
    f.line = small();
    f.unverifiable = text();
    return f;
  }
  ModuleFacts module() {
    if (text() != kEncoding) throw codec::Malformed{};
    ModuleFacts m;
    m.name = text();
    m.filename = text();
    m.version = optional_text();
    m.version_unknown = flag();
    m.file_sha256 = optional_text();
    m.variables = each<VariableFact>([&](VariableFact& v) {
      v.name = text();
      v.value = value();
      v.annotation = optional_text();
      v.line = small();
      v.unverifiable = text();
    });
    m.functions = each<FunctionFact>([&](FunctionFact& f) { f = function(); });
    m.classes = each<ClassFact>([&](ClassFact& c) {
      c.name = text();
      c.structure_hash = optional_text();
      c.structure_unverifiable = text();
      c.attributes = each<AttributeFact>([&](AttributeFact& a) {
        a.name = text();
        a.kind = enumerator(AttributeKind::instance_attribute);
        a.value = value();
        a.annotation = optional_text();
        a.line = small();
      });
      c.methods = each<FunctionFact>([&](FunctionFact& f) { f = function(); });
      c.superclasses = each<SuperclassFact>([&](SuperclassFact& s) {
        s.name = text();
        s.qualified = text();
      });
      c.line = small();
      c.unverifiable = text();
    });
    m.imports = each<ImportFact>([&](ImportFact& i) {
      i.module = text();
      i.name = text();
      i.alias = text();
      i.line = small();
      i.type_checking = flag();
      i.lazy = flag();
      i.in_class = flag();
      i.main_guard = flag();
    });
    m.dynamic_namespace = each<std::string>([&](std::string& s) { s = text(); });
    m.unknown_imports = each<UnknownImport>([&](UnknownImport& u) {
      u.text = text();
      u.reason = text();
      u.line = small();
    });
    expect_end();
    return m;
  }
};

}  // namespace

std::string encode_facts(const ModuleFacts& facts) {
  Writer writer;
  writer.module(facts);
  return writer.take();
}

std::optional<ModuleFacts> decode_facts(std::string_view bytes) {
  try {
    return Reader(bytes).module();
  } catch (const codec::Malformed&) {
    return std::nullopt;
  }
}

std::string stored_facts_key(std::string_view source, std::string_view filename, std::string_view module_name, std::string_view reading,
                             std::string_view engine_version) {
  return blake2b_hex(codec::key_material({kEncoding, engine_version, filename, module_name, reading}, source));
}

}  // namespace importspy
