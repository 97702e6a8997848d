# Graphviz (EPL-1.0): the `dot` layout and the SVG renderer for pictures of the import graph.
# Defines Graphviz::gvc: libgvc, libcgraph and libcdt, plus the two plugins linked in directly (the dot
# layout and the core renderers), which the code hands to gvContextPlugins so no plugin is ever looked
# up or loaded at run time. Debian/Ubuntu: libgraphviz-dev; macOS: brew install graphviz; Windows: vcpkg.
find_path(Graphviz_INCLUDE_DIR graphviz/gvc.h)
find_library(Graphviz_gvc_LIBRARY NAMES gvc)
find_library(Graphviz_cgraph_LIBRARY NAMES cgraph)
find_library(Graphviz_cdt_LIBRARY NAMES cdt)
get_filename_component(_graphviz_lib_dir "${Graphviz_gvc_LIBRARY}" DIRECTORY)
find_library(Graphviz_dot_layout_LIBRARY NAMES gvplugin_dot_layout PATHS "${_graphviz_lib_dir}/graphviz" NO_DEFAULT_PATH)
find_library(Graphviz_core_LIBRARY NAMES gvplugin_core PATHS "${_graphviz_lib_dir}/graphviz" NO_DEFAULT_PATH)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Graphviz REQUIRED_VARS Graphviz_gvc_LIBRARY Graphviz_cgraph_LIBRARY Graphviz_cdt_LIBRARY
                                  Graphviz_dot_layout_LIBRARY Graphviz_core_LIBRARY Graphviz_INCLUDE_DIR)
if(Graphviz_FOUND AND NOT TARGET Graphviz::gvc)
  add_library(Graphviz::gvc INTERFACE IMPORTED)
  set_target_properties(Graphviz::gvc PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${Graphviz_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${Graphviz_dot_layout_LIBRARY};${Graphviz_core_LIBRARY};${Graphviz_gvc_LIBRARY};${Graphviz_cgraph_LIBRARY};${Graphviz_cdt_LIBRARY}")
  # The plugins live in a folder of their own, outside the loader's search path: whatever links them
  # records it (build and install RPATH), and auditwheel copies them into the wheel from there.
  set(Graphviz_PLUGIN_DIR "${_graphviz_lib_dir}/graphviz" CACHE INTERNAL "Graphviz plugin folder")
endif()
mark_as_advanced(Graphviz_INCLUDE_DIR Graphviz_gvc_LIBRARY Graphviz_cgraph_LIBRARY Graphviz_cdt_LIBRARY Graphviz_dot_layout_LIBRARY Graphviz_core_LIBRARY)
