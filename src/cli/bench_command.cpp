// semdraw-cli bench: frame rate and latency of the live stream and of one-shot
// renders on synthetic scenes, one JSON line per measurement (benchmarks
// print JSON; docs/PERFORMANCE.md records the figures). Speed does
// not depend on the weight values, so `make-model --preset sd15` is the model
// to time the real SD1.5 shapes with.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/bench_support.h"
#include "cli/edit_latency_bench.h"
#include "cli/engine_options.h"
#include "semdraw/engine/device.h"

namespace semdraw::cli {

namespace {

using bench::at_least;
using bench::Clock;
using bench::json;
using bench::percentile;
using bench::print_line;
using bench::round3;

// As the SemanticDraw paper (StreamMultiDiffusion) reports on an RTX 2080 Ti:
// 1.57 frames/s for region-based streaming and 0.64 s per 512x512 image.
constexpr double kPaperFps = 1.57;
constexpr double kPaperMsPerImage = 640.0;

void print_usage() {
  std::printf(
      "Usage: semdraw-cli bench [engine options] [--size N] [--regions 1,3] [--warmup N] [--frames N]\n"
      "                         [--renders N] [--render-warmup N] [--mode stream|render|edit-latency]\n"
      "                         [--repeats N]\n"
      "Times the engine on synthetic SIZE x SIZE scenes (default 512) with each region count, in the\n"
      "modes --mode names (default: stream, then render; --only is the older name of --mode):\n"
      "  stream: the live stream (T = 5 steps, TAESD decode when the model has one): --warmup frames\n"
      "          (default 5, at least T-1 so the pipeline is full), then --frames timed frames (default 30);\n"
      "  render: one-shot full-quality renders (5 steps, full VAE): --render-warmup (default 1), then\n"
      "          --renders timed renders (default 5);\n"
      "%s"
      "Prints one JSON line for the model load and one per measurement: device, dtype, frames/s,\n"
      "ms per frame (median, p90, mean), the denoise/decode split (medians), peak GPU memory (CUDA\n"
      "caching allocator; null on the CPU) and peak host RSS, and the paper's reference on an RTX 2080 Ti\n"
      "(1.57 frames/s streaming, 0.64 s per 512x512 image) with x_reference = how many times faster\n"
      "(stream: fps / 1.57; render: 640 / ms_median; only at --size 512), and how the UNet calls ran\n"
      "(unet_calls: eager, CUDA graph captures and replays; --cuda-graphs off runs every call op by op).\n%s",
      bench::edit_latency_usage(), engine_options_usage());
}

std::vector<int> parse_list(const std::string& text, const std::string& option) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      const int value = std::stoi(item, &used);
      if (used != item.size() || value < 1 || value > kMaxRegions) throw std::invalid_argument(item);
      out.push_back(value);
    } catch (const std::exception&) {
      throw std::runtime_error("--" + option + " expects numbers from 1 to " + std::to_string(kMaxRegions) +
                               " separated by commas, got '" + text + "'");
    }
  }
  if (out.empty()) throw std::runtime_error("--" + option + " is empty");
  return out;
}

// Linux: peak resident set size (VmHWM) in MiB; clear_refs "5" resets it.
double peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
  return -1;
}
void reset_peaks() {
  std::ofstream("/proc/self/clear_refs") << "5";
  reset_device_memory_peak();
}

// How the UNet calls of one measurement (warm-up included) ran.
json unet_call_fields(const Engine& engine, const UNetCallCounts& before) {
  const UNetCallCounts now = engine.unet_calls();
  return {{"unet_calls",
           {{"cuda_graphs", now.graphs},
            {"eager", now.eager - before.eager},
            {"graph_captures", now.graph_captures - before.graph_captures},
            {"graph_replays", now.graph_replays - before.graph_replays}}}};
}

json memory_fields() {
  const DeviceMemory gpu = device_memory();
  const auto mib = [](long long bytes) { return round3(static_cast<double>(bytes) / (1 << 20)); };
  json out = {{"peak_host_rss_mib", round3(peak_rss_mib())}};
  out["peak_device_mib"] = gpu.available ? json(mib(gpu.peak_allocated_bytes)) : json(nullptr);
  out["peak_device_reserved_mib"] = gpu.available ? json(mib(gpu.peak_reserved_bytes)) : json(nullptr);
  out["device_total_mib"] = gpu.available ? json(mib(gpu.total_bytes)) : json(nullptr);
  return out;
}

struct Timings {
  std::vector<double> total, denoise, decode;
  double wall_s = 0;
  void add(const Frame& frame) {
    total.push_back(frame.total_ms);
    denoise.push_back(frame.denoise_ms);
    decode.push_back(frame.decode_ms);
  }
  json fields() const {
    const double n = static_cast<double>(total.size());
    double sum = 0;
    for (const double ms : total) sum += ms;
    return {{"fps", round3(n / wall_s)},
            {"ms_median", round3(percentile(total, 0.5))},
            {"ms_p90", round3(percentile(total, 0.9))},
            {"ms_mean", round3(sum / n)},
            {"denoise_ms_median", round3(percentile(denoise, 0.5))},
            {"decode_ms_median", round3(percentile(decode, 0.5))}};
  }
};

template <typename RunOne>
Timings time_runs(long long warmup, long long count, RunOne run_one) {
  for (long long i = 0; i < warmup; ++i) run_one();
  Timings timings;
  const auto start = Clock::now();
  for (long long i = 0; i < count; ++i) timings.add(run_one());
  timings.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return timings;
}

}  // namespace

int run_bench(const std::vector<std::string>& raw) {
  if (!raw.empty() && (raw[0] == "--help" || raw[0] == "-h")) {
    print_usage();
    return 0;
  }
  auto names = engine_option_names();
  names.insert({"size", "regions", "warmup", "frames", "renders", "render-warmup", "mode", "only", "repeats"});
  const Args args(raw, names);
  if (!args.positional().empty()) throw std::runtime_error("bench takes no positional arguments (see --help)");
  const int size = static_cast<int>(at_least(args, "size", 512, 8));
  if (size % 8 != 0 || size > kMaxCanvasSide)
    throw std::runtime_error("--size must be a multiple of 8 up to " + std::to_string(kMaxCanvasSide));
  const std::vector<int> region_counts = parse_list(args.get("regions").value_or("1,3"), "regions");
  const long long warmup = at_least(args, "warmup", 5, 0);
  const long long frames = at_least(args, "frames", 30);
  const long long render_warmup = at_least(args, "render-warmup", 1, 0);
  const long long renders = at_least(args, "renders", 5);
  if (args.has("mode") && args.has("only")) throw std::runtime_error("give --mode or --only, not both");
  const std::string mode = args.get("mode").value_or(args.get("only").value_or(""));
  if (!mode.empty() && mode != "stream" && mode != "render" && mode != "edit-latency")
    throw std::runtime_error("--mode must be stream, render or edit-latency, got '" + mode + "'");
  const long long repeats = at_least(args, "repeats", 5);

  const EngineOptions options = engine_options_from(args);
  reset_peaks();
  const auto load_start = Clock::now();
  auto engine = Engine::load(options);
  const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - load_start).count();

  // The engine decodes live frames with TAESD from --taesd or <model>/taesd.
  const bool taesd =
      !options.taesd.empty() || std::filesystem::is_directory(std::filesystem::path(options.model) / "taesd");
  const ComputeDevice probe = probe_compute_device();
  const json common = {{"device", engine->device_name()},
                       {"gpu", engine->device_name() == "cuda" ? json(probe.name) : json(nullptr)},
                       {"dtype", engine->dtype_name()},
                       {"torch", probe.torch_version},
                       {"width", size},
                       {"height", size}};
  json load = {{"bench", "load"}};
  load.update(common);
  load["model"] = options.model;
  load["ms"] = round3(load_ms);
  load.update(memory_fields());
  print_line(load);

  const json reference = {{"source", "SemanticDraw paper, RTX 2080 Ti, 512x512"},
                          {"stream_fps", kPaperFps},
                          {"ms_per_image", kPaperMsPerImage}};
  // How many times faster than the paper; the paper measured 512x512 only.
  const auto versus_paper = [&](double ratio) { return size == 512 ? json(round3(ratio)) : json(nullptr); };
  if (mode == "edit-latency") {
    json fields = common;
    fields["decoder"] = taesd ? "taesd" : "full VAE";
    bench::run_edit_latency(*engine, {size, region_counts, repeats}, fields);
  }
  // The stream and render modes (both by default).
  for (const int regions : region_counts) {
    const Scene scene = bench::synthetic_scene(size, regions);
    if (mode.empty() || mode == "stream") {
      reset_peaks();
      const UNetCallCounts before = engine->unet_calls();
      engine->update(scene);
      const long long steps = static_cast<long long>(scene.settings.step_indices.size());
      const long long fill = std::max(warmup, steps - 1);
      const Timings t = time_runs(fill, frames, [&] { return engine->step(); });
      json line = {{"bench", "stream"}};
      line.update(common);
      line.update({{"regions", regions},
                   {"steps", steps},
                   {"decoder", taesd ? "taesd" : "full VAE"},
                   {"warmup", fill},
                   {"frames", frames}});
      line.update(t.fields());
      line.update(memory_fields());
      line.update(unet_call_fields(*engine, before));
      line["reference"] = reference;
      line["x_reference"] = versus_paper(line["fps"].get<double>() / kPaperFps);
      print_line(line);
    }
    if (mode.empty() || mode == "render") {
      reset_peaks();
      const UNetCallCounts before = engine->unet_calls();
      const Timings t = time_runs(render_warmup, renders, [&] { return engine->render(scene); });
      json line = {{"bench", "render"}};
      line.update(common);
      line.update({{"regions", regions},
                   {"steps", scene.settings.step_indices.size()},
                   {"decoder", "full VAE"},
                   {"warmup", render_warmup},
                   {"renders", renders}});
      line.update(t.fields());
      line.update(memory_fields());
      line.update(unet_call_fields(*engine, before));
      line["reference"] = reference;
      line["x_reference"] = versus_paper(kPaperMsPerImage / line["ms_median"].get<double>());
      print_line(line);
    }
  }
  for (const auto& warning : engine->take_warnings()) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  return 0;
}

}  // namespace semdraw::cli
