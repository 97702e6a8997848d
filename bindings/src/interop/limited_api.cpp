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
  nb::object type_namespace = nb::steal(PyObject_GetAttrString(reinterpret_cast<PyObject*>(&PyType_Type), "__dict__"));
  if (!type_namespace.is_valid()) throw nb::python_error();
  t.type_dict = PyObject_GetItem(type_namespace.ptr(), nb::str("__dict__").ptr());
  t.type_mro = PyObject_GetItem(type_namespace.ptr(), nb::str("__mro__").ptr());
  if (!t.type_dict || !t.type_mro) throw nb::python_error();
#endif
}

#ifdef Py_LIMITED_API
PyObject* limited::type_slot_attribute(PyObject* cls, PyObject* descriptor) {
  auto get = reinterpret_cast<descrgetfunc>(PyType_GetSlot(Py_TYPE(descriptor), Py_tp_descr_get));
  PyObject* value = get ? get(descriptor, cls, reinterpret_cast<PyObject*>(Py_TYPE(cls))) : nullptr;
  if (!value) PyErr_Clear();
  return value;
}
#endif

}  // namespace importspy::bindings
