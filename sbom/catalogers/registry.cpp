// The cataloger table. Each ecosystem lives in its own file and exposes one factory.
#include "sbom/cataloger.h"
#include "sbom/catalogers/alpm.h"
#include "sbom/catalogers/apk.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/catalogers/dpkg.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/catalogers/rpm.h"

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
  };
  return table;
}

std::vector<CaptureRule> all_capture_rules() {
  std::vector<CaptureRule> rules = release_capture_rules();
  for (const auto& c : image_catalogers()) rules.insert(rules.end(), c.captures.begin(), c.captures.end());
  return rules;
}

}  // namespace cairn::sbom
