#pragma once
// Dependency edges between installed Debian packages, resolved the way Syft's
// dependency processor does for dpkg: A depends on B when one of A's Depends or
// Pre-Depends clauses names B, or names something B provides. Every installed
// alternative of "a | b" gets an edge; self-edges are dropped.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/package.h"

namespace cairn::sbom::dpkg {

// The bare package name of one relationship item: "libgmp10 (>= 2:6.2.1)" -> "libgmp10",
// "foo [i386]" -> "foo", "python3:any (>= 3.11)" -> "python3". Syft cuts at the first of
// "[(<>="; cairn also drops a ":arch" qualifier, which Syft leaves in place (and so
// misses the edge).
std::string bare_name(std::string_view item);

// The bare names of the alternatives of a clause: "a (>= 1) | b" -> {"a", "b"}.
std::vector<std::string> clause_alternatives(std::string_view clause);

// A real image has tens of thousands of edges; hostile input (every package providing and
// requiring the same name) could ask for the square of the package count.
inline constexpr std::size_t kMaxDependencyEdges = 2'000'000;

// Edges over packages using Package::depends (raw clauses) and Package::name plus
// Package::provides (bare names). Sorted by (from, to), no duplicates. Stops at
// kMaxDependencyEdges and sets *truncated when it does.
std::vector<Dependency> resolve_dependencies(const std::vector<Package>& packages, bool* truncated = nullptr);

}  // namespace cairn::sbom::dpkg
