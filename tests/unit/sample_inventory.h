#pragma once
// A realistic inventory for the format tests (unit and e2e): a two-layer Debian image
// with dpkg packages, purls, CPEs, licenses (one not SPDX), dependencies, owned files and
// an all-layers deletion; plus a directory source.
#include <string>

#include "sbom/inventory.h"
#include "sbom/purl.h"

namespace cairn::testing {

inline sbom::Package sample_deb(const std::string& name, const std::string& version, std::vector<std::string> licenses,
                                int layer) {
  sbom::Package p;
  p.name = name;
  p.version = version;
  p.type = "deb";
  p.found_by = "dpkg-db-cataloger";
  p.purl = sbom::make_purl("deb", "debian", name, version, {{"arch", "amd64"}, {"distro", "debian-12"}});
  p.cpes = {sbom::make_cpe(name, name, version), sbom::make_cpe("debian", name, version)};
  p.licenses = std::move(licenses);
  p.locations = {"/var/lib/dpkg/status", "/usr/share/doc/" + name + "/copyright"};
  p.files = {"/usr/share/doc/" + name + "/copyright", "/usr/lib/x86_64-linux-gnu/lib" + name + ".so.1"};
  p.arch = "amd64";
  p.source_name = name + "-src";
  p.supplier = "Debian Maintainers <maint@lists.debian.org>";
  p.description = "the " + name + " library";
  p.metadata = {{"installedSize", "123"}, {"priority", "optional"}};
  p.layer = layer;
  return p;
}

inline sbom::Inventory sample_image_inventory() {
  sbom::Inventory inv;
  inv.source.kind = sbom::SourceInfo::Kind::Image;
  inv.source.input = "oci-dir:/tmp/lab/app:latest";
  inv.source.name = "lab/app";
  inv.source.tag = "latest";
  inv.source.manifest_digest = "sha256:" + std::string(64, 'a');
  inv.source.config_digest = "sha256:" + std::string(64, 'b');
  inv.source.media_type = "application/vnd.oci.image.manifest.v1+json";
  inv.source.os = "linux";
  inv.source.architecture = "amd64";
  inv.source.layers = {
      {"sha256:" + std::string(64, '1'), "sha256:" + std::string(64, '2'), "application/vnd.oci.image.layer.v1.tar+gzip", 1000},
      {"sha256:" + std::string(64, '3'), "sha256:" + std::string(64, '4'), "application/vnd.oci.image.layer.v1.tar+gzip", 2000},
  };
  sbom::Release r;
  r.id = "debian";
  r.version_id = "12";
  r.version = "12 (bookworm)";
  r.version_codename = "bookworm";
  r.name = "Debian GNU/Linux";
  r.pretty_name = "Debian GNU/Linux 12 (bookworm)";
  r.home_url = "https://www.debian.org/";
  r.bug_report_url = "https://bugs.debian.org/";
  inv.release = r;

  inv.packages.push_back(sample_deb("libc6", "2.36-9+deb12u4", {"LGPL-2.1+", "GPL-2+"}, 0));
  inv.packages.push_back(sample_deb("zlib1g", "1:1.2.13.dfsg-1", {"Zlib"}, 0));
  inv.packages.push_back(sample_deb("libssl3", "3.0.11-1~deb12u2", {"Apache-2.0", "Artistic", "public-domain"}, 1));
  inv.packages.push_back(sample_deb("bash", "5.2.15-2+b2", {"GPL-3+", "GPL-3.0-or-later WITH Bison-exception-2.2"}, 0));
  inv.packages.push_back(sample_deb("perl-base", "5.36.0-7", {"Perl"}, 0));
  // A package with no purl, CPE or license, as a cataloger may report one.
  sbom::Package bare;
  bare.name = "mystery";
  bare.version = "0.1";
  bare.type = "binary";
  bare.found_by = "binary-classifier-cataloger";
  bare.locations = {"/usr/local/bin/mystery"};
  bare.layer = 1;
  inv.packages.push_back(bare);
  // Present in layer 0, removed by layer 1 (all-layers scope).
  sbom::Package removed = sample_deb("curl", "7.88.1-10", {"curl"}, 0);
  removed.deleted = true;
  inv.packages.push_back(removed);
  inv.scope = "all-layers";

  // Digests of the owned files the image holds (all but curl's, whose package was removed).
  for (const auto& p : inv.packages)
    if (!p.deleted)
      for (const auto& f : p.files)
        inv.file_digests[f] = {std::string(40, 'c'), std::string(64, 'd')};

  // libssl3 and bash depend on libc6; libc6 on zlib1g (by index into packages).
  inv.dependencies = {{2, 0}, {3, 0}, {0, 1}, {6, 2}};
  return inv;
}

inline sbom::Inventory sample_directory_inventory() {
  sbom::Inventory inv;
  inv.source.kind = sbom::SourceInfo::Kind::Directory;
  inv.source.input = "dir:/srv/rootfs";
  inv.source.name = "/srv/rootfs";
  inv.packages.push_back(sample_deb("zlib1g", "1:1.2.13.dfsg-1", {"Zlib"}, -1));
  inv.packages.push_back(sample_deb("libc6", "2.36-9+deb12u4", {"LGPL-2.1+"}, -1));
  inv.dependencies = {{0, 1}};
  return inv;
}

inline sbom::WriteOptions sample_options() {
  sbom::WriteOptions o;
  o.tool_version = "0.1.0";
  o.created_epoch = 1700000000;  // 2023-11-14T22:13:20Z
  return o;
}

}  // namespace cairn::testing
