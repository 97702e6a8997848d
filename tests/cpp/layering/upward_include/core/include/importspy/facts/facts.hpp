#pragma once
// facts must not know contracts
#include "importspy/contract/contract.hpp"
