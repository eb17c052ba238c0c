#pragma once
// Builds minimal, well-formed ELF, PE and Mach-O files with chosen sections, for tests of
// the executable reader and of the catalogers that read sections (Go build info, Rust
// audit data). Tests corrupt the result to make negative cases.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cairn::testing {

struct TestSection {
  std::string name;
  std::uint64_t address = 0;
  std::string data;
  bool writable = false;
  std::string segment = "__DATA";  // Mach-O only
};

class ByteWriter {
 public:
  explicit ByteWriter(bool little_endian) : little_(little_endian) {}
  void put(std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) {
      int shift = little_ ? 8 * i : 8 * (width - 1 - i);
      bytes += static_cast<char>((v >> shift) & 0xff);
    }
  }
  void set(std::size_t offset, std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) {
      int shift = little_ ? 8 * i : 8 * (width - 1 - i);
      bytes[offset + i] = static_cast<char>((v >> shift) & 0xff);
    }
  }
  void fixed(const std::string& text, std::size_t width) {
    std::string field = text.substr(0, width);
    field.resize(width, '\0');
    bytes += field;
  }
  void pad_to(std::size_t size) {
    if (bytes.size() < size) bytes.resize(size, '\0');
  }
  std::string bytes;

 private:
  bool little_;
};

inline std::string build_elf(bool is64, bool little, std::uint16_t machine, const std::vector<TestSection>& sections) {
  ByteWriter w(little);
  std::size_t header = is64 ? 64 : 52, entsize = is64 ? 64 : 40;
  w.bytes = std::string("\x7f" "ELF", 4);
  w.put(is64 ? 2 : 1, 1);
  w.put(little ? 1 : 2, 1);
  w.put(1, 1);
  w.pad_to(16);
  w.put(2, 2);        // ET_EXEC
  w.put(machine, 2);
  w.put(1, 4);
  w.pad_to(header);   // entry, phoff, shoff etc. patched below
  std::vector<std::size_t> offsets;
  for (const auto& s : sections) {
    offsets.push_back(w.bytes.size());
    w.bytes += s.data;
  }
  std::string names("\0", 1);
  std::vector<std::size_t> name_offsets;
  for (const auto& s : sections) {
    name_offsets.push_back(names.size());
    names += s.name + std::string("\0", 1);
  }
  std::size_t shstrtab_name = names.size();
  names += std::string(".shstrtab\0", 10);
  std::size_t names_offset = w.bytes.size();
  w.bytes += names;
  while (w.bytes.size() % 8) w.bytes += '\0';
  std::size_t shoff = w.bytes.size();
  auto section_header = [&](std::uint32_t name, std::uint32_t type, std::uint64_t flags, std::uint64_t addr,
                            std::uint64_t offset, std::uint64_t size) {
    w.put(name, 4);
    w.put(type, 4);
    w.put(flags, is64 ? 8 : 4);
    w.put(addr, is64 ? 8 : 4);
    w.put(offset, is64 ? 8 : 4);
    w.put(size, is64 ? 8 : 4);
    w.put(0, 4);
    w.put(0, 4);
    w.put(1, is64 ? 8 : 4);
    w.put(0, is64 ? 8 : 4);
  };
  w.bytes.append(entsize, '\0');  // section 0
  for (std::size_t i = 0; i < sections.size(); ++i)
    section_header(static_cast<std::uint32_t>(name_offsets[i]), 1, 2 | (sections[i].writable ? 1 : 0), sections[i].address,
                   offsets[i], sections[i].data.size());
  section_header(static_cast<std::uint32_t>(shstrtab_name), 3, 0, 0, names_offset, names.size());
  w.set(is64 ? 0x28 : 0x20, shoff, is64 ? 8 : 4);
  w.set(is64 ? 0x34 : 0x28, header, 2);
  w.set(is64 ? 0x3a : 0x2e, entsize, 2);
  w.set(is64 ? 0x3c : 0x30, sections.size() + 2, 2);
  w.set(is64 ? 0x3e : 0x32, sections.size() + 1, 2);
  return w.bytes;
}

inline std::string build_pe(bool plus, std::uint16_t machine, std::uint64_t image_base,
                            const std::vector<TestSection>& sections) {
  ByteWriter w(true);
  w.bytes = "MZ";
  w.pad_to(0x3c);
  w.put(0x80, 4);
  w.pad_to(0x80);
  w.bytes += std::string("PE\0\0", 4);
  w.put(machine, 2);
  w.put(sections.size(), 2);
  w.put(0, 4);
  w.put(0, 4);  // no symbol table
  w.put(0, 4);
  std::size_t opt_size = plus ? 240 : 224;
  w.put(opt_size, 2);
  w.put(0x22, 2);
  std::size_t opt = w.bytes.size();
  w.put(plus ? 0x20b : 0x10b, 2);
  w.pad_to(opt + opt_size);
  if (plus) w.set(opt + 24, image_base, 8);
  else w.set(opt + 28, image_base, 4);
  std::size_t table = w.bytes.size();
  w.pad_to(table + 40 * sections.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    while (w.bytes.size() % 512) w.bytes += '\0';
    std::size_t offset = w.bytes.size();
    w.bytes += sections[i].data;
    std::size_t raw = (sections[i].data.size() + 511) / 512 * 512;
    w.pad_to(offset + raw);
    std::size_t base = table + 40 * i;
    std::string name = sections[i].name.substr(0, 8);
    for (std::size_t k = 0; k < name.size(); ++k) w.bytes[base + k] = name[k];
    w.set(base + 8, sections[i].data.size(), 4);
    w.set(base + 12, sections[i].address - image_base, 4);
    w.set(base + 16, raw, 4);
    w.set(base + 20, offset, 4);
    w.set(base + 36, 0x40000040u | (sections[i].writable ? 0x80000000u : 0), 4);
  }
  return w.bytes;
}

inline std::string build_macho(bool is64, bool little, std::uint32_t cpu, const std::vector<TestSection>& sections) {
  ByteWriter w(little);
  std::size_t header = is64 ? 32 : 28, seg = is64 ? 72 : 56, sect = is64 ? 80 : 68;
  w.put(is64 ? 0xfeedfacf : 0xfeedface, 4);
  w.put(cpu, 4);
  w.put(0, 4);
  w.put(2, 4);  // MH_EXECUTE
  w.put(sections.size(), 4);  // one segment command per section
  w.put(sections.size() * (seg + sect), 4);
  w.put(0, 4);
  w.pad_to(header);
  std::size_t data = header + sections.size() * (seg + sect);
  std::string payload;
  for (const auto& s : sections) {
    std::size_t offset = data + payload.size();
    payload += s.data;
    w.put(is64 ? 0x19 : 0x1, 4);
    w.put(seg + sect, 4);
    w.fixed(s.segment, 16);
    w.put(s.address, is64 ? 8 : 4);
    w.put(s.data.size(), is64 ? 8 : 4);
    w.put(offset, is64 ? 8 : 4);
    w.put(s.data.size(), is64 ? 8 : 4);
    w.put(s.writable ? 3 : 5, 4);
    w.put(s.writable ? 3 : 5, 4);
    w.put(1, 4);
    w.put(0, 4);
    w.fixed(s.name, 16);
    w.fixed(s.segment, 16);
    w.put(s.address, is64 ? 8 : 4);
    w.put(s.data.size(), is64 ? 8 : 4);
    w.put(offset, 4);
    w.put(0, 4);
    w.put(0, 4);
    w.put(0, 4);
    w.put(0, 4);
    w.put(0, 4);
    w.put(0, 4);
    if (is64) w.put(0, 4);
  }
  return w.bytes + payload;
}

inline std::string build_fat(const std::vector<std::pair<std::uint32_t, std::string>>& slices) {
  ByteWriter w(false);
  w.put(0xcafebabe, 4);
  w.put(slices.size(), 4);
  std::size_t offset = 4096;
  std::string body;
  for (const auto& [cpu, slice] : slices) {
    w.put(cpu, 4);
    w.put(0, 4);
    w.put(offset + body.size(), 4);
    w.put(slice.size(), 4);
    w.put(12, 4);
    body += slice;
    while (body.size() % 4096) body += '\0';
  }
  w.pad_to(offset);
  return w.bytes + body;
}

}  // namespace cairn::testing
