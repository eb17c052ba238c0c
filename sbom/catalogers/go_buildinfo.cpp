#include "sbom/catalogers/go_buildinfo.h"

#include <nlohmann/json.hpp>

#include "sbom/binary/executable.h"
#include "sbom/catalogers/excerpt.h"
#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using binary::Executable;
using binary::ExecutableFormat;
using binary::Section;

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
constexpr std::size_t kAlign = 16;
// Go searches the first 64 KiB of the data section for the header.
constexpr std::size_t kSearchWindow = 64 * 1024;
// Real module info is kilobytes (a few thousand deps at most); caps for hostile blobs.
constexpr std::uint64_t kMaxString = 16 * 1024 * 1024;
constexpr std::size_t kMaxModules = 100000;

// The section Go's debug/buildinfo starts from, per format; else any writable section.
std::vector<const Section*> candidate_sections(const Executable& exe) {
  std::vector<const Section*> out;
  auto add = [&](const Section* s) {
    if (s && s->size > 0) out.push_back(s);
  };
  switch (exe.format()) {
    case ExecutableFormat::Elf: add(exe.find_section(".go.buildinfo")); break;
    case ExecutableFormat::MachO: add(exe.find_section("__go_buildinfo")); break;
    case ExecutableFormat::Pe: break;
  }
  if (!out.empty()) return out;
  for (const auto& s : exe.sections())
    if (s.writable && (s.segment.empty() || s.segment == "__DATA")) add(&s);
  return out;
}

std::optional<std::string_view> find_header(std::string_view data) {
  data = data.substr(0, kSearchWindow);
  for (std::size_t at = 0; at + kHeaderSize <= data.size(); at += kAlign)
    if (data.substr(at, kMagic.size()) == kMagic) return data.substr(at);
  return std::nullopt;
}

// Go's uvarint-prefixed string; nullopt when the length runs past the data.
std::optional<std::string_view> decode_inline_string(std::string_view& data) {
  std::uint64_t length = 0;
  std::size_t i = 0;
  for (int shift = 0; i < data.size() && shift < 64; shift += 7) {
    auto byte = static_cast<unsigned char>(data[i++]);
    length |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (length > data.size() - i) return std::nullopt;
      auto out = data.substr(i, length);
      data.remove_prefix(i + length);
      return out;
    }
  }
  return std::nullopt;
}

std::uint64_t read_pointer(std::string_view bytes, int size, bool big_endian) {
  std::uint64_t v = 0;
  for (int i = 0; i < size; ++i) {
    auto byte = static_cast<unsigned char>(bytes[big_endian ? i : size - 1 - i]);
    v = (v << 8) | byte;
  }
  return v;
}

// Pre-1.18 layout: address -> Go string header {data pointer, length} -> bytes.
std::optional<std::string_view> read_pointer_string(const Executable& exe, std::uint64_t address, int ptr,
                                                    bool big_endian) {
  auto header = exe.read_address(address, 2 * static_cast<std::uint64_t>(ptr));
  if (!header || header->size() < 2 * static_cast<std::size_t>(ptr)) return std::nullopt;
  auto data = read_pointer(*header, ptr, big_endian);
  auto length = read_pointer(header->substr(ptr), ptr, big_endian);
  if (length > kMaxString) return std::nullopt;
  if (length == 0) return std::string_view();
  auto text = exe.read_address(data, length);
  if (!text || text->size() != length) return std::nullopt;
  return text;
}

Result<std::optional<GoBuildInfo>> read_one(const Executable& exe) {
  std::optional<std::string_view> blob;
  for (const auto* section : candidate_sections(exe)) {
    auto data = exe.section_bytes(*section);
    if (data && (blob = find_header(*data))) break;
  }
  if (!blob) return std::optional<GoBuildInfo>();
  int ptr = static_cast<unsigned char>((*blob)[14]);
  auto flags = static_cast<unsigned char>((*blob)[15]);
  std::string_view version, modinfo;
  if (flags & 2) {
    auto rest = blob->substr(kHeaderSize);
    auto v = decode_inline_string(rest);
    auto m = v ? decode_inline_string(rest) : std::nullopt;
    if (!v || !m) return input_error("Go buildinfo: inline version or module string runs past the section");
    version = *v;
    modinfo = *m;
  } else {
    if (ptr != 4 && ptr != 8) return input_error("Go buildinfo: pointer size " + std::to_string(ptr) + ", expected 4 or 8");
    bool big_endian = (flags & 1) != 0;
    auto v = read_pointer_string(exe, read_pointer(blob->substr(16), ptr, big_endian), ptr, big_endian);
    auto m = read_pointer_string(exe, read_pointer(blob->substr(16 + ptr), ptr, big_endian), ptr, big_endian);
    if (!v || !m) return input_error("Go buildinfo: version or module pointer outside the file's sections");
    version = *v;
    modinfo = *m;
  }
  if (version.empty()) return std::optional<GoBuildInfo>();  // as Go: not a Go executable
  GoBuildInfo info;
  info.go_version = std::string(version);
  // The module text is framed by two 16-byte sentinels (the second after a newline).
  if (modinfo.size() >= 33 && modinfo[modinfo.size() - 17] == '\n') {
    auto status = parse_go_modinfo(modinfo.substr(16, modinfo.size() - 32), info);
    if (!status) return std::unexpected(status.error());
  }
  for (const auto& [key, value] : info.settings)
    if (key == "GOARCH") info.arch = value;
  if (info.arch.empty()) info.arch = exe.arch();
  return std::optional<GoBuildInfo>(std::move(info));
}

// strconv.Unquote for the quoted keys and values of build lines.
std::optional<std::string> unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != text.back()) return std::nullopt;
  if (text.front() == '`') return std::string(text.substr(1, text.size() - 2));
  if (text.front() != '"') return std::nullopt;
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  auto append_utf8 = [&](std::uint32_t cp) {
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  };
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '"') return std::nullopt;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= text.size() - 1) return std::nullopt;  // the escaped char must precede the quote
    char e = text[i];
    switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case 'x':
      case 'u':
      case 'U': {
        std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + digits >= text.size() - 1) return std::nullopt;
        std::uint32_t v = 0;
        for (std::size_t k = 1; k <= digits; ++k) {
          int d = hex(text[i + k]);
          if (d < 0) return std::nullopt;
          v = v * 16 + static_cast<std::uint32_t>(d);
        }
        i += digits;
        if (e == 'x') out += static_cast<char>(v);
        else append_utf8(v);
        break;
      }
      default:
        if (e >= '0' && e <= '7' && i + 2 < text.size() - 1) {
          std::uint32_t v = 0;
          for (std::size_t k = 0; k < 3; ++k) {
            char d = text[i + k];
            if (d < '0' || d > '7') return std::nullopt;
            v = v * 8 + static_cast<std::uint32_t>(d - '0');
          }
          if (v > 255) return std::nullopt;
          out += static_cast<char>(v);
          i += 2;
          break;
        }
        return std::nullopt;
    }
  }
  return out;
}

// strconv.Quote, as debug.BuildInfo.String() applies it (ASCII escapes; other bytes kept).
std::string quote(std::string_view text) {
  static const char* digits = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\v': out += "\\v"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\x";
          out += digits[u >> 4];
          out += digits[u & 15];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::vector<std::string_view> split_tabs(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    auto tab = text.find('\t');
    out.push_back(text.substr(0, tab));
    if (tab == std::string_view::npos) return out;
    text.remove_prefix(tab + 1);
  }
}

Result<GoModuleVersion> module_line(std::string_view rest, std::size_t line) {
  auto fields = split_tabs(rest);
  if (fields.size() != 2 && fields.size() != 3)
    return input_error("Go module info line " + std::to_string(line) + ": " + std::to_string(fields.size()) +
                       " tab-separated fields, expected 2 or 3: " + excerpt(rest));
  return GoModuleVersion{std::string(fields[0]), std::string(fields[1]),
                         fields.size() == 3 ? std::string(fields[2]) : std::string()};
}

}  // namespace

Status parse_go_modinfo(std::string_view text, GoBuildInfo& info) {
  std::size_t line_number = 0;
  GoModule* last = nullptr;  // the module a "=>" line replaces
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    auto where = [&] { return "Go module info line " + std::to_string(line_number); };
    if (line.starts_with("path\t")) {
      info.path = std::string(line.substr(5));
    } else if (line.starts_with("mod\t")) {
      auto m = module_line(line.substr(4), line_number);
      if (!m) return std::unexpected(m.error());
      info.main = GoModule{*m, std::nullopt};
      last = &*info.main;
    } else if (line.starts_with("dep\t")) {
      if (info.deps.size() >= kMaxModules) return input_error(where() + ": more than " + std::to_string(kMaxModules) + " dependencies");
      auto m = module_line(line.substr(4), line_number);
      if (!m) return std::unexpected(m.error());
      info.deps.push_back(GoModule{*m, std::nullopt});
      last = &info.deps.back();
    } else if (line.starts_with("=>\t")) {
      if (!last) return input_error(where() + ": replacement without a module before it");
      auto m = module_line(line.substr(3), line_number);
      if (!m) return std::unexpected(m.error());
      last->replace = *m;
      last = nullptr;
    } else if (line.starts_with("build\t")) {
      if (info.settings.size() >= kMaxModules) return input_error(where() + ": too many build settings");
      auto kv = line.substr(6);
      std::string key;
      std::string_view raw_value;
      if (kv.empty() || kv.front() == '=') return input_error(where() + ": build setting without a key: " + excerpt(line));
      if (kv.front() == '"' || kv.front() == '`') {
        // The quoted key ends at the first unescaped closing quote.
        std::size_t end = 1;
        while (end < kv.size() && kv[end] != kv.front()) end += (kv[end] == '\\' && kv.front() == '"') ? 2 : 1;
        if (end >= kv.size()) return input_error(where() + ": unterminated quoted key: " + excerpt(line));
        auto k = unquote(kv.substr(0, end + 1));
        if (!k || end + 1 >= kv.size() || kv[end + 1] != '=') return input_error(where() + ": bad quoted key: " + excerpt(line));
        key = *k;
        raw_value = kv.substr(end + 2);
      } else {
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) return input_error(where() + ": build setting without '=': " + excerpt(line));
        key = std::string(kv.substr(0, eq));
        raw_value = kv.substr(eq + 1);
      }
      std::string value(raw_value);
      if (!raw_value.empty() && (raw_value.front() == '"' || raw_value.front() == '`')) {
        auto v = unquote(raw_value);
        if (!v) return input_error(where() + ": bad quoted value for " + excerpt(key) + ": " + excerpt(raw_value));
        value = *v;
      }
      info.settings.emplace_back(std::move(key), std::move(value));
    } else if (!line.empty()) {
      return input_error(where() + ": unknown line " + excerpt(line));
    }
  }
  return {};
}

Result<std::vector<GoBuildInfo>> read_go_buildinfo(std::string_view executable_bytes) {
  auto executables = binary::parse_executables(executable_bytes);
  if (!executables) return std::unexpected(executables.error());
  std::vector<GoBuildInfo> out;
  for (const auto& exe : *executables) {
    auto info = read_one(exe);
    if (!info) return std::unexpected(info.error());
    if (*info) out.push_back(std::move(**info));
  }
  return out;
}

std::string go_version_m_text(const GoBuildInfo& info) {
  std::string out = info.go_version + "\n";
  if (!info.path.empty()) out += "\tpath\t" + info.path + "\n";
  auto format = [&](const std::string& word, const GoModuleVersion& m, const std::optional<GoModuleVersion>& replace,
                    auto& self) -> void {
    out += "\t" + word + "\t" + m.path + "\t" + (m.version.empty() ? "(devel)" : m.version);
    if (replace) {
      out += "\n";
      self("=>", *replace, std::nullopt, self);
      return;
    }
    out += "\t" + m.sum + "\n";
  };
  if (info.main && !(info.main->path.empty() && info.main->version.empty() && info.main->sum.empty() && !info.main->replace))
    format("mod", *info.main, info.main->replace, format);
  for (const auto& dep : info.deps) format("dep", dep, dep.replace, format);
  for (const auto& [key, value] : info.settings) {
    bool quote_key = key.empty() || key.find_first_of("= \t\r\n\"`") != std::string::npos;
    bool quote_value = value.find_first_of(" \t\r\n\"`") != std::string::npos;
    out += "\tbuild\t" + (quote_key ? quote(key) : key) + "=" + (quote_value ? quote(value) : value) + "\n";
  }
  return out;
}

namespace {

nlohmann::json module_json(const GoModuleVersion& m) { return {{"path", m.path}, {"version", m.version}, {"sum", m.sum}}; }

GoModuleVersion module_from_json(const nlohmann::json& j) {
  return {json_string_field(j, "path"), json_string_field(j, "version"), json_string_field(j, "sum")};
}

GoModule full_module_from_json(const nlohmann::json& j) {
  GoModule m{module_from_json(j), std::nullopt};
  auto it = j.find("replace");
  if (it != j.end() && it->is_object()) m.replace = module_from_json(*it);
  return m;
}

}  // namespace

std::string go_buildinfo_to_json(const std::vector<GoBuildInfo>& infos) {
  auto all = nlohmann::json::array();
  for (const auto& info : infos) {
    nlohmann::json j{{"goVersion", info.go_version}, {"path", info.path}, {"arch", info.arch}};
    auto module = [](const GoModule& m) {
      auto j = module_json(m);
      if (m.replace) j["replace"] = module_json(*m.replace);
      return j;
    };
    if (info.main) j["main"] = module(*info.main);
    j["deps"] = nlohmann::json::array();
    for (const auto& dep : info.deps) j["deps"].push_back(module(dep));
    j["settings"] = nlohmann::json::array();
    for (const auto& [k, v] : info.settings) j["settings"].push_back({k, v});
    all.push_back(std::move(j));
  }
  // Invalid UTF-8 from a hostile binary is replaced rather than thrown on.
  return all.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<GoBuildInfo>> go_buildinfo_from_json(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) return input_error("Go buildinfo extract: not a JSON array");
  std::vector<GoBuildInfo> out;
  for (const auto& j : doc) {
    if (!j.is_object()) continue;
    GoBuildInfo info;
    info.go_version = json_string_field(j, "goVersion");
    info.path = json_string_field(j, "path");
    info.arch = json_string_field(j, "arch");
    if (auto it = j.find("main"); it != j.end() && it->is_object()) info.main = full_module_from_json(*it);
    if (auto it = j.find("deps"); it != j.end() && it->is_array())
      for (const auto& d : *it)
        if (d.is_object()) info.deps.push_back(full_module_from_json(d));
    if (auto it = j.find("settings"); it != j.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_array() && s.size() == 2 && s[0].is_string() && s[1].is_string())
          info.settings.emplace_back(s[0].get<std::string>(), s[1].get<std::string>());
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace cairn::sbom
