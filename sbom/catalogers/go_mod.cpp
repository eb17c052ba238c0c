#include "sbom/catalogers/go_mod.h"

#include <algorithm>

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

namespace {

constexpr std::size_t kMaxTokens = 64;

// One logical line of go.mod split into tokens; comments dropped, "(" and ")" and "=>"
// are tokens, quoted strings are unquoted (Go's interpreted strings, escapes kept simple).
Result<std::vector<std::string>> tokenize(std::string_view line, std::size_t number) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (line.substr(i, 2) == "//") {
      break;
    } else if (c == '"' || c == '`') {
      auto end = line.find(c, i + 1);
      while (c == '"' && end != std::string_view::npos && line[end - 1] == '\\') end = line.find(c, end + 1);
      if (end == std::string_view::npos) return input_error("go.mod line " + std::to_string(number) + ": unterminated string");
      std::string token;
      for (std::size_t k = i + 1; k < end; ++k) {
        if (c == '"' && line[k] == '\\' && k + 1 < end) ++k;
        token += line[k];
      }
      out.push_back(std::move(token));
      i = end + 1;
    } else if (c == '(' || c == ')') {
      out.emplace_back(1, c);
      ++i;
    } else {
      auto end = line.find_first_of(" \t\r\"`()", i);
      if (end == std::string_view::npos) end = line.size();
      auto comment = line.find("//", i);
      if (comment != std::string_view::npos && comment < end) end = comment;
      out.emplace_back(line.substr(i, end - i));
      i = end;
    }
    if (out.size() > kMaxTokens) return input_error("go.mod line " + std::to_string(number) + ": too many tokens");
  }
  return out;
}

bool is_version(const std::string& token) { return token.size() > 1 && token[0] == 'v'; }

}  // namespace

Result<std::vector<GoModRequirement>> parse_go_mod(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> required;       // in order
  std::vector<std::pair<std::string, GoModRequirement>> replaces;  // old path -> new
  std::vector<std::string> excludes;
  std::string block;  // the directive of the "( ... )" block we are in
  std::size_t number = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto raw = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    auto tokens = tokenize(raw, number);
    if (!tokens) return std::unexpected(tokens.error());
    auto& t = *tokens;
    if (t.empty()) continue;
    auto where = "go.mod line " + std::to_string(number);
    std::string verb;
    std::vector<std::string> args;
    if (!block.empty()) {
      if (t.size() == 1 && t[0] == ")") {
        block.clear();
        continue;
      }
      verb = block;
      args = t;
    } else {
      verb = t[0];
      args.assign(t.begin() + 1, t.end());
      if (args.size() == 1 && args[0] == "(") {
        block = verb;
        args.clear();
      }
    }
    static const std::vector<std::string> known = {"module", "go", "toolchain", "godebug", "require", "replace",
                                                   "exclude", "retract", "tool", "ignore"};
    if (std::find(known.begin(), known.end(), verb) == known.end())
      return input_error(where + ": unknown directive " + excerpt(verb));
    if (args.empty()) continue;  // a block's opening line
    if (verb == "require") {
      if (args.size() != 2) return input_error(where + ": require wants a module path and a version: " + excerpt(raw));
      required.emplace_back(args[0], args[1]);
    } else if (verb == "exclude") {
      if (args.size() != 2) return input_error(where + ": exclude wants a module path and a version: " + excerpt(raw));
      excludes.push_back(args[0]);
    } else if (verb == "replace") {
      auto arrow = std::find(args.begin(), args.end(), "=>");
      auto left = static_cast<std::size_t>(arrow - args.begin());
      auto right = args.size() - left - (arrow == args.end() ? 0 : 1);
      if (arrow == args.end() || left < 1 || left > 2 || right < 1 || right > 2)
        return input_error(where + ": replace wants \"old [version] => new [version]\": " + excerpt(raw));
      GoModRequirement target{*(arrow + 1), right == 2 ? *(arrow + 2) : std::string()};
      if (right == 2 && !is_version(target.version)) return input_error(where + ": replacement version " + excerpt(target.version));
      replaces.emplace_back(args[0], std::move(target));
    }
  }
  if (!block.empty()) return input_error("go.mod: " + block + " block not closed");
  // As Syft: a replace directive names the module that is used (whatever the old version),
  // and an exclude removes the module path altogether.
  std::map<std::string, GoModRequirement> by_path;
  for (const auto& [path, version] : required) by_path[path] = {path, version};
  // A replacement by a local directory keeps the module's name, without a version.
  for (const auto& [old_path, target] : replaces)
    by_path[old_path] = target.version.empty() ? GoModRequirement{old_path, ""} : target;
  for (const auto& path : excludes) by_path.erase(path);
  std::vector<GoModRequirement> out;
  for (auto& [_, r] : by_path) out.push_back(std::move(r));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.path != b.path ? a.path < b.path : a.version < b.version;
  });
  return out;
}

std::map<std::pair<std::string, std::string>, std::string> parse_go_sum(std::string_view text) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size() && fields.size() < 4) {
      auto start = line.find_first_not_of(" \t\r", i);
      if (start == std::string_view::npos) break;
      auto end = line.find_first_of(" \t\r", start);
      if (end == std::string_view::npos) end = line.size();
      fields.push_back(line.substr(start, end - start));
      i = end;
    }
    if (fields.size() != 3 || fields[1].ends_with("/go.mod") || !fields[2].starts_with("h1:")) continue;
    out[{std::string(fields[0]), std::string(fields[1])}] = std::string(fields[2]);
  }
  return out;
}

}  // namespace cairn::sbom
