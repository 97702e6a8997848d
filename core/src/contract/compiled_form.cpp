#include "importspy/contract/compiled_form.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "importspy/util/sha256.hpp"
#include "importspy/lang/byte_codec.hpp"

namespace importspy {
namespace {

// Bump with every change to what is written below, or to the compiled model it writes.
constexpr std::string_view kEncoding = "importspy-compiled-contract-2";

#if defined(__GLIBCXX__) && (defined(__x86_64__) || defined(__aarch64__))
// A member added to the compiled model and not encoded here would be lost on the way back: these sizes
// make such a change fail to build until this file (and kEncoding) is updated with it. The two 64-bit
// Linux ABIs the wheels are built for lay the model out alike (scripts/build-aarch64.sh builds it).
static_assert(sizeof(Contract) == 672, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ModuleRule) == 352, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(FunctionRule) == 184, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ClassRule) == 152, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ArgumentRule) == 264, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(VariableRule) == 256, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(AttributeRule) == 264, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ImportRules) == 80, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(PythonRule) == 264, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(SystemRule) == 112, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ArchitectureRule) == 464, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(ArchitectureRules) == 96, "the compiled model changed: update compiled_form.cpp and kEncoding");
static_assert(sizeof(Value) == 136, "the compiled model changed: update compiled_form.cpp and kEncoding");
#endif

class Writer : public codec::ByteWriter {
public:
  void mark(const SourceMark& m) {
    i64(m.line);
    i64(m.column);
  }
  void annotation(const std::optional<AnnotationRule>& a) {
    flag(a.has_value());
    if (a) {
      text(a->written);
      text(a->canonical);
    }
  }
  void version(const std::optional<VersionRule>& v) {
    flag(v.has_value());
    if (v) text(v->text());
  }
  void function(const FunctionRule& f) {
    text(f.name);
    optional_text(f.structure_hash);
    each(f.arguments, [&](const ArgumentRule& a) {
      text(a.name);
      flag(a.kind.has_value());
      if (a.kind) u64(static_cast<std::uint64_t>(*a.kind));
      value(a.default_value);
      annotation(a.annotation);
      mark(a.mark);
    });
    annotation(f.return_annotation);
    mark(f.mark);
    mark(f.return_annotation_mark);
  }
  void module(const ModuleRule& m) {
    optional_text(m.filename);
    optional_text(m.file_sha256);
    version(m.version);
    each(m.variables, [&](const VariableRule& v) {
      text(v.name);
      value(v.value);
      annotation(v.annotation);
      mark(v.mark);
    });
    each(m.functions, [&](const FunctionRule& f) { function(f); });
    each(m.classes, [&](const ClassRule& c) {
      text(c.name);
      optional_text(c.structure_hash);
      each(c.attributes, [&](const AttributeRule& a) {
        u64(static_cast<std::uint64_t>(a.kind));
        text(a.name);
        value(a.value);
        annotation(a.annotation);
        mark(a.mark);
      });
      each(c.methods, [&](const FunctionRule& f) { function(f); });
      each(c.superclasses, [&](const SuperclassRule& s) {
        text(s.name);
        mark(s.mark);
      });
      mark(c.mark);
    });
    mark(m.mark);
  }
  void patterns(const std::vector<ImportPattern>& list) {
    each(list, [&](const ImportPattern& p) {
      text(p.written);
      text(p.module);
      flag(p.submodules_only);
      mark(p.mark);
    });
  }
  void expressions(const std::vector<ModuleExpression>& list) {
    each(list, [&](const ModuleExpression& e) {
      text(e.written);
      each(e.components, [&](const std::string& part) { text(part); });
      mark(e.mark);
    });
  }
  void architecture(const ArchitectureRules& a) {
    text(a.file);
    each(a.root_packages, [&](const std::string& s) { text(s); });
    flag(a.include_external_packages);
    flag(a.exclude_type_checking_imports);
    mark(a.mark);
    each(a.rules, [&](const ArchitectureRule& r) {
      text(r.id);
      text(r.name);
      u64(static_cast<std::uint64_t>(r.type));
      each(r.ignore_imports, [&](const ImportExpression& e) {
        text(e.written);
        expressions({e.importer, e.imported});
        mark(e.mark);
      });
      u64(static_cast<std::uint64_t>(r.unmatched_ignore_imports_alerting));
      optional_text(r.broken_contract_guidance);
      flag(r.counted.lazy);
      flag(r.counted.type_checking);
      flag(r.counted.main_guard);
      mark(r.mark);
      expressions(r.forbidden.source_modules);
      expressions(r.forbidden.forbidden_modules);
      flag(r.forbidden.allow_indirect_imports);
      flag(r.forbidden.as_packages);
      each(r.layers.layers, [&](const Layer& l) {
        each(l.modules, [&](const LayerModule& m) {
          text(m.name);
          flag(m.optional);
          mark(m.mark);
        });
        flag(l.independent);
        mark(l.mark);
      });
      expressions(r.layers.containers);
      flag(r.layers.exhaustive);
      each(r.layers.exhaustive_ignores, [&](const std::string& s) { text(s); });
      mark(r.layers.exhaustive_mark);
      expressions(r.independence.modules);
      expressions(r.acyclic_siblings.ancestors);
      i64(r.acyclic_siblings.depth);
      expressions(r.acyclic_siblings.skip_descendants);
      expressions(r.protected_modules.protected_modules);
      expressions(r.protected_modules.allowed_importers);
      flag(r.protected_modules.as_packages);
      expressions(r.private_modules.packages_with_private_modules);
    });
  }
  void contract(const Contract& c) {
    text(kEncoding);
    i64(c.schema_version);
    module(c.module);
    flag(c.imports.has_value());
    if (c.imports) {
      patterns(c.imports->allowed);
      flag(c.imports->has_allowed);
      patterns(c.imports->forbidden);
      flag(c.imports->type_checking);
      flag(c.imports->no_cycles);
      mark(c.imports->mark);
      mark(c.imports->no_cycles_mark);
    }
    flag(c.architecture_rules.has_value());
    if (c.architecture_rules) architecture(*c.architecture_rules);
    each(c.required_contracts, [&](const RequiredContract& r) {
      text(r.module);
      text(r.contract);
      mark(r.mark);
    });
    each(c.deployments, [&](const DeploymentRule& d) {
      text(d.arch);
      each(d.systems, [&](const SystemRule& s) {
        text(s.os);
        each(s.environment_variables, [&](const EnvironmentVariableRule& e) {
          text(e.name);
          optional_text(e.value);
          mark(e.mark);
        });
        each(s.secrets, [&](const SecretRule& e) {
          text(e.name);
          mark(e.mark);
        });
        each(s.pythons, [&](const PythonRule& p) {
          version(p.version);
          optional_text(p.interpreter);
          each(p.modules, [&](const ModuleRule& m) { module(m); });
          mark(p.mark);
        });
        mark(s.mark);
      });
      mark(d.mark);
    });
    flag(c.when_unsure.deny_namespace);
    flag(c.when_unsure.deny_imports);
    flag(c.when_unsure.deny_definitions);
    flag(c.when_unsure.written);
    mark(c.when_unsure.mark);
    each(c.secret_names, [&](const std::string& s) { text(s); });
  }
};

using codec::Malformed;

class Reader : public codec::ByteReader {
public:
  using ByteReader::ByteReader;

  SourceMark mark() {
    SourceMark m;
    m.line = small();
    m.column = small();
    return m;
  }
  std::optional<AnnotationRule> annotation() {
    if (!flag()) return std::nullopt;
    AnnotationRule a;
    a.written = text();
    a.canonical = text();
    return a;
  }
  std::optional<VersionRule> version() {
    if (!flag()) return std::nullopt;
    auto rule = VersionRule::parse(text());
    if (!rule) throw Malformed{};
    return rule;
  }
  FunctionRule function() {
    FunctionRule f;
    f.name = text();
    f.structure_hash = optional_text();
    f.arguments = each<ArgumentRule>([&](ArgumentRule& a) {
      a.name = text();
      if (flag()) a.kind = enumerator(ParameterKind::var_keyword);
      a.default_value = optional_value();
      a.annotation = annotation();
      a.mark = mark();
    });
    f.return_annotation = annotation();
    f.mark = mark();
    f.return_annotation_mark = mark();
    return f;
  }
  ModuleRule module() {
    ModuleRule m;
    m.filename = optional_text();
    m.file_sha256 = optional_text();
    m.version = version();
    m.variables = each<VariableRule>([&](VariableRule& v) {
      v.name = text();
      v.value = optional_value();
      v.annotation = annotation();
      v.mark = mark();
    });
    m.functions = each<FunctionRule>([&](FunctionRule& f) { f = function(); });
    m.classes = each<ClassRule>([&](ClassRule& c) {
      c.name = text();
      c.structure_hash = optional_text();
      c.attributes = each<AttributeRule>([&](AttributeRule& a) {
        a.kind = enumerator(AttributeKind::instance_attribute);
        a.name = text();
        a.value = optional_value();
        a.annotation = annotation();
        a.mark = mark();
      });
      c.methods = each<FunctionRule>([&](FunctionRule& f) { f = function(); });
      c.superclasses = each<SuperclassRule>([&](SuperclassRule& s) {
        s.name = text();
        s.mark = mark();
      });
      c.mark = mark();
    });
    m.mark = mark();
    return m;
  }
  std::vector<ImportPattern> patterns() {
    return each<ImportPattern>([&](ImportPattern& p) {
      p.written = text();
      p.module = text();
      p.submodules_only = flag();
      p.mark = mark();
    });
  }
  std::vector<ModuleExpression> expressions() {
    return each<ModuleExpression>([&](ModuleExpression& e) {
      e.written = text();
      e.components = each<std::string>([&](std::string& part) { part = text(); });
      e.mark = mark();
    });
  }
  ArchitectureRules architecture() {
    ArchitectureRules a;
    a.file = text();
    a.root_packages = each<std::string>([&](std::string& s) { s = text(); });
    a.include_external_packages = flag();
    a.exclude_type_checking_imports = flag();
    a.mark = mark();
    a.rules = each<ArchitectureRule>([&](ArchitectureRule& r) {
      r.id = text();
      r.name = text();
      r.type = enumerator(ArchitectureRuleType::private_modules);
      r.ignore_imports = each<ImportExpression>([&](ImportExpression& e) {
        e.written = text();
        std::vector<ModuleExpression> sides = expressions();
        if (sides.size() != 2) throw Malformed{};
        e.importer = std::move(sides[0]);
        e.imported = std::move(sides[1]);
        e.mark = mark();
      });
      r.unmatched_ignore_imports_alerting = enumerator(UnmatchedIgnoreAlerting::none);
      r.broken_contract_guidance = optional_text();
      r.counted.lazy = flag();
      r.counted.type_checking = flag();
      r.counted.main_guard = flag();
      r.mark = mark();
      r.forbidden.source_modules = expressions();
      r.forbidden.forbidden_modules = expressions();
      r.forbidden.allow_indirect_imports = flag();
      r.forbidden.as_packages = flag();
      r.layers.layers = each<Layer>([&](Layer& l) {
        l.modules = each<LayerModule>([&](LayerModule& m) {
          m.name = text();
          m.optional = flag();
          m.mark = mark();
        });
        l.independent = flag();
        l.mark = mark();
      });
      r.layers.containers = expressions();
      r.layers.exhaustive = flag();
      r.layers.exhaustive_ignores = each<std::string>([&](std::string& s) { s = text(); });
      r.layers.exhaustive_mark = mark();
      r.independence.modules = expressions();
      r.acyclic_siblings.ancestors = expressions();
      r.acyclic_siblings.depth = small();
      r.acyclic_siblings.skip_descendants = expressions();
      r.protected_modules.protected_modules = expressions();
      r.protected_modules.allowed_importers = expressions();
      r.protected_modules.as_packages = flag();
      r.private_modules.packages_with_private_modules = expressions();
    });
    return a;
  }
  Contract contract() {
    if (text() != kEncoding) throw Malformed{};
    Contract c;
    c.schema_version = small();
    c.module = module();
    if (flag()) {
      ImportRules& imports = c.imports.emplace();
      imports.allowed = patterns();
      imports.has_allowed = flag();
      imports.forbidden = patterns();
      imports.type_checking = flag();
      imports.no_cycles = flag();
      imports.mark = mark();
      imports.no_cycles_mark = mark();
    }
    if (flag()) c.architecture_rules = architecture();
    c.required_contracts = each<RequiredContract>([&](RequiredContract& r) {
      r.module = text();
      r.contract = text();
      r.mark = mark();
    });
    c.deployments = each<DeploymentRule>([&](DeploymentRule& d) {
      d.arch = text();
      d.systems = each<SystemRule>([&](SystemRule& s) {
        s.os = text();
        s.environment_variables = each<EnvironmentVariableRule>([&](EnvironmentVariableRule& e) {
          e.name = text();
          e.value = optional_text();
          e.mark = mark();
        });
        s.secrets = each<SecretRule>([&](SecretRule& e) {
          e.name = text();
          e.mark = mark();
        });
        s.pythons = each<PythonRule>([&](PythonRule& p) {
          p.version = version();
          p.interpreter = optional_text();
          p.modules = each<ModuleRule>([&](ModuleRule& m) { m = module(); });
          p.mark = mark();
        });
        s.mark = mark();
      });
      d.mark = mark();
    });
    c.when_unsure.deny_namespace = flag();
    c.when_unsure.deny_imports = flag();
    c.when_unsure.deny_definitions = flag();
    c.when_unsure.written = flag();
    c.when_unsure.mark = mark();
    c.secret_names = each<std::string>([&](std::string& s) { s = text(); });
    expect_end();
    return c;
  }
};

}  // namespace

std::string encode_contract(const Contract& contract) {
  Writer writer;
  writer.contract(contract);
  return writer.take();
}

std::shared_ptr<const Contract> decode_contract(std::string_view bytes, std::string source) {
  try {
    Contract contract = Reader(bytes).contract();
    contract.source = std::move(source);
    return std::make_shared<const Contract>(std::move(contract));
  } catch (const Malformed&) {
    return nullptr;
  }
}

std::string compiled_contract_key(std::string_view text, const ContractLimits& limits, std::string_view engine_version) {
  const std::string max_bytes = std::to_string(limits.max_bytes), max_depth = std::to_string(limits.max_depth), max_nodes = std::to_string(limits.max_nodes);
  return blake2b_hex(codec::key_material({kEncoding, engine_version, max_bytes, max_depth, max_nodes}, text));
}

}  // namespace importspy
