#include "oci/image_model.h"

#include <nlohmann/json.hpp>

#include "oci/media_types.h"

namespace cairn::oci {

using nlohmann::json;

namespace {

Result<json> parse_json(std::string_view bytes, const std::string& where) {
  if (bytes.size() > kMaxDocumentBytes)
    return input_error(where + ": " + std::to_string(bytes.size()) + " bytes exceeds the " +
                       std::to_string(kMaxDocumentBytes) + "-byte limit");
  json doc = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error(where + ": not valid JSON");
  if (!doc.is_object()) return input_error(where + ": expected a JSON object at the top level");
  return doc;
}

Result<std::string> string_field(const json& obj, const char* key, const std::string& where, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return input_error(where + ": missing field \"" + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return input_error(where + ": field \"" + key + "\" must be a string");
  return it->get<std::string>();
}

Result<std::map<std::string, std::string>> annotations_field(const json& obj, const std::string& where) {
  std::map<std::string, std::string> out;
  auto it = obj.find("annotations");
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_object()) return input_error(where + ": field \"annotations\" must be an object");
  for (auto& [k, v] : it->items()) {
    if (!v.is_string()) return input_error(where + ": annotation \"" + k + "\" must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

Result<Descriptor> parse_descriptor(const json& obj, const std::string& where) {
  if (!obj.is_object()) return input_error(where + ": expected a descriptor object");
  Descriptor d;
  auto mt = string_field(obj, "mediaType", where, true);
  if (!mt) return std::unexpected(mt.error());
  d.media_type = *mt;
  auto dg = string_field(obj, "digest", where, true);
  if (!dg) return std::unexpected(dg.error());
  auto digest = Digest::parse(*dg);
  if (!digest) return std::unexpected(digest.error().context(where + ": field \"digest\""));
  d.digest = *digest;
  auto size = obj.find("size");
  if (size == obj.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0)
    return input_error(where + ": field \"size\" must be a non-negative integer");
  d.size = size->get<std::uint64_t>();
  auto at = string_field(obj, "artifactType", where, false);
  if (!at) return std::unexpected(at.error());
  d.artifact_type = *at;
  auto ann = annotations_field(obj, where);
  if (!ann) return std::unexpected(ann.error());
  d.annotations = std::move(*ann);
  if (auto p = obj.find("platform"); p != obj.end() && !p->is_null()) {
    if (!p->is_object()) return input_error(where + ": field \"platform\" must be an object");
    Platform plat;
    auto os = string_field(*p, "os", where + " platform", true);
    auto arch = string_field(*p, "architecture", where + " platform", true);
    auto variant = string_field(*p, "variant", where + " platform", false);
    if (!os) return std::unexpected(os.error());
    if (!arch) return std::unexpected(arch.error());
    if (!variant) return std::unexpected(variant.error());
    plat.os = *os;
    plat.architecture = *arch;
    plat.variant = *variant;
    d.platform = plat;
  }
  return d;
}

}  // namespace

Result<Platform> Platform::parse(std::string_view text) {
  Platform p;
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i <= text.size()) {
    auto j = text.find('/', i);
    if (j == std::string_view::npos) j = text.size();
    parts.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
    return usage_error("platform \"" + std::string(text) + "\" is malformed; expected OS/ARCH[/VARIANT], e.g. linux/arm64");
  p.os = parts[0];
  p.architecture = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  return p;
}

Platform Platform::host() {
#if defined(__x86_64__)
  return {"linux", "amd64", ""};
#elif defined(__aarch64__)
  return {"linux", "arm64", ""};
#elif defined(__arm__)
  return {"linux", "arm", "v7"};
#elif defined(__s390x__)
  return {"linux", "s390x", ""};
#elif defined(__powerpc64__)
  return {"linux", "ppc64le", ""};
#else
  return {"linux", "amd64", ""};
#endif
}

std::string Platform::str() const {
  return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
}

bool Platform::satisfies(const Platform& wanted) const {
  if (os != wanted.os || architecture != wanted.architecture) return false;
  if (wanted.variant.empty()) return true;
  auto norm = [&](const std::string& v) { return architecture == "arm64" && v.empty() ? std::string("v8") : v; };
  return norm(variant) == norm(wanted.variant);
}

Result<Manifest> parse_manifest(std::string_view bytes, const std::string& where) {
  auto doc = parse_json(bytes, where);
  if (!doc) return std::unexpected(doc.error());
  Manifest m;
  auto mt = string_field(*doc, "mediaType", where, false);
  if (!mt) return std::unexpected(mt.error());
  m.media_type = mt->empty() ? std::string(media::kOciManifest) : *mt;
  if (!media::is_manifest(m.media_type))
    return input_error(where + ": mediaType \"" + m.media_type + "\" is not an image manifest");
  auto version = doc->find("schemaVersion");
  if (version == doc->end() || !version->is_number_integer() || version->get<int>() != 2)
    return input_error(where + ": schemaVersion must be 2");
  auto cfg = doc->find("config");
  if (cfg == doc->end()) return input_error(where + ": missing field \"config\"");
  auto config = parse_descriptor(*cfg, where + " config");
  if (!config) return std::unexpected(config.error());
  m.config = *config;
  auto layers = doc->find("layers");
  if (layers == doc->end() || !layers->is_array()) return input_error(where + ": field \"layers\" must be an array");
  for (std::size_t i = 0; i < layers->size(); ++i) {
    auto layer = parse_descriptor((*layers)[i], where + " layer " + std::to_string(i));
    if (!layer) return std::unexpected(layer.error());
    m.layers.push_back(std::move(*layer));
  }
  if (auto s = doc->find("subject"); s != doc->end() && !s->is_null()) {
    auto subject = parse_descriptor(*s, where + " subject");
    if (!subject) return std::unexpected(subject.error());
    m.subject = *subject;
  }
  auto at = string_field(*doc, "artifactType", where, false);
  if (!at) return std::unexpected(at.error());
  m.artifact_type = *at;
  auto ann = annotations_field(*doc, where);
  if (!ann) return std::unexpected(ann.error());
  m.annotations = std::move(*ann);
  return m;
}

Result<Index> parse_index(std::string_view bytes, const std::string& where) {
  auto doc = parse_json(bytes, where);
  if (!doc) return std::unexpected(doc.error());
  Index idx;
  auto mt = string_field(*doc, "mediaType", where, false);
  if (!mt) return std::unexpected(mt.error());
  idx.media_type = mt->empty() ? std::string(media::kOciIndex) : *mt;
  if (!media::is_index(idx.media_type))
    return input_error(where + ": mediaType \"" + idx.media_type + "\" is not an image index");
  auto manifests = doc->find("manifests");
  if (manifests == doc->end() || !manifests->is_array())
    return input_error(where + ": field \"manifests\" must be an array");
  for (std::size_t i = 0; i < manifests->size(); ++i) {
    auto d = parse_descriptor((*manifests)[i], where + " manifests[" + std::to_string(i) + "]");
    if (!d) return std::unexpected(d.error());
    idx.manifests.push_back(std::move(*d));
  }
  if (auto s = doc->find("subject"); s != doc->end() && !s->is_null()) {
    auto subject = parse_descriptor(*s, where + " subject");
    if (!subject) return std::unexpected(subject.error());
    idx.subject = *subject;
  }
  auto at = string_field(*doc, "artifactType", where, false);
  if (!at) return std::unexpected(at.error());
  idx.artifact_type = *at;
  auto ann = annotations_field(*doc, where);
  if (!ann) return std::unexpected(ann.error());
  idx.annotations = std::move(*ann);
  return idx;
}

Result<ImageConfig> parse_config(std::string_view bytes, const std::string& where) {
  auto doc = parse_json(bytes, where);
  if (!doc) return std::unexpected(doc.error());
  ImageConfig c;
  for (auto [key, field] : {std::pair{"os", &c.os}, {"architecture", &c.architecture}, {"variant", &c.variant}}) {
    auto v = string_field(*doc, key, where, false);
    if (!v) return std::unexpected(v.error());
    *field = *v;
  }
  auto rootfs = doc->find("rootfs");
  if (rootfs == doc->end() || !rootfs->is_object()) return input_error(where + ": missing object \"rootfs\"");
  auto ids = rootfs->find("diff_ids");
  if (ids == rootfs->end() || !ids->is_array()) return input_error(where + ": field \"rootfs.diff_ids\" must be an array");
  for (std::size_t i = 0; i < ids->size(); ++i) {
    const auto& v = (*ids)[i];
    if (!v.is_string()) return input_error(where + ": rootfs.diff_ids[" + std::to_string(i) + "] must be a string");
    auto d = Digest::parse(v.get<std::string>());
    if (!d) return std::unexpected(d.error().context(where + ": rootfs.diff_ids[" + std::to_string(i) + "]"));
    c.diff_ids.push_back(*d);
  }
  return c;
}

Result<std::string> sniff_media_type(std::string_view bytes, const std::string& where) {
  auto doc = parse_json(bytes, where);
  if (!doc) return std::unexpected(doc.error());
  auto mt = string_field(*doc, "mediaType", where, false);
  if (!mt) return std::unexpected(mt.error());
  if (!mt->empty()) return *mt;
  if (doc->contains("manifests")) return std::string(media::kOciIndex);
  if (doc->contains("layers")) return std::string(media::kOciManifest);
  return input_error(where + ": neither a manifest nor an index (no mediaType, layers or manifests)");
}

}  // namespace cairn::oci
