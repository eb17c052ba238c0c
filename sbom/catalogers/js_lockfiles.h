#pragma once
// The yarn.lock, pnpm-lock.yaml, bun.lock and deno.lock files of a dir: source, turned
// into packages and dependency edges for javascript-lock-cataloger (package-lock.json is
// read in javascript.cpp). Lock files under node_modules are skipped: they describe an
// installed package's own development tree.
#include <string>
#include <vector>

#include "sbom/cataloger.h"

namespace cairn::sbom {

// What these lock files need captured: the lock files, and the package.json next to a
// yarn.lock (its devDependencies tell which entries are development dependencies).
std::vector<CaptureRule> js_lockfile_captures();

// Appends the packages, edges and errors (each naming the file) of every such lock file.
// Development dependencies are left out unless include_dev.
void catalog_js_lockfiles(const FileResolver& files, bool include_dev, const std::string& found_by,
                          CatalogResult& result);

}  // namespace cairn::sbom
