// The bounded executable reader: handcrafted ELF, PE and Mach-O headers, and corrupt ones.
#include "sbom/binary/executable.h"

#include <gtest/gtest.h>

#include "executable_builder.h"

namespace cairn::sbom::binary {
namespace {

using testing::build_elf;
using testing::build_fat;
using testing::build_macho;
using testing::build_pe;
using testing::ByteWriter;
using testing::TestSection;

std::vector<TestSection> two_sections() {
  return {{".text", 0x401000, "\x90\x90\xc3", false}, {".data", 0x500000, "hello, data", true}};
}

void expect_two_sections(const Executable& exe) {
  const auto* text = exe.find_section(".text");
  const auto* data = exe.find_section(".data");
  ASSERT_NE(text, nullptr);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(text->address, 0x401000u);
  EXPECT_FALSE(text->writable);
  EXPECT_TRUE(data->writable);
  EXPECT_EQ(exe.section_bytes(*data).value(), "hello, data");
  EXPECT_EQ(exe.read_address(0x500007, 4).value(), "data");
  EXPECT_EQ(exe.read_address(0x500007, 100).value(), "data");  // clipped at the section end
  EXPECT_FALSE(exe.read_address(0x600000, 1));
  EXPECT_FALSE(exe.read_address(0x50000b, 1));  // one past the end
}

TEST(Executable, Elf64LittleEndian) {
  auto bytes = build_elf(true, true, 62, two_sections());
  auto exe = Executable::parse(bytes);
  ASSERT_TRUE(exe) << exe.error().message;
  EXPECT_EQ(exe->format(), ExecutableFormat::Elf);
  EXPECT_EQ(exe->pointer_size(), 8);
  EXPECT_TRUE(exe->little_endian());
  EXPECT_EQ(exe->arch(), "amd64");
  expect_two_sections(*exe);
  EXPECT_NE(exe->find_section(".shstrtab"), nullptr);
}

TEST(Executable, Elf32BigEndian) {
  auto bytes = build_elf(false, false, 8, two_sections());
  auto exe = Executable::parse(bytes);
  ASSERT_TRUE(exe) << exe.error().message;
  EXPECT_EQ(exe->pointer_size(), 4);
  EXPECT_FALSE(exe->little_endian());
  EXPECT_EQ(exe->arch(), "mips");
  expect_two_sections(*exe);
}

TEST(Executable, PePlusAndPe32) {
  auto plus = build_pe(true, 0x8664, 0x400000, {{".text", 0x401000, "\xc3", false}, {".data", 0x500000, "hello, data", true}});
  auto exe = Executable::parse(plus);
  ASSERT_TRUE(exe) << exe.error().message;
  EXPECT_EQ(exe->format(), ExecutableFormat::Pe);
  EXPECT_EQ(exe->pointer_size(), 8);
  EXPECT_EQ(exe->arch(), "amd64");
  EXPECT_EQ(exe->find_section(".data")->size, 11u);  // VirtualSize, not the padded raw size
  expect_two_sections(*exe);

  auto pe32 = build_pe(false, 0x14c, 0x400000, two_sections());
  auto exe32 = Executable::parse(pe32);
  ASSERT_TRUE(exe32) << exe32.error().message;
  EXPECT_EQ(exe32->pointer_size(), 4);
  EXPECT_EQ(exe32->arch(), "386");
  expect_two_sections(*exe32);
}

TEST(Executable, MachO64And32) {
  auto bytes = build_macho(true, true, 0x0100000c, {{"__text", 0x401000, "\xc3\xc3\xc3", false, "__TEXT"},
                                                    {"__data", 0x500000, "hello, data", true, "__DATA"}});
  auto exe = Executable::parse(bytes);
  ASSERT_TRUE(exe) << exe.error().message;
  EXPECT_EQ(exe->format(), ExecutableFormat::MachO);
  EXPECT_EQ(exe->arch(), "arm64");
  EXPECT_EQ(exe->find_section("__data", "__DATA")->segment, "__DATA");
  EXPECT_EQ(exe->find_section("__data", "__TEXT"), nullptr);
  EXPECT_EQ(exe->section_bytes(*exe->find_section("__data")).value(), "hello, data");
  EXPECT_EQ(exe->read_address(0x500000, 5).value(), "hello");

  auto be32 = build_macho(false, false, 18, {{"__data", 0x3000, "abc", true}});
  auto exe32 = Executable::parse(be32);
  ASSERT_TRUE(exe32) << exe32.error().message;
  EXPECT_EQ(exe32->pointer_size(), 4);
  EXPECT_FALSE(exe32->little_endian());
  EXPECT_EQ(exe32->read_address(0x3001, 2).value(), "bc");
}

TEST(Executable, FatMachOGivesEverySlice) {
  auto a = build_macho(true, true, 0x01000007, {{"__data", 0x1000, "x86 slice", true}});
  auto b = build_macho(true, true, 0x0100000c, {{"__data", 0x1000, "arm slice", true}});
  auto fat = build_fat({{0x01000007, a}, {0x0100000c, b}});
  EXPECT_TRUE(has_executable_magic(fat));
  auto all = parse_executables(fat);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].arch(), "amd64");
  EXPECT_EQ((*all)[1].arch(), "arm64");
  EXPECT_EQ((*all)[1].read_address(0x1000, 9).value(), "arm slice");
}

TEST(Executable, JavaClassFileIsNotFatMachO) {
  std::string klass("\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a class file", 28);
  EXPECT_FALSE(has_executable_magic(klass));
  EXPECT_FALSE(parse_executables(klass));
}

TEST(Executable, MagicChecks) {
  EXPECT_TRUE(has_executable_magic(std::string("\x7f" "ELF", 4)));
  EXPECT_TRUE(has_executable_magic("MZ"));
  EXPECT_TRUE(has_executable_magic(std::string("\xcf\xfa\xed\xfe", 4)));
  EXPECT_FALSE(has_executable_magic("#!/bin/sh\n"));
  EXPECT_FALSE(has_executable_magic(""));
  EXPECT_FALSE(parse_executables("plain text"));
}

TEST(Executable, TruncatedHeadersAreErrors) {
  auto elf = build_elf(true, true, 62, two_sections());
  for (std::size_t size : {std::size_t{4}, std::size_t{20}, std::size_t{63}, elf.size() - 1})
    EXPECT_FALSE(Executable::parse(std::string_view(elf).substr(0, size))) << size;
  auto pe = build_pe(true, 0x8664, 0x400000, two_sections());
  for (std::size_t size : {std::size_t{2}, std::size_t{0x40}, std::size_t{0x90}, std::size_t{0x190}})
    EXPECT_FALSE(Executable::parse(std::string_view(pe).substr(0, size))) << size;
  auto macho = build_macho(true, true, 7, two_sections());
  for (std::size_t size : {std::size_t{4}, std::size_t{31}, std::size_t{100}})
    EXPECT_FALSE(Executable::parse(std::string_view(macho).substr(0, size))) << size;
}

TEST(Executable, SectionDataPastTheEndIsNotRead) {
  auto elf = build_elf(true, true, 62, two_sections());
  // The headers stay valid; the .data section's offset points past the end of the file.
  std::uint64_t table = 0;
  for (int i = 7; i >= 0; --i) table = (table << 8) | static_cast<unsigned char>(elf[0x28 + i]);
  // Section 2 (.data): its sh_offset field is at +0x18.
  ByteWriter w(true);
  w.bytes = elf;
  w.set(table + 2 * 64 + 0x18, 0xffffffffffff0000ull, 8);
  auto patched = Executable::parse(w.bytes);
  ASSERT_TRUE(patched) << patched.error().message;
  const auto* data = patched->find_section(".data");
  ASSERT_NE(data, nullptr);
  EXPECT_FALSE(patched->section_bytes(*data));
  EXPECT_FALSE(patched->read_address(0x500000, 4));
  // A size that overflows offset + size.
  w.set(table + 2 * 64 + 0x18, 0x100, 8);
  w.set(table + 2 * 64 + 0x20, 0xffffffffffffffffull, 8);
  auto huge = Executable::parse(w.bytes);
  ASSERT_TRUE(huge);
  EXPECT_FALSE(huge->section_bytes(*huge->find_section(".data")));
}

TEST(Executable, HugeCountsAreErrors) {
  auto elf = build_elf(true, true, 62, two_sections());
  ByteWriter w(true);
  w.bytes = elf;
  w.set(0x3c, 0xfffe, 2);  // e_shnum far past the file
  EXPECT_FALSE(Executable::parse(w.bytes));

  auto pe = build_pe(true, 0x8664, 0x400000, two_sections());
  ByteWriter p(true);
  p.bytes = pe;
  p.set(0x86, 0xffff, 2);  // NumberOfSections
  EXPECT_FALSE(Executable::parse(p.bytes));

  auto macho = build_macho(true, true, 7, two_sections());
  ByteWriter m(true);
  m.bytes = macho;
  m.set(16, 0xffffffff, 4);  // ncmds
  EXPECT_FALSE(Executable::parse(m.bytes));
  m.bytes = macho;
  m.set(32 + 0x40, 0x7fffffff, 4);  // nsects of the first segment
  EXPECT_FALSE(Executable::parse(m.bytes));
  m.bytes = macho;
  m.set(32 + 4, 0, 4);  // cmdsize 0 would loop forever
  EXPECT_FALSE(Executable::parse(m.bytes));

  ByteWriter f(false);
  f.put(0xcafebabe, 4);
  f.put(3, 4);
  f.put(7, 4);
  f.put(0, 4);
  f.put(0xfffffff0, 4);  // slice offset past the end
  f.put(0x100, 4);
  f.put(0, 4);
  EXPECT_FALSE(parse_executables(f.bytes));
}

TEST(Executable, OverlappingSectionsAreReadIndependently) {
  auto elf = build_elf(true, true, 62,
                       {{".a", 0x1000, "0123456789", true}, {".b", 0x1004, "abcdef", true}});
  ByteWriter w(true);
  w.bytes = elf;
  std::uint64_t table = 0;
  for (int i = 7; i >= 0; --i) table = (table << 8) | static_cast<unsigned char>(elf[0x28 + i]);
  // Point .b's file data into the middle of .a's.
  std::uint64_t a_offset = 0;
  for (int i = 7; i >= 0; --i) a_offset = (a_offset << 8) | static_cast<unsigned char>(elf[table + 64 + 0x18 + i]);
  w.set(table + 2 * 64 + 0x18, a_offset + 2, 8);
  auto exe = Executable::parse(w.bytes);
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->section_bytes(*exe->find_section(".b")).value(), "234567");
  EXPECT_EQ(exe->read_address(0x1004, 3).value(), "456");  // the first section mapping the address
}

TEST(Executable, BadNameOffsetsGiveEmptyNames) {
  auto elf = build_elf(true, true, 62, two_sections());
  ByteWriter w(true);
  w.bytes = elf;
  std::uint64_t table = 0;
  for (int i = 7; i >= 0; --i) table = (table << 8) | static_cast<unsigned char>(elf[0x28 + i]);
  w.set(table + 64, 0xfffffff0, 4);  // .text's name offset past the string table
  auto exe = Executable::parse(w.bytes);
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->find_section(".text"), nullptr);
  EXPECT_NE(exe->find_section(".data"), nullptr);
}

}  // namespace
}  // namespace cairn::sbom::binary
