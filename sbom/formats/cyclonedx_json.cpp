#include "sbom/formats/cyclonedx_json.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>
#include <vector>
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
using Properties = std::vector<std::pair<std::string, std::string>>;

Json properties_json(Properties props) {
  std::sort(props.begin(), props.end());
  props.erase(std::unique(props.begin(), props.end()), props.end());
  Json out = Json::array();
  for (auto& [name, value] : props) out.push_back({{"name", std::move(name)}, {"value", std::move(value)}});
  return out;
}

void add(Properties& props, std::string name, const std::string& value) {
  if (!value.empty()) props.emplace_back(std::move(name), value);
}

// A URL the schema's iri-reference format accepts: no whitespace, controls, the
// characters RFC 3987 excludes, or a '%' that does not start an escape.
bool writable_url(const std::string& url) {
  if (url.empty()) return false;
  for (std::size_t i = 0; i < url.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    if (c <= 0x20 || c == 0x7f || std::string_view("<>\"{}|\\^`").find(static_cast<char>(c)) != std::string_view::npos) {
      return false;
    }
    if (c == '%' && (i + 2 >= url.size() || !std::isxdigit(static_cast<unsigned char>(url[i + 1])) ||
                     !std::isxdigit(static_cast<unsigned char>(url[i + 2])))) {
      return false;
    }
  }
  return true;
}

// Adds qualifier key=value to a purl, keeping qualifiers sorted by key.
std::string with_qualifier(const std::string& purl, const std::string& key, const std::string& value) {
  auto hash = purl.find('#');
  std::string subpath = hash == std::string::npos ? "" : purl.substr(hash);
  std::string head = purl.substr(0, hash);
  auto question = head.find('?');
  std::vector<std::string> qualifiers;
  if (question != std::string::npos) {
    std::string rest = head.substr(question + 1);
    head.resize(question);
    std::size_t i = 0;
    while (i <= rest.size()) {
      auto j = rest.find('&', i);
      if (j == std::string::npos) j = rest.size();
      if (j > i) qualifiers.push_back(rest.substr(i, j - i));
      i = j + 1;
    }
  }
  qualifiers.push_back(key + "=" + value);
  std::sort(qualifiers.begin(), qualifiers.end(), [](const std::string& a, const std::string& b) {
    return a.substr(0, a.find('=')) < b.substr(0, b.find('='));
  });
  std::string out = head;
  for (std::size_t i = 0; i < qualifiers.size(); ++i) out += (i ? "&" : "?") + qualifiers[i];
  return out + subpath;
}

Json licenses_json(const Package& p, bool acknowledge) {
  std::vector<std::string> ids, expressions, names, spdx_in_order;
  for (const auto& text : declared_license_texts(p)) {
    auto expression = to_spdx_expression(text);
    auto& bucket = !expression ? names : is_listed_spdx_license_id(*expression) ? ids : expressions;
    const std::string& value = expression ? *expression : text;
    if (std::find(bucket.begin(), bucket.end(), value) != bucket.end()) continue;
    bucket.push_back(value);
    if (expression) spdx_in_order.push_back(value);
  }
  Json out = Json::array();
  if (names.empty() && !expressions.empty()) {
    Json choice = {{"expression", join_with_and(spdx_in_order)}};
    if (acknowledge) choice["acknowledgement"] = "declared";
    out.push_back(std::move(choice));
    return out;
  }
  auto license = [&](const char* key, const std::string& value) {
    Json l = {{key, value}};
    if (acknowledge) l["acknowledgement"] = "declared";
    out.push_back({{"license", std::move(l)}});
  };
  for (const auto& id : ids) license("id", id);
  for (const auto& name : names) license("name", name);
  for (const auto& e : expressions) license("name", e);
  return out;
}

Properties package_properties(const SourceInfo& source, const Package& p, bool include_files,
                              const std::vector<std::string>& owned_by) {
  Properties props;
  add(props, "cairn:package:foundBy", p.found_by);
  add(props, "cairn:package:type", p.type);
  add(props, "cairn:package:arch", p.arch);
  add(props, "cairn:package:sourceName", p.source_name);
  add(props, "cairn:package:sourceVersion", p.source_version);
  for (std::size_t i = 1; i < p.cpes.size(); ++i) add(props, "cairn:cpe23", p.cpes[i]);
  for (std::size_t i = 0; i < p.locations.size(); ++i) add(props, "cairn:location:" + std::to_string(i) + ":path", p.locations[i]);
  for (const auto& [key, value] : p.metadata) add(props, "cairn:metadata:" + key, value);
  if (auto layer = layer_facts(source, p)) {
    add(props, "cairn:layer:digest", layer->digest);
    add(props, "cairn:layer:diffID", layer->diff_id);
    add(props, "cairn:layer:index", std::to_string(layer->index));
  }
  if (p.deleted) add(props, "cairn:layer:deleted", "true");
  for (const auto& owner : owned_by) add(props, "cairn:ownedBy", owner);
  if (include_files) {
    for (const auto& file : p.files) add(props, "cairn:file:path", file);
  }
  return props;
}

Json package_component(const SourceInfo& source, const Package& p, const std::string& bom_ref, bool acknowledge,
                       bool include_files, const std::vector<std::string>& owned_by) {
  Json c;
  c["bom-ref"] = bom_ref;
  c["type"] = p.type == "binary" ? "application" : "library";  // Syft's choice for binaries
  Party party = parse_party(p.supplier);
  std::string supplier = party.name.empty() ? party.email : party.name;
  if (!supplier.empty()) c["supplier"] = {{"name", supplier}};
  if (!p.supplier.empty()) c["publisher"] = p.supplier;
  c["name"] = p.name;
  if (!p.version.empty()) c["version"] = p.version;
  if (!p.description.empty()) c["description"] = p.description;
  Json licenses = licenses_json(p, acknowledge);
  if (!licenses.empty()) c["licenses"] = std::move(licenses);
  if (!p.cpes.empty() && writable_locator(p.cpes.front())) c["cpe"] = p.cpes.front();
  if (writable_purl(p.purl)) c["purl"] = p.purl;
  Json props = properties_json(package_properties(source, p, include_files, owned_by));
  if (!props.empty()) c["properties"] = std::move(props);
  return c;
}

Properties distro_properties(const Release& r) {
  Properties props;
  add(props, "cairn:distro:id", r.id);
  add(props, "cairn:distro:versionID", r.version_id);
  add(props, "cairn:distro:version", r.version);
  add(props, "cairn:distro:versionCodename", r.version_codename);
  add(props, "cairn:distro:name", r.name);
  add(props, "cairn:distro:prettyName", r.pretty_name);
  add(props, "cairn:distro:cpeName", r.cpe_name);
  add(props, "cairn:distro:buildID", r.build_id);
  add(props, "cairn:distro:variant", r.variant);
  add(props, "cairn:distro:variantID", r.variant_id);
  for (std::size_t i = 0; i < r.id_like.size(); ++i) add(props, "cairn:distro:idLike:" + std::to_string(i), r.id_like[i]);
  return props;
}

std::string os_bom_ref(const Release& r) {
  if (r.id.empty()) return "os:unknown";
  return r.version_id.empty() ? "os:" + r.id : "os:" + r.id + "@" + r.version_id;
}

Json os_component(const Release& r, const std::string& bom_ref) {
  Json c;
  c["bom-ref"] = bom_ref;
  c["type"] = "operating-system";
  std::string name = !r.id.empty() ? r.id : !r.name.empty() ? r.name : "unknown";
  c["name"] = name;
  if (!r.version_id.empty()) c["version"] = r.version_id;
  if (!r.pretty_name.empty()) c["description"] = r.pretty_name;
  if (writable_locator(r.cpe_name) && r.cpe_name.starts_with("cpe:")) c["cpe"] = r.cpe_name;
  Json swid = {{"tagId", name}, {"name", name}};
  if (!r.version_id.empty()) swid["version"] = r.version_id;
  c["swid"] = std::move(swid);
  Json refs = Json::array();
  auto ref = [&refs](const std::string& url, const char* type, const char* comment) {
    if (!writable_url(url)) return;
    Json e = {{"url", url}, {"type", type}};
    if (comment) e["comment"] = comment;
    refs.push_back(std::move(e));
  };
  ref(r.bug_report_url, "issue-tracker", nullptr);
  ref(r.home_url, "website", nullptr);
  ref(r.support_url, "other", "support");
  ref(r.privacy_policy_url, "other", "privacyPolicy");
  if (!refs.empty()) c["externalReferences"] = std::move(refs);
  Json props = properties_json(distro_properties(r));
  if (!props.empty()) c["properties"] = std::move(props);
  return c;
}

Json source_component(const Inventory& inventory, const std::string& bom_ref) {
  const SourceInfo& source = inventory.source;
  const bool image = source.kind == SourceInfo::Kind::Image;
  Json c;
  c["bom-ref"] = bom_ref;
  c["type"] = image ? "container" : "file";
  c["name"] = source.name.empty() ? source.input : source.name;
  Properties props;
  if (image) {
    std::string version = source.manifest_digest.empty() ? source.config_digest : source.manifest_digest;
    if (!version.empty()) c["version"] = version;
    if (auto digest = Digest::parse(source.manifest_digest)) {
      c["hashes"] = Json::array({{{"alg", digest->algorithm == "sha512" ? "SHA-512" : "SHA-256"}, {"content", digest->hex}}});
    }
    std::string purl = image_purl(source);
    if (writable_purl(purl)) c["purl"] = purl;
    add(props, "cairn:image:manifestDigest", source.manifest_digest);
    add(props, "cairn:image:configDigest", source.config_digest);
    add(props, "cairn:image:indexDigest", source.index_digest);
    add(props, "cairn:image:mediaType", source.media_type);
    add(props, "cairn:image:tag", source.tag);
    add(props, "cairn:image:os", source.os);
    add(props, "cairn:image:architecture", source.architecture);
    add(props, "cairn:image:variant", source.variant);
    for (std::size_t i = 0; i < source.layers.size(); ++i) {
      const std::string prefix = "cairn:image:layer:" + std::to_string(i) + ":";
      add(props, prefix + "digest", source.layers[i].digest);
      add(props, prefix + "diffID", source.layers[i].diff_id);
      add(props, prefix + "mediaType", source.layers[i].media_type);
      add(props, prefix + "size", std::to_string(source.layers[i].size));
    }
  }
  add(props, "cairn:source:scope", inventory.scope);
  if (inventory.release) {
    Properties distro = distro_properties(*inventory.release);
    props.insert(props.end(), distro.begin(), distro.end());
  }
  Json props_json = properties_json(std::move(props));
  if (!props_json.empty()) c["properties"] = std::move(props_json);
  return c;
}

std::string source_bom_ref(const SourceInfo& source) {
  if (source.kind == SourceInfo::Kind::Image) {
    std::string purl = image_purl(source);
    if (writable_purl(purl)) return purl;
    return "cairn:image:" + sha256_hex(source.config_digest + "\n" + source.name).substr(0, 16);
  }
  return "cairn:directory:" + sha256_hex(source.name.empty() ? source.input : source.name).substr(0, 16);
}

}  // namespace

std::string write_cyclonedx_json(const Inventory& inventory, const WriteOptions& options) {
  const OrderedInventory ordered = order_inventory(inventory);
  const std::string minor = options.cyclonedx_minor == 5 ? "1.5" : "1.6";
  const bool acknowledge = minor != "1.5";  // license acknowledgement is new in 1.6

  const std::string root_ref = source_bom_ref(inventory.source);
  const std::string os_ref = inventory.release ? os_bom_ref(*inventory.release) : "";
  std::set<std::string> used = {root_ref};
  if (!os_ref.empty()) used.insert(os_ref);

  // bom-refs: the bare purl only where it names one package and nothing else.
  std::map<std::string, int> purl_count;
  for (const auto& op : ordered.packages) {
    if (writable_purl(op.package->purl)) ++purl_count[op.package->purl];
  }
  std::vector<std::string> refs;
  for (const auto& op : ordered.packages) {
    const std::string& purl = op.package->purl;
    const std::string short_id = op.fingerprint.substr(0, 16);
    std::string ref;
    if (writable_purl(purl) && purl_count[purl] == 1 && !used.contains(purl)) ref = purl;
    else if (writable_purl(purl)) ref = with_qualifier(purl, "package-id", short_id);
    else ref = "cairn:package:" + short_id;
    if (used.contains(ref)) ref = "cairn:package:" + op.fingerprint;
    used.insert(ref);
    refs.push_back(std::move(ref));
  }

  // The OS packages that own each package's files (sbom/ownership.h), by bom-ref.
  std::vector<std::vector<std::string>> owned_by(ordered.packages.size());
  for (const auto& [owner, owned] : ordered.owns) owned_by[owned].push_back(refs[owner]);
  Json components = Json::array();
  for (std::size_t i = 0; i < ordered.packages.size(); ++i) {
    components.push_back(package_component(inventory.source, *ordered.packages[i].package, refs[i], acknowledge,
                                           options.include_files, owned_by[i]));
  }
  if (inventory.release) components.push_back(os_component(*inventory.release, os_ref));

  std::map<std::string, std::set<std::string>> graph;  // ref -> dependsOn, sorted
  graph[root_ref];
  for (std::size_t top : ordered.top_level()) graph[root_ref].insert(refs[top]);
  for (const auto& ref : refs) graph[ref];
  for (const auto& [from, to] : ordered.depends_on) graph[refs[from]].insert(refs[to]);
  if (!os_ref.empty()) graph[os_ref];
  Json dependencies = Json::array();
  for (const auto& [ref, depends_on] : graph) {
    dependencies.push_back({{"ref", ref}, {"dependsOn", Json(std::vector<std::string>(depends_on.begin(), depends_on.end()))}});
  }

  Json tool = {{"type", "application"}, {"name", "cairn"}};
  if (!options.tool_version.empty()) tool["version"] = options.tool_version;

  Json bom;
  bom["$schema"] = "http://cyclonedx.org/schema/bom-" + minor + ".schema.json";
  bom["bomFormat"] = "CycloneDX";
  bom["specVersion"] = minor;
  bom["serialNumber"] = "";  // set below from the hash of everything else
  bom["version"] = 1;
  bom["metadata"] = {{"timestamp", rfc3339_utc(options.created_epoch)},
                     {"tools", {{"components", Json::array({tool})}}},
                     {"component", source_component(inventory, root_ref)}};
  bom["components"] = std::move(components);
  bom["dependencies"] = std::move(dependencies);

  auto dump = [](const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); };
  bom["serialNumber"] = "urn:uuid:" + content_uuid(sha256_hex(dump(bom)));
  return dump(bom) + "\n";
}

}  // namespace cairn::sbom
