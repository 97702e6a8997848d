#pragma once
// Text placed into an HTML page: every byte that could end an element, an attribute or a script is escaped.

#include <string>
#include <string_view>

namespace importspy {

// `&`, `<`, `>`, `"` and `'` as character references: safe in element text and in a quoted attribute.
std::string html_escape(std::string_view text);

// A JSON document made safe inside `<script type="application/json">`: `<`, `>` and `&` (only ever inside
// its strings) written as \u escapes, so no `</script>` or `<!--` can appear in it.
std::string json_for_script(std::string_view json_text);

}  // namespace importspy
