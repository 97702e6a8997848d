#pragma once
// The CPython C API on both builds of the extension. A version-specific build (one CPython X.Y) uses the
// full API. The stable-ABI build (Py_LIMITED_API = 3.12: one `abi3` wheel for every CPython from 3.12 on)
// sees only the limited API; for it this header supplies what the extension uses and the limited API
// lacks, under the same names and with the same reference semantics, through Python-level attributes and
// modules (slower; docs/platforms.md gives the measured cost). Outside that build it adds nothing but the
// helpers at the end, whose full-API forms are the direct reads they replace.

#include <nanobind/nanobind.h>

#include <string>

namespace importspy::bindings {

// Reads the types and functions the limited API does not export; called once when the module loads
// (single-threaded, so no lazy initialisation can race an import). Does nothing on a full-API build.
void init_limited_api();

namespace limited {
struct Types {
  PyTypeObject* function = nullptr;       // types.FunctionType
  PyTypeObject* code = nullptr;           // types.CodeType
  PyTypeObject* static_method = nullptr;  // staticmethod
  PyTypeObject* class_method = nullptr;   // classmethod
  PyObject* marshal = nullptr;            // the marshal module
  PyObject* compile = nullptr;            // builtins.compile
  PyObject* type_dict = nullptr;          // type.__dict__["__dict__"]: a class's namespace, as `type` reads it
  PyObject* type_mro = nullptr;           // type.__dict__["__mro__"]
};
Types& types();

// A class's `__dict__` or `__mro__` read through `type`'s own descriptor (new reference, null with no error
// set on failure): a metaclass's __getattribute__ or descriptor, user code, is never run.
PyObject* type_slot_attribute(PyObject* cls, PyObject* descriptor);

// `object.name`, borrowed: for attributes `object` stores (a function's __code__, a code object's
// co_filename), so the reference stays valid while `object` lives. Null (no error set) when missing.
inline PyObject* stored_attribute(PyObject* object, const char* name) {
  PyObject* value = PyObject_GetAttrString(object, name);
  if (!value) {
    PyErr_Clear();
    return nullptr;
  }
  Py_DECREF(value);
  return value;
}

// `object.name` as a new reference, None read as null (no error set either way).
inline PyObject* attribute_or_null(PyObject* object, const char* name) {
  PyObject* value = PyObject_GetAttrString(object, name);
  if (!value) PyErr_Clear();
  if (value == Py_None) {
    Py_DECREF(value);
    return nullptr;
  }
  return value;
}

inline int int_attribute(PyObject* object, const char* name) {
  PyObject* value = PyObject_GetAttrString(object, name);
  const long number = value ? PyLong_AsLong(value) : -1;
  Py_XDECREF(value);
  if (PyErr_Occurred()) PyErr_Clear();
  return static_cast<int>(number);
}
}  // namespace limited

// The CPython running the extension, as PY_VERSION_HEX encodes it: the stable-ABI build runs on versions
// newer than the headers it was compiled with.
inline unsigned long python_runtime_version() {
#if PY_VERSION_HEX >= 0x030B0000
  return Py_Version;
#else
  return PY_VERSION_HEX;
#endif
}
inline bool python_runtime_at_least(int major, int minor) {
  return python_runtime_version() >= ((static_cast<unsigned long>(major) << 24) | (static_cast<unsigned long>(minor) << 16));
}
inline int python_runtime_major() { return static_cast<int>((python_runtime_version() >> 24) & 0xFF); }
inline int python_runtime_minor() { return static_cast<int>((python_runtime_version() >> 16) & 0xFF); }
inline int python_runtime_micro() { return static_cast<int>((python_runtime_version() >> 8) & 0xFF); }

// A code object's co_filename and co_name, borrowed (the code object holds them).
inline PyObject* code_filename(PyObject* code) {
#ifdef Py_LIMITED_API
  return limited::stored_attribute(code, "co_filename");
#else
  return reinterpret_cast<PyCodeObject*>(code)->co_filename;
#endif
}
inline PyObject* code_name(PyObject* code) {
#ifdef Py_LIMITED_API
  return limited::stored_attribute(code, "co_name");
#else
  return reinterpret_cast<PyCodeObject*>(code)->co_name;
#endif
}

// A type's name as the full API's tp_name gives it for the types the extension asks about (heap types:
// `__name__`); the stable-ABI build reads `__name__` for every type.
inline std::string type_name_text(PyTypeObject* type) {
#ifdef Py_LIMITED_API
  PyObject* name = PyType_GetName(type);
  Py_ssize_t size = 0;
  const char* text = name ? PyUnicode_AsUTF8AndSize(name, &size) : nullptr;
  std::string out = text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
  Py_XDECREF(name);
  if (!text) PyErr_Clear();
  return out;
#else
  return type->tp_name;
#endif
}

}  // namespace importspy::bindings

#ifdef Py_LIMITED_API
// Object-layout macros of the full API, as the limited API's checked functions (same borrowed results).
#define PyTuple_GET_ITEM(o, i) PyTuple_GetItem((o), (i))
#define PyTuple_GET_SIZE(o) PyTuple_Size(o)
#define PyList_GET_ITEM(o, i) PyList_GetItem((o), (i))
#define PyList_GET_SIZE(o) PyList_Size(o)
#define PyBytes_AS_STRING(o) PyBytes_AsString(o)
#define PyBytes_GET_SIZE(o) PyBytes_Size(o)
#define PyUnicode_GET_LENGTH(o) PyUnicode_GetLength(o)
#define PyUnicode_READ_CHAR(o, i) PyUnicode_ReadChar((o), (i))
#define Py_UNICODE_IS_SURROGATE(ch) (0xD800 <= (ch) && (ch) <= 0xDFFF)
#define PyStaticMethod_Type (*importspy::bindings::limited::types().static_method)
#define PyClassMethod_Type (*importspy::bindings::limited::types().class_method)

inline bool PyFunction_Check(PyObject* o) { return Py_TYPE(o) == importspy::bindings::limited::types().function; }
inline bool PyCode_Check(PyObject* o) { return Py_TYPE(o) == importspy::bindings::limited::types().code; }
// Borrowed, as the full API's: the function stores each of these.
inline PyObject* PyFunction_GetCode(PyObject* f) { return importspy::bindings::limited::stored_attribute(f, "__code__"); }
inline PyObject* PyFunction_GetModule(PyObject* f) { return importspy::bindings::limited::stored_attribute(f, "__module__"); }
// From CPython 3.14 on, reading __annotations__ runs __annotate__ (the annotations' own code): while a
// function still has one, its __annotate__ stands for them (replacing the annotations replaces it).
inline PyObject* PyFunction_GetAnnotations(PyObject* f) {
  if (importspy::bindings::python_runtime_at_least(3, 14)) {
    PyObject* annotate = importspy::bindings::limited::stored_attribute(f, "__annotate__");
    if (annotate && annotate != Py_None) return annotate;
  }
  return importspy::bindings::limited::stored_attribute(f, "__annotations__");
}
inline PyObject* PyFunction_GetDefaults(PyObject* f) {
  PyObject* value = importspy::bindings::limited::stored_attribute(f, "__defaults__");
  return value == Py_None ? nullptr : value;
}
inline PyObject* PyFunction_GetKwDefaults(PyObject* f) {
  PyObject* value = importspy::bindings::limited::stored_attribute(f, "__kwdefaults__");
  return value == Py_None ? nullptr : value;
}
// New references, as the full API's.
inline PyFrameObject* PyFrame_GetBack(PyFrameObject* frame) {
  return reinterpret_cast<PyFrameObject*>(importspy::bindings::limited::attribute_or_null(reinterpret_cast<PyObject*>(frame), "f_back"));
}
inline PyObject* PyFrame_GetGlobals(PyFrameObject* frame) {
  return importspy::bindings::limited::attribute_or_null(reinterpret_cast<PyObject*>(frame), "f_globals");
}
inline int PyFrame_GetLasti(PyFrameObject* frame) {
  return importspy::bindings::limited::int_attribute(reinterpret_cast<PyObject*>(frame), "f_lasti");
}
inline PyObject* PyCode_GetCode(void* code) { return importspy::bindings::limited::attribute_or_null(static_cast<PyObject*>(code), "co_code"); }
inline PyObject* PyCode_GetVarnames(void* code) {
  return importspy::bindings::limited::attribute_or_null(static_cast<PyObject*>(code), "co_varnames");
}
inline PyObject* PyObject_CallOneArg(PyObject* callable, PyObject* argument) {
  return PyObject_CallFunctionObjArgs(callable, argument, nullptr);
}
#endif
