#pragma once
// Python objects → engine values and annotation text.

#include <nanobind/nanobind.h>

#include "interop/limited_api.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "importspy/lang/value.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// A literal (None, bool, int, float, str, and lists/tuples/dicts of them) becomes the matching Value; any
// other object becomes Value::opaque. Never calls user code: the repr of a non-builtin object is
// `<module.Type object>`, not its __repr__.
Value value_from_python(nb::handle object);

// The text of an annotation object as a reader of the source would write it: strings as they are (never
// evaluated), classes by their qualified name, typing constructs rebuilt (`Optional[Extension]`,
// `list[int]`, `int | None`, `Callable[[int], str]`).
std::string annotation_text(nb::handle annotation);

// The annotations dictionary of a module, class or function, with every annotation as a string where
// Python can give it without evaluating (3.14's lazily evaluated annotations: annotationlib's STRING
// format); an empty dict when there are none. A class's own annotations only, never a base's.
nb::dict annotations_of(nb::handle owner);

// The annotations a namespace dictionary holds while its module runs: its `__annotations__` dict, or on
// Python 3.14+ (PEP 649/749), where the compiler stores an `__annotate__` function instead, that
// function's STRING form, so nothing is evaluated; an empty dict when there are none.
nb::dict namespace_annotations(nb::handle globals);

// Members the compiler adds to a class that has annotations (3.14+: `__annotate_func__`,
// `__annotations_cache__`; `__annotate__` in the class body): machinery, no member anyone wrote.
bool is_annotation_machinery(std::string_view name);

// "module.Qualname" for a class or function, or "Qualname" for builtins.
std::string qualified_name(nb::handle object);

// `object.name` when it exists, else an invalid handle; never raises and, for the objects the extractors
// meet (types, functions, modules), never builds an AttributeError only to discard it.
nb::object find_attribute(nb::handle object, const char* name);

// A type's method resolution order, a tuple read through `type`'s own descriptor (new reference; invalid
// when it has none): a metaclass's code never runs.
nb::object method_resolution_order(nb::handle type);

// A type's own namespace as a mapping (new reference; invalid when it has none): its dictionary, or on the
// stable ABI a read-only proxy of it (nothing copied). Python 3.12+ keeps the dictionaries of builtin
// types per interpreter, so tp_dict is read only before 3.12.
nb::object own_namespace_mapping(nb::handle type);

// The same as a dictionary (on the stable ABI, a copy of it).
nb::object own_namespace(nb::handle type);

// The UTF-8 text of a str, tolerating lone surrogates (replaced).
std::string utf8(nb::handle str);

// The reverse: a str of engine text (a message, a name), bytes that are not UTF-8 shown escaped ("\\xcf")
// rather than failing; and a str of a file name, its bytes kept as Python keeps them (os.fsdecode:
// surrogateescape on POSIX). Both raise nb::python_error only when Python cannot allocate.
nb::str python_text(std::string_view text);
nb::str python_path(std::string_view path);

}  // namespace importspy::bindings
