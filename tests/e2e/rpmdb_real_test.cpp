// Real rpm databases: Debian's rpm builds three small packages (requires, provides,
// files, an epoch, a boolean dependency, a header large enough for several overflow
// pages), signs them when gpg is present, and installs them into a fresh sqlite rpmdb.
// The cataloger's view of that database must match `rpm -qa --queryformat`.
//
// Debian's rpm writes only sqlite (its backends are sqlite, bdb_ro and dummy), so the
// Berkeley DB and ndb databases are assembled from the same rpm-written header blobs by
// tests/unit/rpm_fixtures.h; the Berkeley DB one is first read back by rpm's own bdb_ro
// backend, which proves it is a database rpm accepts.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "sbom/catalogers/rpm.h"
#include "sbom/catalogers/rpm_archive.h"
#include "sbom/catalogers/rpm_bdb.h"
#include "sbom/catalogers/rpm_header.h"
#include "sbom/catalogers/rpm_ndb.h"
#include "sbom/catalogers/rpm_sqlite.h"
#include "tests/unit/rpm_fixtures.h"
#include "tests/unit/test_support.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;

struct Output {
  int status = -1;
  std::string text;
};

Output run(const std::string& command) {
  Output out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.text.append(buf, n);
  int raw = pclose(pipe);
  out.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One line per package, tab-separated, arrays joined by '|', the same from rpm's
// queryformat and from a decoded header.
const char* kQueryFormat =
    "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{LICENSE}\\t%{VENDOR}\\t%{LONGSIZE}\\t"
    "[%{REQUIRENAME}|]\\t[%{PROVIDENAME}|]\\t[%{FILENAMES}|]\\t[%{FILEDIGESTS}|]\\t[%{FILEMODES}|]\\t[%{FILESIZES}|]";

std::string describe(const rpm::HeaderInfo& h, bool with_signature) {
  auto join = [](const auto& items, auto field) {
    std::string out;
    for (const auto& i : items) out += field(i) + "|";
    return out;
  };
  auto same = [](const std::string& s) { return s; };
  auto none = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
  std::string line = h.name + "\t" + (h.epoch ? std::to_string(*h.epoch) : "(none)") + "\t" + h.version + "\t" + h.release +
                     "\t" + h.arch + "\t" + none(h.source_rpm) + "\t" + none(h.license) + "\t" + none(h.vendor) + "\t" +
                     std::to_string(h.size) + "\t" + join(h.requires_names, same) + "\t" + join(h.provides_names, same) +
                     "\t" + join(h.files, [](const rpm::FileRecord& f) { return f.path; }) + "\t" +
                     join(h.files, [](const rpm::FileRecord& f) { return f.digest; }) + "\t" +
                     join(h.files, [](const rpm::FileRecord& f) { return std::to_string(f.mode); }) + "\t" +
                     join(h.files, [](const rpm::FileRecord& f) { return std::to_string(f.size); });
  if (with_signature) line += "\t" + (h.signatures.empty() ? std::string("(none)") : h.signatures.front());
  return line;
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (end > pos) lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> decoded_lines(const std::vector<std::string>& blobs) {
  std::vector<std::string> lines;
  for (const auto& b : blobs) {
    auto h = rpm::parse_header_blob(b);
    EXPECT_TRUE(h) << h.error().message;
    if (!h) continue;
    EXPECT_TRUE(h->problems.empty()) << h->problems.front();
    lines.push_back(describe(*h, true));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> blobs_from(Status (*reader)(std::string_view, const rpm::BlobVisitor&, rpm::Problems&),
                                    const std::string& db) {
  std::vector<std::string> blobs;
  rpm::Problems problems;
  auto st = reader(db, [&](std::string_view b) { blobs.emplace_back(b); }, problems);
  EXPECT_TRUE(st) << st.error().message;
  EXPECT_TRUE(problems.empty()) << problems.front();
  return blobs;
}

std::string spec(const std::string& name, const std::string& version, const std::string& release,
                 const std::string& tags, const std::string& install, const std::string& files) {
  return "Name: " + name + "\nVersion: " + version + "\nRelease: " + release +
         "\nSummary: cairn test package\nBuildArch: noarch\nAutoReqProv: no\n" + tags +
         "\n%description\ncairn test package\n%install\n" + install + "\n%files\n" + files + "\n";
}

class RealRpmDb : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/rpm") || !fs::exists("/usr/bin/rpmbuild"))
      GTEST_SKIP() << "/usr/bin/rpm is not installed (scripts/install-deps.sh installs Debian's rpm package)";
    char tmpl[] = "/tmp/cairn-rpmdb-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!gnupg_.empty()) run("GNUPGHOME=" + quote(gnupg_) + " gpgconf --kill gpg-agent");
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Builds the three packages; returns the .rpm paths.
  std::vector<fs::path> build_packages() {
    const std::string rpm_defs = " --define '_topdir " + (dir_ / "top").string() +
                                 "' --define 'debug_package %{nil}' --define '__os_install_post %{nil}'"
                                 " --define '_build_id_links none'";
    std::string many;
    for (int i = 0; i < 300; ++i) many += "echo " + std::to_string(i) + " > %{buildroot}/usr/share/tfs/data/file-" + std::to_string(i) + ".txt\n";
    write_file(dir_ / "tfs.spec",
               spec("tfs", "1.0", "2",
                    "Epoch: 3\nLicense: MIT and BSD\nVendor: Cairn Test\nRequires: tsh\nRequires: /bin/sh\n"
                    "Requires: (tsh or tbase)\nProvides: tfs-compat = 1.0",
                    "mkdir -p %{buildroot}/usr/share/tfs/data\necho hello > %{buildroot}/usr/share/tfs/a.txt\n"
                    "ln -s a.txt %{buildroot}/usr/share/tfs/link\n" + many,
                    "/usr/share/tfs"));
    write_file(dir_ / "tsh.spec",
               spec("tsh", "5.1.8", "6.el9", "License: GPLv3+\nVendor: Cairn Test\nRequires: tfs\nRequires: config(tsh)\nProvides: /bin/sh\nProvides: config(tsh) = 5.1.8-6.el9",
                    "mkdir -p %{buildroot}/usr/bin %{buildroot}/etc\nprintf 'x\\n' > %{buildroot}/usr/bin/tsh\n"
                    "chmod 755 %{buildroot}/usr/bin/tsh\necho conf > %{buildroot}/etc/tsh.conf",
                    "/usr/bin/tsh\n%config /etc/tsh.conf"));
    write_file(dir_ / "tbase.spec", spec("tbase", "11", "13", "License: Public Domain\nRequires: tfs\nRequires: setup", "", ""));
    std::vector<fs::path> rpms;
    for (const char* name : {"tfs", "tsh", "tbase"}) {
      auto out = run("rpmbuild -bb" + rpm_defs + " " + quote(dir_ / (std::string(name) + ".spec")));
      EXPECT_EQ(out.status, 0) << "rpmbuild " << name;
    }
    for (const auto& e : fs::directory_iterator(dir_ / "top/RPMS/noarch")) rpms.push_back(e.path());
    std::sort(rpms.begin(), rpms.end());
    return rpms;
  }

  // Signs with a throwaway RSA key when gpg is there (rpm 4.18 adds RSAHEADER).
  void sign(const std::vector<fs::path>& rpms) {
    if (!fs::exists("/usr/bin/gpg")) {
      std::fprintf(stderr, "note: /usr/bin/gpg missing, packages stay unsigned; signatures compare as (none)\n");
      return;
    }
    gnupg_ = dir_ / "gnupg";
    fs::create_directories(gnupg_);
    fs::permissions(gnupg_, fs::perms::owner_all);
    std::string env = "GNUPGHOME=" + quote(gnupg_) + " ";
    ASSERT_EQ(run(env + "gpg --batch --passphrase '' --quick-gen-key 'Cairn Test <test@example.invalid>' rsa2048 sign never").status, 0);
    for (const auto& r : rpms)
      ASSERT_EQ(run(": | " + env + "rpmsign --addsign --define '_gpg_name Cairn Test' --define '__gpg /usr/bin/gpg' " + quote(r)).status, 0);
  }

  fs::path dir_;
  fs::path gnupg_;
};

TEST_F(RealRpmDb, SqliteNdbAndBerkeleyDbMatchRpmQuery) {
  auto rpms = build_packages();
  ASSERT_EQ(rpms.size(), 3u);
  sign(rpms);
  const fs::path root = dir_ / "root";
  fs::create_directories(root);
  std::string base = "rpm --root " + quote(root) + " --dbpath /var/lib/rpm --define '_db_backend sqlite' ";
  ASSERT_EQ(run(base + "--initdb").status, 0);
  std::string install = base + "-i --justdb --nodeps --noscripts --notriggers";
  for (const auto& r : rpms) install += " " + quote(r);
  ASSERT_EQ(run(install).status, 0);
  const std::string qf = std::string(kQueryFormat) + "\\t%{RSAHEADER:pgpsig}\\n";
  auto reference = run("TZ=UTC " + base + "-qa --qf '" + qf + "'");
  ASSERT_EQ(reference.status, 0);
  auto expected = sorted_lines(reference.text);
  ASSERT_EQ(expected.size(), 3u) << reference.text;
  if (!gnupg_.empty()) {
    for (const auto& line : expected) EXPECT_NE(line.find("\tRSA/SHA"), std::string::npos) << line;
  }

  // sqlite, as rpm wrote it.
  auto sqlite_bytes = slurp(root / "var/lib/rpm/rpmdb.sqlite");
  auto blobs = blobs_from(rpm::read_sqlite_packages, sqlite_bytes);
  ASSERT_EQ(blobs.size(), 3u);
  EXPECT_EQ(decoded_lines(blobs), expected);
  auto largest = std::max_element(blobs.begin(), blobs.end(), [](auto& a, auto& b) { return a.size() < b.size(); });
  EXPECT_GT(largest->size(), 3u * 4096) << "the tfs header should need several overflow pages";

  // Berkeley DB from the same headers: rpm's bdb_ro reads it back identically first.
  const fs::path bdb_dir = dir_ / "bdb";
  write_file(bdb_dir / "Packages", testing::rpm::bdb_database(blobs));
  auto bdb_query = run("TZ=UTC rpm --dbpath " + quote(bdb_dir) + " --define '_db_backend bdb_ro' -qa --qf '" + qf + "'");
  EXPECT_EQ(sorted_lines(bdb_query.text), expected) << "rpm's bdb_ro must accept the test's Berkeley DB";
  EXPECT_EQ(decoded_lines(blobs_from(rpm::read_bdb_packages, slurp(bdb_dir / "Packages"))), expected);
  EXPECT_EQ(decoded_lines(blobs_from(rpm::read_bdb_packages, testing::rpm::bdb_database(blobs, 4096, true))), expected);

  // ndb from the same headers.
  EXPECT_EQ(decoded_lines(blobs_from(rpm::read_ndb_packages, testing::rpm::ndb_database(blobs))), expected);

  // The whole cataloger, each database at one of its places, with some owned files present.
  for (const auto& [path, bytes] : std::map<std::string, std::string>{
           {"/var/lib/rpm/rpmdb.sqlite", sqlite_bytes},
           {"/var/lib/rpm/Packages", testing::rpm::bdb_database(blobs)},
           {"/usr/lib/sysimage/rpm/Packages.db", testing::rpm::ndb_database(blobs)}}) {
    SCOPED_TRACE(path);
    auto files = testing::make_fs({{path, bytes}, {"/usr/bin/tsh", "x\n"}, {"/usr/share/tfs/a.txt", "hello\n"}});
    auto r = rpm_cataloger().run(files, {});
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    ASSERT_EQ(r.packages.size(), 3u);
    std::map<std::string, const Package*> by_name;
    for (const auto& p : r.packages) by_name[p.name] = &p;
    ASSERT_EQ(by_name.size(), 3u);
    EXPECT_EQ(by_name["tfs"]->version, "3:1.0-2");
    EXPECT_EQ(by_name["tfs"]->purl, "pkg:rpm/tfs@1.0-2?arch=noarch&epoch=3&upstream=tfs-1.0-2.src.rpm");
    // The owned directory exists because a file below it does; the other 302 paths do not.
    EXPECT_EQ(by_name["tfs"]->files, (std::vector<std::string>{"/usr/share/tfs", "/usr/share/tfs/a.txt"}));
    EXPECT_EQ(by_name["tsh"]->version, "5.1.8-6.el9");
    EXPECT_EQ(by_name["tsh"]->files, std::vector<std::string>{"/usr/bin/tsh"});
    EXPECT_EQ(by_name["tsh"]->locations, std::vector<std::string>{path});
    EXPECT_EQ(by_name["tbase"]->licenses, std::vector<std::string>{"Public Domain"});
    std::vector<std::pair<std::string, std::string>> edges;
    for (const auto& d : r.dependencies) edges.emplace_back(r.packages[d.from].name, r.packages[d.to].name);
    std::sort(edges.begin(), edges.end());
    // tsh needs tfs; tfs needs tsh (by name and through /bin/sh); tbase needs tfs. No
    // self edge for tsh's own config(tsh), and "(tsh or tbase)" is not resolved.
    EXPECT_EQ(edges, (std::vector<std::pair<std::string, std::string>>{{"tbase", "tfs"}, {"tfs", "tsh"}, {"tsh", "tfs"}}));
  }
}

TEST_F(RealRpmDb, PackageFileHeadersMatchRpmQueryPackage) {
  auto rpms = build_packages();
  ASSERT_EQ(rpms.size(), 3u);
  for (const auto& r : rpms) {
    SCOPED_TRACE(r.filename().string());
    auto reference = run("rpm -qp --qf '" + std::string(kQueryFormat) + "\\n' " + quote(r));
    ASSERT_EQ(reference.status, 0);
    auto header = rpm::read_rpm_archive_header(slurp(r));
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ(describe(*header, false) + "\n", reference.text);
  }
}

}  // namespace
}  // namespace cairn::sbom
