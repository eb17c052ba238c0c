#include "sbom/catalogers/java_archive_extract.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

// JSON forms of the extract (nlohmann's ADL hooks must live in the types' namespace).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(JavaManifest, main, sections)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PomParent, group_id, artifact_id, version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PomLicense, name, url)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PomProject, group_id, artifact_id, version, name, description, url,
                                                packaging, parent, licenses)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PomProperties, path, group_id, artifact_id, version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PomXmlFile, path, project)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(JavaArchiveInfo, entry, sha1, readable, manifest_count, manifest,
                                                pom_properties, pom_xml, nested, errors)

namespace {

// The manifest fields the cataloger reads (identity, licenses, group-id hints, the New
// Relic instrumentation marker); a manifest's other fields (Import-Package runs to many
// kilobytes) are dropped.
constexpr std::array kManifestKeys = {
    "Name", "Bundle-Name", "Short-Name", "Extension-Name", "Implementation-Title", "Implementation-Version",
    "Specification-Title", "Specification-Version", "Plugin-Version", "Bundle-Version", "Bundle-License",
    "Plugin-License-Name", "Created-By", "Bundle-SymbolicName", "Implementation-Vendor-Id", "Weave-Classes",
    "Group-Id", "Specification-Vendor", "Implementation-Vendor", "Bundle-Activator", "Automatic-Module-Name",
    "Main-Class", "Package"};
constexpr std::size_t kMaxManifestValue = 4096;

constexpr std::array kArchiveExtensions = {"jar", "war", "ear", "par", "sar", "nar", "kar",
                                           "jpi", "hpi", "far", "lpkg", "rar", "zap"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

ManifestSection kept_fields(const ManifestSection& section) {
  ManifestSection out;
  for (const auto& [key, value] : section)
    if (std::find(kManifestKeys.begin(), kManifestKeys.end(), key) != kManifestKeys.end())
      out.emplace_back(key, value.substr(0, kMaxManifestValue));
  return out;
}

JavaManifest kept_fields(const JavaManifest& m) {
  JavaManifest out;
  out.main = kept_fields(m.main);
  for (const auto& s : m.sections)
    if (auto kept = kept_fields(s); !kept.empty()) out.sections.push_back(std::move(kept));
  return out;
}

bool is_pom_properties(std::string_view name) {
  return name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties");
}
bool is_pom_xml(std::string_view name) { return name.starts_with("META-INF/maven/") && name.ends_with("/pom.xml"); }

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// Budgets shared by an archive and everything nested in it.
struct Budget {
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

class Scanner {
 public:
  explicit Scanner(const JavaArchiveLimits& limits) : limits_(limits) {}

  void scan(std::string_view bytes, std::size_t depth, JavaArchiveInfo& info) {
    info.sha1 = sha1_hex(bytes);
    std::unique_ptr<struct archive, ArchiveDeleter> a(archive_read_new());
    if (!a) {
      info.errors.push_back("cannot allocate a zip reader");
      return;
    }
    // The seekable reader starts from the central directory, as the JVM and Syft do, so
    // entries a streaming reader would see twice (or not at all) are read once.
    archive_read_support_format_zip_seekable(a.get());
    if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
      info.errors.push_back(std::string("not a readable zip archive: ") + message(a.get()));
      return;
    }
    info.readable = true;
    std::size_t listed = 0;
    struct archive_entry* entry = nullptr;
    for (;;) {
      int r = archive_read_next_header(a.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r == ARCHIVE_RETRY) continue;
      if (r < ARCHIVE_WARN) {
        info.errors.push_back(std::string("zip directory unreadable after ") + std::to_string(listed) +
                              " entries: " + message(a.get()));
        break;
      }
      if (++budget_.entries > limits_.max_entries) {
        info.errors.push_back("more than " + std::to_string(limits_.max_entries) +
                              " entries; the rest were not read");
        break;
      }
      ++listed;
      const char* raw_name = archive_entry_pathname(entry);
      if (!raw_name) raw_name = archive_entry_pathname_utf8(entry);
      if (!raw_name || archive_entry_filetype(entry) == AE_IFDIR) continue;
      std::string name(raw_name);
      while (name.starts_with("/")) name.erase(0, 1);
      handle_entry(a.get(), name, depth, info);
      if (exhausted_) break;
    }
    // A zip whose central directory lists nothing is empty or corrupt: either way there
    // is no evidence in it, which the user should hear about.
    if (listed == 0 && info.errors.empty()) info.errors.push_back("no entries in the zip central directory");
    auto by_path = [](const auto& x, const auto& y) { return x.path < y.path; };
    std::sort(info.pom_properties.begin(), info.pom_properties.end(), by_path);
    std::sort(info.pom_xml.begin(), info.pom_xml.end(), by_path);
    std::sort(info.nested.begin(), info.nested.end(),
              [](const JavaArchiveInfo& x, const JavaArchiveInfo& y) { return x.entry < y.entry; });
  }

 private:
  static std::string message(struct archive* a) {
    const char* m = archive_error_string(a);
    return m ? m : "unknown error";
  }

  // Reads the current entry's data, at most `cap` bytes (and within the shared budget);
  // nullopt with an error recorded when it is larger or unreadable.
  std::optional<std::string> read_data(struct archive* a, const std::string& name, std::size_t cap,
                                       JavaArchiveInfo& info) {
    std::string out;
    std::array<char, 64 * 1024> buf;
    for (;;) {
      la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
      if (n == 0) return out;
      if (n < 0) {
        info.errors.push_back("entry " + excerpt(name, 200) + ": unreadable: " + message(a));
        return std::nullopt;
      }
      const auto got = static_cast<std::size_t>(n);
      budget_.bytes += got;
      if (budget_.bytes > limits_.max_total_bytes) {
        info.errors.push_back("entry " + excerpt(name, 200) + ": more than " + std::to_string(limits_.max_total_bytes) +
                              " bytes decompressed in all (zip bomb?); reading stopped");
        exhausted_ = true;
        return std::nullopt;
      }
      if (out.size() + got > cap) {
        info.errors.push_back("entry " + excerpt(name, 200) + ": larger than " + std::to_string(cap) +
                              " bytes; skipped");
        return std::nullopt;
      }
      out.append(buf.data(), got);
    }
  }

  void handle_entry(struct archive* a, const std::string& name, std::size_t depth, JavaArchiveInfo& info) {
    if (name == "META-INF/MANIFEST.MF") {
      ++info.manifest_count;
      if (info.manifest_count > 1) return;
      if (auto text = read_data(a, name, limits_.max_manifest_bytes, info))
        info.manifest = kept_fields(parse_java_manifest(*text));
    } else if (is_pom_properties(name)) {
      if (auto text = read_data(a, name, limits_.max_pom_properties_bytes, info)) {
        PomProperties p = parse_pom_properties(*text);
        p.path = name;
        info.pom_properties.push_back(std::move(p));
      }
    } else if (is_pom_xml(name)) {
      if (auto text = read_data(a, name, limits_.max_pom_xml_bytes, info)) {
        auto pom = parse_pom_xml(*text);
        if (!pom) {
          info.errors.push_back("entry " + excerpt(name, 200) + ": " + pom.error().message);
          return;
        }
        pom->dependencies.clear();
        pom->properties.clear();
        info.pom_xml.push_back({name, std::move(*pom)});
      }
    } else if (is_java_archive_name(name)) {
      if (depth + 1 > limits_.max_depth) {
        info.errors.push_back("entry " + excerpt(name, 200) + ": archives nested deeper than " +
                              std::to_string(limits_.max_depth) + "; not read");
        return;
      }
      auto bytes = read_data(a, name, limits_.max_nested_archive_bytes, info);
      if (!bytes) return;
      JavaArchiveInfo nested;
      nested.entry = name;
      scan(*bytes, depth + 1, nested);
      info.nested.push_back(std::move(nested));
    }
  }

  const JavaArchiveLimits& limits_;
  Budget budget_;
  bool exhausted_ = false;
};

}  // namespace

bool is_java_archive_name(std::string_view path) {
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return false;
  const std::string ext = lower(path.substr(dot + 1));
  return std::find(kArchiveExtensions.begin(), kArchiveExtensions.end(), ext) != kArchiveExtensions.end();
}

JavaArchiveInfo scan_java_archive(std::string_view bytes, const JavaArchiveLimits& limits) {
  JavaArchiveInfo info;
  Scanner(limits).scan(bytes, 0, info);
  return info;
}

std::optional<std::string> extract_java_archive(std::string_view, std::string_view bytes) {
  nlohmann::json j = scan_java_archive(bytes);
  // Entry names and manifest values are hostile bytes: invalid UTF-8 is replaced rather
  // than thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<JavaArchiveInfo> parse_java_archive_extract(std::string_view json) {
  try {
    return nlohmann::json::parse(json).get<JavaArchiveInfo>();
  } catch (const nlohmann::json::exception& e) {
    return input_error(std::string("unreadable Java archive extract: ") + e.what());
  }
}

}  // namespace cairn::sbom
