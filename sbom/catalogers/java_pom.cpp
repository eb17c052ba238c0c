#include "sbom/catalogers/java_pom.h"

#include "sbom/xml_subset.h"

namespace cairn::sbom {

namespace {

// Interpolation bounds: rounds of substitution (chains of properties) and result size
// (a property that doubles itself each round would otherwise grow without end).
constexpr int kMaxInterpolationRounds = 8;
constexpr std::size_t kMaxInterpolatedLength = 4096;
constexpr std::size_t kMaxDependencies = 10000;

std::string trim(std::string_view s) { return xml_trim(s); }

// Whitespace runs and line breaks folded to single spaces, as Syft cleans descriptions.
std::string fold_lines(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto nl = s.find('\n', i);
    if (nl == std::string_view::npos) nl = s.size();
    std::string line = trim(s.substr(i, nl - i));
    if (!line.empty()) out += (out.empty() ? "" : " ") + line;
    i = nl + 1;
  }
  return out;
}

std::string project_field(const PomProject& pom, std::string_view field) {
  if (field == "groupId") return pom.group_id.empty() ? pom.parent.group_id : pom.group_id;
  if (field == "artifactId") return pom.artifact_id;
  if (field == "version") return pom.version.empty() ? pom.parent.version : pom.version;
  if (field == "name") return pom.name;
  if (field == "description") return pom.description;
  if (field == "url") return pom.url;
  if (field == "packaging") return pom.packaging;
  if (field == "parent.groupId") return pom.parent.group_id;
  if (field == "parent.artifactId") return pom.parent.artifact_id;
  if (field == "parent.version") return pom.parent.version;
  return "";
}

bool lookup(const PomProject& pom, const std::string& key, std::string& value) {
  if (auto it = pom.properties.find(key); it != pom.properties.end()) {
    value = it->second;
    return true;
  }
  for (std::string_view prefix : {"project.", "pom."}) {
    if (key.starts_with(prefix)) {
      value = project_field(pom, std::string_view(key).substr(prefix.size()));
      return !value.empty();
    }
  }
  return false;
}

PomDependency read_dependency(const XmlElement& d) {
  PomDependency dep;
  dep.group_id = d.child_text("groupId");
  dep.artifact_id = d.child_text("artifactId");
  dep.version = d.child_text("version");
  dep.scope = d.child_text("scope");
  dep.optional = d.child_text("optional") == "true";
  return dep;
}

}  // namespace

std::string interpolate_pom_value(const PomProject& pom, std::string_view value) {
  std::string current(value);
  for (int round = 0; round < kMaxInterpolationRounds; ++round) {
    std::string out;
    bool changed = false;
    std::size_t i = 0;
    while (i < current.size()) {
      auto start = current.find("${", i);
      if (start == std::string::npos) break;
      auto end = current.find('}', start + 2);
      if (end == std::string::npos) break;
      out.append(current, i, start - i);
      std::string key = trim(std::string_view(current).substr(start + 2, end - start - 2));
      std::string replacement;
      if (lookup(pom, key, replacement)) {
        out += replacement;
        changed = true;
      } else {
        out.append(current, start, end - start + 1);
      }
      i = end + 1;
    }
    if (i < current.size()) out.append(current, i);
    if (out.size() > kMaxInterpolatedLength) return std::string(value);
    current = std::move(out);
    if (!changed) break;
  }
  return current;
}

Result<PomProject> parse_pom_xml(std::string_view text) {
  auto doc = parse_xml(text);
  if (!doc) return std::unexpected(doc.error());
  const XmlElement& root = *doc;
  if (root.name != "project") return input_error("root element is <" + root.name + ">, not <project>");

  PomProject pom;
  pom.group_id = root.child_text("groupId");
  pom.artifact_id = root.child_text("artifactId");
  pom.version = root.child_text("version");
  pom.name = root.child_text("name");
  pom.url = root.child_text("url");
  pom.packaging = root.child_text("packaging");
  if (const XmlElement* d = root.child("description")) pom.description = fold_lines(d->text);
  if (const XmlElement* parent = root.child("parent")) {
    pom.parent.group_id = parent->child_text("groupId");
    pom.parent.artifact_id = parent->child_text("artifactId");
    pom.parent.version = parent->child_text("version");
  }
  if (const XmlElement* props = root.child("properties"))
    for (const auto& p : props->children) pom.properties.emplace(p.name, trim(p.text));
  if (const XmlElement* licenses = root.child("licenses"))
    for (const auto& l : licenses->children)
      if (l.name == "license") pom.licenses.push_back({l.child_text("name"), l.child_text("url")});

  std::map<std::string, std::string> managed_versions;  // "group:artifact" -> version
  if (const XmlElement* management = root.child("dependencyManagement"))
    if (const XmlElement* deps = management->child("dependencies"))
      for (const auto& d : deps->children)
        if (d.name == "dependency") {
          PomDependency dep = read_dependency(d);
          managed_versions.emplace(dep.group_id + ":" + dep.artifact_id, dep.version);
        }
  if (const XmlElement* deps = root.child("dependencies")) {
    for (const auto& d : deps->children) {
      if (d.name != "dependency") continue;
      if (pom.dependencies.size() >= kMaxDependencies) break;
      PomDependency dep = read_dependency(d);
      if (dep.version.empty())
        if (auto it = managed_versions.find(dep.group_id + ":" + dep.artifact_id); it != managed_versions.end())
          dep.version = it->second;
      pom.dependencies.push_back(std::move(dep));
    }
  }

  // Project fields may themselves use properties (<version>${revision}</version>).
  PomProject raw = pom;
  for (std::string* field : {&pom.group_id, &pom.version, &pom.parent.group_id, &pom.parent.version})
    *field = interpolate_pom_value(raw, *field);
  for (auto& dep : pom.dependencies) {
    dep.group_id = interpolate_pom_value(pom, dep.group_id);
    dep.artifact_id = interpolate_pom_value(pom, dep.artifact_id);
    dep.version = interpolate_pom_value(pom, dep.version);
    dep.scope = interpolate_pom_value(pom, dep.scope);
  }
  return pom;
}

PomProperties parse_pom_properties(std::string_view text) {
  PomProperties out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto nl = text.find_first_of("\r\n", i);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = trim(text.substr(i, nl - i));
    i = nl + 1;
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    auto sep = line.find_first_of("=:");
    if (sep == std::string::npos) continue;
    std::string key = trim(std::string_view(line).substr(0, sep));
    std::string value = trim(std::string_view(line).substr(sep + 1));
    if (key == "groupId") out.group_id = value;
    else if (key == "artifactId") out.artifact_id = value;
    else if (key == "version") out.version = value;
  }
  return out;
}

}  // namespace cairn::sbom
