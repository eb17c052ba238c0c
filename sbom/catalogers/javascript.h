#pragma once
// npm packages installed in node_modules (and, for dir: sources, npm lock files), as Syft's javascript-package-cataloger
// reports them: one package per package.json directly under node_modules/<name>/ or
// node_modules/@scope/<name>/ (nested node_modules included), with the dependency
// edges Node's module resolution would follow between them. Images only, as in Syft:
// a dir: source reports its lock files instead.
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"
#include "sbom/catalogers/npm_lock.h"
#include "sbom/catalogers/npm_package_json.h"

namespace cairn::sbom {

Cataloger javascript_package_cataloger();

struct JavascriptLockOptions {
  // Syft's IncludeDevDependencies for yarn, pnpm and bun lock files (package-lock.json
  // development entries are always left out).
  bool include_dev_dependencies = false;
};

// The lock files of a dir: source, as Syft's javascript-lock-cataloger: package-lock.json
// (v1/v2/v3), yarn.lock (classic and berry), pnpm-lock.yaml (v5/v6/v9), bun.lock and
// deno.lock, with dependency edges and without development dependencies; nothing for
// images. Lock files inside node_modules are skipped (they describe an installed
// package's own development tree). An entry without licenses takes those of the
// installed node_modules/<name>/package.json next to the lock file when its version
// matches.
Cataloger javascript_lock_cataloger(JavascriptLockOptions options = {});

// Licenses of the installed copy of a locked package (lock_dir/node_modules/<name>/
// package.json), when it is that same version; empty otherwise.
std::vector<std::string> installed_licenses(const FileResolver& files, const std::string& lock_dir,
                                            const std::string& name, const std::string& version);

// True for ".../node_modules/<name>/package.json" and
// ".../node_modules/@scope/<name>/package.json": the manifest of an installed package,
// not one of a package's own subfolders (lib/package.json, test fixtures, …).
bool is_installed_package_json(std::string_view path);

// The cairn package for a parsed manifest found at `path`.
Package npm_package(const NpmPackageJson& manifest, const std::string& path, const std::string& found_by);

}  // namespace cairn::sbom
