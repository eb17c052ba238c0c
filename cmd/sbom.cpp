// `cairn sbom SOURCE [-o FORMAT[=FILE]]...`: flags and output only; the work is in sbom/.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cmd/commands.h"
#include "cmd/registry_flags.h"
#include "core/error.h"
#include "core/log.h"
#include "oci/attach.h"
#include "oci/image_source.h"
#include "oci/target.h"
#include "oci/source_ref.h"
#include "sbom/formats/cyclonedx_json.h"
#include "sbom/formats/spdx_json.h"
#include "sbom/formats/table.h"
#include "sbom/scan.h"

namespace cairn::cmd {

namespace {

struct SbomFlags {
  std::string source;
  std::vector<std::string> outputs;
  std::string scope = "squashed";
  std::string platform;
  std::string cyclonedx_version = "1.6";
  bool files = false;
  unsigned threads = 0;
  std::vector<std::string> catalogers;
  bool attach = false;
  RegistryFlags registry;
};

struct OutputSpec {
  std::string format;
  std::string file;  // empty: stdout
};

Result<std::vector<OutputSpec>> parse_outputs(const std::vector<std::string>& raw) {
  std::vector<OutputSpec> out;
  std::vector<std::string> specs = raw;
  if (specs.empty()) specs.push_back(isatty(STDOUT_FILENO) ? "table" : "spdx-json");
  int to_stdout = 0;
  for (const auto& s : specs) {
    OutputSpec o;
    auto eq = s.find('=');
    o.format = s.substr(0, eq);
    if (eq != std::string::npos) o.file = s.substr(eq + 1);
    if (o.format != "spdx-json" && o.format != "cyclonedx-json" && o.format != "table")
      return usage_error("unknown output format \"" + o.format + "\"; expected spdx-json, cyclonedx-json or table");
    if (eq != std::string::npos && o.file.empty()) return usage_error("-o " + s + " names no file after '='");
    if (o.file.empty() && ++to_stdout > 1)
      return usage_error("more than one -o writes to stdout; give each extra format a file: -o FORMAT=FILE");
    out.push_back(o);
  }
  return out;
}

// SOURCE_DATE_EPOCH makes output reproducible (reproducible-builds.org); else now.
Result<std::int64_t> created_epoch() {
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    char* end = nullptr;
    long long v = std::strtoll(env, &end, 10);
    if (*end != '\0' || v < 0 || v > 253402300799LL)
      return usage_error(std::string("SOURCE_DATE_EPOCH=\"") + env + "\" is not a number of seconds since 1970");
    return static_cast<std::int64_t>(v);
  }
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Writes next to the target and renames, so a failed run never leaves half a file.
Status write_file(const std::string& path, const std::string& data) {
  std::string tmp = path + ".cairn-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return input_error("cannot write " + path);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return input_error("cannot write " + path);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return input_error("cannot write " + path + ": " + ec.message());
  }
  return {};
}

Result<sbom::Inventory> scan(const SbomFlags& flags) {
  auto ref = oci::parse_source_ref(flags.source);
  if (!ref) return std::unexpected(ref.error());
  sbom::ScanOptions options;
  options.threads = flags.threads;
  options.hash_files = flags.files;
  options.catalogers = flags.catalogers;
  if (flags.scope == "all-layers") options.scope = sbom::Scope::AllLayers;
  else if (flags.scope != "squashed") return usage_error("--scope must be squashed or all-layers, not \"" + flags.scope + "\"");
  oci::ImageRequest request;
  request.tag = ref->tag;
  request.digest = ref->digest;
  if (!flags.platform.empty()) {
    auto p = oci::Platform::parse(flags.platform);
    if (!p) return std::unexpected(p.error());
    request.platform = *p;
  }
  Result<oci::OpenedImage> image = input_error("unreachable");
  switch (ref->kind) {
    case oci::SourceRef::Kind::Dir: return sbom::scan_directory(ref->path, flags.source, options);
    case oci::SourceRef::Kind::Registry: {
      auto options = target_options(flags.registry);
      if (!options) return std::unexpected(options.error());
      auto target = oci::open_target(ref->path, *options);
      if (!target) return std::unexpected(target.error());
      image = oci::open_target_image(*target, request);
      break;
    }
    case oci::SourceRef::Kind::OciDir: image = oci::open_oci_layout(ref->path, request); break;
    case oci::SourceRef::Kind::OciArchive: image = oci::open_oci_archive(ref->path, request); break;
    case oci::SourceRef::Kind::DockerArchive: image = oci::open_docker_archive(ref->path, request); break;
  }
  if (!image) return std::unexpected(image.error());
  return sbom::scan_image(*image, flags.source, options);
}

// Publishes each SBOM as a referrer of the image the user named (its index, when it is
// one), with the SBOM's media type as artifactType, as oras and cosign users expect.
Status attach_sboms(const SbomFlags& flags, const std::vector<std::pair<std::string, std::string>>& documents) {
  auto ref = oci::parse_source_ref(flags.source);
  if (!ref) return std::unexpected(ref.error());
  if (ref->kind != oci::SourceRef::Kind::Registry && ref->kind != oci::SourceRef::Kind::OciDir)
    return usage_error("--attach publishes the SBOM next to the image, so the source must be a registry image or oci-dir:PATH");
  if (documents.empty()) return usage_error("--attach needs an spdx-json or cyclonedx-json output (-o)");
  std::string text = ref->path;
  if (ref->kind == oci::SourceRef::Kind::OciDir)
    text = "oci-dir:" + ref->path + (!ref->digest.empty() ? "@" + ref->digest : ref->tag.empty() ? "" : ":" + ref->tag);
  auto target = open_image_target(text, flags.registry);
  if (!target) return std::unexpected(target.error());
  auto subject = oci::resolve_target(*target);
  if (!subject) return std::unexpected(subject.error());
  for (const auto& [media_type, bytes] : documents) {
    oci::AttachRequest request;
    request.artifact_type = media_type;
    request.files.push_back({"", bytes, media_type, media_type == "application/spdx+json" ? "sbom.spdx.json" : "sbom.cdx.json"});
    auto attached = oci::attach_artifact(*target->store, subject->descriptor, request);
    if (!attached) return std::unexpected(attached.error());
    std::fprintf(stderr, "attached %s SBOM %s to %s@%s\n", media_type.c_str(), attached->manifest.digest.str().c_str(),
                 log::printable(target->display).c_str(), subject->descriptor.digest.str().c_str());
  }
  return {};
}

int run_sbom(const SbomFlags& flags) {
  auto outputs = parse_outputs(flags.outputs);
  if (!outputs) return report_error(outputs.error());
  auto epoch = created_epoch();
  if (!epoch) return report_error(epoch.error());
  if (flags.cyclonedx_version != "1.5" && flags.cyclonedx_version != "1.6")
    return report_error(Error{ErrorKind::Usage, "--cyclonedx-version must be 1.5 or 1.6"});
  auto inventory = scan(flags);
  if (!inventory) return report_error(inventory.error());
  for (const auto& e : inventory->errors) log::warn(e);

  sbom::WriteOptions options;
  options.include_files = flags.files;
  options.cyclonedx_minor = flags.cyclonedx_version == "1.5" ? 5 : 6;
  options.tool_version = CAIRN_VERSION;
  options.created_epoch = *epoch;
  std::vector<std::pair<std::string, std::string>> to_attach;  // media type, document
  for (const auto& o : *outputs) {
    std::string bytes = o.format == "spdx-json"        ? sbom::write_spdx_json(*inventory, options)
                        : o.format == "cyclonedx-json" ? sbom::write_cyclonedx_json(*inventory, options)
                                                       : sbom::write_table(*inventory);
    if (flags.attach && o.format != "table")
      to_attach.emplace_back(o.format == "spdx-json" ? "application/spdx+json" : "application/vnd.cyclonedx+json", bytes);
    if (o.file.empty()) {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      std::fflush(stdout);
    } else if (auto st = write_file(o.file, bytes); !st) {
      return report_error(st.error());
    }
  }
  if (flags.attach) {
    if (auto attached = attach_sboms(flags, to_attach); !attached) return report_error(attached.error());
  }
  return 0;
}

}  // namespace

Action register_sbom(CLI::App& app) {
  auto flags = std::make_shared<SbomFlags>();
  auto* cmd = app.add_subcommand("sbom", "Write an SPDX or CycloneDX SBOM of an image or root filesystem");
  cmd->add_option("source", flags->source,
                  "oci-dir:PATH[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:TAG], dir:PATH, "
                  "registry:HOST/REPO[:TAG|@DIGEST], or a path or image reference")
      ->required();
  cmd->add_option("-o,--output", flags->outputs,
                  "FORMAT[=FILE]: spdx-json, cyclonedx-json or table; repeat for several (the image is read once). "
                  "Default: table on a terminal, spdx-json otherwise");
  cmd->add_option("--scope", flags->scope, "squashed (what the image runs) or all-layers (also what later layers removed)")
      ->capture_default_str();
  cmd->add_option("--platform", flags->platform, "OS/ARCH[/VARIANT] to pick from an image index (default: this host's)");
  cmd->add_option("--cyclonedx-version", flags->cyclonedx_version, "1.6 or 1.5")->capture_default_str();
  cmd->add_flag("--files", flags->files, "List the files each package owns (SPDX files, CycloneDX properties)");
  cmd->add_option("--threads", flags->threads, "Layers decoded in parallel (default: one per core)");
  cmd->add_option("--catalogers", flags->catalogers,
                  "Run only these: os, language, binary, or cataloger names (comma-separated; default: all)")
      ->delimiter(',');
  cmd->add_flag("--attach", flags->attach,
                "Publish each SPDX/CycloneDX output as a referrer of the image (registry or oci-dir sources)");
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_sbom(*flags); };
}

}  // namespace cairn::cmd
