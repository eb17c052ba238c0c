// The cataloger table. Each ecosystem lives in its own file and exposes one factory.
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

std::vector<CaptureRule> all_capture_rules() {
  std::vector<CaptureRule> rules = release_capture_rules();
  for (const auto& c : image_catalogers()) rules.insert(rules.end(), c.captures.begin(), c.captures.end());
  return rules;
}

}  // namespace cairn::sbom
