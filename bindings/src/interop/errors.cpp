#include "interop/errors.hpp"
#include "interop/python_values.hpp"
#include <nanobind/stl/string.h>

#include "importspy/contract/loader.hpp"
#include "importspy/project/config.hpp"
#include "importspy/render/report.hpp"

namespace importspy::bindings {
namespace {

PyObject* g_contract_error = nullptr;
PyObject* g_contract_violation = nullptr;
PyObject* g_source_error = nullptr;
PyObject* g_contract_import_error = nullptr;

PyObject* new_exception_type(const char* qualified_name, PyObject* bases, const char* doc) {
  PyObject* type = PyErr_NewExceptionWithDoc(qualified_name, doc, bases, nullptr);
  if (!type) throw nb::python_error();
  return type;
}

// Instantiates `type(message)`, sets `attributes` on it, and sets it as the current Python error.
void set_error(PyObject* type, const std::string& message, const nb::dict& attributes) {
  nb::str text = python_text(message);  // a message may quote bytes of a file that are not UTF-8
  nb::object instance = nb::steal(PyObject_CallOneArg(type, text.ptr()));
  if (!instance.is_valid()) return;  // the call set its own error
  for (auto [key, value] : attributes) nb::setattr(instance, key, value);
  PyErr_SetObject(type, instance.ptr());
}

nb::dict contract_error_attributes(const ContractError& e) {
  nb::dict attributes;
  attributes["file"] = python_path(e.file());
  attributes["line"] = e.line();
  attributes["column"] = e.column();
  attributes["hint"] = python_text(e.hint());
  attributes["kind"] = std::string(to_string(e.kind()));
  return attributes;
}

}  // namespace

void register_exceptions(nb::module_& m) {
  nb::object value_error = nb::borrow(PyExc_ValueError);
  nb::object import_error = nb::borrow(PyExc_ImportError);
  g_contract_error = new_exception_type("importspy.ContractError", PyExc_ValueError,
                                        "The contract cannot be loaded. Attributes: file, line, column (1-based; 0 when the "
                                        "whole file is concerned), hint.");
  nb::tuple violation_bases = nb::make_tuple(import_error, value_error);
  g_contract_violation = new_exception_type("importspy.ContractViolation", violation_bases.ptr(),
                                            "A module or its environment breaks its contract. The message is the text report; "
                                            "`report` is the Report and `violations` its list of Violation objects. Catchable as "
                                            "ImportError (plugin hosts) and as ValueError (ImportSpy 0.x compatibility).");
  g_source_error = new_exception_type("importspy.SourceError", violation_bases.ptr(),
                                      "A module's source cannot be used (unreadable, not valid in its encoding, too large, a "
                                      "syntax error, or an exception raised while importing it). Attributes: file, line, column. "
                                      "An ImportError (the import hook raises it for a matched module it cannot read, and plugin "
                                      "hosts catch ImportError) and a ValueError (compatibility).");
  nb::tuple import_contract_bases = nb::make_tuple(nb::handle(g_contract_error), import_error);
  g_contract_import_error = new_exception_type("importspy.ContractImportError", import_contract_bases.ptr(),
                                               "The import hook refuses a module because the contract of its rule cannot be loaded "
                                               "(missing, unreadable or not valid). A ContractError (file, line, column, hint, kind) "
                                               "and an ImportError (name: the module refused), so `except ImportError` around a "
                                               "plugin import catches it as it catches a ContractViolation.");
  m.attr("ContractError") = nb::handle(g_contract_error);
  m.attr("ContractImportError") = nb::handle(g_contract_import_error);
  m.attr("ContractViolation") = nb::handle(g_contract_violation);
  m.attr("SourceError") = nb::handle(g_source_error);

  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    if (!set_python_error(p)) std::rethrow_exception(p);
  });
}

bool set_python_error(const std::exception_ptr& p) {
  {
    try {
      std::rethrow_exception(p);
    } catch (const ContractError& e) {
      set_error(g_contract_error, e.what(), contract_error_attributes(e));
    } catch (const ConfigError& e) {
      PyErr_SetObject(PyExc_ValueError, python_text(e.what()).ptr());  // settings or policy file: `file:line:column: message`
    } catch (const SourceError& e) {
      nb::dict attributes;
      attributes["file"] = python_path(e.file());
      attributes["line"] = e.line();
      attributes["column"] = e.column();
      std::string message = e.file();
      if (e.line() > 0) message += ":" + std::to_string(e.line()) + ":" + std::to_string(e.column());
      set_error(g_source_error, message + ": " + e.what(), attributes);
    } catch (...) {
      return false;
    }
  }
  return true;
}

void raise_contract_violation(const Report& report) {
  nb::dict attributes;
  nb::object py_report = nb::cast(report);
  attributes["report"] = py_report;
  attributes["violations"] = py_report.attr("violations");
  set_error(g_contract_violation, render_text(report, {false, true}), attributes);
  throw nb::python_error();
}

void raise_contract_import_error(const ContractError& error, const std::string& module) {
  nb::dict attributes = contract_error_attributes(error);
  attributes["name"] = module;
  set_error(g_contract_import_error, error.what(), attributes);
  throw nb::python_error();
}

}  // namespace importspy::bindings
