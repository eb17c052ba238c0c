#include "sbom/formats/ordered_inventory.h"

#include <algorithm>
#include <tuple>

#include "sbom/formats/ids.h"

namespace cairn::sbom {

namespace {

const std::string& first_location(const Package& p) {
  static const std::string none;
  return p.locations.empty() ? none : p.locations.front();
}

bool canonical_less(const OrderedPackage& a, const OrderedPackage& b) {
  const Package& x = *a.package;
  const Package& y = *b.package;
  return std::tie(x.name, x.version, x.type, x.purl, first_location(x), a.fingerprint) <
         std::tie(y.name, y.version, y.type, y.purl, first_location(y), b.fingerprint);
}

}  // namespace

std::vector<std::size_t> OrderedInventory::top_level() const {
  std::vector<bool> depended_on(packages.size(), false);
  for (const auto& [from, to] : depends_on) depended_on[to] = true;
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    if (!depended_on[i]) out.push_back(i);
  }
  return out;
}

OrderedInventory order_inventory(const Inventory& inventory) {
  std::vector<OrderedPackage> all;
  all.reserve(inventory.packages.size());
  for (const auto& p : inventory.packages) all.push_back({&p, package_fingerprint(p)});

  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return canonical_less(all[a], all[b]); });

  // Identical packages (same fingerprint) sort next to each other and become one.
  OrderedInventory out;
  std::vector<std::size_t> position(all.size());
  for (std::size_t input : order) {
    if (out.packages.empty() || out.packages.back().fingerprint != all[input].fingerprint) {
      out.packages.push_back(all[input]);
    }
    position[input] = out.packages.size() - 1;
  }

  for (const auto& d : inventory.dependencies) {
    if (d.from >= all.size() || d.to >= all.size()) continue;
    std::size_t from = position[d.from], to = position[d.to];
    if (from != to) out.depends_on.emplace_back(from, to);
  }
  for (const auto& d : inventory.ownerships) {
    if (d.from >= all.size() || d.to >= all.size()) continue;
    std::size_t from = position[d.from], to = position[d.to];
    if (from != to) out.owns.emplace_back(from, to);
  }
  for (auto* edges : {&out.depends_on, &out.owns}) {
    std::sort(edges->begin(), edges->end());
    edges->erase(std::unique(edges->begin(), edges->end()), edges->end());
  }
  return out;
}

}  // namespace cairn::sbom
