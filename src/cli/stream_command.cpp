// semdraw-cli stream: the live multi-prompt stream batch (docs/ALGORITHM.md §8), one
// frame per UNet call, written as images plus one JSON line per frame.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/engine_options.h"
#include "cli/image_files.h"
#include "cli/project_files.h"
#include "cli/scene_file.h"

namespace semdraw::cli {

int run_stream(const std::vector<std::string>& raw) {
  if (!raw.empty() && (raw[0] == "--help" || raw[0] == "-h")) {
    std::printf(
        "Usage: semdraw-cli stream SCENE.json|PROJECT.ora --frames N --out DIR [--seed N]\n"
        "                          [--sampler model|lcm|euler-trailing] [engine options]\n"
        "Streams N frames of the scene into DIR/frame-0001.%s ... and prints one JSON line per frame\n"
        "({frame, id, sampler, denoise_ms, decode_ms, total_ms}). The first T-1 frames show the pipeline\n"
        "filling.\n%s",
        default_frame_extension(), engine_options_usage());
    return 0;
  }
  auto names = engine_option_names();
  names.insert({"frames", "out", "seed", "sampler"});
  const Args args(raw, names);
  if (args.positional().size() != 1)
    throw std::runtime_error("stream takes one SCENE.json or PROJECT.ora file (see --help)");
  Scene scene = read_scene_or_project(args.positional()[0]);
  scene.settings.seed = args.seed("seed", scene.settings.seed);
  if (const auto sampler = args.get("sampler")) scene.settings.sampler = parse_sampler("--sampler", *sampler);
  if (!args.has("frames")) throw std::runtime_error("stream needs --frames N with N > 0");
  const long long frames = args.integer("frames", 0, 1);
  const std::filesystem::path out = args.require("out");
  std::filesystem::create_directories(out);

  auto engine = Engine::load(engine_options_from(args));
  engine->update(scene);
  for (long long i = 1; i <= frames; ++i) {
    const Frame frame = engine->step();
    char name[64];
    std::snprintf(name, sizeof(name), "frame-%04lld.%s", i, default_frame_extension());
    write_rgb(out / name, RgbImage{frame.width, frame.height, frame.rgb});
    std::printf("%s\n", nlohmann::json{{"frame", i},
                                       {"id", frame.id},
                                       {"sampler", resolved_sampler_name(scene.settings, engine->default_sampler())},
                                       {"denoise_ms", frame.denoise_ms},
                                       {"decode_ms", frame.decode_ms},
                                       {"total_ms", frame.total_ms}}
                            .dump()
                            .c_str());
    std::fflush(stdout);
  }
  for (const auto& warning : engine->take_warnings()) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  return 0;
}

}  // namespace semdraw::cli
