// .ora projects through the document library (full builds only).
#include <QImage>
#include <QStringList>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include "cli/project_files.h"
#include "cli/scene_file.h"
#include "doc/document_scene.h"
#include "doc/image_io.h"
#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/palette_json.h"
#include "doc/zip_archive.h"
#include "semdraw/fileio/atomic_write.h"

namespace semdraw::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

QString qpath(const fs::path& file) { return QString::fromStdString(file.string()); }

// Opens the project or throws the reader's error (which names the file).
doc::Document open_project(const fs::path& file, QStringList* notes = nullptr) {
  if (!fs::exists(file)) throw std::runtime_error(file.string() + ": no such file");
  doc::Document document;
  QString error;
  if (!doc::open_ora(qpath(file), &document, &error, notes)) throw std::runtime_error(error.toStdString());
  return document;
}

bool has_project_json(const fs::path& file) {
  std::map<QString, QByteArray> entries;
  QString error;
  return doc::read_zip(qpath(file), &entries, &error) && entries.count(doc::kProjectJsonEntry) > 0;
}

// What the mask covers: pixels > 0, the sum of values in [0,1], their box.
json mask_stats(const QImage& mask) {
  long long painted = 0;
  double sum = 0;
  int left = mask.width(), top = mask.height(), right = -1, bottom = -1;
  for (int y = 0; y < mask.height(); ++y) {
    const uchar* row = mask.constScanLine(y);
    for (int x = 0; x < mask.width(); ++x) {
      if (row[x] == 0) continue;
      ++painted;
      sum += row[x] / 255.0;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  const double area = static_cast<double>(mask.width()) * mask.height();
  return {{"painted_pixels", painted},
          {"coverage", area > 0 ? painted / area : 0.0},
          {"sum", sum},
          {"bbox", painted == 0
                       ? json(nullptr)
                       : json{{"x", left}, {"y", top}, {"width", right - left + 1}, {"height", bottom - top + 1}}}};
}

void save_png(const QImage& image, const fs::path& file) {
  QString why;
  const QByteArray bytes = doc::encode_image(image, "png", &why);
  if (bytes.isEmpty()) throw std::runtime_error(file.string() + ": cannot encode PNG (" + why.toStdString() + ")");
  fileio::write_atomically(file, std::string_view(bytes.constData(), bytes.size()));
}

void write_text(const fs::path& file, const std::string& text) { fileio::write_atomically(file, text); }

std::string rgb_hex(const QColor& colour) { return colour.name(QColor::HexArgb).toStdString(); }

}  // namespace

Scene read_project_scene(const fs::path& file) {
  Scene scene = doc::to_scene(open_project(file));
  try {
    validate_scene(scene);  // as read_scene_file does; the engine reports the warnings
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(file.string() + ": " + error.what());
  }
  return scene;
}

json project_info(const fs::path& file, const std::optional<fs::path>& extract_dir) {
  QStringList notes;
  const doc::Document document = open_project(file, &notes);
  const QSize canvas = document.canvas_size();
  if (extract_dir) fs::create_directories(*extract_dir);

  json background{
      {"prompt", document.background_prompt().toStdString()},
      {"negative_prompt", document.background_negative_prompt().toStdString()},
      {"image_size",
       document.background().isNull() ? json(nullptr) : json{{"width", canvas.width()}, {"height", canvas.height()}}}};
  if (!document.background().isNull() && extract_dir) {
    const RgbImage rgb = doc::to_rgb_image(document.background(), canvas);  // what to_scene sends
    save_png(QImage(rgb.pixels.data(), rgb.width, rgb.height, rgb.width * 3, QImage::Format_RGB888),
             *extract_dir / "background.png");
    background["image"] = "background.png";
  }
  json regions = json::array();
  for (size_t i = 0; i < document.regions().size(); ++i) {
    const doc::Region& r = document.regions()[i];
    json region{{"index", i},
                {"name", r.name.toStdString()},
                {"colour", rgb_hex(r.colour)},
                {"prompt", r.prompt.toStdString()},
                {"negative_prompt", r.negative_prompt.toStdString()},
                {"prompt_strength", r.prompt_strength},
                {"mask_strength", r.mask_strength},
                {"blur_sigma", r.blur_sigma},
                {"enabled", r.enabled},
                {"mask_stats", mask_stats(r.mask)}};
    if (extract_dir) {
      char name[32];
      std::snprintf(name, sizeof(name), "region-%02zu.png", i);
      save_png(r.mask, *extract_dir / name);
      region["mask"] = name;
    }
    regions.push_back(std::move(region));
  }
  json notes_json = json::array();
  for (const QString& note : notes) notes_json.push_back(note.toStdString());
  const QImage& generated = document.generated();
  json info{{"version", 1},
            {"file", file.string()},
            {"semdraw_project", has_project_json(file)},
            {"model", document.model_reference().toStdString()},
            {"width", canvas.width()},
            {"height", canvas.height()},
            {"background", background},
            {"regions", regions},
            {"settings", settings_to_json(document.settings())},
            {"generated",
             generated.isNull() ? json(nullptr) : json{{"width", generated.width()}, {"height", generated.height()}}},
            {"notes", notes_json}};
  if (extract_dir) write_text(*extract_dir / "scene.json", info.dump(2) + "\n");
  return info;
}

json export_palette(const fs::path& project, const fs::path& out, PaletteFileFormat format) {
  const doc::Palette palette = doc::palette_of(open_project(project));
  QString error;
  const bool web = format == PaletteFileFormat::WebDemo;
  if (!doc::write_palette(palette, qpath(out), &error,
                          web ? doc::PaletteFormat::WebDemo : doc::PaletteFormat::SemanticDraw))
    throw std::runtime_error(error.toStdString());
  return {{"out", out.string()}, {"format", web ? "webdemo" : "semdraw"}, {"regions", palette.regions.size()}};
}

json import_palette(const fs::path& project, const fs::path& palette_file, const fs::path& out, ImportMode mode) {
  doc::Document document = open_project(project);
  doc::Palette palette;
  QString error;
  if (!fs::exists(palette_file)) throw std::runtime_error(palette_file.string() + ": no such file");
  if (!doc::read_palette(qpath(palette_file), &palette, &error)) throw std::runtime_error(error.toStdString());

  // Merge: entries that name an existing region (first unmatched one with
  // that name) update it in place and keep its mask.
  std::vector<bool> matched(document.regions().size(), false);
  doc::Palette added = palette;
  added.regions.clear();
  int updated = 0;
  for (const doc::Region& entry : palette.regions) {
    int target = -1;
    for (size_t i = 0; mode == ImportMode::Merge && !entry.name.isEmpty() && i < matched.size(); ++i)
      if (!matched[i] && document.regions()[i].name == entry.name) {
        target = static_cast<int>(i);
        break;
      }
    if (target < 0) {
      added.regions.push_back(entry);
      continue;
    }
    matched[static_cast<size_t>(target)] = true;
    doc::Region& region = document.region(target);
    const QImage mask = region.mask;
    const QColor colour = region.colour;
    region = entry;
    region.mask = mask;
    if (!entry.colour.isValid()) region.colour = colour;
    ++updated;
  }
  const size_t total = document.regions().size() + added.regions.size();
  if (total > static_cast<size_t>(kMaxRegions))
    throw std::runtime_error(palette_file.string() + ": importing gives " + std::to_string(total) +
                             " regions, more than the " + std::to_string(kMaxRegions) + " the engine takes; " +
                             project.string() + " is unchanged");
  doc::apply_palette(added, &document);  // background prompts, seed, new regions on top

  if (!doc::save_ora(document, qpath(out), &error)) throw std::runtime_error(error.toStdString());
  return {{"out", out.string()},
          {"updated", updated},
          {"added", added.regions.size()},
          {"regions", document.regions().size()}};
}

}  // namespace semdraw::cli
