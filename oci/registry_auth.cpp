#include "oci/registry_auth.h"

#include <cctype>
#include <nlohmann/json.hpp>

namespace cairn::oci {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

Result<std::vector<Challenge>> parse_challenges(std::string_view header) {
  auto bad = [&](const std::string& why) {
    std::string shown(header.substr(0, 200));
    return input_error("WWW-Authenticate \"" + shown + "\": " + why);
  };
  if (header.size() > 16384) return bad("longer than 16 KiB");
  std::vector<Challenge> out;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
  };
  while (true) {
    skip_space();
    while (i < header.size() && header[i] == ',') {
      ++i;
      skip_space();
    }
    if (i >= header.size()) break;
    std::size_t start = i;
    while (i < header.size() && is_token_char(header[i])) ++i;
    if (i == start) return bad("expected an authentication scheme at offset " + std::to_string(i));
    Challenge challenge{lower(std::string(header.substr(start, i - start))), {}};
    // auth-params: name=value or name="quoted", separated by commas; a token that is not
    // followed by '=' starts the next challenge.
    while (true) {
      skip_space();
      std::size_t name_start = i;
      while (i < header.size() && is_token_char(header[i])) ++i;
      std::size_t name_end = i;
      skip_space();
      if (name_end == name_start || i >= header.size() || header[i] != '=') {
        i = name_start;
        break;
      }
      ++i;  // '='
      skip_space();
      std::string value;
      if (i < header.size() && header[i] == '"') {
        ++i;
        bool closed = false;
        while (i < header.size()) {
          char c = header[i++];
          if (c == '\\' && i < header.size()) {
            value += header[i++];
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value += c;
          }
        }
        if (!closed) return bad("unterminated quoted string");
      } else {
        std::size_t v = i;
        while (i < header.size() && header[i] != ',' && header[i] != ' ') ++i;
        value = std::string(header.substr(v, i - v));
      }
      challenge.params[lower(std::string(header.substr(name_start, name_end - name_start)))] = value;
      skip_space();
      if (i < header.size() && header[i] == ',') ++i;
    }
    out.push_back(std::move(challenge));
    if (out.size() > 16) return bad("more than 16 challenges");
  }
  if (out.empty()) return bad("no challenge");
  return out;
}

Result<TokenAnswer> parse_token_answer(std::string_view body, const std::string& where) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return input_error(where + ": the token server's answer is not a JSON object");
  TokenAnswer answer;
  for (const char* key : {"token", "access_token"}) {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string() && !it->get<std::string>().empty()) {
      answer.token = it->get<std::string>();
      break;
    }
  }
  if (answer.token.empty()) return input_error(where + ": the token server's answer has neither \"token\" nor \"access_token\"");
  if (auto it = doc.find("refresh_token"); it != doc.end() && it->is_string()) answer.refresh_token = it->get<std::string>();
  if (auto it = doc.find("expires_in"); it != doc.end() && it->is_number_integer()) {
    auto v = it->get<long long>();
    // The token spec says 60 s when absent or shorter.
    answer.expires_in = v < 60 ? 60 : (v > 86400 ? 86400 : static_cast<int>(v));
  }
  return answer;
}

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace cairn::oci
