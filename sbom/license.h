#pragma once
// Declared licenses as packages write them ("GPL-2+", "mit", "LGPL-2.1+ or MPL-1.1",
// "public-domain") turned into SPDX license expressions, or into LicenseRef- ids when
// they are not one.
//
// The license and exception ids come from the SPDX license list at build time
// (cmake/SpdxLicenseList.cmake). Matching an id, in this order:
//   1. the exact id, current or deprecated ("GPL-2.0" stays "GPL-2.0", as Syft keeps it);
//   2. the same id in any letter case ("apache-2.0" -> "Apache-2.0");
//   3. a version written with fewer or more ".0" parts, the way Debian short names and
//      Syft's license index spell them: "GPL-2" -> "GPL-2.0", "Apache-2" -> "Apache-2.0",
//      "LGPL-2.1.0" -> "LGPL-2.1". When several ids share a spelling, the first id in
//      byte order wins ("GPL-2" -> "GPL-2.0", not "GPL-2.0-only"), as in Syft;
//   4. Debian copyright-format short names that name exactly one SPDX license:
//        Expat      -> MIT
//        Zope-<v>   -> ZPL-<v>   (then rule 3: "Zope-2.1" -> "ZPL-2.1")
//        Perl       -> Artistic-1.0-Perl OR GPL-1.0+   (DEP-5: "GPL-1+ or Artistic-1")
//      Names without a single SPDX counterpart ("GPL", "BSD", "Artistic", "public-domain")
//      are not guessed at.
// A trailing "+" is the SPDX "or later" operator: "GPL-2+" -> "GPL-2.0+".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

// The canonical SPDX license id for `id` by the rules above (not the Debian aliases that
// expand to expressions), or nullopt.
std::optional<std::string> spdx_license_id(std::string_view id);

// The canonical SPDX license exception id (case-insensitive, ".0" variants), or nullopt.
std::optional<std::string> spdx_exception_id(std::string_view id);

// True when `id` is exactly an id of the SPDX license list, current or deprecated.
bool is_listed_spdx_license_id(std::string_view id);

// Parses a declared license as an SPDX license expression: ids, "+", AND / OR / WITH
// (upper or lower case) and parentheses, with WITH binding tighter than AND, and AND
// tighter than OR. Returns the expression with canonical ids, upper-case operators,
// single spaces and only the parentheses precedence needs; nullopt when any part is not a
// known id or the syntax is wrong. LicenseRef-/DocumentRef- ids are refused: the caller
// has no license text to declare for them.
std::optional<std::string> to_spdx_expression(std::string_view declared);

// Joins expressions as to_spdx_expression returns them (or LicenseRef ids) with AND,
// adding parentheses only around those whose top-level operator is OR. Empty for none.
std::string join_with_and(const std::vector<std::string>& expressions);

// "LicenseRef-" + the text with every character outside [A-Za-z0-9.-] replaced by "-"
// (text already starting with "LicenseRef-" is not prefixed twice). Long text is cut and
// made unique with a hash of the whole, so the id stays short.
std::string license_ref_id(std::string_view text);

}  // namespace cairn::sbom
