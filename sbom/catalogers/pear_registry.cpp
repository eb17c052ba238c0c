#include "sbom/catalogers/pear_registry.h"

#include "sbom/catalogers/php_serialized.h"

namespace cairn::sbom {

Result<PearEntry> parse_pear_registry(std::string_view bytes) {
  auto doc = parse_php_serialized(bytes);
  if (!doc) return std::unexpected(doc.error());
  if (doc->kind != PhpValue::Kind::Array) return input_error("expected a serialized array of package fields");
  PearEntry entry;
  entry.name = doc->string_at("name");
  if (entry.name.empty()) return input_error("field \"name\": missing or not a string");
  entry.channel = doc->string_at("channel");
  if (const PhpValue* version = doc->find("version")) {
    entry.version = version->kind == PhpValue::Kind::String ? version->string : version->string_at("release");
  }
  if (const PhpValue* license = doc->find("license")) {
    std::string text = license->kind == PhpValue::Kind::String ? license->string : license->string_at("_content");
    if (!text.empty()) entry.licenses.push_back(std::move(text));
  }
  entry.summary = doc->string_at("summary");
  return entry;
}

}  // namespace cairn::sbom
