#pragma once
// The environment the interpreter runs in, as facts.

#include <string>
#include <vector>

#include "importspy/facts/facts.hpp"

namespace importspy::bindings {

// Architecture, operating system, Python version and interpreter of this process, and the values of the
// environment variables named in `variable_names` (read from os.environ, so changes made through it
// count). Reading only the names a contract mentions keeps other secrets out of memory the engine holds.
EnvironmentFacts probe_environment(const std::vector<std::string>& variable_names);

}  // namespace importspy::bindings
