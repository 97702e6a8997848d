#pragma once
// A module's facts as read from its source, as bytes, so that a fresh process checking an importer it has
// checked before does not read the same source again (reading it is most of a cold embedded check's work).
//
// The facts are a function of the source's exact bytes, its file name, its module name and how it was read
// (the reader's target version, the digests asked for): the lookup key binds all of them, with the engine
// that read it, so an entry can only ever stand for a reading of the very bytes being checked. As for
// compiled contracts, the bytes are read back only by the build that wrote them, from a store that
// authenticates them; decoding is strict all the same (std::nullopt for anything encode_facts did not write).

#include <optional>
#include <string>
#include <string_view>

#include "importspy/facts/facts.hpp"

namespace importspy {

std::string encode_facts(const ModuleFacts& facts);

std::optional<ModuleFacts> decode_facts(std::string_view bytes);

// The lookup key of the facts read from `source`: the BLAKE2b-256 (hex) of this encoding's version,
// `engine_version`, `filename`, `module_name`, `reading` (how it was read: target version, digests) and
// the source's bytes.
std::string stored_facts_key(std::string_view source, std::string_view filename, std::string_view module_name, std::string_view reading,
                             std::string_view engine_version);

}  // namespace importspy
