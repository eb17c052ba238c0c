#pragma once
// What the yarn, pnpm, bun and deno lock-file parsers produce: the locked packages and
// the "depends on" edges between them, before they become cairn packages. Development
// dependencies are marked, not dropped, so the cataloger decides (Syft's
// IncludeDevDependencies).
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cairn::sbom {

struct JsLockedPackage {
  std::string name;
  std::string version;
  std::string resolved;   // where it came from: a tarball URL, "name@npm:1.2.3", …
  std::string integrity;  // "sha512-…", a yarn berry checksum, a deno hash
  // A package from another registry than npm's (deno's jsr.io, remote modules): the
  // purl's repository_url qualifier.
  std::string repository_url;
  std::map<std::string, std::string> metadata;  // other fields worth keeping (os, cpu, url)
  bool dev = false;  // a development dependency (explicitly, or only reachable from dev roots)
};

struct JsLockGraph {
  std::vector<JsLockedPackage> packages;
  std::vector<std::pair<std::size_t, std::size_t>> depends;  // (from, to): from depends on to
  // Entries that were skipped or not understood, each naming the line or key.
  std::vector<std::string> warnings;
};

// Marks as dev the packages reachable (by name, following `depends`) from `dev_roots`
// but not from `prod_roots`: what a project's devDependencies pull in and nothing else
// needs. Packages reachable from neither are left alone.
void mark_dev_only(JsLockGraph& graph, const std::set<std::string>& prod_roots, const std::set<std::string>& dev_roots);

// The graph without its dev packages (edges renumbered).
JsLockGraph without_dev(const JsLockGraph& graph);

// Adds an edge; self edges are dropped. dedupe_edges() sorts them and drops repeats.
void add_edge(JsLockGraph& graph, std::size_t from, std::size_t to);
void dedupe_edges(JsLockGraph& graph);

// "5.3.2_acorn@8.8.0" / "13.4.0(react-dom@18.2.0)" -> the version without pnpm's or
// deno's peer-dependency suffix. '_' counts only after a version that starts with a digit,
// so a path or URL keeps its underscores.
std::string strip_peer_suffix(const std::string& version);

// "@scope/name@1.2.3" -> {"@scope/name", "1.2.3"}: split at the last '@' that is not the
// scope's. {"", ""} when there is none.
std::pair<std::string, std::string> split_name_at_version(const std::string& spec);

}  // namespace cairn::sbom
