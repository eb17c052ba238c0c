#include "sbom/catalogers/ruby.h"

#include "sbom/catalogers/gemfile_lock.h"
#include "sbom/catalogers/provides_resolver.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kGemspecCatalogerName = "ruby-installed-gemspec-cataloger";
constexpr const char* kGemfileCatalogerName = "ruby-gemfile-cataloger";
constexpr const char* kGemspecPattern = "**/specifications/**/*.gemspec";
// Generated stubs are a few kilobytes; a spec listing every file of a big gem stays
// well under this.
constexpr std::size_t kGemspecCap = 4 * 1024 * 1024;
constexpr const char* kGemfileLockPattern = "**/Gemfile.lock";
// Bundler's dual-boot convention (bundle exec with BUNDLE_GEMFILE=Gemfile.next), read by
// Syft too.
constexpr const char* kGemfileNextLockPattern = "**/Gemfile.next.lock";
constexpr std::size_t kGemfileLockCap = 16 * 1024 * 1024;

CaptureRule rule(const char* pattern, std::size_t cap) {
  CaptureRule r;
  r.pattern = pattern;
  r.max_bytes = cap;
  return r;
}

std::string not_read(const std::string& path, std::size_t cap, const char* what) {
  return path + ": not read (larger than the " + std::to_string(cap >> 20) + " MiB " + what +
         " cap, or not a regular file)";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// "<home>/specifications/<full name>.gemspec" -> "<home>/gems/<full name>", the directory
// RubyGems unpacks the gem into; empty when the spec is not laid out like that.
std::string gem_directory(const std::string& spec_path) {
  static const std::string kMarker = "/specifications/";
  auto marker = spec_path.rfind(kMarker);
  if (marker == std::string::npos || !spec_path.ends_with(".gemspec")) return "";
  std::string full_name = spec_path.substr(marker + kMarker.size());
  full_name.resize(full_name.size() - std::string(".gemspec").size());
  if (full_name.empty() || full_name.find('/') != std::string::npos) return "";
  return spec_path.substr(0, marker) + "/gems/" + full_name;
}

CatalogResult catalog_gemspecs(const FileResolver& files) {
  CatalogResult result;
  for (const auto& path : files.glob(kGemspecPattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kGemspecCap, "gemspec"));
      continue;
    }
    auto spec = parse_gemspec(*content);
    if (!spec) {
      result.errors.push_back(path + ": " + spec.error().message);
      continue;
    }
    result.packages.push_back(gemspec_package(*spec, path));
  }
  return result;
}

CatalogResult catalog_gemfile_locks(const FileResolver& files) {
  CatalogResult result;
  std::vector<std::string> paths = files.glob(kGemfileLockPattern);
  for (auto& next : files.glob(kGemfileNextLockPattern)) paths.push_back(std::move(next));
  for (const auto& path : paths) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kGemfileLockCap, "Gemfile.lock"));
      continue;
    }
    const std::size_t first = result.packages.size();
    std::vector<ProvidesRequires> links;
    for (auto& entry : parse_gemfile_lock(*content)) {
      Package p;
      p.name = entry.name;
      p.version = entry.version;
      p.type = "gem";
      p.found_by = kGemfileCatalogerName;
      p.purl = gem_purl(entry.name, entry.version);
      p.locations.push_back(path);
      p.depends = entry.dependencies;
      links.push_back({{entry.name}, std::move(entry.dependencies)});
      result.packages.push_back(std::move(p));
    }
    if (result.packages.size() == first) {
      result.errors.push_back(path + ": no gem specs found in the GEM, GIT, PATH or PLUGIN SOURCE sections");
    }
    // Edges stay within one lock file: another project's lock is another dependency tree.
    for (const auto& d : resolve_provides(links)) result.dependencies.push_back({first + d.from, first + d.to});
  }
  return result;
}

}  // namespace

std::string gem_purl(const std::string& name, const std::string& version) {
  return make_purl("gem", "", name, version);
}

Package gemspec_package(const Gemspec& spec, const std::string& path) {
  Package p;
  p.name = spec.name;
  p.version = spec.version;
  p.type = "gem";
  p.found_by = kGemspecCatalogerName;
  p.purl = gem_purl(spec.name, spec.version);
  p.licenses = spec.licenses;
  p.locations.push_back(path);
  if (!spec.authors.empty()) p.metadata["authors"] = joined(spec.authors);
  if (!spec.homepage.empty()) p.metadata["homepage"] = spec.homepage;
  const std::string gem_dir = gem_directory(path);
  for (const auto& file : spec.files) {
    // normalize_path keeps a hostile "../../etc/passwd" inside the root; it still names
    // a path outside the gem, so such entries are left out.
    if (gem_dir.empty() || file.empty() || file.front() == '/' || file.find("..") != std::string::npos) continue;
    p.files.push_back(normalize_path(gem_dir + "/" + file));
  }
  return p;
}

Cataloger ruby_installed_gemspec_cataloger() {
  Cataloger c;
  c.name = kGemspecCatalogerName;
  c.captures = {rule(kGemspecPattern, kGemspecCap)};
  c.run = [](const FileResolver& files, const CatalogContext&) { return catalog_gemspecs(files); };
  return c;
}

Cataloger ruby_gemfile_cataloger() {
  Cataloger c;
  c.name = kGemfileCatalogerName;
  c.captures = {rule(kGemfileLockPattern, kGemfileLockCap), rule(kGemfileNextLockPattern, kGemfileLockCap)};
  c.run = [](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source ? catalog_gemfile_locks(files) : CatalogResult{};
  };
  return c;
}

}  // namespace cairn::sbom
