// Hostile files for the language and binary catalogers, end to end through `cairn sbom`
// on one image: a zip bomb jar, jars nested 50 deep, a corrupt ELF, a 100 MB
// package.json and invalid UTF-8 in Python METADATA. The scan must finish, within a
// memory limit, report each bad file by name, and still report the good packages.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/image_builder.h"
#include "tests/unit/tar_builder.h"

namespace cairn::e2e {
namespace {

using cairn::testing::TarBuilder;

la_ssize_t append(archive*, void* out, const void* data, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), n);
  return static_cast<la_ssize_t>(n);
}

// A deflated zip of (name, content) entries; `zero_entries` more entries of
// `zero_bytes` zeros each are streamed in without holding them in memory.
std::string zip(const std::vector<std::pair<std::string, std::string>>& entries, int zero_entries = 0,
                std::size_t zero_bytes = 0) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_set_options(a, "zip:compression=deflate");
  archive_write_open(a, &out, nullptr, &append, nullptr);
  auto add = [&](const std::string& name, std::size_t size, auto&& write) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_write_header(a, e);
    write();
    archive_entry_free(e);
  };
  for (const auto& [name, content] : entries)
    add(name, content.size(), [&] { archive_write_data(a, content.data(), content.size()); });
  const std::string zeros(1 << 20, '\0');
  for (int i = 0; i < zero_entries; ++i)
    add("lib/zeros-" + std::to_string(i) + ".jar", zero_bytes, [&] {
      for (std::size_t done = 0; done < zero_bytes; done += zeros.size())
        archive_write_data(a, zeros.data(), std::min(zeros.size(), zero_bytes - done));
    });
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string pom_properties(const std::string& group, const std::string& artifact, const std::string& version) {
  return "groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n";
}

std::string maven_jar(const std::string& group, const std::string& artifact, const std::string& version,
                      std::vector<std::pair<std::string, std::string>> more = {}) {
  more.insert(more.begin(), {"META-INF/maven/" + group + "/" + artifact + "/pom.properties",
                             pom_properties(group, artifact, version)});
  more.insert(more.begin(), {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"});
  return zip(more);
}

TEST(BadLanguageInput, HostileFilesAreReportedAndTheRestIsCataloged) {
  TempDir dir("e2e-bad-lang");
  // 50 jars, each inside the next; the innermost names itself.
  std::string nested = maven_jar("org.example", "deepest", "50.0");
  for (int depth = 49; depth >= 1; --depth)
    nested = maven_jar("org.example", "level" + std::to_string(depth), std::to_string(depth) + ".0",
                       {{"lib/inner.jar", nested}});
  // 1.5 GiB of zeros in 15 nested "jars": a few MiB on disk, past the 1 GiB cap on what
  // one archive may decompress.
  std::string bomb = zip({{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"}}, 15, 100u << 20);
  std::string corrupt_elf = std::string("\x7f" "ELF\x02\x01\x01", 7) + std::string(9, '\0') +
                            std::string("\x02\x00\x3e\x00", 4) + std::string(100, '\xff');
  std::string big_json = "{\"name\": \"big\", \"version\": \"1.0.0\", \"description\": \"" + std::string(100u << 20, 'x') + "\"}";
  std::string bad_metadata = "Metadata-Version: 2.1\nName: b\xff\xfe" "ad\nVersion: 1.0\n";

  std::string tar = TarBuilder()
                        .file("opt/app/good.jar", maven_jar("org.example", "good", "1.0"))
                        .file("opt/app/nested.jar", nested)
                        .file("opt/app/bomb.jar", bomb)
                        .file("usr/local/bin/tool", corrupt_elf)
                        .file("app/node_modules/big/package.json", big_json)
                        .file("app/node_modules/small/package.json", R"({"name": "small", "version": "2.0.0"})")
                        .file("usr/lib/python3/dist-packages/bad-1.0.dist-info/METADATA", bad_metadata)
                        .file("usr/lib/python3/dist-packages/fine-1.0.dist-info/METADATA",
                              "Metadata-Version: 2.1\nName: fine\nVersion: 1.0\n")
                        .finish();
  write_oci_layout(dir / "layout", {gzip_layer(tar)});

  RunOptions options;
  options.timeout_seconds = 300;
  options.address_space_limit_bytes = 3ull << 30;
  auto r = run_cairn({"sbom", "oci-dir:" + (dir / "layout").string(), "-o", "cyclonedx-json"}, options);
  ASSERT_FALSE(r.signaled) << r.describe();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  json bom = parse_json(r.out, "cyclonedx");
  std::set<std::string> purls;
  for (const auto& c : bom.value("components", json::array())) purls.insert(c.value("purl", ""));
  EXPECT_TRUE(purls.count("pkg:maven/org.example/good@1.0")) << r.out.substr(0, 2000);
  EXPECT_TRUE(purls.count("pkg:maven/org.example/level1@1.0")) << "the outer jar of the deep nest";
  EXPECT_FALSE(purls.count("pkg:maven/org.example/deepest@50.0")) << "nesting is cut before 50 levels";
  EXPECT_TRUE(purls.count("pkg:npm/small@2.0.0"));
  EXPECT_TRUE(purls.count("pkg:pypi/fine@1.0"));
  for (const auto& purl : purls) EXPECT_EQ(purl.find("pkg:npm/big@"), std::string::npos) << "the 100 MB manifest is not read";
  // Each bad file is named in what cairn says.
  for (const std::string name : {"bomb.jar", "nested.jar", "big/package.json", "bad-1.0.dist-info/METADATA"})
    EXPECT_NE(r.err.find(name), std::string::npos) << "no mention of " << name << " in: " << r.err.substr(0, 4000);
}

}  // namespace
}  // namespace cairn::e2e
