// The cataloger table. Each ecosystem lives in its own file and exposes one factory.
#include <algorithm>
#include <set>

#include "sbom/cataloger.h"
#include "sbom/catalogers/alpm.h"
#include "sbom/catalogers/apk.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/catalogers/binary_classifier.h"
#include "sbom/catalogers/dotnet.h"
#include "sbom/catalogers/dpkg.h"
#include "sbom/catalogers/go_binary.h"
#include "sbom/catalogers/java.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/php.h"
#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/catalogers/rpm.h"
#include "sbom/catalogers/ruby.h"
#include "sbom/catalogers/rust_audit.h"
#include "sbom/catalogers/rust_cargo_lock.h"

namespace cairn::sbom {

const std::vector<Cataloger>& image_catalogers() {
  static const std::vector<Cataloger> table = {
      dpkg_cataloger(),
      rpm_cataloger(),
      apk_cataloger(),
      alpm_cataloger(),
      javascript_package_cataloger(),
      javascript_lock_cataloger(),
      python_installed_cataloger(),
      python_lockfile_cataloger(),
      java_archive_cataloger(),
      java_jvm_cataloger(),
      java_pom_cataloger(),
      java_gradle_lockfile_cataloger(),
      go_module_binary_cataloger(),
      go_module_file_cataloger(),
      rust_audit_binary_cataloger(),
      rust_cargo_lock_cataloger(),
      ruby_installed_gemspec_cataloger(),
      ruby_gemfile_cataloger(),
      php_composer_installed_cataloger(),
      php_composer_lock_cataloger(),
      php_pear_serialized_cataloger(),
      dotnet_deps_binary_cataloger(),
      dotnet_packages_lock_cataloger(),
      binary_classifier_cataloger(),
  };
  return table;
}

std::vector<CaptureRule> capture_rules_of(const std::vector<Cataloger>& catalogers) {
  std::vector<CaptureRule> rules = release_capture_rules();
  for (const auto& c : catalogers) rules.insert(rules.end(), c.captures.begin(), c.captures.end());
  return rules;
}

std::vector<CaptureRule> all_capture_rules() { return capture_rules_of(image_catalogers()); }

std::string cataloger_group(const Cataloger& c) {
  static const std::set<std::string, std::less<>> os = {"dpkg-db-cataloger", "rpm-db-cataloger", "apk-db-cataloger",
                                                        "alpm-db-cataloger"};
  if (os.contains(c.name)) return "os";
  if (c.name == "binary-classifier-cataloger") return "binary";
  return "language";
}

Result<std::vector<Cataloger>> select_catalogers(const std::vector<std::string>& selection) {
  const auto& table = image_catalogers();
  std::set<std::string> wanted;
  for (const auto& s : selection) {
    bool known = s == "all" || s == "os" || s == "language" || s == "binary" ||
                 std::any_of(table.begin(), table.end(), [&](const Cataloger& c) { return c.name == s; });
    if (!known) {
      std::string valid = "all, os, language, binary";
      for (const auto& c : table) valid += ", " + c.name;
      return usage_error("--catalogers: unknown \"" + s + "\"; valid: " + valid);
    }
    wanted.insert(s);
  }
  if (wanted.empty()) wanted.insert("all");
  std::vector<Cataloger> out;
  for (const auto& c : table)
    if (wanted.contains("all") || wanted.contains(c.name) || wanted.contains(cataloger_group(c))) out.push_back(c);
  return out;
}

}  // namespace cairn::sbom
