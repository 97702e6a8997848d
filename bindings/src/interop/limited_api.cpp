#include "interop/limited_api.hpp"

namespace importspy::bindings {

namespace limited {
Types& types() {
  static Types loaded;  // filled by init_limited_api() before any other code of the module runs
  return loaded;
}
}  // namespace limited

void init_limited_api() {
#ifdef Py_LIMITED_API
  namespace nb = nanobind;
  // Kept for the life of the process (types and modules outlive every use; never released at exit).
  limited::Types& t = limited::types();
  nb::module_ types = nb::module_::import_("types");
  nb::module_ builtins = nb::module_::import_("builtins");
  t.function = reinterpret_cast<PyTypeObject*>(nb::object(types.attr("FunctionType")).release().ptr());
  t.code = reinterpret_cast<PyTypeObject*>(nb::object(types.attr("CodeType")).release().ptr());
  t.static_method = reinterpret_cast<PyTypeObject*>(nb::object(builtins.attr("staticmethod")).release().ptr());
  t.class_method = reinterpret_cast<PyTypeObject*>(nb::object(builtins.attr("classmethod")).release().ptr());
  t.compile = nb::object(builtins.attr("compile")).release().ptr();
  t.marshal = nb::module_::import_("marshal").release().ptr();
#endif
}

}  // namespace importspy::bindings
