#include "sbom/license.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cairn/spdx_license_list.h"
#include "core/digest.h"

namespace cairn::sbom {

namespace {

// Declared license strings are package data: bound the work one may cause.
constexpr std::size_t kMaxExpressionBytes = 8192;
constexpr int kMaxNesting = 32;
constexpr std::size_t kMaxRefBody = 64;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The versions a license id's version may also be written as: the same numbers with
// trailing ".0" parts dropped or added, up to three parts ("2.0" -> "2", "2.0", "2.0.0";
// "2.1" -> "2.1", "2.1.0"). Returns the spellings of the whole id; empty when the id has
// no "-<number>" version.
std::vector<std::string> version_spellings(const std::string& id) {
  std::size_t start = std::string::npos;
  for (std::size_t i = 0; i + 1 < id.size(); ++i) {
    if (id[i] == '-' && std::isdigit(static_cast<unsigned char>(id[i + 1]))) {
      start = i + 1;
      break;
    }
  }
  if (start == std::string::npos) return {};
  std::vector<std::string> parts;
  std::size_t end = start;
  while (parts.size() < 3) {
    std::size_t j = end;
    while (j < id.size() && std::isdigit(static_cast<unsigned char>(id[j]))) ++j;
    if (j == end) break;
    parts.emplace_back(id.substr(end, j - end));
    end = j;
    if (end + 1 < id.size() && id[end] == '.' && std::isdigit(static_cast<unsigned char>(id[end + 1]))) {
      ++end;
    } else {
      break;
    }
  }
  // Significant parts: those before a run of trailing zeros.
  std::size_t significant = parts.size();
  while (significant > 1 && parts[significant - 1].find_first_not_of('0') == std::string::npos) --significant;
  if (parts[0].find_first_not_of('0') == std::string::npos && significant == 1) return {};  // "-0"
  std::vector<std::string> out;
  for (std::size_t n = significant; n <= 3; ++n) {
    std::string version;
    for (std::size_t k = 0; k < n; ++k) {
      if (k) version += '.';
      version += k < parts.size() ? parts[k] : "0";
    }
    out.push_back(id.substr(0, start) + version + id.substr(end));
  }
  return out;
}

// Lower-case spelling -> canonical id. Exact ids (any case) are entered first so that no
// spelling variant can shadow a real id; variants then go to the first id in byte order.
std::unordered_map<std::string, std::string> build_index(const std::vector<std::string_view>& ids) {
  std::unordered_map<std::string, std::string> index;
  for (auto id : ids) index.emplace(lower(id), std::string(id));
  std::vector<std::string_view> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  for (auto id : sorted) {
    for (const auto& spelling : version_spellings(std::string(id))) index.emplace(lower(spelling), std::string(id));
  }
  return index;
}

const std::unordered_map<std::string, std::string>& license_index() {
  static const auto index = [] {
    std::vector<std::string_view> ids(spdx_data::kLicenseIds.begin(), spdx_data::kLicenseIds.end());
    ids.insert(ids.end(), spdx_data::kDeprecatedLicenseIds.begin(), spdx_data::kDeprecatedLicenseIds.end());
    return build_index(ids);
  }();
  return index;
}

const std::unordered_map<std::string, std::string>& exception_index() {
  static const auto index = [] {
    std::vector<std::string_view> ids(spdx_data::kExceptionIds.begin(), spdx_data::kExceptionIds.end());
    ids.insert(ids.end(), spdx_data::kDeprecatedExceptionIds.begin(), spdx_data::kDeprecatedExceptionIds.end());
    return build_index(ids);
  }();
  return index;
}

std::optional<std::string> lookup(const std::unordered_map<std::string, std::string>& index, std::string_view id) {
  if (id.empty() || id.size() > 256) return std::nullopt;
  auto it = index.find(lower(id));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------- expression parser

enum Precedence { kOr = 1, kAnd = 2, kAtom = 3 };

struct Node {
  std::string text;
  int precedence = kAtom;
};

bool is_operator(std::string_view token, std::string_view upper) {
  return token == upper || token == lower(upper);
}

class Parser {
 public:
  explicit Parser(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  std::optional<std::string> parse() {
    auto node = parse_or(0);
    if (!node || pos_ != tokens_.size()) return std::nullopt;
    return node->text;
  }

 private:
  const std::string* peek() const { return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr; }

  std::optional<Node> parse_or(int depth) {
    auto first = parse_and(depth);
    if (!first) return std::nullopt;
    Node out = std::move(*first);
    while (peek() && is_operator(*peek(), "OR")) {
      ++pos_;
      auto next = parse_and(depth);
      if (!next) return std::nullopt;
      out.text += " OR " + next->text;  // AND and atoms bind tighter: no parentheses needed
      out.precedence = kOr;
    }
    return out;
  }

  std::optional<Node> parse_and(int depth) {
    auto first = parse_with(depth);
    if (!first) return std::nullopt;
    Node out = std::move(*first);
    if (out.precedence < kAnd && peek() && is_operator(*peek(), "AND")) out.text = "(" + out.text + ")";
    while (peek() && is_operator(*peek(), "AND")) {
      ++pos_;
      auto next = parse_with(depth);
      if (!next) return std::nullopt;
      out.text += " AND " + (next->precedence < kAnd ? "(" + next->text + ")" : next->text);
      out.precedence = kAnd;
    }
    return out;
  }

  // A license with an optional WITH exception, or a parenthesised expression.
  std::optional<Node> parse_with(int depth) {
    const std::string* token = peek();
    if (!token) return std::nullopt;
    if (*token == "(") {
      if (depth >= kMaxNesting) return std::nullopt;
      ++pos_;
      auto inner = parse_or(depth + 1);
      if (!inner || !peek() || *peek() != ")") return std::nullopt;
      ++pos_;
      return inner;  // keeps its precedence: the parentheses come back only where needed
    }
    if (*token == ")" || is_operator(*token, "AND") || is_operator(*token, "OR") || is_operator(*token, "WITH")) {
      return std::nullopt;
    }
    ++pos_;
    auto license = license_term(*token);
    if (!license) return std::nullopt;
    if (peek() && is_operator(*peek(), "WITH")) {
      if (license->precedence != kAtom) return std::nullopt;  // an alias that expands to an expression
      ++pos_;
      if (!peek()) return std::nullopt;
      auto exception = spdx_exception_id(*peek());
      if (!exception) return std::nullopt;
      ++pos_;
      license->text += " WITH " + *exception;
    }
    return license;
  }

  // One license id, with "+" and the Debian aliases.
  static std::optional<Node> license_term(std::string_view word) {
    bool or_later = false;
    if (word.size() > 1 && word.back() == '+') {
      or_later = true;
      word.remove_suffix(1);
    }
    if (auto id = spdx_license_id(word)) return Node{*id + (or_later ? "+" : ""), kAtom};
    std::string key = lower(word);
    if (key == "expat") return Node{std::string("MIT") + (or_later ? "+" : ""), kAtom};
    if (key.starts_with("zope-")) {
      if (auto id = spdx_license_id("ZPL-" + std::string(word.substr(5)))) return Node{*id + (or_later ? "+" : ""), kAtom};
    }
    if (key == "perl" && !or_later) return Node{"Artistic-1.0-Perl OR GPL-1.0+", kOr};
    return std::nullopt;
  }

  std::vector<std::string> tokens_;
  std::size_t pos_ = 0;
};

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else if (c == '(' || c == ')') {
      flush();
      tokens.emplace_back(1, c);
    } else {
      current += c;
    }
  }
  flush();
  return tokens;
}

}  // namespace

std::optional<std::string> spdx_license_id(std::string_view id) { return lookup(license_index(), id); }

std::optional<std::string> spdx_exception_id(std::string_view id) { return lookup(exception_index(), id); }

bool is_listed_spdx_license_id(std::string_view id) {
  static const std::unordered_set<std::string_view> listed = [] {
    std::unordered_set<std::string_view> s(spdx_data::kLicenseIds.begin(), spdx_data::kLicenseIds.end());
    s.insert(spdx_data::kDeprecatedLicenseIds.begin(), spdx_data::kDeprecatedLicenseIds.end());
    return s;
  }();
  return listed.contains(id);
}

std::optional<std::string> to_spdx_expression(std::string_view declared) {
  if (declared.size() > kMaxExpressionBytes) return std::nullopt;
  auto tokens = tokenize(declared);
  if (tokens.empty()) return std::nullopt;
  return Parser(std::move(tokens)).parse();
}

std::string join_with_and(const std::vector<std::string>& expressions) {
  auto top_level_or = [](const std::string& e) {
    int depth = 0;
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (e[i] == '(') ++depth;
      else if (e[i] == ')') --depth;
      else if (depth == 0 && e.compare(i, 4, " OR ") == 0) return true;
    }
    return false;
  };
  std::string out;
  for (const auto& e : expressions) {
    if (!out.empty()) out += " AND ";
    out += expressions.size() > 1 && top_level_or(e) ? "(" + e + ")" : e;
  }
  return out;
}

std::string license_ref_id(std::string_view text) {
  constexpr std::string_view prefix = "LicenseRef-";
  std::string_view body = text.starts_with(prefix) ? text.substr(prefix.size()) : text;
  std::string sanitized;
  sanitized.reserve(std::min(body.size(), kMaxRefBody));
  for (char c : body.substr(0, kMaxRefBody)) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    sanitized += ok ? c : '-';
  }
  if (body.size() > kMaxRefBody) sanitized += "-" + sha256_hex(text).substr(0, 12);
  if (sanitized.empty()) sanitized = "empty";
  return std::string(prefix) + sanitized;
}

}  // namespace cairn::sbom
