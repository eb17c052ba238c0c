// The rpm database cataloger: header blobs, the three database formats, the Mariner
// manifest, package URLs and dependency edges, on inputs built in memory.
#include "sbom/catalogers/rpm.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "rpm_fixtures.h"
#include "sbom/capture.h"
#include "sbom/catalogers/rpm_bdb.h"
#include "sbom/catalogers/rpm_header.h"
#include "sbom/catalogers/rpm_manifest.h"
#include "sbom/catalogers/rpm_ndb.h"
#include "sbom/catalogers/rpm_package.h"
#include "sbom/catalogers/rpm_signature.h"
#include "sbom/catalogers/rpm_sqlite.h"
#include "test_support.h"

namespace cairn::sbom::rpm {
namespace {

using cairn::testing::make_fs;
using cairn::testing::rpm::HeaderBuilder;
namespace fx = cairn::testing::rpm;

HeaderBuilder minimal(const std::string& name, const std::string& version = "1.0", const std::string& release = "1") {
  HeaderBuilder b;
  b.string(tag::kName, name).string(tag::kVersion, version).string(tag::kRelease, release).string(tag::kArch, "x86_64");
  return b;
}

std::string v4_signature(std::uint32_t created, const std::string& key_id, unsigned pubkey = 1, unsigned hash = 8) {
  std::string hashed;
  hashed += '\x05';
  hashed += '\x02';
  for (int i = 3; i >= 0; --i) hashed += static_cast<char>(created >> (8 * i));
  std::string unhashed;
  unhashed += '\x09';
  unhashed += '\x10';
  unhashed += key_id;
  std::string body;
  body += '\x04';
  body += '\x00';
  body += static_cast<char>(pubkey);
  body += static_cast<char>(hash);
  body += static_cast<char>(hashed.size() >> 8);
  body += static_cast<char>(hashed.size() & 0xff);
  body += hashed;
  body += static_cast<char>(unhashed.size() >> 8);
  body += static_cast<char>(unhashed.size() & 0xff);
  body += unhashed;
  body += std::string("\xab\xcd\x00\x08\xff", 5);  // hash prefix and a tiny MPI
  std::string packet;
  packet += '\xc2';  // new-format packet, tag 2 (signature)
  packet += static_cast<char>(body.size());
  return packet + body;
}

std::vector<std::string> blobs_of(Status (*reader)(std::string_view, const BlobVisitor&, Problems&), const std::string& db,
                                  Problems& problems, Status* status = nullptr) {
  std::vector<std::string> out;
  auto st = reader(db, [&](std::string_view b) { out.emplace_back(b); }, problems);
  if (status) *status = st;
  else EXPECT_TRUE(st.has_value()) << st.error().message;
  return out;
}

// ---- header blobs ----

TEST(RpmHeader, DecodesPackageFieldsAndFiles) {
  auto blob = minimal("bash", "5.1.8", "6.el9_1")
                  .int32s(tag::kEpoch, {2})
                  .string(tag::kSourceRpm, "bash-5.1.8-6.el9_1.src.rpm")
                  .string(tag::kLicense, "GPLv3+")
                  .string(tag::kVendor, "Rocky Enterprise Software Foundation", HeaderBuilder::kI18n)
                  .int32s(tag::kSize, {7738634})
                  .string(tag::kModularityLabel, "perl:5.30:8030020200923135429:466ea64f")
                  .strings(tag::kRequireName, {"/usr/bin/sh", "filesystem", "libc.so.6()(64bit)"})
                  .strings(tag::kProvideName, {"/bin/bash", "bash", "bash(x86-64)"})
                  .strings(tag::kDirNames, {"/usr/bin/", "/etc/skel/"})
                  .strings(tag::kBasenames, {"bash", ".bashrc", "sh"})
                  .int32s(tag::kDirIndexes, {0, 1, 0})
                  .strings(tag::kFileDigests, {"aa11", "bb22", ""})
                  .int32s(tag::kFileDigestAlgo, {8})
                  .int16s(tag::kFileModes, {0100755, 0100644, 0120777})
                  .int32s(tag::kFileSizes, {1389032, 141, 4})
                  .strings(tag::kFileUsername, {"root", "root", "root"})
                  .strings(tag::kFileGroupname, {"root", "wheel", "root"})
                  .int32s(tag::kFileFlags, {0, 1, 0})
                  .build();
  auto h = parse_header_blob(blob);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->name, "bash");
  EXPECT_EQ(h->epoch, 2);
  EXPECT_EQ(h->version, "5.1.8");
  EXPECT_EQ(h->release, "6.el9_1");
  EXPECT_EQ(h->arch, "x86_64");
  EXPECT_EQ(h->source_rpm, "bash-5.1.8-6.el9_1.src.rpm");
  EXPECT_EQ(h->license, "GPLv3+");
  EXPECT_EQ(h->vendor, "Rocky Enterprise Software Foundation");
  EXPECT_EQ(h->size, 7738634);
  EXPECT_EQ(h->modularity_label, "perl:5.30:8030020200923135429:466ea64f");
  EXPECT_EQ(h->requires_names, (std::vector<std::string>{"/usr/bin/sh", "filesystem", "libc.so.6()(64bit)"}));
  EXPECT_EQ(h->provides_names, (std::vector<std::string>{"/bin/bash", "bash", "bash(x86-64)"}));
  EXPECT_EQ(h->digest_algorithm, "sha256");
  ASSERT_EQ(h->files.size(), 3u);
  EXPECT_EQ(h->files[0].path, "/usr/bin/bash");
  EXPECT_EQ(h->files[0].mode, 0100755);
  EXPECT_EQ(h->files[0].size, 1389032);
  EXPECT_EQ(h->files[0].digest, "aa11");
  EXPECT_EQ(h->files[1].path, "/etc/skel/.bashrc");
  EXPECT_EQ(h->files[1].group, "wheel");
  EXPECT_EQ(h->files[1].flags, 1u);
  EXPECT_EQ(h->files[2].path, "/usr/bin/sh");
  EXPECT_EQ(h->files[2].mode, 0120777);
  EXPECT_TRUE(h->problems.empty());
}

TEST(RpmHeader, EpochAbsentOrZeroAndLongSizes) {
  auto none = parse_header_blob(minimal("a").build());
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->epoch.has_value());
  EXPECT_EQ(none->size, 0);
  EXPECT_TRUE(none->files.empty());
  auto zero = parse_header_blob(minimal("a").int32s(tag::kEpoch, {0}).int32s(tag::kSize, {5}).int64s(tag::kLongSize, {5000000000}).build());
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->epoch, 0);
  EXPECT_EQ(zero->size, 5000000000);  // LONGSIZE wins over SIZE
}

TEST(RpmHeader, OldFilenamesAndDefaultMd5) {
  auto h = parse_header_blob(minimal("old").strings(tag::kOldFilenames, {"/bin/x", "/etc/y"}).strings(tag::kFileDigests, {"d1", "d2"}).build());
  ASSERT_TRUE(h) << h.error().message;
  ASSERT_EQ(h->files.size(), 2u);
  EXPECT_EQ(h->files[1].path, "/etc/y");
  EXPECT_EQ(h->digest_algorithm, "md5");
}

TEST(RpmHeader, LaterEntryForATagWins) {
  auto h = parse_header_blob(minimal("first").string(tag::kName, "second").build());
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, "second");
}

TEST(RpmHeader, InconsistentFileListIsAProblemNotAFailure) {
  auto h = parse_header_blob(minimal("p").strings(tag::kDirNames, {"/a/"}).strings(tag::kBasenames, {"x", "y"}).int32s(tag::kDirIndexes, {0, 7}).build());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->files.empty());
  ASSERT_EQ(h->problems.size(), 1u);
  EXPECT_NE(h->problems[0].find("DIRINDEXES[1] = 7"), std::string::npos) << h->problems[0];
  auto count = parse_header_blob(minimal("p").strings(tag::kDirNames, {"/a/"}).strings(tag::kBasenames, {"x", "y"}).int32s(tag::kDirIndexes, {0}).build());
  ASSERT_TRUE(count);
  EXPECT_NE(count->problems.at(0).find("1 entries for 2 BASENAMES"), std::string::npos);
}

TEST(RpmHeader, SignaturesAreSummarisedAsRpmDoes) {
  std::string key_id("\x70\x2d\x42\x6d\x35\x0d\x27\x5d", 8);
  auto h = parse_header_blob(minimal("p").bin(tag::kRsaHeader, v4_signature(1652267552, key_id))
                                 .bin(tag::kSigPgp, v4_signature(1652267552, key_id))  // same signature: listed once
                                 .bin(tag::kDsaHeader, v4_signature(1672718706, key_id, 17, 2))
                                 .build());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->signatures, (std::vector<std::string>{"RSA/SHA256, Wed May 11 11:12:32 2022, Key ID 702d426d350d275d",
                                                     "DSA/SHA1, Tue Jan  3 04:05:06 2023, Key ID 702d426d350d275d"}));
}

TEST(RpmSignature, V3PacketAndBrokenPackets) {
  // old-format packet, tag 2, one length octet; v3 body: version, 5, type, time, key id, algos
  std::string body = std::string("\x03\x05\x00", 3);
  for (int i = 3; i >= 0; --i) body += static_cast<char>(1652267552u >> (8 * i));
  body += std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  body += std::string("\x01\x02", 2);
  std::string packet = std::string(1, '\x88') + static_cast<char>(body.size()) + body;
  auto text = describe_pgp_signature(packet);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "RSA/SHA1, Wed May 11 11:12:32 2022, Key ID 0102030405060708");

  EXPECT_FALSE(describe_pgp_signature(""));
  EXPECT_FALSE(describe_pgp_signature("\x01"));                    // not a packet
  EXPECT_FALSE(describe_pgp_signature(packet.substr(0, 10)));      // truncated body
  EXPECT_FALSE(describe_pgp_signature(std::string("\xc6\x01\x04", 3)));  // tag 6 is a public key
  auto sig = v4_signature(1, std::string(8, 'k'));
  sig[1] = static_cast<char>(sig.size());  // declares more than is there
  EXPECT_FALSE(describe_pgp_signature(sig));
  auto h = parse_header_blob(minimal("p").bin(tag::kRsaHeader, "garbage").build());
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->signatures.empty());
  ASSERT_EQ(h->problems.size(), 1u);
  EXPECT_EQ(h->problems[0].rfind("RSAHEADER: ", 0), 0u) << h->problems[0];
}

void expect_header_error(const std::string& blob, const std::string& fragment) {
  auto h = parse_header_blob(blob);
  ASSERT_FALSE(h) << "expected an error containing: " << fragment;
  EXPECT_NE(h.error().message.find(fragment), std::string::npos) << h.error().message;
}

TEST(RpmHeader, MalformedBlobsAreRefusedWithTheReason) {
  expect_header_error("", "shorter than its 8-byte preamble");
  std::string zero(8, '\0');
  expect_header_error(zero, "index count 0");
  std::string huge_il(8, '\0');
  fx::put_be32(huge_il, 0, 0x10000);
  expect_header_error(huge_il, "index count 65536");
  std::string huge_dl(8, '\0');
  fx::put_be32(huge_dl, 0, 1);
  fx::put_be32(huge_dl, 4, 0x20000000);
  expect_header_error(huge_dl, "exceeds the 268435456-byte limit");
  auto good = minimal("p").build();
  expect_header_error(good.substr(0, good.size() - 1), "but the blob has");
  expect_header_error(HeaderBuilder().raw_entry(tag::kName, 6, 100, 1).raw_data(std::string("ab\0", 3)).build(),
                      "offset 100 is outside the 3-byte data store");
  expect_header_error(HeaderBuilder().raw_entry(tag::kName, 42, 0, 1).raw_data(std::string("ab\0", 3)).build(), "unknown type 42");
  expect_header_error(HeaderBuilder().raw_entry(tag::kName, 6, 0, 1).raw_data("abc").build(), "not NUL-terminated");
  expect_header_error(minimal("p").raw_entry(tag::kEpoch, 4, 0, 1000).build(), "tag 1003: 1000 values of 4 bytes");
  expect_header_error(minimal("p").raw_entry(tag::kRequireName, 8, 0, 1000).build(), "1000 strings cannot fit");
  // A store of one-byte strings is refused past the array cap instead of decoded.
  std::string empties(kMaxArrayElements + 1, '\0');
  expect_header_error(minimal("p").raw_entry(tag::kProvideName, 8, 0, kMaxArrayElements + 1).raw_data(empties).build(),
                      "1048577 strings, more than the 1048576 cairn reads");
  expect_header_error(minimal("p").raw_entry(tag::kEpoch, 2, 0, kMaxArrayElements + 1).raw_data(empties).build(),
                      "integers, more than");
  expect_header_error(HeaderBuilder().int32s(tag::kName, {1}).build(), "tag 1000: expected a string, found type 4 (INT32)");
  expect_header_error(HeaderBuilder().string(tag::kVersion, "1").build(), "no NAME");
  expect_header_error(minimal("p").string(tag::kDirIndexes, "x").string(tag::kBasenames, "b").build(), "tag 1116");
}

// ---- Berkeley DB ----

TEST(RpmBdb, ReadsInlineAndOverflowValuesAcrossChainedPages) {
  std::vector<std::string> blobs;
  blobs.push_back(minimal("small").build());                                          // inline value
  blobs.push_back(minimal("big").string(tag::kLicense, std::string(9000, 'L')).build());  // three overflow pages
  for (int i = 0; i < 40; ++i) blobs.push_back(minimal("p" + std::to_string(i)).string(tag::kLicense, std::string(1200, 'x')).build());
  for (bool big_endian : {false, true}) {
    Problems problems;
    auto got = blobs_of(read_bdb_packages, fx::bdb_database(blobs, 4096, big_endian), problems);
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_EQ(got, blobs) << "big_endian=" << big_endian;
  }
  Problems problems;
  EXPECT_EQ(blobs_of(read_bdb_packages, fx::bdb_database(blobs, 512), problems), blobs);
}

TEST(RpmBdb, StructuralDamageFailsAndBrokenValuesAreSkipped) {
  auto db = fx::bdb_database({minimal("a").string(tag::kLicense, std::string(3000, 'x')).build(), minimal("b").build()});
  Problems problems;
  Status st;
  auto check_error = [&](std::string bytes, const std::string& fragment) {
    problems.clear();
    blobs_of(read_bdb_packages, bytes, problems, &st);
    ASSERT_FALSE(st) << fragment;
    EXPECT_NE(st.error().message.find(fragment), std::string::npos) << st.error().message;
  };
  check_error(db.substr(0, 100), "too short");
  check_error(std::string(4096, 'z'), "not a Berkeley DB hash database");
  auto btree = db;
  fx::put_le32(btree, 12, 0x00053162);
  check_error(btree, "btree");
  auto pagesize = db;
  fx::put_le32(pagesize, 20, 3000);
  check_error(pagesize, "page size 3000");
  auto encrypted = db;
  encrypted[24] = 1;
  check_error(encrypted, "encrypted");
  auto lastpage = db;
  fx::put_le32(lastpage, 32, 1000);
  check_error(lastpage, "last page 1000");
  auto wrongno = db;
  fx::put_le32(wrongno, 4096 + 8, 9);
  check_error(wrongno, "says it is page 9");
  auto bucket_loop = db;
  fx::put_le32(bucket_loop, 4096 + 16, 1);  // bucket page chains to itself
  check_error(bucket_loop, "reached twice");

  // Overflow chain damage only loses that value. Page 2 is the blob's only overflow page.
  auto chain = db;
  fx::put_le32(chain, 2 * 4096 + 16, 2);
  chain[2 * 4096 + 22] = 0x10;  // 16 bytes on the page, then a chain back to itself
  chain[2 * 4096 + 23] = 0;
  problems.clear();
  auto got = blobs_of(read_bdb_packages, chain, problems);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("reached twice"), std::string::npos) << problems[0];
  auto type = db;
  type[2 * 4096 + 25] = 13;
  problems.clear();
  EXPECT_EQ(blobs_of(read_bdb_packages, type, problems).size(), 1u);
  EXPECT_NE(problems.at(0).find("not overflow"), std::string::npos);
}

// ---- ndb ----

TEST(RpmNdb, ReadsEverySlot) {
  std::vector<std::string> blobs;
  for (int i = 0; i < 300; ++i) blobs.push_back(minimal("n" + std::to_string(i)).build());  // two slot pages
  Problems problems;
  EXPECT_EQ(blobs_of(read_ndb_packages, fx::ndb_database(blobs), problems), blobs);
  EXPECT_TRUE(problems.empty());
}

TEST(RpmNdb, DamageIsReportedPerBlobOrForTheFile) {
  std::vector<std::string> blobs = {minimal("a").build(), minimal("b").build()};
  auto db = fx::ndb_database(blobs);
  Problems problems;
  Status st;
  blobs_of(read_ndb_packages, "RpmX" + db.substr(4), problems, &st);
  EXPECT_FALSE(st);
  auto pages = db;
  fx::put_le32(pages, 12, 99);
  blobs_of(read_ndb_packages, pages, problems, &st);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("99 slot pages"), std::string::npos);
  auto slot = db;
  slot[32] = 'X';
  blobs_of(read_ndb_packages, slot, problems, &st);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("slot 2 has a bad magic"), std::string::npos);

  auto checksum = db;
  checksum[4096 + 20] ^= 1;  // first blob's bytes
  problems.clear();
  EXPECT_EQ(blobs_of(read_ndb_packages, checksum, problems), std::vector<std::string>{blobs[1]});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("package 1 (slot 2): blob checksum mismatch"), std::string::npos) << problems[0];

  auto overlap = db;
  fx::put_le32(overlap, 3 * 16 + 8, 256);  // second slot points at the first blob
  problems.clear();
  blobs_of(read_ndb_packages, overlap, problems);
  ASSERT_FALSE(problems.empty());

  auto outside = db;
  fx::put_le32(outside, 2 * 16 + 12, 100000);
  problems.clear();
  EXPECT_EQ(blobs_of(read_ndb_packages, outside, problems).size(), 1u);
  EXPECT_NE(problems.at(0).find("outside the data area"), std::string::npos);
}

// ---- sqlite ----

TEST(RpmSqlite, ReadsPackagesTableFromMemoryIncludingWalMarkedFiles) {
  std::vector<std::string> blobs = {minimal("a").build(), minimal("b").build()};
  auto db = fx::sqlite_database(blobs);
  Problems problems;
  EXPECT_EQ(blobs_of(read_sqlite_packages, db, problems), blobs);
  auto wal = db;
  wal[18] = 2;
  wal[19] = 2;
  EXPECT_EQ(blobs_of(read_sqlite_packages, wal, problems), blobs);
  EXPECT_EQ(wal[18], 2) << "the input buffer must not be modified";
  EXPECT_TRUE(problems.empty());
}

TEST(RpmSqlite, RefusesOtherFilesAndSkipsNonBlobRows) {
  Problems problems;
  Status st;
  blobs_of(read_sqlite_packages, "not a database", problems, &st);
  EXPECT_FALSE(st);
  auto truncated = fx::sqlite_database({minimal("a").build()});
  blobs_of(read_sqlite_packages, truncated.substr(0, 1024), problems, &st);
  EXPECT_FALSE(st);

  sqlite3* raw = nullptr;
  sqlite3_open(":memory:", &raw);
  sqlite3_exec(raw, "CREATE TABLE Other (x); CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob); INSERT INTO Packages VALUES (7, 'text')",
               nullptr, nullptr, nullptr);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(raw, "main", &size, 0);
  std::string db(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  sqlite3_exec(raw, "DROP TABLE Packages", nullptr, nullptr, nullptr);
  bytes = sqlite3_serialize(raw, "main", &size, 0);
  std::string no_table(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  sqlite3_close(raw);

  problems.clear();
  EXPECT_TRUE(blobs_of(read_sqlite_packages, db, problems).empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "Packages row 7: blob column is not a BLOB");
  blobs_of(read_sqlite_packages, no_table, problems, &st);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("no readable Packages table"), std::string::npos);
}

// ---- Mariner manifest ----

TEST(RpmManifest, ReadsLinesAsSyftDoes) {
  auto m = parse_rpm_manifest(
      "mariner-release\t2.0-12.cm2\t1653816591\t1653753130\tMicrosoft Corporation\t(none)\t580\tnoarch\t0\tmariner-release-2.0-12.cm2.src.rpm\n"
      "\n"
      "vim\t9.0-1.cm2\t1\t2\tMicrosoft Corporation\t2\t45000\tx86_64\t2\tvim-9.0-1.cm2.src.rpm\n"
      "short\t1-1\n"
      "dash\t1.0-rc1-2\t1\t2\tv\t(none)\t1\tx\t0\ts\n"
      "nosize\t1-2\t1\t2\tv\t(none)\tbig\tx\t0\ts");
  ASSERT_EQ(m.packages.size(), 3u);
  EXPECT_EQ(m.packages[0].name, "mariner-release");
  EXPECT_EQ(m.packages[0].version, "2.0");
  EXPECT_EQ(m.packages[0].release, "12.cm2");
  EXPECT_FALSE(m.packages[0].epoch);
  EXPECT_EQ(m.packages[0].size, 580);
  EXPECT_EQ(m.packages[0].vendor, "Microsoft Corporation");
  EXPECT_EQ(m.packages[0].arch, "noarch");
  EXPECT_EQ(m.packages[1].epoch, 2);
  EXPECT_EQ(m.packages[1].source_rpm, "vim-9.0-1.cm2.src.rpm");
  EXPECT_EQ(m.packages[2].size, 0);
  ASSERT_EQ(m.problems.size(), 2u);
  EXPECT_EQ(m.problems[0], "line 4: 2 tab-separated fields, expected 10");
  EXPECT_EQ(m.problems[1], "line 5: version field \"1.0-rc1-2\" is not VERSION-RELEASE");
}

// ---- package URLs (../shared/acceptance/catalogers/rpm/purl_cases.json, every case) ----

struct PurlCase {
  const char* name;
  std::optional<std::pair<const char*, const char*>> distro;  // ID, VERSION_ID
  HeaderInfo entry;
  const char* purl;
};

HeaderInfo entry(const char* name, const char* version, const char* release, const char* arch = "",
                 std::optional<std::int64_t> epoch = std::nullopt, const char* srpm = "") {
  HeaderInfo h;
  h.name = name;
  h.version = version;
  h.release = release;
  h.arch = arch;
  h.epoch = epoch;
  h.source_rpm = srpm;
  return h;
}

TEST(RpmPurl, SyftCases) {
  const PurlCase cases[] = {
      {"go case", std::pair{"rhel", "8.4"}, entry("p", "v", "r"), "pkg:rpm/redhat/p@v-r?distro=rhel-8.4"},
      {"with arch and epoch", std::pair{"centos", "7"}, entry("p", "v", "r", "a", 1), "pkg:rpm/centos/p@v-r?arch=a&distro=centos-7&epoch=1"},
      {"missing distro", std::nullopt, entry("p", "v", "r"), "pkg:rpm/p@v-r"},
      {"hummingbird distro maps to redhat namespace", std::pair{"hummingbird", "1.0"}, entry("p", "v", "r"),
       "pkg:rpm/redhat/p@v-r?distro=hummingbird-1.0"},
      {"with upstream source rpm info", std::pair{"rhel", "8.4"}, entry("p", "v", "r", "", std::nullopt, "sourcerpm"),
       "pkg:rpm/redhat/p@v-r?distro=rhel-8.4&upstream=sourcerpm"},
  };
  for (const auto& c : cases) {
    std::optional<Release> release;
    if (c.distro) {
      release = Release{};
      release->id = c.distro->first;
      release->version_id = c.distro->second;
    }
    EXPECT_EQ(package_url(c.entry, release), c.purl) << c.name;
  }
}

TEST(RpmPurl, OpensuseNamespaceAndEncoding) {
  Release suse;
  suse.id = "opensuse-leap";
  suse.version_id = "15.5";
  EXPECT_EQ(package_url(entry("libstdc++6", "13.2.1+git", "1", "x86_64", 0, "gcc13-13.2.1+git-1.src.rpm"), suse),
            "pkg:rpm/opensuse/libstdc%2B%2B6@13.2.1%2Bgit-1?arch=x86_64&distro=opensuse-leap-15.5&epoch=0&upstream=gcc13-13.2.1%2Bgit-1.src.rpm");
}

TEST(RpmPackage, VersionKeepsEpochWhenPresent) {
  EXPECT_EQ(el_version(entry("p", "1.2.3-4", "el7")), "1.2.3-4-el7");
  EXPECT_EQ(el_version(entry("p", "1.2.3-4", "el7", "", 0)), "0:1.2.3-4-el7");
  EXPECT_EQ(el_version(entry("p", "1.2.3-4", "el7", "", 12)), "12:1.2.3-4-el7");
}

// ---- the cataloger ----

TEST(RpmCataloger, CapturesEverySyftSearchPath) {
  auto cataloger = rpm_cataloger();
  EXPECT_EQ(cataloger.name, "rpm-db-cataloger");
  CapturePolicy policy(cataloger.captures);
  for (const char* path : {"usr/share/rpm/Packages", "usr/share/rpm/Packages.db", "usr/share/rpm/rpmdb.sqlite",
                           "var/lib/rpm/Packages", "var/lib/rpm/Packages.db", "var/lib/rpm/rpmdb.sqlite",
                           "var/lib/rpmmanifest/container-manifest-2", "usr/lib/sysimage/rpm/Packages",
                           "usr/lib/sysimage/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite"}) {
    EXPECT_TRUE(policy.cap_for(std::string("/") + path).has_value()) << path;
    EXPECT_TRUE(policy.cap_for(std::string("/nested/root/") + path).has_value()) << path;
  }
  EXPECT_FALSE(policy.cap_for("/var/lib/rpm/Name").has_value());
  EXPECT_FALSE(policy.cap_for("/bad.rpm").has_value());
}

const Package* find(const CatalogResult& r, const std::string& name) {
  for (const auto& p : r.packages)
    if (p.name == name) return &p;
  return nullptr;
}

bool depends_on(const CatalogResult& r, const std::string& from, const std::string& to) {
  for (const auto& d : r.dependencies)
    if (r.packages[d.from].name == from && r.packages[d.to].name == to) return true;
  return false;
}

TEST(RpmCataloger, ReadsAllDatabaseKindsAndRelatesPackages) {
  auto shell = minimal("tsh", "5.1", "6")
                   .string(tag::kVendor, "Cairn Test, Inc.")
                   .string(tag::kLicense, "GPLv3+")
                   .string(tag::kSourceRpm, "tsh-5.1-6.src.rpm")
                   .strings(tag::kProvideName, {"tsh", "config(tsh)", "(weird or rich)"})
                   .strings(tag::kRequireName, {"tfs", "config(tsh)", "/usr/bin/env"})
                   .strings(tag::kDirNames, {"/usr/bin/"})
                   .strings(tag::kBasenames, {"tsh", "missing"})
                   .int32s(tag::kDirIndexes, {0, 0})
                   .build();
  auto fs_pkg = minimal("tfs", "1.0", "2").int32s(tag::kEpoch, {3}).strings(tag::kRequireName, {"/usr/bin/tsh", "(tsh if tbase)"}).build();
  auto base = minimal("tbase", "11", "13").strings(tag::kRequireName, {"tfs", "rpmlib(CompressedFileNames)"}).build();
  auto fs = make_fs({
      {"/var/lib/rpm/Packages", fx::bdb_database({shell})},
      {"/usr/lib/sysimage/rpm/rpmdb.sqlite", fx::sqlite_database({fs_pkg})},
      {"/usr/share/rpm/Packages.db", fx::ndb_database({base})},
      {"/var/lib/rpmmanifest/container-manifest-2",
       "tenv\t1-1\t1\t2\tMicrosoft Corporation\t(none)\t10\tx86_64\t0\ttenv-1-1.src.rpm\n"},
      {"/usr/bin/tsh", "#!"},
      {"/usr/bin/env", "#!"},
  });
  CatalogContext ctx;
  ctx.release = Release{};
  ctx.release->id = "rocky";
  ctx.release->version_id = "9.3";
  auto r = rpm_cataloger().run(fs, ctx);
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.packages.size(), 4u);
  const Package* tsh = find(r, "tsh");
  ASSERT_NE(tsh, nullptr);
  EXPECT_EQ(tsh->version, "5.1-6");
  EXPECT_EQ(tsh->type, "rpm");
  EXPECT_EQ(tsh->found_by, "rpm-db-cataloger");
  EXPECT_EQ(tsh->purl, "pkg:rpm/rocky/tsh@5.1-6?arch=x86_64&distro=rocky-9.3&upstream=tsh-5.1-6.src.rpm");
  EXPECT_EQ(tsh->licenses, std::vector<std::string>{"GPLv3+"});
  EXPECT_EQ(tsh->locations, std::vector<std::string>{"/var/lib/rpm/Packages"});
  EXPECT_EQ(tsh->files, std::vector<std::string>{"/usr/bin/tsh"});  // "missing" is not in the image
  EXPECT_EQ(tsh->supplier, "Cairn Test, Inc.");
  EXPECT_EQ(tsh->source_name, "tsh-5.1-6.src.rpm");
  EXPECT_EQ(tsh->cpes, (std::vector<std::string>{"cpe:2.3:a:tsh:tsh:5.1-6:*:*:*:*:*:*:*",
                                                 "cpe:2.3:a:cairn_test_inc:tsh:5.1-6:*:*:*:*:*:*:*"}));
  const Package* tfs = find(r, "tfs");
  ASSERT_NE(tfs, nullptr);
  EXPECT_EQ(tfs->version, "3:1.0-2");
  EXPECT_EQ(tfs->metadata.at("epoch"), "3");
  EXPECT_EQ(tfs->locations, std::vector<std::string>{"/usr/lib/sysimage/rpm/rpmdb.sqlite"});
  EXPECT_EQ(tfs->purl, "pkg:rpm/rocky/tfs@1.0-2?arch=x86_64&distro=rocky-9.3&epoch=3");
  const Package* tenv = find(r, "tenv");
  ASSERT_NE(tenv, nullptr);
  EXPECT_EQ(tenv->purl, "pkg:rpm/tenv@1-1?arch=x86_64&upstream=tenv-1-1.src.rpm");  // manifests get no distro
  EXPECT_TRUE(tenv->licenses.empty());

  EXPECT_TRUE(depends_on(r, "tsh", "tfs"));    // by name
  EXPECT_TRUE(depends_on(r, "tfs", "tsh"));    // by an owned file that exists
  EXPECT_TRUE(depends_on(r, "tbase", "tfs"));
  EXPECT_FALSE(depends_on(r, "tsh", "tsh"));   // config(tsh) is its own
  EXPECT_FALSE(depends_on(r, "tsh", "tenv"));  // /usr/bin/env is not a file tenv lists
  EXPECT_EQ(r.dependencies.size(), 3u);
  EXPECT_TRUE(std::is_sorted(r.dependencies.begin(), r.dependencies.end()));
}

TEST(RpmCataloger, BadDatabasesAreErrorsNamingTheFile) {
  auto fs = make_fs({
      {"/var/lib/rpm/Packages", "this is not a database"},
      {"/var/lib/rpm/Packages.db", ""},
      {"/usr/lib/sysimage/rpm/rpmdb.sqlite", fx::sqlite_database({minimal("ok").build(), "broken", HeaderBuilder().string(tag::kVersion, "1").build()})},
      {"/var/lib/rpmmanifest/container-manifest-2", "one\tfield\n"},
  });
  auto r = rpm_cataloger().run(fs, {});
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].name, "ok");
  std::vector<std::string> expected_prefixes = {
      "/var/lib/rpm/Packages: 22 bytes is too short for a Berkeley DB file",
      "/var/lib/rpm/Packages.db: 0 bytes is too short for an ndb header",
      "/usr/lib/sysimage/rpm/rpmdb.sqlite: header 2: header blob of 6 bytes",
      "/usr/lib/sysimage/rpm/rpmdb.sqlite: header 3: header has no NAME",
      "/var/lib/rpmmanifest/container-manifest-2: line 1: 2 tab-separated fields",
  };
  ASSERT_EQ(r.errors.size(), expected_prefixes.size());
  for (const auto& prefix : expected_prefixes) {
    bool found = std::any_of(r.errors.begin(), r.errors.end(), [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
    EXPECT_TRUE(found) << prefix;
  }
}

}  // namespace
}  // namespace cairn::sbom::rpm
