#pragma once
// Rust crates recorded by cargo-auditable, as Syft's cargo-auditable-binary-cataloger
// reports them: the `.dep-v0` section of an executable (ELF, PE or Mach-O) holds
// zlib-compressed JSON {"packages":[{name, version, source, kind, dependencies: [index],
// root}]}. Every entry becomes a rust-crate package (pkg:cargo/<name>@<version>) located
// at the binary; the dependency indexes become relationships.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sbom/cataloger.h"

namespace cairn::sbom {

struct RustAuditPackage {
  std::string name;
  std::string version;
  std::string source;  // "crates.io", "local", "git", "registry", ...
  std::string kind;    // "runtime" (the default) or "build"
  bool root = false;
  std::vector<std::size_t> dependencies;  // indexes into the same list, checked in range
};

// The audit data of an executable: nullopt when it has no .dep-v0 section; an error
// when the section is corrupt (bad zlib stream, over the size cap, bad JSON).
Result<std::optional<std::vector<RustAuditPackage>>> read_rust_audit(std::string_view executable_bytes);

// The decompressed JSON itself (what cargo-auditable compressed).
Result<std::vector<RustAuditPackage>> parse_rust_audit_json(std::string_view json);

Cataloger rust_audit_binary_cataloger();

// The capture-rule extractor: the audit data as compact JSON (an {"error"} object when
// the section is corrupt), nullopt for executables without it.
std::optional<std::string> rust_audit_extract(std::string_view path, std::string_view bytes);

// The packages and relationships of one binary's audit data, located at `path`.
CatalogResult rust_audit_packages(const std::string& path, const std::vector<RustAuditPackage>& packages);

}  // namespace cairn::sbom
