# Layers and the one-way rule between them.
#
# Every folder of core/ (and of bindings/src/) is a layer that may include only the layers it declares.
# The declarations below are the single source of truth: core layers become static libraries linked
# exactly along them, and the `layer_dependencies` test scans every #include of the tree against them,
# so an upward or sideways include fails the README's test command, not a code review.

# Global property IMPORTSPY_LAYER_RULES: one "component|layer|dep,dep" entry per declared layer.
set_property(GLOBAL PROPERTY IMPORTSPY_LAYER_RULES "")

# importspy_declare_layer(COMPONENT <core|bindings> NAME <layer> [DEPENDS <layers...>])
function(importspy_declare_layer)
  cmake_parse_arguments(ARG "" "COMPONENT;NAME" "DEPENDS" ${ARGN})
  list(JOIN ARG_DEPENDS "," deps)
  set_property(GLOBAL APPEND PROPERTY IMPORTSPY_LAYER_RULES "${ARG_COMPONENT}|${ARG_NAME}|${deps}")
endfunction()

# importspy_core_layer(NAME <layer> [DEPENDS <layers...>] SOURCES <files...> [LIBRARIES <third-party targets...>])
# A static library `importspy_<layer>` from core/src/<layer>/, linked publicly to the layers it depends on.
function(importspy_core_layer)
  cmake_parse_arguments(ARG "" "NAME" "DEPENDS;SOURCES;LIBRARIES" ${ARGN})
  importspy_declare_layer(COMPONENT core NAME ${ARG_NAME} DEPENDS ${ARG_DEPENDS})
  if(NOT ARG_SOURCES)
    return()  # a declared, still empty room (its rule already applies to the headers put there)
  endif()
  set(target importspy_${ARG_NAME})
  list(TRANSFORM ARG_SOURCES PREPEND "src/${ARG_NAME}/")
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/core/include)
  foreach(dep IN LISTS ARG_DEPENDS)
    if(TARGET importspy_${dep})
      target_link_libraries(${target} PUBLIC importspy_${dep})
    endif()
  endforeach()
  if(ARG_LIBRARIES)
    target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES})
  endif()
  target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:importspy_warnings>)
  set_property(GLOBAL APPEND PROPERTY IMPORTSPY_CORE_LIBRARIES ${target})
endfunction()
