// semdraw-cli make-model: a diffusers-layout model folder with seeded random
// weights (tests use "tiny"; benchmarks use "sd15", whose speed does not
// depend on the weight values).
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "semdraw/model_maker/make_model.h"

namespace semdraw::cli {

namespace {
void print_usage() {
  std::printf(
      "Usage: semdraw-cli make-model --preset tiny|sd15|tiny-sdxl --seed N --out DIR\n"
      "                              [--dtype fp32|fp16] [--single-file FILE] [--lora FILE]\n"
      "                              [--resources DIR]\n"
      "Writes a Stable Diffusion pipeline folder in diffusers layout (model_index.json, unet/,\n"
      "text_encoder/, vae/, tokenizer/, scheduler/ with LCMScheduler, taesd/) whose weights are a\n"
      "pure function of (preset, seed, dtype): the same arguments give the same bytes. tiny-sdxl is\n"
      "SDXL's structure at the tiny widths (also text_encoder_2/, tokenizer_2/), for the SDXL work.\n"
      "  --dtype        weight dtype on disk (default: fp32 for tiny, fp16 for sd15)\n"
      "  --single-file  also write the original single-file layout (model.diffusion_model.*, ...)\n"
      "  --lora         also write a random rank-4 LoRA for the UNet attention (diffusers/peft keys)\n"
      "  --resources    folder with clip/vocab.json + clip/merges.txt (default: the build's resources/,\n"
      "                 else found above the working directory or the executable)\n"
      "Prints one JSON line: {files, parameters, seconds, ...}.\n");
}

uint64_t parse_seed(const std::string& text) {
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || text[0] == '-')
    throw std::invalid_argument("--seed must be a non-negative integer, not '" + text + "'");
  return value;
}
}  // namespace

int run_make_model(const std::vector<std::string>& args) {
  MakeModelOptions options;
  bool have_seed = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      print_usage();
      return 0;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "semdraw-cli make-model: '%s' needs a value (see --help)\n", flag.c_str());
      return 2;
    }
    const std::string& value = args[++i];
    if (flag == "--preset")
      options.preset = value;
    else if (flag == "--seed")
      options.seed = parse_seed(value), have_seed = true;
    else if (flag == "--out")
      options.out = value;
    else if (flag == "--dtype")
      options.dtype = value;
    else if (flag == "--single-file")
      options.single_file = value;
    else if (flag == "--lora")
      options.lora = value;
    else if (flag == "--resources")
      options.resources_dir = value;
    else {
      std::fprintf(stderr, "semdraw-cli make-model: unknown option '%s' (see --help)\n", flag.c_str());
      return 2;
    }
  }
  if (options.out.empty() || !have_seed) {
    std::fprintf(stderr, "semdraw-cli make-model: --out and --seed are required (see --help)\n");
    return 2;
  }
#ifdef SEMDRAW_RESOURCES_DIR
  // The build's own resources, as the other commands use them; the engine
  // searches above the working directory and the executable otherwise.
  if (options.resources_dir.empty() && std::filesystem::exists(SEMDRAW_RESOURCES_DIR "/clip/vocab.json"))
    options.resources_dir = SEMDRAW_RESOURCES_DIR;
#endif
  const MakeModelResult result = make_model(options);
  const nlohmann::json report = {
      {"preset", options.preset},        {"seed", options.seed},     {"out", options.out}, {"files", result.files},
      {"parameters", result.parameters}, {"seconds", result.seconds}};
  std::printf("%s\n", report.dump().c_str());
  return 0;
}

}  // namespace semdraw::cli
