#pragma once
// Engine objects as Python sees them.

#include <memory>

#include "importspy/contract/contract.hpp"

namespace importspy::bindings {

// A compiled contract (importspy.Contract): immutable, shared with the contract cache.
struct ContractHandle {
  std::shared_ptr<const Contract> contract;
};

}  // namespace importspy::bindings
