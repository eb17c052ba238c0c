#include "sbom/catalogers/rust_audit.h"

#include <nlohmann/json.hpp>

#include "sbom/binary/executable.h"
#include "sbom/catalogers/json_field.h"
#include "sbom/purl.h"
#include "sbom/zlib_inflate.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "cargo-auditable-binary-cataloger";
constexpr const char* kExtractName = "rust-audit";
constexpr const char* kSection = ".dep-v0";
// cargo-auditable's own reader refuses more than 8 MiB of decompressed audit data.
constexpr std::size_t kMaxJson = 8 * 1024 * 1024;
constexpr std::size_t kMaxPackages = 100000;
constexpr std::size_t kMaxBinary = 512 * 1024 * 1024;

nlohmann::json to_json(const std::vector<RustAuditPackage>& packages) {
  auto list = nlohmann::json::array();
  for (const auto& p : packages) {
    nlohmann::json j{{"name", p.name}, {"version", p.version}, {"source", p.source}};
    if (!p.kind.empty()) j["kind"] = p.kind;
    if (p.root) j["root"] = true;
    if (!p.dependencies.empty()) j["dependencies"] = p.dependencies;
    list.push_back(std::move(j));
  }
  return {{"packages", std::move(list)}};
}

}  // namespace

Result<std::vector<RustAuditPackage>> parse_rust_audit_json(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return input_error("cargo-auditable data: not a JSON object");
  auto list = doc.find("packages");
  if (list == doc.end() || !list->is_array()) return input_error("cargo-auditable data: no \"packages\" array");
  if (list->size() > kMaxPackages) return input_error("cargo-auditable data: " + std::to_string(list->size()) + " packages, more than allowed");
  std::vector<RustAuditPackage> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& j = (*list)[i];
    auto where = "cargo-auditable data: packages[" + std::to_string(i) + "]";
    if (!j.is_object()) return input_error(where + ": not an object");
    RustAuditPackage p;
    p.name = json_string_field(j, "name");
    p.version = json_string_field(j, "version");
    p.source = json_string_field(j, "source");
    p.kind = json_string_field(j, "kind");
    if (p.name.empty() || p.version.empty()) return input_error(where + ": no name or version");
    if (auto r = j.find("root"); r != j.end() && r->is_boolean()) p.root = r->get<bool>();
    if (auto deps = j.find("dependencies"); deps != j.end()) {
      if (!deps->is_array()) return input_error(where + ".dependencies: not an array");
      for (const auto& d : *deps) {
        if (!d.is_number_unsigned() || d.get<std::uint64_t>() >= list->size())
          return input_error(where + ".dependencies: " + d.dump() + " is not an index into packages");
        p.dependencies.push_back(d.get<std::size_t>());
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::optional<std::vector<RustAuditPackage>>> read_rust_audit(std::string_view executable_bytes) {
  auto executables = binary::parse_executables(executable_bytes);
  if (!executables) return std::unexpected(executables.error());
  for (const auto& exe : *executables) {
    const auto* section = exe.find_section(kSection);
    if (!section) continue;
    auto bytes = exe.section_bytes(*section);
    if (!bytes) return input_error(std::string(kSection) + " section: offset or size past the end of the file");
    auto json = zlib_inflate(*bytes, kMaxJson);
    if (!json) return std::unexpected(json.error().context(std::string(kSection) + " section"));
    auto packages = parse_rust_audit_json(*json);
    if (!packages) return std::unexpected(packages.error());
    return std::optional(std::move(*packages));
  }
  return std::optional<std::vector<RustAuditPackage>>();
}

std::optional<std::string> rust_audit_extract(std::string_view, std::string_view bytes) {
  if (!binary::parse_executables(bytes)) return std::nullopt;
  auto audit = read_rust_audit(bytes);
  if (!audit) return nlohmann::json{{"error", audit.error().message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!*audit) return std::nullopt;
  return to_json(**audit).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

CatalogResult rust_audit_packages(const std::string& path, const std::vector<RustAuditPackage>& packages) {
  CatalogResult result;
  for (const auto& a : packages) {
    Package p;
    p.name = a.name;
    p.version = a.version;
    p.type = "rust-crate";
    p.found_by = kCatalogerName;
    p.purl = make_purl("cargo", "", a.name, a.version);
    p.locations = {path};
    if (!a.source.empty()) p.metadata["source"] = a.source;
    if (!a.kind.empty()) p.metadata["kind"] = a.kind;
    result.packages.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < packages.size(); ++i)
    for (auto d : packages[i].dependencies)
      if (d < packages.size() && d != i) result.dependencies.push_back({i, d});
  return result;
}

Cataloger rust_audit_binary_cataloger() {
  Cataloger c;
  c.name = kCatalogerName;
  CaptureRule rule;
  rule.max_bytes = kMaxBinary;
  rule.extract_name = kExtractName;
  rule.extract = rust_audit_extract;
  rule.executables = true;
  c.captures = {rule};
  c.run = [](const FileResolver& fs, const CatalogContext&) {
    CatalogResult result;
    for (const auto& path : fs.files_with_extract(kExtractName)) {
      const auto* extract = fs.extract(path, kExtractName);
      if (!extract) continue;
      auto doc = nlohmann::json::parse(*extract, nullptr, false);
      if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) {
        result.errors.push_back(path + ": " + doc["error"].get<std::string>());
        continue;
      }
      auto packages = parse_rust_audit_json(*extract);
      if (!packages) {
        result.errors.push_back(path + ": " + packages.error().message);
        continue;
      }
      auto one = rust_audit_packages(path, *packages);
      auto offset = result.packages.size();
      for (auto& p : one.packages) result.packages.push_back(std::move(p));
      for (const auto& d : one.dependencies) result.dependencies.push_back({d.from + offset, d.to + offset});
    }
    return result;
  };
  return c;
}

}  // namespace cairn::sbom
