#pragma once
// A compiled contract as bytes, so that it can be kept between processes: reading it back costs a few
// percent of compiling the YAML again (yaml-cpp's scanner is most of a cold embedded check).
//
// The bytes are not a file format anyone writes by hand: they are only ever read back by the same engine
// build that wrote them (compiled_contract_key() binds the engine version and this encoding's version), from
// a store that authenticates them (ContractCache's CompiledContractStore). Decoding is still strict: bytes
// that do not decode completely, or decode to anything but the whole contract, are refused (nullptr).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "importspy/contract/contract.hpp"
#include "importspy/contract/loader.hpp"

namespace importspy {

std::string encode_contract(const Contract& contract);

// The contract `bytes` encode, its `source` set to `source`; nullptr for bytes encode_contract() did not write.
std::shared_ptr<const Contract> decode_contract(std::string_view bytes, std::string source);

// The lookup key of the compiled form of contract text `text`: the BLAKE2b-256 (hex) of this encoding's version,
// `engine_version`, the limits it was compiled under, and the text. Another text, limit or engine is
// another key.
std::string compiled_contract_key(std::string_view text, const ContractLimits& limits, std::string_view engine_version);

// Where compiled contracts are kept between processes (the bindings give one backed by the per-user,
// authenticated cache). load() answers only bytes store() was given for that key, or nothing.
class CompiledContractStore {
public:
  virtual ~CompiledContractStore() = default;
  virtual std::optional<std::string> load(const std::string& key) const = 0;
  virtual void store(const std::string& key, const std::string& bytes) const = 0;
  // The engine version compiled_contract_key() binds.
  virtual std::string_view engine_version() const = 0;
};

}  // namespace importspy
