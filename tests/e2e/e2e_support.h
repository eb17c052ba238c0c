#pragma once
// Helpers for the end-to-end tests: run the cairn binary (or any program) capturing
// its output, exit status and peak memory; temporary directories; JSON; the lab of real
// images; the shared SBOM validator; reading package sets out of SPDX and CycloneDX.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace cairn::e2e {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct RunResult {
  int exit_code = -1;      // the program's exit status; 128+N when killed by signal N
  bool signaled = false;   // it died of a signal (a crash, or our kill on timeout)
  bool timed_out = false;  // we killed it because it ran past the timeout
  std::string out;
  std::string err;
  long peak_rss_kib = 0;   // the child's peak resident set (VmHWM, sampled)
  double seconds = 0;      // wall time

  // "exit N; stderr: ..." for assertion messages.
  std::string describe() const;
};

struct RunOptions {
  std::map<std::string, std::string> env;  // added to (or replacing in) this process's environment
  int timeout_seconds = 300;
  std::string cwd;  // empty: this process's
  // When non-zero, the child's address space is capped (ulimit -v), so a regression that
  // allocates without bound fails fast instead of taking the machine's memory.
  std::uint64_t address_space_limit_bytes = 0;
};

// Runs `program` with `args` (argv[1..]), stdout and stderr captured through files.
// With CAIRN_E2E_VERBOSE set, each command and its stderr are printed.
RunResult run_program(const std::string& program, const std::vector<std::string>& args, const RunOptions& options = {});

// Runs the cairn binary under test with SOURCE_DATE_EPOCH=0 unless options say otherwise.
RunResult run_cairn(const std::vector<std::string>& args, RunOptions options = {});

// A fresh directory under the system temp dir, removed (however deep) on destruction
// unless CAIRN_E2E_KEEP is set (to look at what a failing test built).
class TempDir {
 public:
  explicit TempDir(const std::string& label = "e2e");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  fs::path path_;
};

// Removes a tree of any depth, quickly.
void remove_tree(const fs::path& path);

std::string read_file(const fs::path& path);
void write_file(const fs::path& path, const std::string& data);
json load_json(const fs::path& path);
// Parses JSON text; a parse failure fails the current test and returns null.
json parse_json(const std::string& text, const std::string& what);

// The lab of real images: $CAIRN_LAB, else /tmp/cairn-lab.
fs::path lab_dir();
// Builds the lab with shared/lab/build-lab.sh when truth/summary.tsv is missing. Returns
// an empty string when the lab is ready, else why it is not.
std::string ensure_lab();

// Runs shared/tools/validate-sbom on the files, with its node modules cached in the
// build tree.
RunResult validate_sbom(const std::vector<fs::path>& files);

// A package as the tests compare them: name, version, architecture.
using PackageKey = std::tuple<std::string, std::string, std::string>;
std::string to_string(const PackageKey& key);

// Debian packages of a truth file: name, version, arch, source per line.
std::set<PackageKey> read_dpkg_truth(const fs::path& tsv);

// The deb packages of a CycloneDX or SPDX document (architecture from the
// cairn:package:arch property or the purl's arch qualifier).
std::set<PackageKey> cyclonedx_deb_packages(const json& bom);
std::set<PackageKey> spdx_deb_packages(const json& doc);

// A CycloneDX component's property value, or "" when absent.
std::string property(const json& component, const std::string& name);
// The CycloneDX library components named `name`.
std::vector<json> components_named(const json& bom, const std::string& name);

// What is in `a` and not in `b`, at most `limit` entries, for failure messages.
std::string difference(const std::set<PackageKey>& a, const std::set<PackageKey>& b, std::size_t limit = 10);

// Files directly in `dir`, by name.
std::set<std::string> list_dir(const fs::path& dir);

}  // namespace cairn::e2e
