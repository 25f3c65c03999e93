#pragma once
// What every `semdraw-cli bench` measurement shares: the synthetic scene,
// the statistics and the one-JSON-line-per-measurement printing.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/args.h"
#include "semdraw/engine/scene.h"

namespace semdraw::cli::bench {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;  // fields in the order written

// `count` regions in horizontal bands below the top quarter (which stays
// background), prompts as an artist would paint them.
Scene synthetic_scene(int size, int count);

// The q-quantile (0..1) by rank; 0 for no values.
double percentile(std::vector<double> values, double q);
double round3(double value);
double milliseconds_since(Clock::time_point start);

// --name as an integer of at least `minimum` (`fallback` when absent).
long long at_least(const Args& args, const std::string& name, long long fallback, long long minimum = 1);

// One measurement: one JSON line on stdout, flushed so a pipe sees it at once.
void print_line(const json& line);

}  // namespace semdraw::cli::bench
