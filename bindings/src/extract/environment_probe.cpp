#include "extract/environment_probe.hpp"
#include "interop/gil_once.hpp"
#include <nanobind/stl/string.h>

#include <nanobind/nanobind.h>

#include <cstdlib>

#include "interop/python_values.hpp"

#ifndef _WIN32
#include <sys/utsname.h>
#endif

namespace importspy::bindings {
namespace {

namespace nb = nanobind;

std::string machine_architecture() {
#ifdef _WIN32
  // A 32-bit process on 64-bit Windows sees PROCESSOR_ARCHITEW6432 as the machine's architecture.
  for (const char* name : {"PROCESSOR_ARCHITEW6432", "PROCESSOR_ARCHITECTURE"}) {
    if (const char* value = std::getenv(name); value && *value) return value;
  }
  return "unknown";
#else
  struct utsname info {};
  if (uname(&info) != 0) return "unknown";
  return info.machine;
#endif
}

std::string python_version() {
  nb::object info = nb::module_::import_("sys").attr("version_info");
  std::string version = std::to_string(nb::cast<int>(info.attr("major"))) + "." + std::to_string(nb::cast<int>(info.attr("minor"))) + "." +
                        std::to_string(nb::cast<int>(info.attr("micro")));
  const std::string level = nb::cast<std::string>(info.attr("releaselevel"));
  const int serial = nb::cast<int>(info.attr("serial"));
  if (level == "alpha") version += "a" + std::to_string(serial);
  else if (level == "beta") version += "b" + std::to_string(serial);
  else if (level == "candidate") version += "rc" + std::to_string(serial);
  return version;
}

// What cannot change while the process runs, read once.
struct Platform {
  std::string arch, os, python_version, interpreter;
};

const Platform& platform() {
  static GilSafeOnce<Platform> once;  // it calls Python, which may switch threads (gil_once.hpp)
  return once.get([] {
    nb::module_ sys = nb::module_::import_("sys");
    return Platform{machine_architecture(), nb::cast<std::string>(sys.attr("platform")), python_version(),
                    nb::cast<std::string>(sys.attr("implementation").attr("name"))};
  });
}

}  // namespace

EnvironmentFacts probe_environment(const std::vector<std::string>& variable_names) {
  const Platform& p = platform();
  EnvironmentFacts facts;
  facts.arch = p.arch;
  facts.os = p.os;
  facts.python_version = p.python_version;
  facts.interpreter = p.interpreter;
  if (!variable_names.empty()) {
    // os.environ is created once at startup; os.putenv/unsetenv keep it and the C environment in step.
    static GilSafeOnce<PyObject*> once;  // an import may switch threads (gil_once.hpp)
    PyObject* const environ = once.get([] { return nb::object(nb::module_::import_("os").attr("environ")).release().ptr(); });
    for (const auto& name : variable_names) {
      PyObject* value = PyObject_CallMethod(environ, "get", "s", name.c_str());
      if (!value) throw nb::python_error();
      if (PyUnicode_Check(value)) facts.variables.emplace(name, utf8(nb::handle(value)));
      Py_DECREF(value);
    }
  }
  return facts;
}

}  // namespace importspy::bindings
