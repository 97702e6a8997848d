# The folders of bindings/src and what each may include (see cmake/ImportspyLayers.cmake). Declared even
# when the extension is not built, so the layer test always covers them.
importspy_declare_layer(COMPONENT bindings NAME interop)                               # Python objects <-> engine types, exception types
importspy_declare_layer(COMPONENT bindings NAME extract DEPENDS interop)               # facts from live modules and from source, environment probe
importspy_declare_layer(COMPONENT bindings NAME importing DEPENDS extract interop)     # embedded Spy and import interception
importspy_declare_layer(COMPONENT bindings NAME cli DEPENDS extract interop)           # the `importspy` command line and CI batches
