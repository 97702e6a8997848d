#pragma once
// How Python binds a parameter or an attribute: vocabulary that contracts (what must be) and facts
// (what is) share.

namespace importspy {

enum class ParameterKind { positional_only, positional_or_keyword, var_positional, keyword_only, var_keyword };

enum class AttributeKind { class_attribute, instance_attribute };

}  // namespace importspy
