#include "extract/targets.hpp"
#include "interop/errors.hpp"
#include "importspy/check/checker.hpp"
#include <nanobind/nanobind.h>
