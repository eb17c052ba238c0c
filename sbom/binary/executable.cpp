#include "sbom/binary/executable.h"

#include <algorithm>
#include <cstring>

namespace cairn::sbom::binary {

namespace {

// Header tables are bounded by the buffer anyway; these caps keep a hostile count from
// costing more than a moment even when the headers overlap the whole file.
constexpr std::size_t kMaxSections = 65536;
constexpr std::size_t kMaxLoadCommands = 65536;
constexpr std::size_t kMaxFatSlices = 30;  // larger counts are Java class files (0xCAFEBABE too)
constexpr std::size_t kMaxNameLength = 256;

// Reads integers at checked offsets; a read out of range returns 0 and clears ok(),
// so a parser reads a whole header and checks once.
class Reader {
 public:
  Reader(std::string_view bytes, bool little_endian) : bytes_(bytes), little_(little_endian) {}
  bool ok() const { return ok_; }
  bool fits(std::uint64_t offset, std::uint64_t size) const {
    return offset <= bytes_.size() && size <= bytes_.size() - offset;
  }
  std::uint64_t uint(std::uint64_t offset, int width) {
    if (!fits(offset, static_cast<std::uint64_t>(width))) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      auto byte = static_cast<unsigned char>(bytes_[offset + (little_ ? width - 1 - i : i)]);
      v = (v << 8) | byte;
    }
    return v;
  }
  std::uint16_t u16(std::uint64_t offset) { return static_cast<std::uint16_t>(uint(offset, 2)); }
  std::uint32_t u32(std::uint64_t offset) { return static_cast<std::uint32_t>(uint(offset, 4)); }
  std::uint64_t u64(std::uint64_t offset) { return uint(offset, 8); }
  // A NUL-terminated (or field-bounded) name of at most max bytes.
  std::string name(std::uint64_t offset, std::size_t max) const {
    if (offset >= bytes_.size()) return "";
    auto field = bytes_.substr(offset, std::min(max, bytes_.size() - offset));
    return std::string(field.substr(0, field.find('\0')));
  }

 private:
  std::string_view bytes_;
  bool little_;
  bool ok_ = true;
};

bool starts_with(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

std::uint32_t be32(std::string_view bytes) { return Reader(bytes, false).u32(0); }

bool is_fat_macho(std::string_view bytes) {
  if (bytes.size() < 8) return false;
  auto magic = be32(bytes);
  if (magic != 0xcafebabe && magic != 0xcafebabf) return false;
  auto count = be32(bytes.substr(4));
  return count >= 1 && count <= kMaxFatSlices;
}

bool is_thin_macho(std::string_view bytes) {
  if (bytes.size() < 4) return false;
  auto magic = be32(bytes);
  return magic == 0xfeedface || magic == 0xfeedfacf || magic == 0xcefaedfe || magic == 0xcffaedfe;
}

std::string elf_arch(std::uint16_t machine, bool little_endian, bool is64) {
  switch (machine) {
    case 3: return "386";
    case 62: return "amd64";
    case 40: return "arm";
    case 183: return "arm64";
    case 8: return is64 ? (little_endian ? "mips64le" : "mips64") : (little_endian ? "mipsle" : "mips");
    case 21: return little_endian ? "ppc64le" : "ppc64";
    case 22: return "s390x";
    case 243: return "riscv64";
    case 258: return "loong64";
    default: return "";
  }
}

std::string pe_arch(std::uint16_t machine) {
  switch (machine) {
    case 0x14c: return "386";
    case 0x8664: return "amd64";
    case 0x1c0:
    case 0x1c4: return "arm";
    case 0xaa64: return "arm64";
    default: return "";
  }
}

std::string macho_arch(std::uint32_t cpu) {
  switch (cpu) {
    case 7: return "386";
    case 0x01000007: return "amd64";
    case 12: return "arm";
    case 0x0100000c: return "arm64";
    case 18: return "ppc";
    case 0x01000012: return "ppc64";
    default: return "";
  }
}

}  // namespace

struct ExecutableParser {
  static Result<Executable> elf(std::string_view bytes) {
    if (bytes.size() < 16) return input_error("ELF header: truncated (" + std::to_string(bytes.size()) + " bytes)");
    auto cls = static_cast<unsigned char>(bytes[4]);
    auto data = static_cast<unsigned char>(bytes[5]);
    if ((cls != 1 && cls != 2) || (data != 1 && data != 2))
      return input_error("ELF header: class " + std::to_string(cls) + " / data " + std::to_string(data) +
                         ", expected 1 or 2");
    bool is64 = cls == 2;
    Executable exe;
    exe.format_ = ExecutableFormat::Elf;
    exe.little_endian_ = data == 1;
    exe.pointer_size_ = is64 ? 8 : 4;
    exe.bytes_ = bytes;
    Reader r(bytes, exe.little_endian_);
    auto machine = r.u16(18);
    std::uint64_t shoff = is64 ? r.u64(0x28) : r.u32(0x20);
    std::uint16_t shentsize = r.u16(is64 ? 0x3a : 0x2e);
    std::uint64_t shnum = r.u16(is64 ? 0x3c : 0x30);
    std::uint64_t shstrndx = r.u16(is64 ? 0x3e : 0x32);
    if (!r.ok()) return input_error("ELF header: truncated");
    exe.arch_ = elf_arch(machine, exe.little_endian_, is64);
    if (shoff == 0) return exe;  // no section table (stripped of it): nothing to list
    std::uint64_t want_entsize = is64 ? 64 : 40;
    if (shentsize < want_entsize)
      return input_error("ELF header: e_shentsize " + std::to_string(shentsize) + ", expected at least " +
                         std::to_string(want_entsize));
    auto field = [&](std::uint64_t base, std::uint64_t off32, std::uint64_t off64, bool wide) -> std::uint64_t {
      if (is64) return wide ? r.u64(base + off64) : r.u32(base + off64);
      return r.u32(base + off32);
    };
    // Extended numbering: counts that do not fit 16 bits live in section 0.
    if (shnum == 0) shnum = field(shoff, 0x14, 0x20, true);
    if (shstrndx == 0xffff) shstrndx = field(shoff, 0x18, 0x28, false);
    if (!r.ok()) return input_error("ELF section header 0: past the end of the file");
    if (shnum > kMaxSections) return input_error("ELF header: " + std::to_string(shnum) + " sections, more than allowed");
    if (!r.fits(shoff, shnum * shentsize))
      return input_error("ELF section headers: " + std::to_string(shnum) + " entries at offset " +
                         std::to_string(shoff) + " end past the file (" + std::to_string(bytes.size()) + " bytes)");
    std::uint64_t strtab_off = 0, strtab_size = 0;
    if (shstrndx < shnum) {
      auto base = shoff + shstrndx * shentsize;
      strtab_off = field(base, 0x10, 0x18, true);
      strtab_size = field(base, 0x14, 0x20, true);
      if (!r.fits(strtab_off, strtab_size)) strtab_size = 0;  // names unreadable; sections still listed
    }
    for (std::uint64_t i = 0; i < shnum; ++i) {
      auto base = shoff + i * shentsize;
      Section s;
      auto name_off = r.u32(base);
      auto type = r.u32(base + 4);
      auto flags = field(base, 0x08, 0x08, true);
      s.address = field(base, 0x0c, 0x10, true);
      s.offset = field(base, 0x10, 0x18, true);
      s.size = type == 8 /* SHT_NOBITS */ ? 0 : field(base, 0x14, 0x20, true);
      s.writable = (flags & 1) != 0;
      if (name_off < strtab_size)
        s.name = r.name(strtab_off + name_off, std::min<std::uint64_t>(kMaxNameLength, strtab_size - name_off));
      if (type != 0) exe.sections_.push_back(std::move(s));
    }
    if (!r.ok()) return input_error("ELF section headers: truncated");
    return exe;
  }

  static Result<Executable> pe(std::string_view bytes) {
    Reader r(bytes, true);
    std::uint64_t pe_off = r.u32(0x3c);
    if (!r.ok()) return input_error("PE: DOS header truncated");
    if (!r.fits(pe_off, 4) || bytes.substr(pe_off, 4) != std::string_view("PE\0\0", 4))
      return input_error("PE: no \"PE\\0\\0\" signature at offset " + std::to_string(pe_off));
    auto coff = pe_off + 4;
    auto machine = r.u16(coff);
    std::uint64_t nsections = r.u16(coff + 2);
    std::uint64_t symtab = r.u32(coff + 8);
    std::uint64_t nsymbols = r.u32(coff + 12);
    std::uint64_t opt_size = r.u16(coff + 16);
    auto opt = coff + 20;
    auto magic = r.u16(opt);
    if (!r.ok()) return input_error("PE: COFF header truncated");
    Executable exe;
    exe.format_ = ExecutableFormat::Pe;
    exe.little_endian_ = true;
    exe.bytes_ = bytes;
    exe.arch_ = pe_arch(machine);
    std::uint64_t image_base = 0;
    if (magic == 0x10b) {
      exe.pointer_size_ = 4;
      image_base = r.u32(opt + 28);
    } else if (magic == 0x20b) {
      exe.pointer_size_ = 8;
      image_base = r.u64(opt + 24);
    } else {
      return input_error("PE: optional header magic " + std::to_string(magic) + ", expected 0x10b or 0x20b");
    }
    if (!r.ok()) return input_error("PE: optional header truncated");
    auto table = opt + opt_size;
    if (!r.fits(table, nsections * 40))
      return input_error("PE section table: " + std::to_string(nsections) + " entries at offset " +
                         std::to_string(table) + " end past the file");
    auto strings = symtab + nsymbols * 18;  // COFF string table, for names longer than 8 bytes
    for (std::uint64_t i = 0; i < nsections; ++i) {
      auto base = table + i * 40;
      Section s;
      s.name = r.name(base, 8);
      if (s.name.size() > 1 && s.name[0] == '/' && symtab != 0) {
        std::uint64_t index = 0;
        bool digits = true;
        for (char c : s.name.substr(1)) {
          if (c < '0' || c > '9') digits = false;
          else index = index * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (digits) s.name = r.name(strings + index, kMaxNameLength);
      }
      std::uint64_t virtual_size = r.u32(base + 8);
      std::uint64_t rva = r.u32(base + 12);
      std::uint64_t raw_size = r.u32(base + 16);
      s.offset = r.u32(base + 20);
      auto characteristics = r.u32(base + 36);
      s.address = image_base + rva;
      // Raw data is padded to the file alignment; the section proper is VirtualSize long.
      s.size = virtual_size != 0 ? std::min(virtual_size, raw_size) : raw_size;
      s.writable = (characteristics & 0x80000000u) != 0;
      exe.sections_.push_back(std::move(s));
    }
    if (!r.ok()) return input_error("PE section table: truncated");
    return exe;
  }

  static Result<Executable> macho(std::string_view bytes) {
    auto magic = be32(bytes);
    bool is64 = magic == 0xfeedfacf || magic == 0xcffaedfe;
    Executable exe;
    exe.format_ = ExecutableFormat::MachO;
    exe.little_endian_ = magic == 0xcefaedfe || magic == 0xcffaedfe;
    exe.pointer_size_ = is64 ? 8 : 4;
    exe.bytes_ = bytes;
    Reader r(bytes, exe.little_endian_);
    auto cpu = r.u32(4);
    std::uint64_t ncmds = r.u32(16);
    std::uint64_t sizeofcmds = r.u32(20);
    if (!r.ok()) return input_error("Mach-O header: truncated");
    exe.arch_ = macho_arch(cpu);
    if (ncmds > kMaxLoadCommands) return input_error("Mach-O header: " + std::to_string(ncmds) + " load commands, more than allowed");
    std::uint64_t offset = is64 ? 32 : 28;
    if (!r.fits(offset, sizeofcmds)) return input_error("Mach-O load commands: sizeofcmds " + std::to_string(sizeofcmds) + " ends past the file");
    auto end = offset + sizeofcmds;
    for (std::uint64_t i = 0; i < ncmds; ++i) {
      if (end - offset < 8) return input_error("Mach-O load command " + std::to_string(i) + ": past sizeofcmds");
      auto cmd = r.u32(offset);
      std::uint64_t cmdsize = r.u32(offset + 4);
      if (cmdsize < 8 || cmdsize > end - offset)
        return input_error("Mach-O load command " + std::to_string(i) + ": cmdsize " + std::to_string(cmdsize) + " out of range");
      bool segment64 = cmd == 0x19, segment32 = cmd == 0x1;
      if (segment64 || segment32) {
        std::uint64_t header = segment64 ? 72 : 56, entry = segment64 ? 80 : 68;
        if (cmdsize < header) return input_error("Mach-O segment command " + std::to_string(i) + ": too short");
        auto initprot = r.u32(offset + (segment64 ? 0x3c : 0x2c));
        std::uint64_t nsects = r.u32(offset + (segment64 ? 0x40 : 0x30));
        if (nsects > (cmdsize - header) / entry)
          return input_error("Mach-O segment command " + std::to_string(i) + ": " + std::to_string(nsects) +
                             " sections do not fit its cmdsize");
        if (exe.sections_.size() + nsects > kMaxSections) return input_error("Mach-O: more sections than allowed");
        for (std::uint64_t k = 0; k < nsects; ++k) {
          auto base = offset + header + k * entry;
          Section s;
          s.name = r.name(base, 16);
          s.segment = r.name(base + 16, 16);
          s.address = segment64 ? r.u64(base + 32) : r.u32(base + 32);
          s.size = segment64 ? r.u64(base + 40) : r.u32(base + 36);
          s.offset = r.u32(base + (segment64 ? 48 : 40));
          auto flags = r.u32(base + (segment64 ? 64 : 56));
          auto kind = flags & 0xff;
          if (kind == 0x1 || kind == 0xc || kind == 0x12) s.size = 0;  // zero-fill: no file data
          s.writable = (initprot & 2) != 0;
          exe.sections_.push_back(std::move(s));
        }
      }
      offset += cmdsize;
    }
    if (!r.ok()) return input_error("Mach-O load commands: truncated");
    return exe;
  }
};

Result<Executable> Executable::parse(std::string_view bytes) {
  auto all = parse_executables(bytes);
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return input_error("fat Mach-O: no slices");
  return std::move(all->front());
}

Result<std::vector<Executable>> parse_executables(std::string_view bytes) {
  std::vector<Executable> out;
  auto push = [&](Result<Executable> exe) -> Status {
    if (!exe) return std::unexpected(exe.error());
    out.push_back(std::move(*exe));
    return {};
  };
  Status status;
  if (starts_with(bytes, "\x7f" "ELF")) {
    status = push(ExecutableParser::elf(bytes));
  } else if (starts_with(bytes, "MZ")) {
    status = push(ExecutableParser::pe(bytes));
  } else if (is_thin_macho(bytes)) {
    status = push(ExecutableParser::macho(bytes));
  } else if (is_fat_macho(bytes)) {
    Reader r(bytes, false);
    bool fat64 = r.u32(0) == 0xcafebabf;
    std::uint64_t count = r.u32(4), entry = fat64 ? 32 : 20;
    if (!r.fits(8, count * entry)) return input_error("fat Mach-O: " + std::to_string(count) + " slice headers end past the file");
    for (std::uint64_t i = 0; i < count; ++i) {
      auto base = 8 + i * entry;
      std::uint64_t offset = fat64 ? r.u64(base + 8) : r.u32(base + 8);
      std::uint64_t size = fat64 ? r.u64(base + 16) : r.u32(base + 12);
      if (!r.fits(offset, size))
        return input_error("fat Mach-O slice " + std::to_string(i) + ": offset " + std::to_string(offset) + " size " +
                           std::to_string(size) + " past the end of the file");
      auto slice = bytes.substr(offset, size);
      if (!is_thin_macho(slice)) return input_error("fat Mach-O slice " + std::to_string(i) + ": not a Mach-O file");
      status = push(ExecutableParser::macho(slice));
      if (!status) break;
    }
  } else {
    return input_error("not an executable: no ELF, PE or Mach-O magic");
  }
  if (!status) return std::unexpected(status.error());
  return out;
}

bool has_executable_magic(std::string_view bytes) {
  return starts_with(bytes, "\x7f" "ELF") || starts_with(bytes, "MZ") || is_thin_macho(bytes) || is_fat_macho(bytes);
}

const Section* Executable::find_section(std::string_view name, std::string_view segment) const {
  for (const auto& s : sections_)
    if (s.name == name && (segment.empty() || s.segment == segment)) return &s;
  return nullptr;
}

std::optional<std::string_view> Executable::section_bytes(const Section& section) const {
  if (section.size == 0 || section.offset > bytes_.size() || section.size > bytes_.size() - section.offset)
    return std::nullopt;
  return bytes_.substr(section.offset, section.size);
}

std::optional<std::string_view> Executable::read_address(std::uint64_t address, std::uint64_t size) const {
  for (const auto& s : sections_) {
    if (address < s.address || address - s.address >= s.size) continue;
    auto data = section_bytes(s);
    if (!data) continue;
    auto start = address - s.address;
    return data->substr(start, std::min<std::uint64_t>(size, data->size() - start));
  }
  return std::nullopt;
}

}  // namespace cairn::sbom::binary
