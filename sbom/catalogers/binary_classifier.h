#pragma once
// Runtimes and servers inside executables that no package database describes (a
// static binary copied into an image, a runtime built from source), as Syft's
// binary-classifier-cataloger finds them: the file name picks the classifiers, a
// version string inside the bytes gives the version (binary_classifier_table.h).
// Packages have type "binary" (or go-module for pkg:golang purls), found_by
// "binary-classifier-cataloger", a pkg:generic purl and the classifier's CPEs.
//
// The bytes are read once, while the layer is read, by an extractor on the
// `executables` capture rule; it keeps a small JSON of the matches per file.
// Identical packages (name, version, type) found in several files become one package
// with several locations, the first classifier's file first, as in Syft.
//
// Not done here: Syft drops a binary package whose file an OS package (deb, rpm, apk,
// alpm, ...) owns, after all catalogers ran (ExcludeBinariesByFileOwnershipOverlap);
// that needs the other catalogers' file lists, so the pipeline applies it.
#include <optional>
#include <string>
#include <string_view>

#include "sbom/cataloger.h"
#include "sbom/catalogers/binary_classifier_match.h"

namespace cairn::sbom {

inline constexpr std::string_view kBinaryClassifierExtract = "binary-classifier";

Cataloger binary_classifier_cataloger();

// The extractor: nullopt for files no classifier applies to or where nothing matched.
std::optional<std::string> binary_classifier_extract(std::string_view path, std::string_view bytes);

// The extract's JSON form, both ways; decoding fails (nullopt) on anything malformed.
std::string encode_classification(const binclass::Classification& c);
std::optional<binclass::Classification> decode_classification(std::string_view json);

}  // namespace cairn::sbom
