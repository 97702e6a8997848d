#include "interop/python_values.hpp"
#include "interop/limited_api.hpp"

namespace importspy::bindings {
namespace {

constexpr int kMaxDepth = 32;
constexpr Py_ssize_t kMaxItems = 100'000;

Value opaque(nb::handle object) {
  PyTypeObject* type = Py_TYPE(object.ptr());
  const std::string type_name = qualified_name(nb::handle(reinterpret_cast<PyObject*>(type)));
  // Builtin objects have a repr that runs no user code; others are shown by their type only.
  const bool builtin = type_name.find('.') == std::string::npos;  // qualified_name() omits only `builtins.`
  const bool small = !(PyAnySet_Check(object.ptr()) && PySet_Size(object.ptr()) > 1000);
  if (builtin && small) {
    PyObject* repr = PyObject_Repr(object.ptr());
    if (repr) {
      std::string text = utf8(nb::handle(repr));
      Py_DECREF(repr);
      if (text.size() > 200) text = text.substr(0, 197) + "...";
      return Value::opaque(std::move(text), type_name);
    }
    PyErr_Clear();
  }
  return Value::opaque("<" + type_name + " object>", type_name);
}

Value convert(nb::handle object, int depth) {
  PyObject* o = object.ptr();
  if (depth > kMaxDepth) return opaque(object);
  if (o == Py_None) return Value::none();
  if (PyBool_Check(o)) return Value::boolean(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0 && !(v == -1 && PyErr_Occurred())) return Value::integer(v);
    PyErr_Clear();
    PyObject* text = PyObject_Str(o);  // int.__str__ of an int subclass may be overridden: use the base's
    if (PyLong_CheckExact(o) && text) {
      std::string digits = utf8(nb::handle(text));
      Py_DECREF(text);
      return Value::big_integer(std::move(digits));
    }
    Py_XDECREF(text);
    PyErr_Clear();
    return opaque(object);
  }
  if (PyFloat_Check(o)) return Value::floating(PyFloat_AsDouble(o));
  if (PyUnicode_Check(o)) return Value::string(utf8(object));
  if (PyList_Check(o) || PyTuple_Check(o)) {
    const bool list = PyList_Check(o);
    const Py_ssize_t n = list ? PyList_GET_SIZE(o) : PyTuple_GET_SIZE(o);
    if (n > kMaxItems) return opaque(object);
    std::vector<Value> items;
    items.reserve(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) items.push_back(convert(nb::handle(list ? PyList_GET_ITEM(o, i) : PyTuple_GET_ITEM(o, i)), depth + 1));
    return Value::list(std::move(items));
  }
  if (PyDict_Check(o)) {
    if (PyDict_Size(o) > kMaxItems) return opaque(object);
    std::vector<Value::Entry> entries;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(o, &pos, &key, &value)) entries.emplace_back(convert(nb::handle(key), depth + 1), convert(nb::handle(value), depth + 1));
    return Value::mapping(std::move(entries));
  }
  return opaque(object);
}

bool is_none_type(PyObject* o) { return o == Py_None || o == reinterpret_cast<PyObject*>(Py_TYPE(Py_None)); }

std::string join_annotations(nb::handle args, std::string_view separator, int depth);

std::string annotation_text_at(nb::handle annotation, int depth) {
  PyObject* a = annotation.ptr();
  if (depth > kMaxDepth) return "...";
  if (PyUnicode_Check(a)) return utf8(annotation);
  if (is_none_type(a)) return "None";
  if (a == Py_Ellipsis) return "...";
  if (PyList_Check(a)) return "[" + join_annotations(annotation, ", ", depth + 1) + "]";
  // A plain class, by far the most common annotation: no typing attributes to probe.
  if (PyType_Check(a) && !find_attribute(annotation, "__origin__").is_valid()) return qualified_name(annotation);
  // typing.ForwardRef('X')
  if (nb::object arg = find_attribute(annotation, "__forward_arg__"); arg.is_valid() && PyUnicode_Check(arg.ptr())) return utf8(arg);
  nb::object origin = find_attribute(annotation, "__origin__");
  nb::object args = find_attribute(annotation, "__args__");
  if (!origin.is_valid()) origin = nb::none();
  if (!args.is_valid()) args = nb::none();
  const bool has_args = PyTuple_Check(args.ptr());
  // `int | None` (types.UnionType) has __args__ and no __origin__ before 3.14.
  if (has_args && origin.is_none() && type_name_text(Py_TYPE(a)).find("Union") != std::string::npos) {
    return join_annotations(args, " | ", depth + 1);
  }
  if (has_args && !origin.is_none()) {
    std::string base = annotation_text_at(origin, depth + 1);
    if (base == "typing.Union" || base == "Union") return join_annotations(args, " | ", depth + 1);
    if (base == "typing.Literal" || base == "Literal") {
      std::string out = "Literal[";
      for (size_t i = 0; i < nb::len(args); ++i) {
        if (i) out += ", ";
        out += value_from_python(args[i]).repr();
      }
      return out + "]";
    }
    // Callable[[int, str], bool] keeps its parameter list: typing flattens it into __args__.
    if (base == "collections.abc.Callable" || base == "typing.Callable" || base == "Callable") {
      const size_t n = nb::len(args);
      if (n >= 1) {
        nb::handle first = args[0];
        std::string params;
        if (n == 2 && first.ptr() == Py_Ellipsis) {
          params = "...";
        } else {
          params = "[";
          for (size_t i = 0; i + 1 < n; ++i) {
            if (i) params += ", ";
            params += annotation_text_at(args[i], depth + 1);
          }
          params += "]";
        }
        return "Callable[" + params + ", " + annotation_text_at(args[n - 1], depth + 1) + "]";
      }
    }
    if (nb::len(args) == 0) return base + "[()]";
    return base + "[" + join_annotations(args, ", ", depth + 1) + "]";
  }
  if (PyType_Check(a)) return qualified_name(annotation);
  // TypeVar, ParamSpec: their name.
  if (const std::string type = type_name_text(Py_TYPE(a)); type == "TypeVar" || type == "ParamSpec") {
    nb::object name = nb::getattr(annotation, "__name__", nb::none());
    if (PyUnicode_Check(name.ptr())) return utf8(name);
  }
  // typing.Any and other special forms: their repr (`typing.Any`), which the engine normalises.
  PyObject* repr = PyObject_Repr(a);
  if (!repr) {
    PyErr_Clear();
    return "<annotation>";
  }
  std::string text = utf8(nb::handle(repr));
  Py_DECREF(repr);
  return text;
}

std::string join_annotations(nb::handle args, std::string_view separator, int depth) {
  std::string out;
  const size_t n = nb::len(args);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += separator;
    out += annotation_text_at(args[i], depth);
  }
  return out;
}


}  // namespace

nb::object method_resolution_order(nb::handle type) {
#if defined(Py_LIMITED_API)
  nb::object mro = nb::steal(limited::type_slot_attribute(type.ptr(), limited::types().type_mro));
#else
  nb::object mro = nb::borrow(reinterpret_cast<PyTypeObject*>(type.ptr())->tp_mro);
#endif
  return mro.is_valid() && PyTuple_Check(mro.ptr()) ? mro : nb::object();
}

nb::object own_namespace_mapping(nb::handle type) {
#if defined(Py_LIMITED_API)
  // type.__dict__ is a read-only proxy of the namespace.
  nb::object proxy = nb::steal(limited::type_slot_attribute(type.ptr(), limited::types().type_dict));
  if (!proxy.is_valid()) PyErr_Clear();
  return proxy;
#elif PY_VERSION_HEX >= 0x030C0000
  return nb::steal(PyType_GetDict(reinterpret_cast<PyTypeObject*>(type.ptr())));
#else
  return nb::borrow(reinterpret_cast<PyTypeObject*>(type.ptr())->tp_dict);
#endif
}

nb::object own_namespace(nb::handle type) {
  nb::object mapping = own_namespace_mapping(type);
  if (!mapping.is_valid() || PyDict_Check(mapping.ptr())) return mapping;
  // The stable ABI's read-only proxy: its mapping is the dict itself, which only a copy gives as a dict.
  nb::object copy = nb::steal(PyObject_CallMethod(mapping.ptr(), "copy", nullptr));
  if (!copy.is_valid()) PyErr_Clear();
  return copy;
}

nb::object find_attribute(nb::handle object, const char* name) {
#if PY_VERSION_HEX >= 0x030D0000 && !defined(Py_LIMITED_API)
  PyObject* found = nullptr;
  if (PyObject_GetOptionalAttrString(object.ptr(), name, &found) < 0) PyErr_Clear();
  return nb::steal(found);
#else
  // Types, modules and functions keep their attributes in dictionaries we can read without raising.
  if (PyType_Check(object.ptr())) {
    const nb::object mro_object = method_resolution_order(object);
    PyObject* mro = mro_object.is_valid() ? mro_object.ptr() : nullptr;
    for (Py_ssize_t i = 0, n = mro ? PyTuple_GET_SIZE(mro) : 0; i < n; ++i) {
      nb::object base_dict = own_namespace(nb::handle(PyTuple_GET_ITEM(mro, i)));
      if (base_dict.is_valid() && PyDict_GetItemString(base_dict.ptr(), name)) {
        return nb::steal(PyObject_GetAttrString(object.ptr(), name));  // present: a normal lookup cannot miss
      }
    }
    // Metaclass attributes (`__name__`, `__qualname__`, `__module__`, `__mro__`) live on the type object.
  } else if (PyFunction_Check(object.ptr())) {
    nb::object function_dict = nb::steal(PyObject_GenericGetDict(object.ptr(), nullptr));
    if (function_dict.is_valid() && PyDict_GetItemString(function_dict.ptr(), name)) return nb::steal(PyObject_GetAttrString(object.ptr(), name));
    PyErr_Clear();
  } else if (PyModule_Check(object.ptr())) {
    if (PyObject* dict = PyModule_GetDict(object.ptr())) {
      PyObject* found = PyDict_GetItemString(dict, name);
      return found ? nb::borrow(found) : nb::object();
    }
  }
  PyObject* found = PyObject_GetAttrString(object.ptr(), name);
  if (!found) PyErr_Clear();
  return nb::steal(found);
#endif
}

std::string utf8(nb::handle str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str.ptr(), &size);
  if (data) return std::string(data, static_cast<size_t>(size));
  PyErr_Clear();
  PyObject* bytes = PyUnicode_AsEncodedString(str.ptr(), "utf-8", "replace");
  if (!bytes) {
    PyErr_Clear();
    return {};
  }
  std::string out(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  return out;
}

nb::str python_text(std::string_view text) {
  PyObject* decoded = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "backslashreplace");
  if (!decoded) throw nb::python_error();
  return nb::steal<nb::str>(decoded);
}

nb::str python_path(std::string_view path) {
  PyObject* decoded = PyUnicode_DecodeFSDefaultAndSize(path.data(), static_cast<Py_ssize_t>(path.size()));
  if (!decoded) throw nb::python_error();
  return nb::steal<nb::str>(decoded);
}

std::string qualified_name(nb::handle object) {
  nb::object qualname = nb::getattr(object, "__qualname__", nb::none());
  if (!PyUnicode_Check(qualname.ptr())) qualname = nb::getattr(object, "__name__", nb::none());
  if (!PyUnicode_Check(qualname.ptr())) return "<unnamed>";
  nb::object module = nb::getattr(object, "__module__", nb::none());
  const std::string name = utf8(qualname);
  if (!PyUnicode_Check(module.ptr())) return name;
  const std::string module_name = utf8(module);
  if (module_name == "builtins") return name;
  return module_name + "." + name;
}

Value value_from_python(nb::handle object) { return convert(object, 0); }

std::string annotation_text(nb::handle annotation) { return annotation_text_at(annotation, 0); }

bool is_annotation_machinery(std::string_view name) {
  return name == "__annotate__" || name == "__annotate_func__" || name == "__annotations_cache__";
}

nb::dict namespace_annotations(nb::handle globals) {
  PyObject* found = PyDict_GetItemString(globals.ptr(), "__annotations__");
  if (found && PyDict_Check(found)) return nb::borrow<nb::dict>(found);
  PyObject* annotate = PyDict_GetItemString(globals.ptr(), "__annotate__");
  if (!annotate || !PyCallable_Check(annotate) || !python_runtime_at_least(3, 14)) return nb::dict();
  try {
    nb::module_ annotationlib = nb::module_::import_("annotationlib");
    nb::object result = annotationlib.attr("call_annotate_function")(nb::handle(annotate), annotationlib.attr("Format").attr("STRING"));
    if (PyDict_Check(result.ptr())) return nb::borrow<nb::dict>(result);
  } catch (const nb::python_error&) {
    // Annotations that cannot even be stringified: none we can use, as annotations_of says.
  }
  return nb::dict();
}

nb::dict annotations_of(nb::handle owner) {
  if (python_runtime_at_least(3, 14)) {
    // Lazily evaluated annotations (PEP 649/749): ask for strings so nothing is evaluated.
    nb::module_ annotationlib = nb::module_::import_("annotationlib");
    nb::object format = annotationlib.attr("Format").attr("STRING");
    try {
      nb::object result = annotationlib.attr("get_annotations")(owner, nb::arg("format") = format);
      if (PyDict_Check(result.ptr())) return nb::borrow<nb::dict>(result);
    } catch (const nb::python_error&) {
      // An object whose annotations cannot even be stringified has none we can use.
    }
    return nb::dict();
  }
  // Read the owner's own namespace: a class without annotations would otherwise show its base's (3.9).
  nb::object namespace_dict;
  if (PyFunction_Check(owner.ptr())) {
    PyObject* annotations = PyFunction_GetAnnotations(owner.ptr());
    return annotations && PyDict_Check(annotations) ? nb::borrow<nb::dict>(annotations) : nb::dict();
  }
  if (PyType_Check(owner.ptr())) namespace_dict = own_namespace(owner);
  if (PyModule_Check(owner.ptr())) namespace_dict = nb::borrow(PyModule_GetDict(owner.ptr()));
  if (namespace_dict.is_valid()) {
    PyObject* found = PyDict_GetItemString(namespace_dict.ptr(), "__annotations__");
    return found && PyDict_Check(found) ? nb::borrow<nb::dict>(found) : nb::dict();
  }
  nb::object own = nb::getattr(owner, "__dict__", nb::none());
  if (!own.is_none()) {
    PyObject* found = PyMapping_Check(own.ptr()) ? PyObject_GetItem(own.ptr(), nb::str("__annotations__").ptr()) : nullptr;
    if (found && PyDict_Check(found)) return nb::steal<nb::dict>(found);
    Py_XDECREF(found);
    PyErr_Clear();
  }
  if (!PyType_Check(owner.ptr()) && !PyModule_Check(owner.ptr())) {
    nb::object direct = nb::getattr(owner, "__annotations__", nb::none());
    if (PyDict_Check(direct.ptr())) return nb::borrow<nb::dict>(direct);
  }
  return nb::dict();
}

}  // namespace importspy::bindings
