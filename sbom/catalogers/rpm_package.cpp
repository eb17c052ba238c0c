#include "sbom/catalogers/rpm_package.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "sbom/catalogers/distro_qualifier.h"
#include "sbom/catalogers/provides_resolver.h"
#include "sbom/purl.h"

namespace cairn::sbom::rpm {
namespace {

// A boolean dependency starts with '(' (rpm.org manual: boolean dependencies).
bool supported_key(std::string_view key) {
  auto first = key.find_first_not_of(" \t");
  return first != std::string_view::npos && key[first] != '(';
}

std::string purl_namespace(const std::optional<Release>& distro) {
  if (!distro) return "";
  const std::string& id = distro->id;
  if (id == "rhel" || id == "hummingbird") return "redhat";
  if (id.rfind("opensuse", 0) == 0) return "opensuse";
  return id;
}

// "red_hat_inc" from "Red Hat, Inc.": CPE vendors are lowercase words joined by '_'.
std::string cpe_vendor(std::string_view vendor) {
  std::string out;
  for (unsigned char c : vendor) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

std::string el_version(const HeaderInfo& h) {
  std::string v = h.version + "-" + h.release;
  if (h.epoch) v = std::to_string(*h.epoch) + ":" + v;
  return v;
}

std::string package_url(const HeaderInfo& h, const std::optional<Release>& distro) {
  std::vector<PurlQualifier> q;
  q.push_back({"arch", h.arch});
  if (h.epoch) q.push_back({"epoch", std::to_string(*h.epoch)});
  q.push_back({"upstream", h.source_rpm});
  if (distro) q.push_back({"distro", distro_qualifier(*distro)});
  // The epoch is a qualifier, never part of the purl version (purl-spec, rpm type).
  return make_purl("rpm", purl_namespace(distro), h.name, h.version + "-" + h.release, std::move(q));
}

Package to_package(const HeaderInfo& h, const std::string& location, const std::optional<Release>& distro,
                   const FileResolver& files) {
  Package p;
  p.name = h.name;
  p.version = el_version(h);
  p.type = "rpm";
  p.found_by = kDbCatalogerName;
  p.purl = package_url(h, distro);
  p.cpes.push_back(make_cpe(h.name, h.name, p.version));
  if (auto vendor = cpe_vendor(h.vendor); !vendor.empty() && vendor != h.name)
    p.cpes.push_back(make_cpe(vendor, h.name, p.version));
  if (!h.license.empty()) p.licenses.push_back(h.license);
  p.locations.push_back(location);
  for (const auto& f : h.files)
    if (files.exists(f.path)) p.files.push_back(f.path);
  p.arch = h.arch;
  p.source_name = h.source_rpm;
  p.supplier = h.vendor;
  p.depends = h.requires_names;
  p.provides = h.provides_names;
  if (h.epoch) p.metadata["epoch"] = std::to_string(*h.epoch);
  p.metadata["release"] = h.release;
  p.metadata["size"] = std::to_string(h.size);
  if (!h.modularity_label.empty()) p.metadata["modularityLabel"] = h.modularity_label;
  if (!h.signatures.empty()) {
    std::string joined;
    for (const auto& s : h.signatures) joined += (joined.empty() ? "" : "; ") + s;
    p.metadata["signatures"] = joined;
  }
  return p;
}

std::vector<Dependency> resolve_dependencies(const std::vector<Package>& packages) {
  std::vector<ProvidesRequires> specs(packages.size());
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    specs[i].provides.push_back(p.name);
    for (const auto& key : p.provides)
      if (supported_key(key)) specs[i].provides.push_back(key);
    // Owned files are provided too: "Requires: /bin/sh" is met by the package owning it.
    specs[i].provides.insert(specs[i].provides.end(), p.files.begin(), p.files.end());
    for (const auto& key : p.depends)
      if (supported_key(key)) specs[i].requirements.push_back(key);
  }
  auto edges = resolve_provides(specs);
  std::sort(edges.begin(), edges.end());
  return edges;
}

}  // namespace cairn::sbom::rpm
