#pragma once
// `semdraw-cli bench --mode edit-latency`: how soon an artist's edit shows in
// the live stream and when the stream is at rest again (settle mode).
#include <vector>

#include "cli/bench_support.h"
#include "semdraw/engine/engine.h"

namespace semdraw::cli::bench {

struct EditLatencyPlan {
  int size = 512;
  std::vector<int> region_counts;
  long long repeats = 5;  // edits of each kind
};

// For each region count: settles the stream on the synthetic scene, then
// applies `repeats` edits of each kind (a mask stroke, a prompt change), each
// from a settled stream, stepping after each until the engine reports the
// stream settled. Prints one line per region count and edit kind with
// `common` merged in. Throws std::runtime_error when the stream does not
// settle within a bound of frames.
void run_edit_latency(Engine& engine, const EditLatencyPlan& plan, const json& common);

// The --help lines of this mode.
const char* edit_latency_usage();

}  // namespace semdraw::cli::bench
