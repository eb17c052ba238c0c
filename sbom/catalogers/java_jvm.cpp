// java-jvm-cataloger: a JDK or JRE installation, from the `release` file at its root
// (JAVA_VERSION="...", JAVA_RUNTIME_VERSION="...", IMPLEMENTOR="..."), named and given
// declared CPEs as Syft does.
#include <cctype>
#include <map>
#include <string>

#include "sbom/catalogers/java.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "java-jvm-cataloger";
constexpr std::size_t kReleaseCap = 500 * 1024;  // Syft reads at most 500 KB of it

std::map<std::string, std::string> parse_release(const std::string& text) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto nl = text.find('\n', i);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(i, nl - i);
    i = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    // strings.Trim(value, `"`): every leading and trailing quote.
    auto b = value.find_first_not_of('"');
    value = b == std::string::npos ? "" : value.substr(b, value.find_last_not_of('"') - b + 1);
    out[line.substr(0, eq)] = value;
  }
  return out;
}

std::string get(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

std::string lower_no_spaces(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (c != ' ') out += static_cast<char>(std::tolower(c));
  return out;
}

std::string major(const std::string& v) { return v.substr(0, v.find('.')); }

// JAVA_RUNTIME_VERSION, else FULL_VERSION when its major matches JAVA_VERSION's, else
// JAVA_VERSION.
std::string jvm_version(const std::map<std::string, std::string>& r) {
  if (auto v = get(r, "JAVA_RUNTIME_VERSION"); !v.empty()) return v;
  const std::string full = get(r, "FULL_VERSION"), java = get(r, "JAVA_VERSION");
  if (!full.empty() && major(full) == major(java)) return full;
  return java;
}

// "1.8.0_411-b25" -> ("1.8.0", "update411"); "21.0.4+7-LTS" -> ("21.0.4", "").
std::pair<std::string, std::string> cpe_version_and_update(const std::string& v) {
  if (auto us = v.find('_'); us != std::string::npos && v.find('_', us + 1) == std::string::npos) {
    std::string update = v.substr(us + 1);
    update = update.substr(0, update.find('-'));
    auto nz = update.find_first_not_of('0');
    update = nz == std::string::npos ? (update.empty() ? "" : "0") : update.substr(nz);
    return {v.substr(0, us), update.empty() ? "" : "update" + update};
  }
  if (v.find('+') != std::string::npos) return {v.substr(0, v.find('+')), ""};
  return {v, ""};
}

std::string jvm_cpe(const std::string& vendor, const std::string& product, const std::string& version) {
  auto [short_version, update] = cpe_version_and_update(version);
  std::string cpe = make_cpe(vendor, product, short_version);
  if (update.empty()) return cpe;
  // make_cpe leaves the update field "*": it is the first of the seven trailing fields.
  const std::string tail = ":*:*:*:*:*:*:*";
  if (cpe.ends_with(tail)) cpe = cpe.substr(0, cpe.size() - tail.size()) + ":" + update + ":*:*:*:*:*:*";
  return cpe;
}

CatalogResult run(const FileResolver& files, const CatalogContext&) {
  CatalogResult result;
  for (const auto& path : files.glob("**/release")) {
    const std::string* text = files.read(path);
    if (!text) continue;
    auto r = parse_release(*text);
    if (!r.contains("JAVA_VERSION") && !r.contains("JAVA_RUNTIME_VERSION")) continue;  // not a JVM's

    const std::string install_dir = path.substr(0, path.rfind('/'));
    Package p;
    p.version = jvm_version(r);
    p.type = "binary";
    p.found_by = kCatalogerName;
    p.locations = {path};
    bool has_jdk = false;
    for (const auto& f : files.glob(install_dir + "/**")) {
      p.files.push_back(f);
      if (f.ends_with("bin/javac")) has_jdk = true;
    }
    const std::string image_type = get(r, "IMAGE_TYPE");
    const bool jdk = has_jdk || lower_no_spaces(image_type).find("jre") == std::string::npos;
    const std::string implementor = lower_no_spaces(get(r, "IMPLEMENTOR"));
    const std::string real = files.real_path(path).value_or(path);
    std::string vendor = "oracle", product = "openjdk";
    if (implementor.find("azul") != std::string::npos || real.find("zulu") != std::string::npos) {
      vendor = "azul";
      product = "zulu";
    } else if (implementor.find("sun") != std::string::npos) {
      vendor = "sun";
      product = jdk ? "jdk" : "jre";
    } else if (implementor.find("oracle") != std::string::npos || real.find("oracle") != std::string::npos) {
      product = jdk ? "jdk" : "jre";
    }
    p.name = product;
    std::string repo = get(r, "SOURCE_REPO");
    if (repo.empty()) repo = get(r, "BUILD_SOURCE_REPO");
    p.purl = make_purl("generic", vendor, product, p.version, {{"repository_url", repo}});
    if (!p.version.empty()) {
      if (vendor == "azul") {
        p.cpes = {jvm_cpe("azul", "zulu", p.version), jvm_cpe("oracle", "openjdk", p.version)};
      } else if (vendor == "sun" || (vendor == "oracle" && product != "openjdk")) {
        if (vendor == "oracle") p.cpes.push_back(jvm_cpe(vendor, "java_se", p.version));
        p.cpes.push_back(jvm_cpe(vendor, "jre", p.version));
        if (jdk) p.cpes.push_back(jvm_cpe(vendor, "jdk", p.version));
      } else {
        p.cpes = {jvm_cpe(vendor, product, p.version)};
      }
    }
    for (const char* key : {"IMPLEMENTOR", "IMPLEMENTOR_VERSION", "JAVA_VERSION", "JAVA_VERSION_DATE", "OS_ARCH",
                            "OS_NAME", "IMAGE_TYPE", "SOURCE_REPO", "BUILD_TYPE", "LIBC", "JVM_VARIANT"})
      if (auto v = get(r, key); !v.empty()) p.metadata["release_" + lower_no_spaces(key)] = v;
    result.packages.push_back(std::move(p));
  }
  return result;
}

}  // namespace

Cataloger java_jvm_cataloger() { return {kCatalogerName, {{"**/release", kReleaseCap}}, run}; }

}  // namespace cairn::sbom
