#include "extract/runtime_extractor.hpp"

#include <algorithm>

#include "interop/python_values.hpp"

namespace importspy::bindings {
namespace {

bool is_dunder(std::string_view name) { return name.size() > 4 && name.starts_with("__") && name.ends_with("__"); }

// An interned attribute name, made once: a lookup by it neither allocates nor hashes.
PyObject* interned(const char* text) { return PyUnicode_InternFromString(text); }

std::string module_of(nb::handle object) {
  // Functions and classes carry their module where it can be read without an attribute lookup.
  if (PyFunction_Check(object.ptr())) {
    PyObject* module = PyFunction_GetModule(object.ptr());  // borrowed
    return module && PyUnicode_Check(module) ? utf8(nb::handle(module)) : std::string();
  }
  if (PyType_Check(object.ptr())) {
    // As type.__module__ reads it: the class namespace's `__module__`, else a static type's dotted name.
    static PyObject* const key = interned("__module__");
    nb::object dict = own_namespace(object);
    PyObject* module = dict.is_valid() ? PyDict_GetItemWithError(dict.ptr(), key) : nullptr;  // borrowed
    if (module && PyUnicode_Check(module)) return utf8(nb::handle(module));
    PyErr_Clear();
#ifndef Py_LIMITED_API  // there, type.__module__ below reads the same name from tp_name
    PyTypeObject* type = reinterpret_cast<PyTypeObject*>(object.ptr());
    if (!module && !(type->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
      const std::string_view name(type->tp_name);
      return name.rfind('.') == std::string_view::npos ? "builtins" : std::string(name.substr(0, name.rfind('.')));
    }
#endif
  }
  nb::object module = nb::getattr(object, "__module__", nb::none());
  return PyUnicode_Check(module.ptr()) ? utf8(module) : std::string();
}

// A class's `__name__` and `__qualname__` (heap types keep both on the type object).
std::string type_name(nb::handle cls, bool qualified) {
  if (PyType_Check(cls.ptr()) && (PyType_GetFlags(reinterpret_cast<PyTypeObject*>(cls.ptr())) & Py_TPFLAGS_HEAPTYPE)) {
#ifdef Py_LIMITED_API
    PyTypeObject* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
    nb::object name = nb::steal(qualified ? PyType_GetQualName(type) : PyType_GetName(type));
    if (name.is_valid() && PyUnicode_Check(name.ptr())) return utf8(name);
    PyErr_Clear();
#else
    PyHeapTypeObject* heap = reinterpret_cast<PyHeapTypeObject*>(cls.ptr());
    PyObject* name = qualified ? heap->ht_qualname : heap->ht_name;
    if (name && PyUnicode_Check(name)) return utf8(nb::handle(name));
#endif
  }
  return utf8(nb::getattr(cls, qualified ? "__qualname__" : "__name__"));
}

// Follows functools.wraps chains to the function whose signature callers actually meet.
nb::handle unwrap(nb::handle function) {
  for (int i = 0; i < 16 && PyFunction_Check(function.ptr()); ++i) {
    // functools.wraps stores __wrapped__ in the wrapper's __dict__.
    nb::object dict = nb::steal(PyObject_GenericGetDict(function.ptr(), nullptr));
    PyObject* wrapped = dict.is_valid() ? PyDict_GetItemString(dict.ptr(), "__wrapped__") : nullptr;
    if (!dict.is_valid()) PyErr_Clear();
    if (!wrapped || !PyFunction_Check(wrapped)) break;
    function = nb::handle(wrapped);  // kept alive by the wrapper's __dict__
  }
  return function;
}

std::optional<std::string> annotation_for(const nb::dict& annotations, const std::string& name) {
  PyObject* found = PyDict_GetItemString(annotations.ptr(), name.c_str());
  if (!found) return std::nullopt;
  return annotation_text(nb::handle(found));
}

int int_attr(nb::handle object, const char* name) {
  nb::object value = nb::getattr(object, name, nb::none());
  return PyLong_Check(value.ptr()) ? static_cast<int>(PyLong_AsLong(value.ptr())) : 0;
}

// Lines of code compiled from another file (a wrapper a decorator made elsewhere) say nothing about this
// module's source: 0.
void keep_line_if_compiled_from(FunctionFact& fact, nb::handle function, std::string_view file) {
  if (file.empty() || fact.line == 0) return;
  nb::handle code = PyFunction_Check(function.ptr()) ? nb::handle(PyFunction_GetCode(function.ptr())) : nb::handle();
  PyObject* name = code.is_valid() ? code_filename(code.ptr()) : nullptr;
  Py_ssize_t size = 0;
  const char* text = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &size) : nullptr;
  if (!text) PyErr_Clear();
  if (!text || std::string_view(text, static_cast<std::size_t>(size)) != file) fact.line = 0;
}

FunctionFact member_function(nb::handle function, std::string name, CallableKind kind, std::string_view file) {
  FunctionFact fact = function_fact(function, std::move(name), kind);
  keep_line_if_compiled_from(fact, unwrap(function), file);
  return fact;
}

ClassFact class_fact(nb::handle cls, std::string_view file) {
  ClassFact fact;
  fact.name = type_name(cls, false);
  if (python_runtime_at_least(3, 13)) {
    // The source fills it in on older versions. A class with none was not made by a class statement
    // (`type(...)`, a decorator's product): -1, which no source definition matches.
    fact.line = int_attr(cls, "__firstlineno__");
    if (fact.line == 0) fact.line = -1;
  }
  nb::tuple mro = nb::borrow<nb::tuple>(nb::getattr(cls, "__mro__"));
  for (size_t i = 1; i < nb::len(mro); ++i) {
    nb::handle base = mro[i];
    fact.superclasses.push_back({type_name(base, false), module_of(base) + "." + type_name(base, true)});
  }
  const auto seen = [&](const std::string& n) {
    for (const auto& m : fact.methods) {
      if (m.name == n) return true;
    }
    for (const auto& a : fact.attributes) {
      if (a.name == n) return true;
    }
    return false;
  };
  // Members in method resolution order: what the class itself defines first, then what it inherits,
  // skipping builtins (object's slot wrappers are not part of any contract).
  for (size_t i = 0; i < nb::len(mro); ++i) {
    nb::handle klass = mro[i];
    if (module_of(klass) == "builtins") continue;
    const bool own = i == 0;
    const nb::object namespace_dict = own_namespace(klass);
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (namespace_dict.is_valid() && PyDict_Next(namespace_dict.ptr(), &position, &key, &value)) {
      if (!PyUnicode_Check(key)) continue;
      const std::string name = utf8(nb::handle(key));
      nb::handle member(value);
      if (seen(name) || is_annotation_machinery(name)) continue;
      PyObject* m = member.ptr();
      if (PyFunction_Check(m)) {
        fact.methods.push_back(member_function(member, name, CallableKind::method, file));
      } else if (PyObject_TypeCheck(m, &PyStaticMethod_Type)) {
        fact.methods.push_back(member_function(nb::getattr(member, "__func__"), name, CallableKind::static_method, file));
      } else if (PyObject_TypeCheck(m, &PyClassMethod_Type)) {
        fact.methods.push_back(member_function(nb::getattr(member, "__func__"), name, CallableKind::class_method, file));
      } else if (PyObject_TypeCheck(m, &PyProperty_Type)) {
        nb::object getter = nb::getattr(member, "fget", nb::none());
        FunctionFact property = PyFunction_Check(getter.ptr()) ? member_function(getter, name, CallableKind::property, file) : FunctionFact{};
        property.name = name;
        property.kind = CallableKind::property;
        fact.methods.push_back(std::move(property));
      } else if (!is_dunder(name) && !PyType_Check(m)) {
        AttributeFact attribute;
        attribute.name = name;
        attribute.kind = AttributeKind::class_attribute;
        attribute.value = value_from_python(member);
        fact.attributes.push_back(std::move(attribute));
      }
    }
    // Annotated names: `x: int` without a value declares an instance attribute, `x: ClassVar[int]` a
    // class attribute; annotations of names that have a value annotate that attribute.
    nb::dict annotations = annotations_of(klass);
    for (auto [key, value] : annotations) {
      const std::string name = utf8(key);
      const std::string text = annotation_text(value);
      bool found = false;
      for (auto& attribute : fact.attributes) {
        if (attribute.name == name) {
          if (!attribute.annotation) attribute.annotation = text;
          found = true;
        }
      }
      if (found || !own) continue;
      const bool class_var = text.find("ClassVar") != std::string::npos;
      fact.attributes.push_back({name, class_var ? AttributeKind::class_attribute : AttributeKind::instance_attribute,
                                 Value::unknown("declared without a value"), text, 0});
    }
    if (own && python_runtime_at_least(3, 13)) {
      // Python 3.13+ records the names assigned through self.X in the class's methods.
      nb::object static_attributes = nb::getattr(klass, "__static_attributes__", nb::none());
      if (PyTuple_Check(static_attributes.ptr())) {
        for (nb::handle name_object : static_attributes) {
          const std::string name = utf8(name_object);
          if (!seen(name)) fact.attributes.push_back({name, AttributeKind::instance_attribute, Value::unknown("set on instances"), std::nullopt, 0});
        }
      }
    }
  }
  // A class attribute without annotation is annotated with its value's type, as ImportSpy does.
  for (auto& attribute : fact.attributes) {
    if (!attribute.annotation && attribute.kind == AttributeKind::class_attribute && !attribute.value.is_unknown()) {
      attribute.annotation = std::string(attribute.value.python_type_name());
    }
  }
  return fact;
}

// One module-level name and its value into `facts`.
void add_member(ModuleFacts& facts, const std::string& name, PyObject* value, const nb::dict& annotations) {
  if (name == "__version__") {
    if (PyUnicode_Check(value)) facts.version = utf8(nb::handle(value));
    return;
  }
  if (is_dunder(name) || PyModule_Check(value)) return;
  if (PyFunction_Check(value)) {
    if (module_of(nb::handle(value)) == facts.name) facts.functions.push_back(member_function(nb::handle(value), name, CallableKind::function, facts.filename));
    return;
  }
  if (PyType_Check(value)) {
    // A class defined here (not imported) under its own name; an alias of it is not a second class.
    if (module_of(nb::handle(value)) == facts.name && type_name(nb::handle(value), false) == name) {
      facts.classes.push_back(class_fact(nb::handle(value), facts.filename));
    }
    return;
  }
  VariableFact variable;
  variable.name = name;
  variable.value = value_from_python(nb::handle(value));
  variable.annotation = annotation_for(annotations, name);
  if (!variable.annotation) variable.annotation = std::string(variable.value.python_type_name());
  facts.variables.push_back(std::move(variable));
}

nb::dict annotations_in(nb::handle globals, nb::handle owner) {
  return owner.is_valid() ? annotations_of(owner) : namespace_annotations(globals);
}

ModuleFacts extract_from_namespace(nb::handle globals, const std::string& module_name, const std::string& filename, nb::handle owner) {
  ModuleFacts facts;
  facts.name = module_name;
  facts.filename = filename;
  if (!PyDict_Check(globals.ptr())) return facts;
  const nb::dict annotations = annotations_in(globals, owner);
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(globals.ptr(), &pos, &key, &value)) {
    if (PyUnicode_Check(key)) add_member(facts, utf8(nb::handle(key)), value, annotations);
  }
  return facts;
}

}  // namespace

ClassFact class_fact_of(nb::handle cls) { return class_fact(cls, {}); }

FunctionFact function_fact(nb::handle function_object, std::string name, CallableKind kind) {
  constexpr int kVarArgs = 0x04, kVarKeywords = 0x08, kCoroutine = 0x80, kIterableCoroutine = 0x100, kAsyncGenerator = 0x200;
  FunctionFact fact;
  fact.name = std::move(name);
  fact.kind = kind;
  nb::handle function = unwrap(function_object);
  int argcount = 0, posonly = 0, kwonly = 0, flags = 0;
  nb::tuple names;
  nb::object defaults, kwdefaults;
#ifndef Py_LIMITED_API  // there, the attribute reads below
  if (PyFunction_Check(function.ptr())) {
    // A Python function: its code object's fields and its defaults through the C API, without the
    // attribute lookups the warm path of embedded mode would pay for every function of every importer.
    PyCodeObject* code = reinterpret_cast<PyCodeObject*>(PyFunction_GetCode(function.ptr()));
    argcount = code->co_argcount;
    posonly = code->co_posonlyargcount;
    kwonly = code->co_kwonlyargcount;
    flags = code->co_flags;
    fact.line = code->co_firstlineno;
#if PY_VERSION_HEX >= 0x030B0000
    names = nb::steal<nb::tuple>(PyCode_GetVarnames(code));
#else
    names = nb::borrow<nb::tuple>(code->co_varnames);
#endif
    PyObject* found = PyFunction_GetDefaults(function.ptr());
    defaults = found ? nb::borrow(found) : nb::none();
    found = PyFunction_GetKwDefaults(function.ptr());
    kwdefaults = found ? nb::borrow(found) : nb::none();
  } else
#endif
  {
    nb::object code = nb::getattr(function, "__code__", nb::none());
    if (code.is_none()) return fact;  // a builtin or C function: no signature to read
    argcount = int_attr(code, "co_argcount");
    posonly = int_attr(code, "co_posonlyargcount");
    kwonly = int_attr(code, "co_kwonlyargcount");
    flags = int_attr(code, "co_flags");
    fact.line = int_attr(code, "co_firstlineno");
    names = nb::borrow<nb::tuple>(nb::getattr(code, "co_varnames"));
    defaults = nb::getattr(function, "__defaults__", nb::none());
    kwdefaults = nb::getattr(function, "__kwdefaults__", nb::none());
  }
  fact.is_async = (flags & (kCoroutine | kIterableCoroutine | kAsyncGenerator)) != 0;
  const nb::dict annotations = annotations_of(function);
  const int default_count = PyTuple_Check(defaults.ptr()) ? static_cast<int>(PyTuple_GET_SIZE(defaults.ptr())) : 0;

  const auto add = [&](int index, ParameterKind parameter_kind) {
    ParameterFact parameter;
    parameter.name = utf8(names[static_cast<size_t>(index)]);
    parameter.kind = parameter_kind;
    parameter.annotation = annotation_for(annotations, parameter.name);
    fact.parameters.push_back(std::move(parameter));
  };
  for (int i = 0; i < argcount; ++i) {
    add(i, i < posonly ? ParameterKind::positional_only : ParameterKind::positional_or_keyword);
    const int default_index = i - (argcount - default_count);
    if (default_index >= 0) fact.parameters.back().default_value = value_from_python(nb::handle(PyTuple_GET_ITEM(defaults.ptr(), default_index)));
  }
  int next = argcount + kwonly;  // co_varnames: positional, keyword-only, *args, **kwargs, locals
  if (flags & kVarArgs) add(next++, ParameterKind::var_positional);
  for (int i = argcount; i < argcount + kwonly; ++i) {
    add(i, ParameterKind::keyword_only);
    if (PyDict_Check(kwdefaults.ptr())) {
      PyObject* found = PyDict_GetItemString(kwdefaults.ptr(), fact.parameters.back().name.c_str());
      if (found) fact.parameters.back().default_value = value_from_python(nb::handle(found));
    }
  }
  if (flags & kVarKeywords) add(next, ParameterKind::var_keyword);
  // Keep signature order: *args stands before the keyword-only parameters.
  std::stable_partition(fact.parameters.begin(), fact.parameters.end(), [](const ParameterFact& p) {
    return p.kind == ParameterKind::positional_only || p.kind == ParameterKind::positional_or_keyword || p.kind == ParameterKind::var_positional;
  });
  if (PyObject* returns = PyDict_GetItemString(annotations.ptr(), "return")) fact.return_annotation = annotation_text(nb::handle(returns));
  return fact;
}

ModuleFacts extract_live_module(nb::handle module) {
  nb::object name = nb::getattr(module, "__name__", nb::none());
  nb::object file = nb::getattr(module, "__file__", nb::none());
  return extract_live_object(module, PyUnicode_Check(name.ptr()) ? utf8(name) : "", PyUnicode_Check(file.ptr()) ? utf8(file) : "");
}

ModuleFacts extract_live_object(nb::handle object, const std::string& module_name, const std::string& filename) {
  // An object without a `__dict__` (a replacement put in sys.modules) binds no name a contract can read.
  return extract_from_namespace(nb::getattr(object, "__dict__", nb::none()), module_name, filename, object);
}

ModuleFacts extract_live_namespace(nb::handle globals, const std::string& module_name, const std::string& filename) {
  return extract_from_namespace(globals, module_name, filename, nb::handle());
}

ModuleFacts extract_live_names(nb::handle globals, const std::string& module_name, const std::string& filename, const std::vector<std::string>& names) {
  ModuleFacts facts;
  facts.name = module_name;
  facts.filename = filename;
  if (!PyDict_Check(globals.ptr())) return facts;
  const nb::dict annotations = namespace_annotations(globals);
  for (const auto& name : names) {
    if (PyObject* value = PyDict_GetItemString(globals.ptr(), name.c_str())) add_member(facts, name, value, annotations);
  }
  return facts;
}

}  // namespace importspy::bindings
