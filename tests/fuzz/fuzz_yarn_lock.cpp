// The yarn.lock parser (classic and berry), and the bun.lock and deno.lock parsers, over
// arbitrary bytes: no crash, no hang, no unbounded allocation; dev marking on whatever
// graph comes out.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "sbom/catalogers/bun_lock.h"
#include "sbom/catalogers/deno_lock.h"
#include "sbom/catalogers/js_lock_graph.h"
#include "sbom/catalogers/yarn_lock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto graph = parse_yarn_lock(text)) {
    std::set<std::string> prod, dev;
    for (std::size_t i = 0; i < graph->packages.size(); ++i) (i % 2 ? dev : prod).insert(graph->packages[i].name);
    mark_dev_only(*graph, prod, dev);
    (void)without_dev(*graph);
  }
  (void)parse_bun_lock(text);
  (void)parse_deno_lock(text);
  return 0;
}
