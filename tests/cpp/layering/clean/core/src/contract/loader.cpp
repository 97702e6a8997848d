#include "importspy/lang/value.hpp"
#include <yaml-cpp/yaml.h>
