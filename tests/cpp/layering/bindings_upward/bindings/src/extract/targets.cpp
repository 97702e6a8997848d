#include "interop/errors.hpp"
#include "cli/cli.hpp"
