#include "cli/edit_latency_bench.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

namespace semdraw::cli::bench {

namespace {

// One kind of edit an artist makes while Live runs. `apply` changes the
// scene for the given repeat (0, 1, ...); every call must change it.
struct EditKind {
  const char* name;
  void (*apply)(Scene& scene, long long repeat);
};

// A soft-edged horizontal brush stroke across the background quarter at the
// top, on one region; odd repeats erase the stroke the even one before
// painted (the eraser is a mask stroke too), so any number of repeats keeps
// changing the mask.
void mask_stroke(Scene& scene, long long repeat) {
  RegionSpec& region = scene.regions[static_cast<size_t>(repeat / 2) % scene.regions.size()];
  const int size = scene.width;
  const int radius = std::max(1, size / 64);
  const int centre = size / 32 + static_cast<int>((repeat / 2) % 4) * size / 16;
  const bool paint = repeat % 2 == 0;
  for (int y = std::max(0, centre - 2 * radius); y <= std::min(size - 1, centre + 2 * radius); ++y) {
    // Full strength within the radius, fading to nothing at twice it.
    const float strength = std::clamp(static_cast<float>(2 * radius - std::abs(y - centre)) / radius, 0.0f, 1.0f);
    for (int x = size / 8; x < size - size / 8; ++x) {
      float& value = region.mask.values[static_cast<size_t>(y) * size + x];
      value = paint ? std::max(value, strength) : std::min(value, 1.0f - strength);
    }
  }
}

// A new prompt text on one region, as typing commits it: each repeat a text
// the engine has not encoded before.
void prompt_change(Scene& scene, long long repeat) {
  RegionSpec& region = scene.regions[static_cast<size_t>(repeat) % scene.regions.size()];
  const size_t cut = region.prompt.find(", take ");
  region.prompt = region.prompt.substr(0, cut) + ", take " + std::to_string(repeat + 1);
}

constexpr EditKind kEdits[] = {{"mask stroke", mask_stroke}, {"prompt change", prompt_change}};

struct Milestones {
  std::vector<double> first_changed_frames, first_changed_ms, settled_frames, settled_ms, frame_ms;
  long long unchanged = 0;     // edits whose frames never differed from the frame before the edit
  long long not_repeated = 0;  // settled frames the next step did not return bitwise again
};

// Steps until the engine reports the stream settled; returns the last frame.
// `on_frame(n, frame)` hears every frame (n from 1).
template <typename OnFrame>
Frame step_until_settled(Engine& engine, OnFrame on_frame) {
  // The stream promises T+1 calls after a reset and T after an edit; T is
  // known once the first call has applied the scene.
  const auto limit = [&] { return 4 * engine.stream_steps() + 4; };
  for (int n = 1;; ++n) {
    Frame frame = engine.step();
    on_frame(n, frame);
    if (engine.stream_settled()) return frame;
    if (n >= limit())
      throw std::runtime_error("bench: the live stream did not settle within " + std::to_string(n) +
                               " frames (settle mode promises T+1)");
  }
}

json statistics(const std::string& name, const std::vector<double>& values) {
  if (values.empty()) return {{name + "_median", nullptr}, {name + "_max", nullptr}};
  return {{name + "_median", round3(percentile(values, 0.5))},
          {name + "_max", round3(*std::max_element(values.begin(), values.end()))}};
}

}  // namespace

void run_edit_latency(Engine& engine, const EditLatencyPlan& plan, const json& common) {
  for (const int regions : plan.region_counts) {
    Scene scene = synthetic_scene(plan.size, regions);
    scene.settings.live_noise = LiveNoise::Settle;
    engine.update(scene);
    Frame shown = step_until_settled(engine, [](int, const Frame&) {});

    Milestones results[std::size(kEdits)];
    for (long long repeat = 0; repeat < plan.repeats; ++repeat)
      for (size_t kind = 0; kind < std::size(kEdits); ++kind) {
        kEdits[kind].apply(scene, repeat);
        Milestones& m = results[kind];
        std::optional<int> first_changed;
        const auto start = Clock::now();
        engine.update(scene);
        int frames = 0;
        const Frame settled = step_until_settled(engine, [&](int n, const Frame& frame) {
          frames = n;
          m.frame_ms.push_back(frame.total_ms);
          if (!first_changed && frame.rgb != shown.rgb) {
            first_changed = n;
            m.first_changed_frames.push_back(n);
            m.first_changed_ms.push_back(milliseconds_since(start));
          }
        });
        m.settled_frames.push_back(frames);
        m.settled_ms.push_back(milliseconds_since(start));
        if (!first_changed) ++m.unchanged;
        // Settled means every further step returns this frame bitwise (the
        // app stops stepping here); one untimed step checks it.
        if (engine.step().rgb != settled.rgb) ++m.not_repeated;
        shown = settled;
      }

    for (size_t kind = 0; kind < std::size(kEdits); ++kind) {
      const Milestones& m = results[kind];
      json line = {{"bench", "edit-latency"}};
      line.update(common);
      line.update({{"regions", regions},
                   {"steps", engine.stream_steps()},
                   {"live_noise", "settle"},
                   {"edit", kEdits[kind].name},
                   {"repeats", plan.repeats}});
      line.update(statistics("first_changed_frames", m.first_changed_frames));
      line.update(statistics("first_changed_ms", m.first_changed_ms));
      line.update(statistics("settled_frames", m.settled_frames));
      line.update(statistics("settled_ms", m.settled_ms));
      line.update(statistics("frame_ms", m.frame_ms));
      line["unchanged_edits"] = m.unchanged;
      line["settled_frame_repeats"] = m.not_repeated == 0;
      print_line(line);
    }
  }
}

const char* edit_latency_usage() {
  return "  edit-latency: the live stream in settle mode on the synthetic scene; --repeats times (default 5)\n"
         "          each of two edits, a mask stroke (a soft stroke painted, then erased, on one region)\n"
         "          and a prompt change (a new text on one region), each from a settled stream. Per edit\n"
         "          kind: frames and ms from the edit to the first frame that differs and to the frame\n"
         "          where the engine reports the stream settled (median, max), ms per frame (median,\n"
         "          max), edits that changed no frame, and whether each settled frame came back bitwise\n"
         "          on one more (untimed) step.\n";
}

}  // namespace semdraw::cli::bench
