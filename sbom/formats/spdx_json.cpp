#include "sbom/formats/spdx_json.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "sbom/formats/ids.h"
#include "sbom/formats/ordered_inventory.h"
#include "sbom/formats/package_fields.h"
#include "sbom/formats/source_identity.h"
#include "sbom/formats/timestamp.h"
#include "sbom/license.h"

namespace cairn::sbom {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kNoAssertion = "NOASSERTION";
constexpr const char* kDocumentId = "SPDXRef-DOCUMENT";

struct Relationship {
  std::string from, type, to;
  std::string comment;
  auto operator<=>(const Relationship&) const = default;
};

// LicenseRef ids for every declared license that is not an SPDX expression. Assigned
// over the sorted set of texts, so the ids do not depend on package order; two texts
// that sanitise alike are told apart by a hash of the text.
class LicenseRefs {
 public:
  explicit LicenseRefs(const std::set<std::string>& texts) {
    std::set<std::string> used;
    for (const auto& text : texts) {
      std::string id = license_ref_id(text);
      if (used.contains(id)) id += "-" + sha256_hex(text).substr(0, 12);
      if (used.contains(id)) id = "LicenseRef-" + sha256_hex(text);
      used.insert(id);
      ids_.emplace(text, id);
    }
  }
  const std::string& id(const std::string& text) const { return ids_.at(text); }
  const std::map<std::string, std::string>& all() const { return ids_; }

 private:
  std::map<std::string, std::string> ids_;  // text -> LicenseRef id
};

std::string declared_expression(const Package& p, const LicenseRefs& refs) {
  std::vector<std::string> parts;
  for (const auto& text : declared_license_texts(p)) {
    auto expression = to_spdx_expression(text);
    std::string part = expression ? *expression : refs.id(text);
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
  }
  return parts.empty() ? kNoAssertion : join_with_and(parts);
}

std::string supplier_field(const Package& p) {
  Party party = parse_party(p.supplier);
  if (party.name.empty() && party.email.empty()) return kNoAssertion;
  // rpm's Vendor names a company; dpkg/apk/alpm maintainers and packagers are people
  // (or teams acting as one), as Syft classifies them.
  std::string kind = p.type == "rpm" ? "Organization: " : "Person: ";
  if (party.name.empty()) return kind + party.email;
  if (party.email.empty()) return kind + party.name;
  return kind + party.name + " (" + party.email + ")";
}

std::string source_info(const Package& p) {
  std::string out = "acquired package info from " + (p.found_by.empty() ? std::string("cairn") : p.found_by);
  if (!p.locations.empty()) {
    out += ": ";
    for (std::size_t i = 0; i < p.locations.size(); ++i) out += (i ? ", " : "") + p.locations[i];
  }
  return out;
}

Json annotation(const std::string& created, const std::string& annotator, const std::string& comment) {
  Json a;
  a["annotationDate"] = created;
  a["annotationType"] = "OTHER";
  a["annotator"] = "Tool: " + annotator;
  a["comment"] = comment;
  return a;
}

// SPDX checksum algorithm names for OCI digest algorithms; empty when not a digest.
Json digest_checksum(const std::string& text) {
  auto digest = Digest::parse(text);
  if (!digest) return nullptr;
  Json c;
  c["algorithm"] = digest->algorithm == "sha512" ? "SHA512" : "SHA256";
  c["checksumValue"] = digest->hex;
  return c;
}

std::string file_spdx_id(const std::string& path, std::set<std::string>& used) {
  auto slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string hash = sha256_hex(path);
  std::string id = "SPDXRef-File-" + sanitize_spdx_id(base, 40) + "-" + hash.substr(0, 16);
  if (used.contains(id)) id = "SPDXRef-File-" + hash;
  used.insert(id);
  return id;
}

Json root_package(const Inventory& inventory, const std::string& root_id, const std::string& created,
                  const std::string& tool) {
  const SourceInfo& source = inventory.source;
  const bool image = source.kind == SourceInfo::Kind::Image;
  Json p;
  p["name"] = source.name.empty() ? source.input : source.name;
  p["SPDXID"] = root_id;
  std::string version = image ? (source.manifest_digest.empty() ? source.config_digest : source.manifest_digest) : "";
  if (!version.empty()) p["versionInfo"] = version;
  p["supplier"] = kNoAssertion;
  p["downloadLocation"] = kNoAssertion;
  p["filesAnalyzed"] = false;
  if (image) {
    Json checksum = digest_checksum(source.manifest_digest);
    if (!checksum.is_null()) p["checksums"] = Json::array({checksum});
  }
  p["licenseConcluded"] = kNoAssertion;
  p["licenseDeclared"] = kNoAssertion;
  p["copyrightText"] = kNoAssertion;
  std::string purl = image_purl(source);
  if (writable_purl(purl)) {
    p["externalRefs"] = Json::array(
        {{{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", purl}}});
  }
  p["primaryPackagePurpose"] = image ? "CONTAINER" : "FILE";
  if (image) {
    std::string facts;
    auto add = [&facts](const std::string& key, const std::string& value) {
      if (value.empty()) return;
      if (!facts.empty()) facts += ' ';
      facts += "cairn:image:" + key + "=" + value;
    };
    add("manifestDigest", source.manifest_digest);
    add("configDigest", source.config_digest);
    add("indexDigest", source.index_digest);
    add("mediaType", source.media_type);
    std::string platform = source.os;
    if (!source.architecture.empty()) platform += "/" + source.architecture;
    if (!source.variant.empty()) platform += "/" + source.variant;
    add("platform", platform);
    add("layers", std::to_string(source.layers.size()));
    if (inventory.release) {
      add("distroID", inventory.release->id);
      add("distroVersionID", inventory.release->version_id);
    }
    if (!facts.empty()) p["annotations"] = Json::array({annotation(created, tool, facts)});
  }
  return p;
}

Json package_element(const Inventory& inventory, const Package& p, const std::string& id, bool files_analyzed,
                     const LicenseRefs& refs, const std::string& created, const std::string& tool) {
  Json e;
  e["name"] = p.name;
  e["SPDXID"] = id;
  if (!p.version.empty()) e["versionInfo"] = p.version;
  e["supplier"] = supplier_field(p);
  e["downloadLocation"] = kNoAssertion;
  e["filesAnalyzed"] = files_analyzed;
  e["sourceInfo"] = source_info(p);
  e["licenseConcluded"] = kNoAssertion;
  e["licenseDeclared"] = declared_expression(p, refs);
  e["copyrightText"] = kNoAssertion;
  if (!p.description.empty()) e["description"] = p.description;

  Json refs_json = Json::array();
  for (const auto& cpe : p.cpes) {
    if (!writable_locator(cpe)) continue;
    refs_json.push_back({{"referenceCategory", "SECURITY"}, {"referenceType", "cpe23Type"}, {"referenceLocator", cpe}});
  }
  if (writable_purl(p.purl)) {
    refs_json.push_back({{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", p.purl}});
  }
  if (!refs_json.empty()) e["externalRefs"] = std::move(refs_json);

  Json annotations = Json::array();
  if (auto layer = layer_facts(inventory.source, p)) {
    std::string comment;
    if (!layer->digest.empty()) comment += "cairn:layerDigest=" + layer->digest + " ";
    if (!layer->diff_id.empty()) comment += "cairn:layerDiffID=" + layer->diff_id + " ";
    comment += "cairn:layerIndex=" + std::to_string(layer->index);
    annotations.push_back(annotation(created, tool, comment));
  }
  if (p.deleted) annotations.push_back(annotation(created, tool, "cairn:layerDeleted=true"));
  if (!annotations.empty()) e["annotations"] = std::move(annotations);
  return e;
}

}  // namespace

std::string write_spdx_json(const Inventory& inventory, const WriteOptions& options) {
  const OrderedInventory ordered = order_inventory(inventory);
  const SourceInfo& source = inventory.source;
  const std::string created = rfc3339_utc(options.created_epoch);
  const std::string tool = tool_identity(options);

  const std::string root_name = source.name.empty() ? source.input : source.name;
  const std::string root_id = std::string(source.kind == SourceInfo::Kind::Image ? "SPDXRef-DocumentRoot-Image-"
                                                                                  : "SPDXRef-DocumentRoot-Directory-") +
                              sanitize_spdx_id(root_name);

  // Package ids: type, name and a fingerprint prefix; the whole fingerprint if the prefix
  // is taken (fingerprints are unique after merging identical packages).
  std::vector<std::string> package_ids;
  std::set<std::string> used_ids = {kDocumentId, root_id};
  for (const auto& op : ordered.packages) {
    std::string id = "SPDXRef-Package-" + sanitize_spdx_id(op.package->type, 32) + "-" +
                     sanitize_spdx_id(op.package->name) + "-" + op.fingerprint.substr(0, 16);
    if (used_ids.contains(id)) id = "SPDXRef-Package-" + op.fingerprint;
    used_ids.insert(id);
    package_ids.push_back(std::move(id));
  }

  std::set<std::string> unlisted_licenses;
  for (const auto& op : ordered.packages) {
    for (const auto& text : declared_license_texts(*op.package)) {
      if (!to_spdx_expression(text)) unlisted_licenses.insert(text);
    }
  }
  const LicenseRefs refs(unlisted_licenses);

  std::set<Relationship> relationships;
  relationships.insert({kDocumentId, "DESCRIBES", root_id});

  // Files: one element per path, whichever packages own it.
  std::map<std::string, std::string> file_ids;  // path -> SPDXID
  if (options.include_files) {
    std::set<std::string> paths;
    // Only files present in the image, with the digests read from it; a file the
    // package database lists but the image lacks is not a file of this document.
    for (const auto& op : ordered.packages)
      for (const auto& path : op.package->files)
        if (inventory.file_digests.count(path)) paths.insert(path);
    for (const auto& path : paths) file_ids.emplace(path, file_spdx_id(path, used_ids));
  }

  Json packages = Json::array();
  packages.push_back(root_package(inventory, root_id, created, tool));
  for (std::size_t i = 0; i < ordered.packages.size(); ++i) {
    const Package& p = *ordered.packages[i].package;
    const bool with_files = options.include_files &&
                            std::any_of(p.files.begin(), p.files.end(), [&](const std::string& f) { return file_ids.count(f) > 0; });
    packages.push_back(package_element(inventory, p, package_ids[i], with_files, refs, created, tool));
    relationships.insert({root_id, "CONTAINS", package_ids[i]});
    if (with_files) {
      for (const auto& path : p.files)
        if (auto it = file_ids.find(path); it != file_ids.end()) relationships.insert({package_ids[i], "CONTAINS", it->second});
    }
  }
  for (const auto& [from, to] : ordered.depends_on) relationships.insert({package_ids[from], "DEPENDS_ON", package_ids[to]});
  // Syft's form for ownership by file overlap (sbom/ownership.h).
  for (const auto& [owner, owned] : ordered.owns)
    relationships.insert({package_ids[owner], "OTHER", package_ids[owned],
                          "ownership-by-file-overlap: indicates that the parent package claims ownership of a child "
                          "package since the parent metadata indicates overlap with a location that a cataloger found "
                          "the child package by"});

  Json doc;
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = kDocumentId;
  doc["name"] = source_display_name(source);
  doc["documentNamespace"] = "";  // set below from the hash of everything else
  doc["creationInfo"] = {{"creators", Json::array({"Tool: " + tool})}, {"created", created}};
  doc["documentDescribes"] = Json::array({root_id});
  doc["packages"] = std::move(packages);
  if (!file_ids.empty()) {
    Json files = Json::array();
    for (const auto& [path, id] : file_ids) {
      Json f;
      f["fileName"] = path.starts_with("/") ? path.substr(1) : path;
      f["SPDXID"] = id;
      const FileDigest& digest = inventory.file_digests.at(path);
      f["checksums"] = Json::array({{{"algorithm", "SHA1"}, {"checksumValue", digest.sha1}},
                                    {{"algorithm", "SHA256"}, {"checksumValue", digest.sha256}}});
      f["licenseConcluded"] = kNoAssertion;
      f["copyrightText"] = kNoAssertion;
      files.push_back(std::move(f));
    }
    doc["files"] = std::move(files);
  }
  if (!refs.all().empty()) {
    // Sorted by id, not by text.
    std::map<std::string, std::string> by_id;
    for (const auto& [text, id] : refs.all()) by_id.emplace(id, text);
    Json infos = Json::array();
    for (const auto& [id, text] : by_id) infos.push_back({{"licenseId", id}, {"extractedText", text}, {"name", text}});
    doc["hasExtractedLicensingInfos"] = std::move(infos);
  }
  Json rels = Json::array();
  for (const auto& r : relationships) {
    Json rel = {{"spdxElementId", r.from}, {"relatedSpdxElement", r.to}, {"relationshipType", r.type}};
    if (!r.comment.empty()) rel["comment"] = r.comment;
    rels.push_back(std::move(rel));
  }
  doc["relationships"] = std::move(rels);

  auto dump = [](const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); };
  const std::string content_hash = sha256_hex(dump(doc));
  doc["documentNamespace"] = spdx_document_namespace(source, content_uuid(content_hash));
  return dump(doc) + "\n";
}

}  // namespace cairn::sbom
