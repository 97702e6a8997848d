// importspy._engine: the C++ engine as the Python package sees it.

#include <cstdio>

#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "cli/cli.hpp"
#include "cli/editor.hpp"
#include "cli/policy05.hpp"
#include "cli/project_check.hpp"
#include "importing/embedded.hpp"
#include "extract/dependencies.hpp"
#include "extract/environment_probe.hpp"
#include "interop/errors.hpp"
#include "interop/handles.hpp"
#include "interop/limited_api.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/generate/contract_writer.hpp"
#include "importspy/facts/json.hpp"
#include "importspy/render/report.hpp"
#include "importspy/report/violation_codes.hpp"
#include "importing/import_hook.hpp"
#include "extract/source_bytes.hpp"
#include "extract/source_facts_cache.hpp"
#include "extract/static_extractor.hpp"
#include "extract/targets.hpp"

namespace nb = nanobind;
using namespace importspy;
using namespace importspy::bindings;

namespace {

nb::dict violation_dict(const Violation& v) {
  nb::dict d;
  d["code"] = v.code;
  d["category"] = std::string(to_string(v.category));
  d["context"] = std::string(to_string(v.context));
  d["path"] = v.path;
  d["expected"] = v.expected;
  d["actual"] = v.actual;
  d["message"] = v.message;
  d["hint"] = v.hint;
  return d;
}

std::string violation_repr(const Violation& v) { return "<Violation " + v.code + " at " + v.path + ">"; }

}  // namespace

NB_MODULE(_engine, m) {
  m.doc() = "The ImportSpy engine (C++). Use the `importspy` package, not this module.";
  m.attr("__version__") = IMPORTSPY_VERSION;
  init_limited_api();
  register_exceptions(m);
  register_import_hook(m);

  nb::class_<Violation>(m, "Violation", "One broken rule. Its fields are those of the JSON report.")
      .def_ro("code", &Violation::code, "Stable identifier, e.g. 'argument-missing'.")
      .def_prop_ro("category", [](const Violation& v) { return std::string(to_string(v.category)); }, "'missing', 'mismatch' or 'invalid'.")
      .def_prop_ro("context", [](const Violation& v) { return std::string(to_string(v.context)); }, "'runtime', 'environment', 'module' or 'class'.")
      .def_ro("path", &Violation::path, "Where in the contract, e.g. 'classes.Extension.methods.run'.")
      .def_ro("expected", &Violation::expected, "What the contract requires, as text, or None.")
      .def_ro("actual", &Violation::actual, "What was found, as text, or None when nothing was found.")
      .def_ro("message", &Violation::message, "One line for people.")
      .def_ro("hint", &Violation::hint, "How to fix it.")
      .def_prop_ro("contract_line", [](const Violation& v) { return v.contract_mark.line; }, "Line of the rule in the contract (0: unknown).")
      .def_ro("source_line", &Violation::source_line, "Line of the offending definition in the module (0: none).")
      .def("to_dict", &violation_dict, "The violation as in the JSON report.")
      .def("__repr__", &violation_repr);

  nb::class_<Report>(m, "Report", "Every violation found by one check.")
      .def_prop_ro("ok", &Report::ok, "True when nothing is violated.")
      .def_ro("violations", &Report::violations, "The violations, in contract order.")
      .def_ro("contract", &Report::contract_source, "The contract the module was checked against.")
      .def_ro("module_file", &Report::module_filename, "The checked module's file.")
      .def("__bool__", &Report::ok)
      .def("__len__", [](const Report& r) { return r.violations.size(); })
      .def(
          "to_text", [](const Report& r, bool color, bool hints) { return render_text(r, {color, hints}); }, nb::arg("color") = false,
          nb::arg("hints") = true, "The human report: grouped by context, one violation per line, a summary.")
      .def("to_json", [](const Report& r) { return render_json(r); }, "The public JSON report.")
      .def("__repr__", [](const Report& r) {
        return r.ok() ? std::string("<Report ok>") : "<Report " + std::to_string(r.violations.size()) + " violation(s)>";
      });

  nb::class_<ContractHandle>(m, "Contract", "A compiled contract. Load with importspy.load_contract().")
      .def_prop_ro("source", [](const ContractHandle& c) { return c.contract->source; })
      .def_prop_ro("schema_version", [](const ContractHandle& c) { return c.contract->schema_version; })
      .def("__repr__", [](const ContractHandle& c) { return "<Contract " + c.contract->source + ">"; });

  m.def(
      "admission_decision",
      [](const std::string& subject, const std::optional<std::string>& policy, const std::optional<std::string>& project_root,
         const std::vector<std::string>& providers, bool allow_network) {
        AdmissionResult result = admit_for_api(subject, policy, project_root, providers, allow_network);
        nb::object bytes = result.admitted_bytes ? nb::object(nb::bytes(result.admitted_bytes->data(), result.admitted_bytes->size())) : nb::none();
        return nb::make_tuple(nb::str(result.document.c_str(), result.document.size()), bytes);
      },
      nb::arg("subject"), nb::arg("policy") = nb::none(), nb::arg("project_root") = nb::none(), nb::arg("providers") = std::vector<std::string>{},
      nb::arg("allow_network") = false,
      "An ImportSpy 0.5 admission decision (JSON text) and, when admitted, the subject's bytes exactly as checked.");
  m.def(
      "record_evidence", [](const std::string& distribution) { return nb::module_::import_("json").attr("loads")(record_evidence_json(distribution)); },
      nb::arg("distribution"),
      "The `record` evidence provider's check: the installed distribution's files against the sha256 its RECORD lists, as evidence fields.");
  m.def(
      "load_contract", [](nb::handle path) { return ContractHandle{contract_from(path)}; }, nb::arg("path"),
      "Compile a contract file (served from a cache while the file is unchanged). Raises ContractError.");
  m.def(
      "parse_contract",
      [](nb::str text, const std::string& source) {
        Py_ssize_t size = 0;
        if (const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size)) {
          return ContractHandle{parse_contract(std::string_view(data, static_cast<std::size_t>(size)), source)};
        }
        // Text with a lone surrogate (from surrogateescape or "\ud800") has no UTF-8 form: a contract error
        // at its place, as undecodable bytes in a contract file are.
        PyErr_Clear();
        Py_ssize_t at = 0;
        const Py_ssize_t length = PyUnicode_GET_LENGTH(text.ptr());
        while (at < length && !Py_UNICODE_IS_SURROGATE(PyUnicode_READ_CHAR(text.ptr(), at))) ++at;
        int line = 1, column = 1;
        for (Py_ssize_t i = 0; i < at; ++i) {
          if (PyUnicode_READ_CHAR(text.ptr(), i) == '\n') {
            ++line;
            column = 1;
          } else {
            ++column;
          }
        }
        char code_point[16];
        std::snprintf(code_point, sizeof code_point, "U+%04X", at < length ? static_cast<unsigned>(PyUnicode_READ_CHAR(text.ptr(), at)) : 0u);
        throw ContractError(ContractErrorKind::not_utf8, source, line, column,
                            std::string("the contract text holds a lone surrogate (") + code_point + "), which is not a Unicode character",
                            "contract text must be valid Unicode: decode the file as UTF-8 without errors=\"surrogateescape\"");
      },
      nb::arg("text"), nb::arg("source") = "<string>", "Compile contract text. Raises ContractError.");

  m.def(
      "check",
      [](nb::handle target, nb::handle contract, const std::string& mode, const std::string& parser) {
        std::shared_ptr<const Contract> compiled = contract_from(contract);
        ModuleFacts facts = facts_for_target(target, parse_mode(mode), {needs_hashes(*compiled), parse_source_parser(parser)});
        EnvironmentFacts environment = probe_environment(referenced_environment_names(*compiled));
        const auto context = import_context(*compiled);
        nb::gil_scoped_release released;
        return check_module(*compiled, environment, facts, context);
      },
      nb::arg("target"), nb::arg("contract"), nb::arg("mode") = "static", nb::arg("parser") = "reader",
      "Check a module (object, .py path or dotted name) against a contract; returns a Report.");

  m.def(
      "validate_importer", [](nb::handle filepath, nb::handle info_module) { return validate_importer(filepath, info_module); },
      nb::arg("filepath"), nb::arg("info_module") = nb::none(),
      nb::sig("def validate_importer(filepath: str | os.PathLike[str], info_module: types.ModuleType | None = None) -> types.ModuleType"),
      "Embedded mode; see importspy.Spy.");

  m.def(
      "facts_json",
      [](nb::handle target, const std::string& mode, const std::string& parser) {
        FactsDocument document{facts_for_target(target, parse_mode(mode), {false, parse_source_parser(parser)}), std::nullopt};
        return facts_to_json(document);
      },
      nb::arg("target"), nb::arg("mode") = "static", nb::arg("parser") = "reader", "The extracted facts of a module, as the JSON of docs/facts-format.md.");

  m.def(
      "environment_json",
      [](const std::vector<std::string>& names) {
        FactsDocument document{ModuleFacts{}, probe_environment(names)};
        return facts_to_json(document);
      },
      nb::arg("variable_names") = std::vector<std::string>{}, "The environment facts of this process, as JSON.");

  m.def(
      "generate",
      [](nb::handle target, const std::string& mode, bool with_environment, bool include_private, bool with_hashes, const std::string& parser) {
        const ModuleFacts facts = facts_for_target(target, parse_mode(mode), {with_hashes, parse_source_parser(parser)});
        const EnvironmentFacts environment = probe_environment({});
        GenerateOptions options;
        options.include_private = include_private;
        options.with_hashes = with_hashes;
        if (with_environment) options.environment = &environment;
        return generate_contract(facts, options);
      },
      nb::arg("target"), nb::arg("mode") = "static", nb::arg("with_environment") = false, nb::arg("include_private") = false,
      nb::arg("with_hashes") = false, nb::arg("parser") = "reader", "A contract (YAML text) that the module satisfies.");

  m.def("enable_logging", [](nb::handle level) { enable_logging(level); }, nb::arg("level"));
  m.def(
      "clear_caches",
      [] {
        default_contract_cache().clear();
        clear_static_facts_cache();
        forget_validated_importers();
      },
      "Forget every compiled contract, parsed source and validated importer.");
  m.def(
      "contract_cache_stats",
      [] {
        const ContractCache::Stats stats = default_contract_cache().stats();
        nb::dict out;
        out["hits"] = stats.hits;
        out["rereads"] = stats.rereads;
        out["compiles"] = stats.compiles;
        out["stored"] = stats.stored;
        return out;
      },
      "How this process's contracts were served: from memory (hits, rereads), compiled, or read compiled from the per-user store.");
  m.def(
      "source_facts_stats",
      [] {
        const SourceFactsStats stats = source_facts_stats();
        nb::dict out;
        out["hits"] = stats.hits;
        out["reads"] = stats.reads;
        out["stored"] = stats.stored;
        return out;
      },
      "How this process's source facts were served: from memory (hits), read from the source, or read back from the per-user store.");
  m.def(
      "run_cli",
      [](const std::vector<nb::str>& arguments, bool program) {
        // An argument is bytes to the system (a file name need not be UTF-8): sys.argv holds it decoded
        // with surrogateescape, and os.fsencode gives the bytes back.
        std::vector<std::string> bytes;
        bytes.reserve(arguments.size());
        for (const nb::str& argument : arguments) {
          nb::object encoded = nb::steal(PyUnicode_EncodeFSDefault(argument.ptr()));
          if (!encoded.is_valid()) throw nb::python_error();
          bytes.emplace_back(PyBytes_AS_STRING(encoded.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(encoded.ptr())));
        }
        return run_cli(bytes, program);
      },
      nb::arg("arguments"), nb::arg("program") = false,
      "Run the command line; returns the exit status. `program`: started as `importspy` or `python -m importspy`.");
  m.def(
      "_decode_source",
      [](nb::bytes data, const std::string& filename) {
        const std::string text = decode_python_source(std::string_view(data.c_str(), data.size()), filename);
        return nb::str(text.data(), text.size());
      },
      nb::arg("data"), nb::arg("filename") = "<bytes>",
      "The text of Python source bytes as the engine decodes them (BOM, PEP 263); raises SourceError. For tests.");

  // The batch machinery of `importspy check`, as data: for integrations (the pytest plugin).
  nb::class_<TargetResult>(m, "TargetResult", "One target of a project check: its report, or why it could not be checked.")
      .def_ro("target", &TargetResult::target, "The target as the user sees it: a path relative to the working directory, or a dotted name.")
      .def_ro("file", &TargetResult::file, "The module's source file ('' when not found).")
      .def_ro("contract", &TargetResult::contract, "The contract it was checked against ('' when none applies).")
      .def_ro("cached", &TargetResult::cached, "True when served from the result cache.")
      .def_prop_ro("ok", &TargetResult::ok, "True when the target was checked and nothing is violated.")
      .def_prop_ro(
          "report", [](const TargetResult& r) { return r.report; }, "The Report, or None when the target could not be checked.")
      .def_prop_ro(
          "error",
          [](const TargetResult& r) -> std::optional<nb::dict> {
            if (!r.error) return std::nullopt;
            nb::dict d;
            d["code"] = r.error->code;
            d["kind"] = r.error->code;  // its name before 1.0.0.dev0's JSON took `code`
            d["message"] = r.error->message;
            d["file"] = r.error->file;
            d["line"] = r.error->line;
            d["column"] = r.error->column;
            d["hint"] = r.error->hint;
            return d;
          },
          "Why it could not be checked: {code, message, file, line, column, hint} (and `kind`, the same as `code`), or None.")
      .def("__repr__", [](const TargetResult& r) {
        return "<TargetResult " + r.target + (r.error ? " error " + r.error->code : r.ok() ? std::string(" ok") : std::string(" violations")) + ">";
      });
  m.def(
      "check_project",
      [](const std::vector<std::string>& targets, std::optional<std::string> config, std::optional<std::string> contract,
         std::optional<std::string> mode, bool use_cache, int jobs) {
        ProjectCheckOptions options{targets, std::move(config), std::move(contract), std::move(mode), use_cache, ".importspy_cache", jobs};
        return check_project(options).results;
      },
      nb::arg("targets") = std::vector<std::string>{}, nb::arg("config") = nb::none(), nb::arg("contract") = nb::none(),
      nb::arg("mode") = nb::none(), nb::arg("use_cache") = true, nb::arg("jobs") = 1,
      "Check the project's targets against their contracts as `importspy check` does; returns one TargetResult per target. "
      "Raises ValueError for unusable settings, no target or no contract.");
  // `importspy lsp` (python/importspy/_lsp.py): every answer of the server, as JSON text (cli/editor.hpp).
  m.def("_editor_contract_diagnostics", &editor_contract_diagnostics, nb::arg("text"), nb::arg("path"));
  m.def("_editor_is_contract", &editor_is_contract, nb::arg("path"), nb::arg("text"));
  m.def("_editor_complete", &editor_complete, nb::arg("text"), nb::arg("line"), nb::arg("character"));
  m.def("_editor_hover", &editor_hover, nb::arg("text"), nb::arg("path"), nb::arg("line"), nb::arg("character"));
  m.def("_editor_governing_contract", &editor_governing_contract, nb::arg("path"));
  m.def("_editor_check_module", &editor_check_module, nb::arg("module_text"), nb::arg("module_path"), nb::arg("contract_path"),
        nb::arg("contract_text") = nb::none());
  m.def("_editor_links", &editor_links, nb::arg("contract_text"), nb::arg("module_text"), nb::arg("module_path"));
  m.def("_editor_generate", &editor_generate, nb::arg("module_text"), nb::arg("module_path"));
  m.def("_editor_refresh_pins", &editor_refresh_pins, nb::arg("contract_text"), nb::arg("module_text"), nb::arg("module_path"));

  m.def(
      "violation_codes",
      [] {
        nb::list codes;
        for (const auto& entry : all_violation_codes()) {
          nb::dict d;
          d["code"] = std::string(entry.code);
          d["category"] = std::string(to_string(entry.category));
          d["context"] = std::string(to_string(entry.context));
          d["summary"] = std::string(entry.summary);
          codes.append(d);
        }
        return codes;
      },
      "The public catalogue of violation codes: [{code, category, context, summary}], in documentation order.");
}
