#pragma once
// The inventory in the canonical order every format writes: packages sorted by name,
// version, type, purl, first location and then content; identical packages merged;
// dependencies mapped to those positions. Input order never shows in the output.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sbom/inventory.h"

namespace cairn::sbom {

struct OrderedPackage {
  const Package* package = nullptr;
  std::string fingerprint;  // package_fingerprint(): SHA-256 hex of every field
};

struct OrderedInventory {
  std::vector<OrderedPackage> packages;
  // (from, to) positions in `packages`: from depends on to. Sorted, unique, no self-edges,
  // indices outside the inventory dropped.
  std::vector<std::pair<std::size_t, std::size_t>> depends_on;
  // (owner, owned) positions: an OS package owns the files the other was found by.
  std::vector<std::pair<std::size_t, std::size_t>> owns;

  // Positions of packages no other package depends on, in order.
  std::vector<std::size_t> top_level() const;
};

OrderedInventory order_inventory(const Inventory& inventory);

}  // namespace cairn::sbom
