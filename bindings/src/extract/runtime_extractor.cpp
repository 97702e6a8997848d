#include "extract/runtime_extractor.hpp"

#include <algorithm>

#include "interop/python_values.hpp"

namespace importspy::bindings {
namespace {

bool is_dunder(std::string_view name) { return name.size() > 4 && name.starts_with("__") && name.ends_with("__"); }

std::string module_of(nb::handle object) {
  nb::object module = nb::getattr(object, "__module__", nb::none());
  return PyUnicode_Check(module.ptr()) ? utf8(module) : std::string();
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

ClassFact class_fact(nb::handle cls) {
  ClassFact fact;
  fact.name = utf8(nb::getattr(cls, "__name__"));
#if PY_VERSION_HEX >= 0x030D0000
  fact.line = int_attr(cls, "__firstlineno__");  // the source fills it in on older versions
#endif
  nb::tuple mro = nb::borrow<nb::tuple>(nb::getattr(cls, "__mro__"));
  for (size_t i = 1; i < nb::len(mro); ++i) {
    nb::handle base = mro[i];
    fact.superclasses.push_back({utf8(nb::getattr(base, "__name__")), module_of(base) + "." + utf8(nb::getattr(base, "__qualname__"))});
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
      if (seen(name)) continue;
      PyObject* m = member.ptr();
      if (PyFunction_Check(m)) {
        fact.methods.push_back(function_fact(member, name, CallableKind::method));
      } else if (PyObject_TypeCheck(m, &PyStaticMethod_Type)) {
        fact.methods.push_back(function_fact(nb::getattr(member, "__func__"), name, CallableKind::static_method));
      } else if (PyObject_TypeCheck(m, &PyClassMethod_Type)) {
        fact.methods.push_back(function_fact(nb::getattr(member, "__func__"), name, CallableKind::class_method));
      } else if (PyObject_TypeCheck(m, &PyProperty_Type)) {
        nb::object getter = nb::getattr(member, "fget", nb::none());
        FunctionFact property = PyFunction_Check(getter.ptr()) ? function_fact(getter, name, CallableKind::property) : FunctionFact{};
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
#if PY_VERSION_HEX >= 0x030D0000
    if (own) {
      // Python 3.13+ records the names assigned through self.X in the class's methods.
      nb::object static_attributes = nb::getattr(klass, "__static_attributes__", nb::none());
      if (PyTuple_Check(static_attributes.ptr())) {
        for (nb::handle name_object : static_attributes) {
          const std::string name = utf8(name_object);
          if (!seen(name)) fact.attributes.push_back({name, AttributeKind::instance_attribute, Value::unknown("set on instances"), std::nullopt, 0});
        }
      }
    }
#endif
  }
  // A class attribute without annotation is annotated with its value's type, as ImportSpy does.
  for (auto& attribute : fact.attributes) {
    if (!attribute.annotation && attribute.kind == AttributeKind::class_attribute && !attribute.value.is_unknown()) {
      attribute.annotation = std::string(attribute.value.python_type_name());
    }
  }
  return fact;
}

ModuleFacts extract_from_namespace(nb::handle globals, const std::string& module_name, const std::string& filename, nb::handle owner) {
  ModuleFacts facts;
  facts.name = module_name;
  facts.filename = filename;
  if (!PyDict_Check(globals.ptr())) return facts;
  nb::dict annotations = owner.is_valid() ? annotations_of(owner) : nb::dict();
  if (!owner.is_valid()) {
    PyObject* raw = PyDict_GetItemString(globals.ptr(), "__annotations__");
    if (raw && PyDict_Check(raw)) annotations = nb::borrow<nb::dict>(raw);
  }
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(globals.ptr(), &pos, &key, &value)) {
    if (!PyUnicode_Check(key)) continue;
    const std::string name = utf8(nb::handle(key));
    if (name == "__version__") {
      if (PyUnicode_Check(value)) facts.version = utf8(nb::handle(value));
      continue;
    }
    if (is_dunder(name) || PyModule_Check(value)) continue;
    if (PyFunction_Check(value)) {
      if (module_of(nb::handle(value)) == module_name) facts.functions.push_back(function_fact(nb::handle(value), name, CallableKind::function));
      continue;
    }
    if (PyType_Check(value)) {
      // A class defined here (not imported) under its own name; an alias of it is not a second class.
      if (module_of(nb::handle(value)) == module_name && utf8(nb::getattr(nb::handle(value), "__name__")) == name) {
        facts.classes.push_back(class_fact(nb::handle(value)));
      }
      continue;
    }
    VariableFact variable;
    variable.name = name;
    variable.value = value_from_python(nb::handle(value));
    variable.annotation = annotation_for(annotations, name);
    if (!variable.annotation) variable.annotation = std::string(variable.value.python_type_name());
    facts.variables.push_back(std::move(variable));
  }
  return facts;
}

}  // namespace

ClassFact class_fact_of(nb::handle cls) { return class_fact(cls); }

FunctionFact function_fact(nb::handle function_object, std::string name, CallableKind kind) {
  constexpr int kVarArgs = 0x04, kVarKeywords = 0x08, kCoroutine = 0x80, kIterableCoroutine = 0x100, kAsyncGenerator = 0x200;
  FunctionFact fact;
  fact.name = std::move(name);
  fact.kind = kind;
  nb::handle function = unwrap(function_object);
  nb::object code = nb::getattr(function, "__code__", nb::none());
  if (code.is_none()) return fact;  // a builtin or C function: no signature to read
  const int argcount = int_attr(code, "co_argcount");
  const int posonly = int_attr(code, "co_posonlyargcount");
  const int kwonly = int_attr(code, "co_kwonlyargcount");
  const int flags = int_attr(code, "co_flags");
  fact.line = int_attr(code, "co_firstlineno");
  fact.is_async = (flags & (kCoroutine | kIterableCoroutine | kAsyncGenerator)) != 0;
  nb::tuple names = nb::borrow<nb::tuple>(nb::getattr(code, "co_varnames"));
  nb::object defaults = nb::getattr(function, "__defaults__", nb::none());
  nb::object kwdefaults = nb::getattr(function, "__kwdefaults__", nb::none());
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
  return extract_from_namespace(nb::getattr(module, "__dict__"), PyUnicode_Check(name.ptr()) ? utf8(name) : "",
                                PyUnicode_Check(file.ptr()) ? utf8(file) : "", module);
}

ModuleFacts extract_live_namespace(nb::handle globals, const std::string& module_name, const std::string& filename) {
  return extract_from_namespace(globals, module_name, filename, nb::handle());
}

}  // namespace importspy::bindings
