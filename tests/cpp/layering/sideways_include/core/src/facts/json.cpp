#include "importspy/facts/json.hpp"

#include <string>
#include "importspy/lang/value.hpp"
#include "importspy/contract/loader.hpp"
