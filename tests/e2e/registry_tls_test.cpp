// TLS is verified by default: a registry whose certificate the system store does not
// trust is refused with advice (--ca-file), works with its CA given, and works with
// --insecure-registry; cairn never falls back to plain HTTP when the certificate fails.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/registry_fixture.h"
#include "tests/e2e/small_image.h"

namespace cairn::e2e {
namespace {

TEST(RegistryTls, CertificatesAreVerifiedByDefault) {
  TempDir dir("registry-tls");
  auto cert = dir / "cert.pem", key = dir / "key.pem";
  auto made = run_program("/usr/bin/openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                               "-keyout", key.string(), "-out", cert.string(), "-subj", "/CN=cairn test registry",
                                               "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2"});
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  int port = free_port();
  ASSERT_GT(port, 0);
  std::string host = "127.0.0.1:" + std::to_string(port);
  write_file(dir / "config.yml", "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: " + (dir / "data").string() +
                                     "\nhttp:\n  addr: " + host + "\n  secret: cairn-tls-test\n  tls:\n    certificate: " + cert.string() +
                                     "\n    key: " + key.string() + "\n");
  ChildProcess registry;
  ASSERT_EQ(registry.spawn({"/usr/bin/docker-registry", "serve", (dir / "config.yml").string()}, (dir / "out.log").string(),
                           (dir / "err.log").string()),
            "");
  bool up = false;
  for (int i = 0; i < 150 && !up; ++i) {
    auto probe = run_program("/usr/bin/curl", {"-s", "-o", (dir / "probe.out").string(), "-w", "%{http_code}", "--cacert", cert.string(), "https://" + host + "/v2/"});
    up = probe.out == "200";
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up) << read_file(dir / "err.log");
  auto image = make_small_image(dir / "img", "v1");
  std::string src = "oci-dir:" + image.layout.string() + ":v1";

  auto refused = run_cairn({"copy", src, host + "/app:v1"});
  EXPECT_EQ(refused.exit_code, 3) << refused.describe();
  EXPECT_NE(refused.err.find("not trusted"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--ca-file"), std::string::npos) << refused.err;

  auto trusted = run_cairn({"copy", "--ca-file", cert.string(), src, host + "/app:v1"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.describe();
  auto insecure = run_cairn({"discover", "--insecure-registry", host, host + "/app:v1"});
  EXPECT_EQ(insecure.exit_code, 0) << insecure.describe();
  auto scanned = run_cairn({"sbom", "--ca-file", cert.string(), host + "/app:v1", "-o", "table"});
  EXPECT_EQ(scanned.exit_code, 0) << scanned.describe();
  EXPECT_NE(scanned.out.find("small-tool"), std::string::npos);
}

}  // namespace
}  // namespace cairn::e2e
