// The binary classifiers on the real executables of this machine: each one found
// must give the version the program itself prints. The bytes go through the capture
// policy (the extractor runs exactly as while a layer is read) into a LayerFs, and the
// cataloger reads the extracts from there. Programs not installed are skipped.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "sbom/capture.h"
#include "sbom/catalogers/binary_classifier.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom::binary_classifier_real_test {
namespace {

namespace fs = std::filesystem;

struct RealBinary {
  std::string path;     // the real file (not a symlink), as an image would hold it
  std::string command;  // prints the version
  std::string pattern;  // its group 1 is the version as the classifier reports it
  std::string package;
};

std::ostream& operator<<(std::ostream& os, const RealBinary& b) { return os << b.path; }

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

// One read call: node is ~100 MB, too slow to copy byte by byte through an iterator.
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = in.tellg();
  if (size <= 0) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

class BinaryClassifierReal : public ::testing::TestWithParam<RealBinary> {};

TEST_P(BinaryClassifierReal, VersionIsWhatTheProgramPrints) {
  const RealBinary& b = GetParam();
  if (!fs::is_regular_file(b.path) || fs::is_symlink(b.path)) GTEST_SKIP() << b.path << " is not installed here";
  std::smatch m;
  const std::string printed = run(b.command);
  ASSERT_TRUE(std::regex_search(printed, m, std::regex(b.pattern))) << b.command << " printed: " << printed;
  const std::string expected = m[1].str();

  const Cataloger cataloger = binary_classifier_cataloger();
  CapturePolicy policy(cataloger.captures);
  Entry e;
  e.path = b.path;
  e.type = EntryType::File;
  std::string bytes = slurp(b.path);
  e.size = bytes.size();
  ASSERT_TRUE(CapturePolicy::looks_executable(bytes)) << b.path;
  policy.keep(b.path, std::move(bytes), e);
  LayerContents layer;
  layer.entries.push_back(std::move(e));
  LayerFs view;
  view.apply(layer, 0);

  auto result = cataloger.run(view, CatalogContext{});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.packages.size(), 1u) << b.path;
  const Package& p = result.packages[0];
  EXPECT_EQ(p.name, b.package);
  EXPECT_EQ(p.version, expected) << b.command << " printed: " << printed;
  EXPECT_EQ(p.locations, std::vector<std::string>{b.path});
  EXPECT_EQ(p.found_by, "binary-classifier-cataloger");
}

INSTANTIATE_TEST_SUITE_P(
    ThisMachine, BinaryClassifierReal,
    ::testing::Values(
        RealBinary{"/usr/bin/python3.11", "/usr/bin/python3.11 --version", R"(Python (\S+))", "python"},
        RealBinary{"/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "/usr/bin/python3.11 --version",
                   R"(Python (\S+))", "python"},
        RealBinary{"/usr/bin/node", "/usr/bin/node --version", R"(v(\S+))", "node"},
        RealBinary{"/usr/bin/openssl", "/usr/bin/openssl version", R"(OpenSSL (\S+))", "openssl"},
        RealBinary{"/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/bin/openssl version",
                   R"(Library: OpenSSL (\S+))", "openssl"},
        RealBinary{"/usr/bin/curl", "/usr/bin/curl --version", R"(^curl (\S+))", "curl"},
        RealBinary{"/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", "/usr/bin/curl --version", R"(libcurl/(\S+))",
                   "curl"},
        RealBinary{"/usr/bin/bash", "/usr/bin/bash --version", R"(version ([0-9.]+)\()", "bash"},
        RealBinary{"/bin/busybox", "/bin/busybox", R"(BusyBox v([0-9.]+))", "busybox"},
        RealBinary{"/usr/lib/postgresql/15/bin/postgres", "/usr/lib/postgresql/15/bin/postgres --version",
                   R"(\(PostgreSQL\) (\S+))", "postgresql"},
        RealBinary{"/usr/lib/go-1.19/bin/go", "/usr/lib/go-1.19/bin/go version", R"(go version go(\S+))", "go"},
        RealBinary{"/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -version",
                   R"(\(build ([^)]+)\))", "openjdk"},
        RealBinary{"/usr/bin/getopt", "/usr/bin/getopt --version", R"(util-linux (\S+))", "util-linux"},
        RealBinary{"/usr/bin/xz", "/usr/bin/xz --version", R"(XZ Utils\) (\S+))", "xz"},
        RealBinary{"/usr/bin/zstd", "/usr/bin/zstd --version", R"( v([0-9.]+),)", "zstd"},
        RealBinary{"/usr/bin/gzip", "/usr/bin/gzip --version", R"(gzip (\S+))", "gzip"}));

}  // namespace
}  // namespace cairn::sbom::binary_classifier_real_test
