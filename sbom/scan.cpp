#include "sbom/scan.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "core/log.h"
#include "sbom/capture.h"
#include "sbom/cataloger.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/layer_reader.h"
#include "sbom/ownership.h"

namespace cairn::sbom {

namespace {

// Packages are the same across layer views when these agree.
std::string package_key(const Package& p) {
  return p.type + '\x1f' + p.name + '\x1f' + p.version + '\x1f' + p.arch + '\x1f' +
         (p.locations.empty() ? std::string() : p.locations.front());
}

struct ViewResult {
  std::optional<Release> release;
  std::vector<Package> packages;
  std::vector<Dependency> dependencies;
  std::vector<Dependency> ownerships;  // from = OS package, to = the package it owns
  std::vector<std::string> errors;
};

ViewResult catalog_view(const LayerFs& fs, bool directory_source, const std::vector<Cataloger>& catalogers) {
  ViewResult view;
  view.release = identify_release(fs);
  CatalogContext context{view.release, directory_source};
  for (const auto& cataloger : catalogers) {
    CatalogResult r = cataloger.run(fs, context);
    std::size_t base = view.packages.size();
    for (auto& p : r.packages) {
      if (p.found_by.empty()) p.found_by = cataloger.name;
      view.packages.push_back(std::move(p));
    }
    for (const auto& d : r.dependencies)
      if (d.from < r.packages.size() && d.to < r.packages.size()) view.dependencies.push_back({base + d.from, base + d.to});
    for (auto& e : r.errors) view.errors.push_back(cataloger.name + ": " + e);
  }
  auto owned = apply_file_ownership(std::move(view.packages), view.dependencies, fs);
  view.packages = std::move(owned.packages);
  view.dependencies = std::move(owned.dependencies);
  view.ownerships = std::move(owned.ownerships);
  return view;
}

bool layer_can_change_packages(const LayerContents& layer) {
  if (!layer.whiteouts.empty() || !layer.opaque_dirs.empty()) return true;
  return std::any_of(layer.entries.begin(), layer.entries.end(), [](const Entry& e) {
    return e.content != nullptr || e.extracts != nullptr || e.type == EntryType::Symlink || e.type == EntryType::Hardlink;
  });
}

// Sorts packages into the deterministic order the formats rely on, remapping edges.
void sort_inventory(Inventory& inv) {
  std::vector<std::size_t> order(inv.packages.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto tie = [&](std::size_t i) {
    const Package& p = inv.packages[i];
    return std::tie(p.name, p.version, p.type, p.arch, p.purl, p.locations);
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tie(a) < tie(b); });
  std::vector<std::size_t> new_index(order.size());
  std::vector<Package> sorted;
  sorted.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    sorted.push_back(std::move(inv.packages[order[i]]));
  }
  inv.packages = std::move(sorted);
  for (auto* edges : {&inv.dependencies, &inv.ownerships}) {
    for (auto& d : *edges) d = {new_index[d.from], new_index[d.to]};
    std::sort(edges->begin(), edges->end());
    edges->erase(std::unique(edges->begin(), edges->end()), edges->end());
  }
  std::sort(inv.errors.begin(), inv.errors.end());
  inv.errors.erase(std::unique(inv.errors.begin(), inv.errors.end()), inv.errors.end());
}

// Applies the layers in order, cataloguing each view, and keeps for every package the
// first layer whose view contains it. In all-layers scope, packages that a later layer
// removed are kept, marked deleted.
Inventory build_inventory(const std::vector<LayerContents>& layers, Scope scope, bool hash_files,
                          bool directory_source, const std::vector<Cataloger>& catalogers) {
  LayerFs fs;
  std::map<std::string, int> first_seen;
  std::vector<ViewResult> views;  // only views that could differ from the previous one
  std::vector<int> view_layer;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    fs.apply(layers[i], static_cast<int>(i));
    bool last = i + 1 == layers.size();
    if (!last && !layer_can_change_packages(layers[i]) && !views.empty()) continue;
    views.push_back(catalog_view(fs, directory_source, catalogers));
    view_layer.push_back(static_cast<int>(i));
    for (const auto& p : views.back().packages) first_seen.emplace(package_key(p), static_cast<int>(i));
  }
  Inventory inv;
  if (views.empty()) return inv;
  ViewResult& final_view = views.back();
  inv.release = final_view.release;
  inv.errors = final_view.errors;
  std::map<std::string, std::size_t> index_of;
  for (auto& p : final_view.packages) {
    p.layer = first_seen[package_key(p)];
    index_of.emplace(package_key(p), inv.packages.size());
    inv.packages.push_back(std::move(p));
  }
  inv.dependencies = final_view.dependencies;
  inv.ownerships = final_view.ownerships;
  if (scope == Scope::AllLayers) {
    inv.scope = "all-layers";
    // Walk earlier views newest first so a deleted package keeps its latest details.
    for (std::size_t v = views.size() - 1; v-- > 0;) {
      auto& view = views[v];
      std::vector<std::size_t> local(view.packages.size());
      for (std::size_t k = 0; k < view.packages.size(); ++k) {
        std::string key = package_key(view.packages[k]);
        auto [it, inserted] = index_of.emplace(key, inv.packages.size());
        if (inserted) {
          Package p = view.packages[k];
          p.layer = first_seen[key];
          p.deleted = true;
          inv.packages.push_back(std::move(p));
        }
        local[k] = it->second;
      }
      for (const auto& d : view.dependencies) inv.dependencies.push_back({local[d.from], local[d.to]});
      for (const auto& d : view.ownerships) inv.ownerships.push_back({local[d.from], local[d.to]});
      for (const auto& e : view.errors) inv.errors.push_back(e);
    }
  }
  if (hash_files) {
    for (const auto& p : inv.packages)
      for (const auto& path : p.files)
        if (auto d = fs.file_digests(path)) inv.file_digests.emplace(path, FileDigest{d->sha1, d->sha256});
  }
  sort_inventory(inv);
  return inv;
}

}  // namespace

Result<Inventory> scan_image(const oci::OpenedImage& image, const std::string& input, const ScanOptions& options) {
  auto catalogers = select_catalogers(options.catalogers);
  if (!catalogers) return std::unexpected(catalogers.error());
  CapturePolicy policy(capture_rules_of(*catalogers));
  const std::size_t n = image.layers.size();
  std::vector<std::optional<Result<LayerReadResult>>> results(n);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      const auto& ref = image.layers[i];
      auto stream = image.open_layer(i);
      if (!stream) {
        results[i] = std::unexpected(stream.error().context(ref.name));
        continue;
      }
      results[i] = read_layer(**stream, {ref.digest, ref.size, ref.diff_id}, policy, ref.name, options.hash_files);
    }
  };
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  Inventory placeholder;
  SourceInfo& src = placeholder.source;
  src.kind = SourceInfo::Kind::Image;
  src.input = input;
  src.name = image.name;
  src.tag = image.tag;
  src.manifest_digest = image.manifest_digest ? image.manifest_digest->str() : "";
  src.index_digest = image.index_digest ? image.index_digest->str() : "";
  src.config_digest = image.config_digest.str();
  src.media_type = image.media_type;
  src.os = image.platform.os;
  src.architecture = image.platform.architecture;
  src.variant = image.platform.variant;

  std::vector<LayerContents> layers;
  layers.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& r = *results[i];
    if (!r) return std::unexpected(r.error());
    if (r->missing_end_blocks)
      log::warn(image.layers[i].name + ": the tar stream ends without its end-of-archive blocks; accepted the " +
                std::to_string(r->contents.entries.size()) + " complete entries, as GNU tar does");
    src.layers.push_back({r->digest.str(), r->diff_id.str(), image.layers[i].media_type, r->size});
    layers.push_back(std::move(r->contents));
  }
  results.clear();
  Inventory inv = build_inventory(layers, options.scope, options.hash_files, /*directory_source=*/false, *catalogers);
  inv.source = std::move(src);
  return inv;
}

Result<Inventory> scan_directory(const std::string& path, const std::string& input, const ScanOptions& options) {
  auto catalogers = select_catalogers(options.catalogers);
  if (!catalogers) return std::unexpected(catalogers.error());
  CapturePolicy policy(capture_rules_of(*catalogers));
  auto contents = read_directory(path, policy, options.hash_files);
  if (!contents) return std::unexpected(contents.error());
  std::vector<LayerContents> layers;
  layers.push_back(std::move(*contents));
  Inventory inv = build_inventory(layers, Scope::Squashed, options.hash_files, /*directory_source=*/true, *catalogers);
  if (options.scope == Scope::AllLayers) inv.scope = "all-layers";
  for (auto& p : inv.packages) p.layer = -1;  // a directory has no layers
  inv.source.kind = SourceInfo::Kind::Directory;
  inv.source.input = input;
  inv.source.name = path;
  return inv;
}

}  // namespace cairn::sbom
