#pragma once
#include <string>
#include "importspy/lang/value.hpp"
#include "importspy/util/sha256.hpp"
