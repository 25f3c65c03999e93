#include "cli/bench_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace semdraw::cli::bench {

Scene synthetic_scene(int size, int count) {
  static const char* prompts[] = {"a red eagle, wings spread", "snowy mountains",       "a blue sky with soft clouds",
                                  "a lighthouse on a rock",    "a field of sunflowers", "a wooden boat"};
  Scene scene;
  scene.width = scene.height = size;
  scene.background.prompt = "a quiet valley, morning light";
  const int top = size / 4;
  for (int i = 0; i < count; ++i) {
    RegionSpec region;
    region.prompt = prompts[i % 6];
    region.mask.width = region.mask.height = size;
    region.mask.values.assign(static_cast<size_t>(size) * size, 0.0f);
    const int y0 = top + (size - top) * i / count, y1 = top + (size - top) * (i + 1) / count;
    std::fill(region.mask.values.begin() + static_cast<ptrdiff_t>(y0) * size,
              region.mask.values.begin() + static_cast<ptrdiff_t>(y1) * size, 1.0f);
    scene.regions.push_back(std::move(region));
  }
  return scene;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double round3(double value) { return std::round(value * 1000.0) / 1000.0; }

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long long at_least(const Args& args, const std::string& name, long long fallback, long long minimum) {
  return args.integer(name, fallback, minimum);
}

void print_line(const json& line) {
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

}  // namespace semdraw::cli::bench
