// semdraw-cli info, export-palette, import-palette: .ora projects without the
// UI (docs/SCENE_FORMAT.md). The work is in project_files_*.cpp; these parse arguments
// and print one JSON document on stdout.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/args.h"
#include "cli/project_files.h"

namespace semdraw::cli {

namespace {
bool wants_help(const std::vector<std::string>& raw, const char* usage) {
  if (raw.empty() || (raw[0] != "--help" && raw[0] != "-h")) return false;
  std::printf("%s", usage);
  return true;
}

std::string output_option(const Args& args) { return args.get("o").value_or(args.get("out").value_or("")); }
}  // namespace

int run_info(const std::vector<std::string>& raw) {
  if (wants_help(raw,
                 "Usage: semdraw-cli info PROJECT.ora [--extract DIR] [--compact]\n"
                 "Prints the project as scene JSON (docs/SCENE_FORMAT.md): canvas, background, regions bottom to\n"
                 "top with name, colour and a summary of each mask (mask_stats: painted_pixels, coverage, sum,\n"
                 "bbox), settings, seed, model, notes. --extract DIR also writes the masks and background as PNG\n"
                 "and DIR/scene.json naming them, which `semdraw-cli render` accepts.\n"))
    return 0;
  const Args args(raw, {"extract"}, {"compact"});
  if (args.positional().size() != 1) throw std::runtime_error("info takes one PROJECT.ora file (see --help)");
  std::optional<std::filesystem::path> extract;
  if (args.has("extract")) extract = args.require("extract");
  const nlohmann::json info = project_info(args.positional()[0], extract);
  std::printf("%s\n", info.dump(args.has("compact") ? -1 : 2).c_str());
  return 0;
}

int run_export_palette(const std::vector<std::string>& raw) {
  if (wants_help(raw,
                 "Usage: semdraw-cli export-palette PROJECT.ora -o PALETTE.json [--format semdraw|webdemo]\n"
                 "Writes the project's prompts without the painting: background prompts, each region's name,\n"
                 "prompts, colour, strengths, blur and the seed. `webdemo` is the SemanticDraw web demo's palette\n"
                 "(lists with index 0 = background; no colours, no enabled flags). Prints {out, format, regions}.\n"))
    return 0;
  const Args args(raw, {"o", "out", "format"});
  if (args.positional().size() != 1) throw std::runtime_error("export-palette takes one PROJECT.ora file (see --help)");
  const std::string out = output_option(args);
  if (out.empty()) throw std::runtime_error("export-palette needs -o PALETTE.json");
  const std::string format = args.get("format").value_or("semdraw");
  if (format != "semdraw" && format != "webdemo")
    throw std::runtime_error("option --format is '" + format + "'; expected semdraw or webdemo");
  const auto kind = format == "webdemo" ? PaletteFileFormat::WebDemo : PaletteFileFormat::SemanticDraw;
  const auto result = export_palette(args.positional()[0], out, kind);
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

int run_import_palette(const std::vector<std::string>& raw) {
  if (wants_help(raw,
                 "Usage: semdraw-cli import-palette PROJECT.ora PALETTE.json [-o OUT.ora] [--add]\n"
                 "Applies a palette (ours or the web demo's) to the project: the background prompts and seed are\n"
                 "replaced; a palette entry whose name matches a region updates that region's prompts, colour\n"
                 "and strengths and keeps its mask; other entries become new regions (empty masks) on top.\n"
                 "--add adds every entry as a new region. Writes OUT (default: PROJECT itself) atomically; on\n"
                 "any error nothing is written. Prints {out, updated, added, regions}.\n"))
    return 0;
  const Args args(raw, {"o", "out"}, {"add"});
  if (args.positional().size() != 2)
    throw std::runtime_error("import-palette takes PROJECT.ora and PALETTE.json (see --help)");
  const std::string project = args.positional()[0];
  const std::string out = output_option(args);
  const auto result = import_palette(project, args.positional()[1], out.empty() ? project : out,
                                     args.has("add") ? ImportMode::Add : ImportMode::Merge);
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace semdraw::cli
