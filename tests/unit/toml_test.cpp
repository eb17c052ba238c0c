#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sbom/toml.h"

namespace cairn::sbom::toml_test {
namespace {

using json = nlohmann::json;

json parse_ok(std::string_view text) {
  auto doc = parse_toml(text);
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().to_string());
  return doc ? *doc : json();
}

// The error, for inputs that must be refused.
TomlError parse_bad(std::string_view text, const TomlLimits& limits = {}) {
  auto doc = parse_toml(text, limits);
  EXPECT_FALSE(doc.has_value()) << "accepted: " << text;
  return doc ? TomlError{} : doc.error();
}

TEST(Toml, TablesArraysOfTablesAndDottedKeys) {
  auto doc = parse_ok(
      "# lock\nversion = 3\n\n[[package]]\nname = \"a\"\n[package.source]\nurl = 'x'\n"
      "[[package]]\nname = \"b\"\ndeps.extra.list = [1, 2]\n\n[tool . \"quoted.key\"]\nk = true\n");
  EXPECT_EQ(doc["version"], 3);
  ASSERT_EQ(doc["package"].size(), 2u);
  EXPECT_EQ(doc["package"][0]["name"], "a");
  EXPECT_EQ(doc["package"][0]["source"]["url"], "x");
  EXPECT_EQ(doc["package"][1]["deps"]["extra"]["list"], json::array({1, 2}));
  EXPECT_EQ(doc["tool"]["quoted.key"]["k"], true);
}

TEST(Toml, InlineTablesAndMultiLineArrays) {
  auto doc = parse_ok(
      "source = { registry = \"https://pypi.org/simple\" }\n"
      "wheels = [\n  { url = \"u\", hash = \"h\", size = 1_000 }, # trailing comment\n\n  {a.b = 1, a.c = 2},\n]\n"
      "empty = {}\nnested = [[1, 2], [\"a\"], []]\n");
  EXPECT_EQ(doc["source"]["registry"], "https://pypi.org/simple");
  EXPECT_EQ(doc["wheels"][0]["size"], 1000);
  EXPECT_EQ(doc["wheels"][1]["a"], (json{{"b", 1}, {"c", 2}}));
  EXPECT_TRUE(doc["empty"].is_object() && doc["empty"].empty());
  EXPECT_EQ(doc["nested"][0], json::array({1, 2}));
}

TEST(Toml, StringsAndEscapes) {
  auto doc = parse_ok(
      "a = \"tab\\tquote\\\" \\u00e9 \\U0001F600\"\n"
      "b = 'C:\\path\\no escapes'\n"
      "c = \"\"\"\nline one\nline two \\\n    joined\"\"\"\n"
      "d = '''\nraw \\n ''quotes'' '''\n"
      "e = \"\"\"ends with two quotes\"\"\"\"\"\n"
      "marker = \"python_version >= \\\"3.6\\\"\"\n");
  EXPECT_EQ(doc["a"], "tab\tquote\" \xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(doc["b"], "C:\\path\\no escapes");
  EXPECT_EQ(doc["c"], "line one\nline two joined");
  EXPECT_EQ(doc["d"], "raw \\n ''quotes'' ");
  EXPECT_EQ(doc["e"], "ends with two quotes\"\"");
  EXPECT_EQ(doc["marker"], "python_version >= \"3.6\"");
}

TEST(Toml, NumbersBooleansAndDates) {
  auto doc = parse_ok(
      "i = -17\nj = +0\nhex = 0xDEAD_beef\noct = 0o755\nbin = 0b1101\n"
      "f = 6.626e-34\ng = -0.5\nh = 1e3\ninf1 = -inf\nnan1 = nan\nt = true\nf2 = false\n"
      "odt = 1979-05-27T07:32:00.999-07:00\nldt = 1979-05-27 07:32:00\nld = 1979-05-27\nlt = 07:32:00\n"
      "max = 9223372036854775807\n");
  EXPECT_EQ(doc["i"], -17);
  EXPECT_EQ(doc["j"], 0);
  EXPECT_EQ(doc["hex"], 0xDEADBEEF);
  EXPECT_EQ(doc["oct"], 0755);
  EXPECT_EQ(doc["bin"], 13);
  EXPECT_DOUBLE_EQ(doc["f"].get<double>(), 6.626e-34);
  EXPECT_DOUBLE_EQ(doc["g"].get<double>(), -0.5);
  EXPECT_TRUE(doc["h"].is_number_float());
  EXPECT_TRUE(std::isinf(doc["inf1"].get<double>()) && doc["inf1"].get<double>() < 0);
  EXPECT_TRUE(std::isnan(doc["nan1"].get<double>()));
  EXPECT_EQ(doc["t"], true);
  EXPECT_EQ(doc["f2"], false);
  EXPECT_EQ(doc["odt"], "1979-05-27T07:32:00.999-07:00");
  EXPECT_EQ(doc["ldt"], "1979-05-27 07:32:00");
  EXPECT_EQ(doc["ld"], "1979-05-27");
  EXPECT_EQ(doc["lt"], "07:32:00");
  EXPECT_EQ(doc["max"], INT64_MAX);
}

TEST(Toml, SubTablesUnderDottedKeysAndImplicitTables) {
  auto doc = parse_ok("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n"
                      "[x.y.z]\n[x]\nw = 1\n");
  EXPECT_EQ(doc["fruit"]["apple"]["texture"]["smooth"], true);
  EXPECT_EQ(doc["x"]["w"], 1);
  EXPECT_TRUE(doc["x"]["y"]["z"].is_object());
}

TEST(Toml, ErrorsNameLineAndColumn) {
  auto e = parse_bad("a = 1\nb = \"unterminated\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 18u);  // where the line ends inside the string
  EXPECT_NE(e.to_string().find("line 2, column 18"), std::string::npos) << e.to_string();
  e = parse_bad("a = 1\na = 2\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("defined twice"), std::string::npos) << e.message;
}

TEST(Toml, RefusesRedefinitions) {
  parse_bad("[a]\n[a]\n");
  parse_bad("[a]\nb.c = 1\n[a.b]\n");
  parse_bad("[a.b.c]\n[a]\nb.c.d = 1\n");
  parse_bad("a = [1]\n[[a]]\n");
  parse_bad("[[a]]\n[a]\n");
  parse_bad("a = {b = 1}\n[a.c]\n");
  parse_bad("a = {b = 1}\na.c = 2\n");
  parse_bad("a = {b = 1, b = 2}\n");
  parse_bad("a = 1\na.b = 2\n");
}

TEST(Toml, RefusesMalformedSyntax) {
  for (const char* text :
       {"a = \n", "= 1\n", "a = 1 b = 2\n", "a = 01\n", "a = 1__0\n", "a = _1\n", "a = 1.\n", "a = .5\n", "a = +0x10\n",
        "a = 0xG\n", "a = 99999999999999999999\n", "a = 1e999\n", "a = tru\n", "a = [1 2]\n", "a = [1,\n", "a = {b = 1,}\n",
        "a = {b = 1\n}\n", "a = \"\\q\"\n", "a = \"\\uD800\"\n", "a = \"\\u12\"\n", "a = 'two\nlines'\n", "a = \"\"\"open\n",
        "a = \"\"\"x\"\"\"\"\"\"\n", "[a\n", "[[a]\n", "[]\n", "a = 1979-13-01\n", "a = 2023-02-29\n", "a = 25:00:00\n",
        "a = 1979-05-27T07:32\n", "a = \"bell\x07\"\n", "a = 1 # \x01 comment\n", "a = 1\r b = 2\n", "\"\"\"k\"\"\" = 1\n",
        "a.\"b\n", "a = inf1\n", "a = -nan_\n"})
    parse_bad(text);
}

TEST(Toml, RefusesInvalidUtf8) {
  auto e = parse_bad("a = \"caf\xC3\"\n");
  EXPECT_NE(e.message.find("UTF-8"), std::string::npos);
  parse_bad("a = \"\xED\xA0\x80\"\n");  // an encoded surrogate
  parse_bad("a = \"\xC0\xAF\"\n");      // overlong
  parse_bad("# \xFF\n");
}

TEST(Toml, LimitsCapSizeDepthAndEntries) {
  TomlLimits small;
  small.max_bytes = 10;
  EXPECT_NE(parse_bad("a = \"more than ten bytes\"\n", small).message.find("larger"), std::string::npos);

  std::string deep = "a = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  EXPECT_NE(parse_bad(deep).message.find("nested deeper"), std::string::npos);
  std::string dotted = "a";
  for (int i = 0; i < 1000; ++i) dotted += ".a";
  parse_bad(dotted + " = 1\n");
  parse_bad("[" + dotted + "]\n");
  std::string inline_deep = "a = ";
  for (int i = 0; i < 1000; ++i) inline_deep += "{b = ";
  parse_bad(inline_deep + "1" + std::string(1000, '}') + "\n");

  TomlLimits few;
  few.max_entries = 5;
  EXPECT_NE(parse_bad("a = [1, 2, 3, 4, 5, 6]\n", few).message.find("more than 5"), std::string::npos);
  few.max_depth = 2;
  EXPECT_TRUE(parse_toml("a.b = 1\n", few).has_value());
  parse_bad("a.b.c = 1\n", few);
}

TEST(Toml, EmptyDocumentsBomAndCrLf) {
  EXPECT_EQ(parse_ok(""), json::object());
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF# only a comment\r\n\r\n"), json::object());
  EXPECT_EQ(parse_ok("a = 1\r\n[t]\r\nb = \"\"\"x\r\ny\"\"\"\r\n")["t"]["b"], "x\ny");
}

}  // namespace
}  // namespace cairn::sbom::toml_test
