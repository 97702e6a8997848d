#pragma once
// Combining what a module's source says with what its live objects say.

#include "importspy/facts/facts.hpp"

namespace importspy {

// `from_source` (every definition, with lines and annotations exactly as written, instance attributes
// from `self.x = ...`) overlaid by `live` (what has already run: computed values, real signatures,
// inherited methods, the full method resolution order). Names only in one side are kept. Used for a
// module that is only partly executed (an importer, mid-import) and to complete runtime facts with what
// only the source shows.
ModuleFacts merge_facts(ModuleFacts from_source, const ModuleFacts& live);

}  // namespace importspy
