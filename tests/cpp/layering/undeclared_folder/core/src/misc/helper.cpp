#include "importspy/util/sha256.hpp"
