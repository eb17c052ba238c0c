#include "attest/strict_json.h"

#include <set>
#include <vector>

namespace cairn::attest {

using nlohmann::json;

Result<json> parse_strict_json(std::string_view text, const std::string& where, std::size_t max_depth) {
  // The keys seen so far in each object being read; a repeat is remembered and reported
  // after parsing (the callback cannot stop the parser without exceptions).
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate, too_deep;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (static_cast<std::size_t>(depth) > max_depth && too_deep.empty()) too_deep = "nested more than " + std::to_string(max_depth) + " deep";
    switch (event) {
      case json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() && !open_objects.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty())
          duplicate = parsed.get<std::string>();
        break;
      default: break;
    }
    // Past the depth bound nothing more is kept, so a hostile document costs no memory.
    return too_deep.empty();
  };
  json doc = json::parse(text, callback, /*allow_exceptions=*/false);
  if (!too_deep.empty()) return input_error(where + ": JSON " + too_deep);
  if (doc.is_discarded()) return input_error(where + ": not valid JSON");
  if (!duplicate.empty())
    return input_error(where + ": the key \"" + duplicate.substr(0, 80) + "\" appears twice in one object; a signed document must be unambiguous");
  return doc;
}

}  // namespace cairn::attest
