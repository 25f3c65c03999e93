// semdraw-cli render: one full-quality image from a scene (docs/ALGORITHM.md §7).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/engine_options.h"
#include "cli/image_files.h"
#include "cli/project_files.h"
#include "cli/scene_file.h"

namespace semdraw::cli {

int run_render(const std::vector<std::string>& raw) {
  if (!raw.empty() && (raw[0] == "--help" || raw[0] == "-h")) {
    std::printf(
        "Usage: semdraw-cli render SCENE.json|PROJECT.ora -o OUT.png [--seed N] [--steps N]\n"
        "                          [--sampler model|lcm|euler-trailing] [--width W --height H]\n"
        "                          [engine options]\n"
        "Renders the scene once at full quality (all regions, the full VAE) and writes OUT.\n"
        "--sampler: LCM, or Euler with trailing timesteps (SDXL-Lightning); 'model' lets the model\n"
        "choose (Euler for SDXL-Lightning models and LoRAs, LCM otherwise).\n%s",
        engine_options_usage());
    return 0;
  }
  auto names = engine_option_names();
  names.insert({"o", "out", "seed", "steps", "sampler", "width", "height"});
  const Args args(raw, names);
  if (args.positional().size() != 1)
    throw std::runtime_error("render takes one SCENE.json or PROJECT.ora file (see --help)");
  Scene scene = read_scene_or_project(args.positional()[0]);
  scene.settings.seed = args.seed("seed", scene.settings.seed);
  scene.settings.steps = args.int_option("steps", scene.settings.steps, 0);
  if (const auto sampler = args.get("sampler")) scene.settings.sampler = parse_sampler("--sampler", *sampler);
  scene.width = args.int_option("width", scene.width, 1);
  scene.height = args.int_option("height", scene.height, 1);
  const std::string out = args.get("o").value_or(args.get("out").value_or(""));
  if (out.empty()) throw std::runtime_error("render needs -o OUT (an image file)");

  auto engine = Engine::load(engine_options_from(args));
  const Frame frame = engine->render(scene);
  write_rgb(out, RgbImage{frame.width, frame.height, frame.rgb});
  for (const auto& warning : engine->take_warnings()) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  std::printf("%s\n", nlohmann::json{{"out", out},
                                     {"width", frame.width},
                                     {"height", frame.height},
                                     {"device", engine->device_name()},
                                     {"sampler", resolved_sampler_name(scene.settings, engine->default_sampler())},
                                     {"total_ms", frame.total_ms}}
                          .dump()
                          .c_str());
  return 0;
}

}  // namespace semdraw::cli
