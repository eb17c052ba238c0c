#pragma once
// A bounded reader of executable containers: ELF (32/64-bit, either byte order), PE
// (PE32 and PE32+) and Mach-O (32/64-bit, and fat/universal files holding several).
// It lists sections and reads their bytes or the bytes behind a virtual address; every
// offset and size read from the file is checked against the buffer, and header counts
// are capped, so hostile input gives an error, never a read out of bounds. Shared by the
// Go and Rust catalogers and the binary classifiers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom::binary {

enum class ExecutableFormat { Elf, Pe, MachO };

struct Section {
  std::string name;     // ".data", ".go.buildinfo"; Mach-O: the section name ("__data")
  std::string segment;  // Mach-O only: the segment ("__DATA"); empty otherwise
  std::uint64_t offset = 0;   // in the file (for a fat Mach-O slice: in the slice)
  std::uint64_t size = 0;     // bytes in the file (0 for sections without file data)
  std::uint64_t address = 0;  // virtual address (PE: image base + RVA)
  bool writable = false;      // data that the program may write (ELF SHF_WRITE, PE MEM_WRITE,
                              // Mach-O in a writable segment)
};

class Executable {
 public:
  // Parses one executable (a fat Mach-O gives its first slice; see parse_executables).
  // `bytes` must outlive the Executable: sections are read from it, not copied.
  static Result<Executable> parse(std::string_view bytes);

  ExecutableFormat format() const { return format_; }
  bool little_endian() const { return little_endian_; }
  int pointer_size() const { return pointer_size_; }  // 4 or 8
  // The machine as Go's GOARCH names it ("amd64", "arm64", "386", ...), or "" if unknown.
  const std::string& arch() const { return arch_; }
  const std::vector<Section>& sections() const { return sections_; }

  // The first section with this name (and, when given, in this Mach-O segment).
  const Section* find_section(std::string_view name, std::string_view segment = {}) const;
  // A section's bytes in the file; nullopt if it has none.
  std::optional<std::string_view> section_bytes(const Section& section) const;
  // Up to `size` bytes from virtual address `address`, within the one section that
  // holds it (shorter when the section ends first); nullopt if no section maps it.
  std::optional<std::string_view> read_address(std::uint64_t address, std::uint64_t size) const;

 private:
  ExecutableFormat format_ = ExecutableFormat::Elf;
  bool little_endian_ = true;
  int pointer_size_ = 8;
  std::string arch_;
  std::string_view bytes_;
  std::vector<Section> sections_;

  friend struct ExecutableParser;
};

// Every executable in the buffer: one, or one per slice of a fat Mach-O.
Result<std::vector<Executable>> parse_executables(std::string_view bytes);

// Whether the bytes start with an ELF, PE ("MZ") or Mach-O (thin or fat) magic.
bool has_executable_magic(std::string_view bytes);

}  // namespace cairn::sbom::binary
