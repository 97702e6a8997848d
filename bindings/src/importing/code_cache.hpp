#pragma once
// The compiled code of checked sources, kept between processes so that a matched import does not compile
// its module again on every start (a matched import cost 1.7x a plain one once no .pyc was
// trusted).
//
// Nothing next to the source is used: a __pycache__ file can be written by whoever can write the tree.
// Entries live in the user's cache ($XDG_CACHE_HOME/importspy/code, else ~/.cache/importspy/code) and are
// authenticated like the result cache's (core/…/project/result_cache.hpp: keyed BLAKE2b under the per-user
// key). The lookup key binds the entry to the SHA-256 of the exact bytes that were checked, the file name
// the code carries, the interpreter's magic number and its optimisation level: a planted, edited or moved
// entry is a miss, and code is only ever served for the bytes just checked.

#include <string>

#include <nanobind/nanobind.h>

#include "importspy/contract/compiled_form.hpp"

namespace importspy::bindings {

// The code object compiled before from the bytes whose SHA-256 is `source_sha256`, or an invalid handle.
nanobind::object cached_code(const std::string& source_sha256, const std::string& filename);

// Keeps `code` for those bytes, unless sys.dont_write_bytecode asks for no bytecode to be written.
void store_code(const std::string& source_sha256, const std::string& filename, nanobind::handle code);

// Compiled contracts kept between processes for the embedded check (docs/python-api.md, "What a cold
// check reads"), in the same per-user cache ($XDG_CACHE_HOME/importspy/contracts) under the same key: an
// entry is served only when its MAC verifies for its lookup key, the SHA-256 of the contract's exact text,
// this engine (its version, and the size and modification time of this extension module's file: a rebuild
// never reads an earlier build's forms) and the compile limits. Nothing is stored when
// sys.dont_write_bytecode is set. nullptr when there is no per-user key (no home, or a key file that is not
// private to this user) or the extension's file cannot be found.
const CompiledContractStore* compiled_contract_store();

}  // namespace importspy::bindings
