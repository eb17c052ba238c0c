#pragma once
// A small, bounded XML reader for the documents catalogers meet (Maven pom.xml): elements,
// attributes, character data, the predefined and numeric character references, CDATA
// sections, comments and processing instructions. A DOCTYPE is skipped without being
// interpreted, so no entity is ever declared, expanded recursively or fetched; an
// undeclared entity reference stays as written. Input size, nesting depth and element
// count are capped, so hostile input costs bounded time and memory.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct XmlElement {
  std::string name;  // local name: a namespace prefix ("xsi:") is dropped
  std::vector<std::pair<std::string, std::string>> attributes;  // local names, decoded values
  std::string text;  // the element's own character data (CDATA included), concatenated
  std::vector<XmlElement> children;

  // The first child element with this local name, or nullptr.
  const XmlElement* child(std::string_view local_name) const;
  // The trimmed text of the first child with this name; "" when there is none.
  std::string child_text(std::string_view local_name) const;
};

struct XmlLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  std::size_t max_depth = 256;
  std::size_t max_elements = 500000;
};

// Parses one document. Errors say what was wrong and at which byte offset.
Result<XmlElement> parse_xml(std::string_view text, const XmlLimits& limits = {});

// Leading and trailing XML whitespace removed.
std::string xml_trim(std::string_view s);

}  // namespace cairn::sbom
