// The binary classifiers, the ELF DT_NEEDED reader and the extract decoder over
// arbitrary bytes: no crash, no hang, no unbounded allocation. The first byte picks the
// file name, so every classifier's patterns (and the libpython lookup) get exercised.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/catalogers/binary_classifier.h"
#include "sbom/catalogers/binary_classifier_match.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  if (size == 0) return 0;
  const auto& table = binclass::classifiers();
  const auto& chosen = table[data[0] % table.size()];
  // "**/python*" -> "/x/python3.11": a name the classifier's first glob accepts.
  std::string name = chosen.globs.front().substr(3);
  for (auto& c : name)
    if (c == '*') c = '3';
  if (chosen.class_name.starts_with("python")) name = name.find("lib") == 0 ? "libpython3.11.so.1.0" : "python3.11";
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)binclass::classify("/x/" + name, bytes);
  (void)binclass::elf_needed_libraries(bytes);
  if (auto extract = binary_classifier_extract("/x/" + name, bytes)) (void)decode_classification(*extract);
  (void)decode_classification(bytes);
  return 0;
}
