// The Go catalogers against the acceptance corpus transcribed from Syft's tests
// (shared/acceptance/catalogers/golang, schema in ../README.md).
//
// go.mod / go.sum cases have fixtures and run as they are. The binary cases have none
// (Syft compiles /run-me in golang:1.23.2 at test time), so this test builds equivalent
// binaries with the local Go toolchain (Debian's golang-go), offline: the eleven modules
// the case lists are written as module zips into a file:// GOPROXY, the main module
// anchore.io/not/real imports them all, and the binaries are built in module mode for
// linux/amd64 (ELF), windows/amd64 (PE) and darwin/arm64 (Mach-O), with -trimpath, with
// -buildvcs=false, inside a git checkout (vcs settings) and as `go build main.go`.
// cairn's reading of each binary is compared with `go version -m`, and its packages with
// the case's expectations.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "corpus.h"
#include "e2e_support.h"
#include "sbom/catalogers/go_binary.h"
#include "sbom/catalogers/go_buildinfo.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "golang";

// ---------------------------------------------------------------- go.mod / go.sum cases

class GoModCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoModCase, MatchesSyft) {
  auto dir = kCorpus / "lockfiles" / GetParam();
  auto expected = corpus::load_json(dir / "expected.json");
  auto fixture = dir / expected.at("fixture").get<std::string>();
  if (!fs::is_directory(fixture)) fixture = fixture.parent_path();  // "go.mod": the case directory
  auto cataloger = go_module_file_cataloger();
  auto tree = corpus::load_tree(fixture, "/", cataloger.captures);
  CatalogContext context;
  context.directory_source = true;
  auto result = cataloger.run(tree, context);
  if (expected.value("expect_error", false)) {
    EXPECT_FALSE(result.errors.empty());
    EXPECT_TRUE(result.packages.empty());
    return;
  }
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  std::set<std::string> want, got;
  for (const auto& p : expected.at("packages")) {
    std::string h1 = p.contains("metadata") ? p["metadata"].value("H1Digest", "") : "";
    want.insert(p.at("name").get<std::string>() + " " + p.at("version").get<std::string>() + " " +
                p.at("purl").get<std::string>() + " " + p.at("type").get<std::string>() + " h1=" + h1 + " licenses=" +
                std::to_string(p.at("licenses").size()) + " at " + p.at("locations")[0].get<std::string>());
  }
  for (const auto& p : result.packages) {
    auto h1 = p.metadata.count("h1_digest") ? p.metadata.at("h1_digest") : "";
    ASSERT_EQ(p.locations.size(), 1u);
    // Syft's locations are relative to the scanned directory; ours are absolute in it.
    got.insert(p.name + " " + p.version + " " + p.purl + " " + p.type + " h1=" + h1 + " licenses=" +
               std::to_string(p.licenses.size()) + " at " + p.locations[0].substr(1));
    EXPECT_EQ(p.found_by, "go-module-file-cataloger");
  }
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Golang, GoModCase, ::testing::ValuesIn(corpus::cases_with_fixture(kCorpus / "lockfiles")));

// ------------------------------------------------------------------- real Go binaries

struct Module {
  std::string path, version;
};

// The dependencies of Syft's image-small fixture (its go.mod), as the case lists them.
std::vector<Module> case_modules(const json& expected, const std::string& main) {
  std::vector<Module> out;
  for (const auto& p : expected.at("packages")) {
    auto name = p.at("name").get<std::string>();
    if (name != main && name != "stdlib") out.push_back({name, p.at("version").get<std::string>()});
  }
  return out;
}

void write_zip(const fs::path& file, const std::vector<std::pair<std::string, std::string>>& entries) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  ASSERT_EQ(archive_write_open_filename(a, file.c_str()), ARCHIVE_OK) << archive_error_string(a);
  for (const auto& [name, body] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
    archive_entry_set_mtime(e, 1600000000, 0);
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    ASSERT_EQ(archive_write_data(a, body.data(), body.size()), static_cast<la_ssize_t>(body.size()));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// A GOPROXY directory (https://go.dev/ref/mod#goproxy-protocol) holding each module
// with one Go package: <path>/@v/<version>.{info,mod,zip}.
void write_proxy(const fs::path& proxy, const std::vector<Module>& modules) {
  for (const auto& m : modules) {
    auto dir = proxy / m.path / "@v";
    fs::create_directories(dir);
    auto mod = "module " + m.path + "\n\ngo 1.17\n";
    e2e::write_file(dir / (m.version + ".info"), R"({"Version":")" + m.version + R"(","Time":"2020-09-13T12:26:40Z"})");
    e2e::write_file(dir / (m.version + ".mod"), mod);
    auto prefix = m.path + "@" + m.version + "/";
    write_zip(dir / (m.version + ".zip"),
              {{prefix + "go.mod", mod}, {prefix + "dep.go", "package dep\n\nfunc Name() string { return \"" + m.path + "\" }\n"}});
  }
}

std::string main_go(const std::vector<Module>& modules) {
  std::string imports, uses;
  for (std::size_t i = 0; i < modules.size(); ++i) {
    imports += "\tm" + std::to_string(i) + " \"" + modules[i].path + "\"\n";
    uses += "\tprintln(m" + std::to_string(i) + ".Name())\n";
  }
  return "package main\n\nimport (\n" + imports + ")\n\nvar Version = \"(devel)\"\n\nfunc main() {\n\tprintln(Version)\n" +
         uses + "}\n";
}

struct Built {
  std::string name;
  fs::path file;
};

class GoBinaries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto which = e2e::run_program("/bin/sh", {"-c", "command -v go"});
    if (which.exit_code != 0) return;
    dir_ = new e2e::TempDir("go-binaries");
    auto expected = corpus::load_json(kCorpus / "installed" / "binary-image-small" / "expected.json");
    modules_ = case_modules(expected, "anchore.io/not/real");
    auto root = dir_->path();
    write_proxy(root / "proxy", modules_);
    auto src = root / "src";
    fs::create_directories(src);
    std::string require = "module anchore.io/not/real\n\ngo 1.19\n\nrequire (\n";
    for (const auto& m : modules_) require += "\t" + m.path + " " + m.version + "\n";
    e2e::write_file(src / "go.mod", require + ")\n");
    e2e::write_file(src / "main.go", main_go(modules_));
    fs::create_directories(root / "bin");
    // The Go build cache survives between runs (cross-compiling the standard library for
    // windows and darwin takes minutes on a busy machine); everything else is fresh.
    env_ = {{"GOPROXY", "file://" + (root / "proxy").string()},
            {"GOFLAGS", "-mod=mod"},
            {"GOSUMDB", "off"},
            {"GONOSUMDB", ""},
            {"GOPRIVATE", ""},
            {"GO111MODULE", "on"},
            {"GOENV", "off"},
            {"GOCACHE", (fs::temp_directory_path() / "cairn-e2e-go-cache").string()},
            {"GOPATH", (root / "gopath").string()},
            {"GOMODCACHE", (root / "gopath" / "pkg" / "mod").string()},
            {"CGO_ENABLED", "0"},
            {"HOME", root.string()}};
    build("elf", {}, {"-ldflags", "-X main.Version=1.0.0", "."});
    build("pe.exe", {{"GOOS", "windows"}, {"GOARCH", "amd64"}}, {"-ldflags", "-X main.Version=1.0.0", "."});
    build("macho", {{"GOOS", "darwin"}, {"GOARCH", "arm64"}}, {"-ldflags", "-X main.Version=1.0.0", "."});
    build("trimpath", {}, {"-trimpath", "."});
    build("file", {}, {"main.go"});
    // In a git checkout Go stamps vcs.revision and vcs.time, which Syft turns into a
    // pseudo-version; -buildvcs=false leaves them out.
    auto git = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"-C", src.string(), "-c", "user.name=t", "-c", "user.email=t@example.com"});
      e2e::RunOptions o;
      o.env = {{"GIT_COMMITTER_DATE", "2023-05-06T07:08:09Z"}, {"GIT_AUTHOR_DATE", "2023-05-06T07:08:09Z"}, {"HOME", root.string()}};
      return e2e::run_program("/usr/bin/git", args, o);
    };
    if (git({"init", "-q"}).exit_code == 0 && git({"add", "go.mod", "main.go"}).exit_code == 0 &&
        git({"commit", "-q", "-m", "fixture"}).exit_code == 0) {
      e2e::write_file(src / ".gitignore", "go.sum\n");
      git({"add", ".gitignore"});
      git({"commit", "-q", "-m", "ignore go.sum"});
      build("vcs", {}, {"."});
      build("novcs", {}, {"-buildvcs=false", "."});
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static void build(const std::string& name, const std::map<std::string, std::string>& extra,
                    const std::vector<std::string>& args) {
    e2e::RunOptions o;
    o.env = env_;
    for (const auto& [k, v] : extra) o.env[k] = v;
    o.cwd = (dir_->path() / "src").string();
    o.timeout_seconds = 900;
    auto out = (dir_->path() / "bin" / name).string();
    std::vector<std::string> argv = {"-u", "GOTOOLCHAIN", "go", "build", "-o", out};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = e2e::run_program("/usr/bin/env", argv, o);
    if (r.exit_code == 0) built_.push_back({name, out});
    else failures_ += name + ": " + r.describe() + "\n";
  }

  void SetUp() override {
    if (!dir_) GTEST_SKIP() << "go is not installed (apt-get install golang-go)";
    ASSERT_TRUE(failures_.empty()) << failures_;
  }

  static const Built& binary(const std::string& name) {
    for (const auto& b : built_)
      if (b.name == name) return b;
    throw std::runtime_error("not built: " + name);
  }

  static std::string go_version_m(const fs::path& file) {
    auto r = e2e::run_program("/usr/bin/env", {"-u", "GOTOOLCHAIN", "go", "version", "-m", file.string()}, {env_});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    auto prefix = file.string() + ": ";
    EXPECT_EQ(r.out.rfind(prefix, 0), 0u) << r.out;
    return r.out.substr(std::min(prefix.size(), r.out.size()));
  }

  // The binary as the only file of an image, at /run-me, cataloged as in a scan.
  static CatalogResult catalog(const Built& b) {
    auto tree_dir = dir_->path() / ("tree-" + b.name);
    fs::create_directories(tree_dir);
    fs::copy_file(b.file, tree_dir / "run-me", fs::copy_options::overwrite_existing);
    auto cataloger = go_module_binary_cataloger();
    auto tree = corpus::load_tree(tree_dir, "/", cataloger.captures);
    return cataloger.run(tree, {});
  }

  static inline e2e::TempDir* dir_ = nullptr;
  static inline std::vector<Module> modules_;
  static inline std::map<std::string, std::string> env_;
  static inline std::vector<Built> built_;
  static inline std::string failures_;
};

std::string package_string(const Package& p) { return p.name + " @ " + p.version + " (" + p.locations.at(0) + ")"; }

// The case's package and relationship strings, with the stdlib version of the toolchain
// that built our binary instead of Syft's go1.23.2.
// `substitutions` adapt other strings the same way (see NotAModule).
void expect_case(const CatalogResult& result, const std::string& case_name, const std::string& go_version,
                 std::vector<std::pair<std::string, std::string>> substitutions = {}) {
  auto expected = corpus::load_json(kCorpus / "installed" / case_name / "expected.json");
  substitutions.emplace_back("stdlib @ go1.23.2", "stdlib @ " + go_version);
  auto fix = [&](std::string s) {
    for (const auto& [from, to] : substitutions)
      if (auto at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  std::multiset<std::string> want_packages, want_relationships, got_packages, got_relationships;
  for (const auto& s : expected.at("package_strings")) want_packages.insert(fix(s.get<std::string>()));
  for (const auto& s : expected.at("relationship_strings")) want_relationships.insert(fix(s.get<std::string>()));
  for (const auto& p : result.packages) got_packages.insert(package_string(p));
  for (const auto& d : result.dependencies)
    got_relationships.insert(package_string(result.packages[d.to]) + " [dependency-of] " + package_string(result.packages[d.from]));
  EXPECT_EQ(got_packages, want_packages);
  EXPECT_EQ(got_relationships, want_relationships);
}

std::string toolchain_version(const GoBuildInfo& info) { return info.go_version.substr(0, info.go_version.find(' ')); }

TEST_F(GoBinaries, ReadAsGoVersionMReadsThem) {
  ASSERT_GE(built_.size(), 5u);
  for (const auto& b : built_) {
    auto bytes = e2e::read_file(b.file);
    auto infos = read_go_buildinfo(bytes);
    ASSERT_TRUE(infos) << b.name << ": " << infos.error().message;
    ASSERT_EQ(infos->size(), 1u) << b.name;
    EXPECT_EQ(go_version_m_text(infos->front()), go_version_m(b.file)) << b.name;
  }
}

TEST_F(GoBinaries, EveryExecutableFormat) {
  std::map<std::string, std::pair<std::string, std::string>> formats = {
      {"elf", {"\x7f" "ELF", "amd64"}}, {"pe.exe", {"MZ", "amd64"}}, {"macho", {"\xcf\xfa\xed\xfe", "arm64"}}};
  for (const auto& [name, want] : formats) {
    const auto& b = binary(name);
    auto bytes = e2e::read_file(b.file);
    EXPECT_EQ(bytes.substr(0, want.first.size()), want.first) << name;
    auto result = catalog(b);
    EXPECT_TRUE(result.errors.empty()) << name;
    auto infos = read_go_buildinfo(bytes);
    ASSERT_TRUE(infos && !infos->empty()) << name;
    expect_case(result, "binary-image-small", toolchain_version(infos->front()));
    for (const auto& p : result.packages) {
      if (p.name == "stdlib") continue;
      EXPECT_EQ(p.metadata.at("architecture"), want.second) << name << " " << p.name;
      if (p.name != "anchore.io/not/real") {
        EXPECT_EQ(p.metadata.at("h1_digest").rfind("h1:", 0), 0u) << p.name;
      }
    }
  }
}

TEST_F(GoBinaries, StdlibPackageAsSyftWritesIt) {
  auto result = catalog(binary("elf"));
  auto it = std::find_if(result.packages.begin(), result.packages.end(), [](const Package& p) { return p.name == "stdlib"; });
  ASSERT_NE(it, result.packages.end());
  auto bare = it->version.substr(2);
  EXPECT_EQ(it->purl, "pkg:golang/stdlib@" + bare);
  EXPECT_EQ(it->cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:" + bare + ":-:*:*:*:*:*:*"});
}

TEST_F(GoBinaries, NotAModule) {
  const auto& b = binary("file");
  auto infos = read_go_buildinfo(e2e::read_file(b.file));
  ASSERT_TRUE(infos && !infos->empty());
  EXPECT_EQ(infos->front().path, "command-line-arguments");
  // Syft's case was built by Go 1.23, which writes a main module line for
  // command-line-arguments with an empty version. Go 1.19 writes no module line at all;
  // then Syft (and cairn) make the main package from the path, with version "(devel)".
  std::string main_version = infos->front().main ? infos->front().main->version : "(devel)";
  expect_case(catalog(b), "binary-image-not-a-module", toolchain_version(infos->front()),
              {{"command-line-arguments @  (", "command-line-arguments @ " + main_version + " ("}});
}

TEST_F(GoBinaries, TrimpathAndVcsSettings) {
  auto trimmed = catalog(binary("trimpath"));
  auto main_of = [](const CatalogResult& r) {
    for (const auto& p : r.packages)
      if (p.name == "anchore.io/not/real") return p;
    return Package{};
  };
  auto trimmed_main = main_of(trimmed);
  EXPECT_EQ(trimmed_main.version, "(devel)");  // no ldflags, no vcs: nothing better to say
  EXPECT_EQ(trimmed_main.metadata.at("go_build_setting:-trimpath"), "true");
  EXPECT_EQ(trimmed.packages.size(), modules_.size() + 2);

  if (std::none_of(built_.begin(), built_.end(), [](const Built& b) { return b.name == "vcs"; }))
    GTEST_SKIP() << "git is not installed: no vcs build";
  auto vcs_infos = read_go_buildinfo(e2e::read_file(binary("vcs").file));
  ASSERT_TRUE(vcs_infos && !vcs_infos->empty());
  std::string revision, time;
  for (const auto& [k, v] : vcs_infos->front().settings) {
    if (k == "vcs.revision") revision = v;
    if (k == "vcs.time") time = v;
  }
  ASSERT_EQ(time, "2023-05-06T07:08:09Z");
  ASSERT_GE(revision.size(), 12u);
  EXPECT_EQ(main_of(catalog(binary("vcs"))).version, "v0.0.0-20230506070809-" + revision.substr(0, 12));
  auto novcs = main_of(catalog(binary("novcs")));
  EXPECT_EQ(novcs.version, "(devel)");
  EXPECT_EQ(novcs.metadata.count("go_build_setting:vcs.revision"), 0u);
}

}  // namespace
}  // namespace cairn::sbom
