#include "sbom/catalogers/python_license_file.h"

#include <cctype>

namespace cairn::sbom {

namespace {

// Lower case, every run of whitespace and '*' / '#' comment decoration as one space, so
// re-wrapped and comment-boxed copies of a license read the same.
std::string flatten(std::string_view text) {
  std::string out;
  bool space = true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) || c == '*' || c == '#') {
      if (!space) out += ' ';
      space = true;
      continue;
    }
    out += static_cast<char>(std::tolower(u));
    space = false;
  }
  return out;
}

bool has(const std::string& text, std::string_view phrase) { return text.find(phrase) != std::string::npos; }

}  // namespace

std::optional<std::string> identify_python_license_text(std::string_view text) {
  const std::string t = flatten(text);
  if (has(t, "apache license") && has(t, "version 2.0")) return "Apache-2.0";
  if (has(t, "redistribution and use in source and binary forms, with or without modification, are permitted")) {
    // The third clause forbids using the contributors' names to endorse derived products.
    if (has(t, "to endorse or promote products derived from this software")) return "BSD-3-Clause";
    return "BSD-2-Clause";
  }
  if (has(t, "permission is hereby granted, free of charge, to any person obtaining a copy")) return "MIT";
  if (has(t, "permission to use, copy, modify, and/or distribute this software for any purpose with or without fee"))
    return "ISC";
  return std::nullopt;
}

}  // namespace cairn::sbom
