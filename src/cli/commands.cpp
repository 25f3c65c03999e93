#include "cli/commands.h"

namespace semdraw::cli {

int run_bench(const std::vector<std::string>& args);
int run_device(const std::vector<std::string>& args);
int run_make_model(const std::vector<std::string>& args);
int run_render(const std::vector<std::string>& args);
int run_stream(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);
int run_export_palette(const std::vector<std::string>& args);
int run_import_palette(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"bench", "time the live stream and one-shot renders, one JSON line per measurement", run_bench},
      {"device", "print the compute device the engine will use, as JSON", run_device},
      {"make-model", "write a diffusers model folder with seeded random weights (tiny, sd15, tiny-sdxl)",
       run_make_model},
      {"render", "render a scene or .ora project once at full quality to an image", run_render},
      {"stream", "run the live stream pipeline on a scene or .ora project for N frames", run_stream},
      {"info", "print an .ora project as scene JSON (masks summarised; --extract writes them)", run_info},
      {"export-palette", "write an .ora project's prompts as palette JSON (semdraw or webdemo format)",
       run_export_palette},
      {"import-palette", "apply a palette JSON to an .ora project (written atomically)", run_import_palette},
  };
  return table;
}

}  // namespace semdraw::cli
