#include "doc/palette_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

#include "doc/atomic_file.h"
#include "doc/project_json.h"

namespace semdraw::doc {

namespace {

constexpr qint64 kMaxPaletteBytes = 16 * 1024 * 1024;

bool read_web_demo(const QJsonObject& json, const QString& path, Palette* out, QString* error) {
  // Every list is indexed like "prompts": index 0 is the background.
  const QJsonArray prompts = json.value("prompts").toArray();
  if (prompts.isEmpty()) {
    *error = path + ": 'prompts' is empty (index 0 must be the background prompt)";
    return false;
  }
  auto list = [&](const char* key, QJsonArray* values) {
    if (!json.contains(key)) return true;
    if (!json.value(key).isArray() || json.value(key).toArray().size() != prompts.size()) {
      *error = QStringLiteral("%1: '%2' must be a list as long as 'prompts' (%3)")
                   .arg(path, QLatin1String(key))
                   .arg(prompts.size());
      return false;
    }
    *values = json.value(key).toArray();
    return true;
  };
  QJsonArray negatives, names, prompt_strengths, mask_strengths, stds;
  if (!list("neg_prompts", &negatives) || !list("prompt_names", &names) ||
      !list("prompt_strengths", &prompt_strengths) || !list("mask_strengths", &mask_strengths) ||
      !list("mask_stds", &stds))
    return false;
  auto text_at = [&](const QJsonArray& a, qsizetype i, const char* key, QString* value) {
    if (a.isEmpty()) return true;
    if (!a[i].isString() && !a[i].isNull()) {
      *error = QStringLiteral("%1: '%2'[%3] must be a string").arg(path, QLatin1String(key)).arg(i);
      return false;
    }
    *value = a[i].toString();
    return true;
  };
  auto number_at = [&](const QJsonArray& a, qsizetype i, const char* key, double* value) {
    if (a.isEmpty()) return true;
    if (!a[i].isDouble()) {
      *error = QStringLiteral("%1: '%2'[%3] must be a number").arg(path, QLatin1String(key)).arg(i);
      return false;
    }
    *value = a[i].toDouble();
    return true;
  };
  Palette p;
  if (!text_at(prompts, 0, "prompts", &p.background_prompt) ||
      !text_at(negatives, 0, "neg_prompts", &p.background_negative_prompt))
    return false;
  for (qsizetype i = 1; i < prompts.size(); ++i) {
    Region r;
    if (!text_at(prompts, i, "prompts", &r.prompt) || !text_at(negatives, i, "neg_prompts", &r.negative_prompt) ||
        !text_at(names, i, "prompt_names", &r.name) ||
        !number_at(prompt_strengths, i, "prompt_strengths", &r.prompt_strength) ||
        !number_at(mask_strengths, i, "mask_strengths", &r.mask_strength) ||
        !number_at(stds, i, "mask_stds", &r.blur_sigma))
      return false;
    if (r.name.isEmpty()) r.name = r.prompt.left(24);
    p.regions.push_back(std::move(r));
  }
  if (json.contains("seed")) {
    const double seed = json.value("seed").toDouble(-1);
    if (seed < 0 || seed != std::floor(seed)) {
      *error = path + ": 'seed' must be a non-negative integer";
      return false;
    }
    p.seed = static_cast<uint64_t>(seed);
  }
  *out = std::move(p);
  return true;
}

bool read_ours(const QJsonObject& json, const QString& path, Palette* out, QString* error) {
  const int version = json.value("version").toInt(-1);
  if (version < 1) {
    *error = path + ": 'version' is missing or not a positive integer";
    return false;
  }
  if (version > kPaletteJsonVersion) {
    *error = QStringLiteral("%1: palette format version %2; this SemanticDraw reads up to version %3")
                 .arg(path)
                 .arg(version)
                 .arg(kPaletteJsonVersion);
    return false;
  }
  Palette p;
  const QJsonObject background = json.value("background").toObject();
  p.background_prompt = background.value("prompt").toString();
  p.background_negative_prompt = background.value("negative_prompt").toString();
  if (!json.value("regions").isArray()) {
    *error = path + ": 'regions' must be an array";
    return false;
  }
  const QJsonArray regions = json.value("regions").toArray();
  for (qsizetype i = 0; i < regions.size(); ++i) {
    Region r;
    if (!region_from_json(regions[i].toObject(), QStringLiteral("%1 region %2").arg(path).arg(i), &r, error))
      return false;
    p.regions.push_back(std::move(r));
  }
  if (json.contains("seed")) {
    uint64_t seed = 0;
    if (!seed_from_json(json.value("seed"), &seed)) {
      *error = path + ": 'seed' must be a non-negative integer";
      return false;
    }
    p.seed = seed;
  }
  *out = std::move(p);
  return true;
}

QJsonObject ours_to_json(const Palette& p) {
  QJsonArray regions;
  for (const Region& r : p.regions) regions.append(region_to_json(r));
  QJsonObject json{
      {"format", "semdraw-palette"},
      {"version", kPaletteJsonVersion},
      {"background", QJsonObject{{"prompt", p.background_prompt}, {"negative_prompt", p.background_negative_prompt}}},
      {"regions", regions}};
  if (p.seed) json.insert("seed", QString::number(*p.seed));
  return json;
}

// Parallel lists, index 0 the background (whose strengths the demo ignores).
QJsonObject web_demo_to_json(const Palette& p) {
  QJsonArray prompts{p.background_prompt}, negatives{p.background_negative_prompt}, names{"Background"},
      prompt_strengths{1.0}, mask_strengths{1.0}, stds{0.0};
  for (const Region& r : p.regions) {
    prompts.append(r.prompt);
    negatives.append(r.negative_prompt);
    names.append(r.name);
    prompt_strengths.append(r.prompt_strength);
    mask_strengths.append(r.mask_strength);
    stds.append(r.blur_sigma);
  }
  QJsonObject json{{"prompts", prompts},
                   {"neg_prompts", negatives},
                   {"prompt_names", names},
                   {"prompt_strengths", prompt_strengths},
                   {"mask_strengths", mask_strengths},
                   {"mask_stds", stds}};
  if (p.seed) json.insert("seed", static_cast<double>(*p.seed));  // a JSON number there: exact up to 2^53
  return json;
}

}  // namespace

Palette palette_of(const Document& d) {
  Palette p{d.background_prompt(), d.background_negative_prompt(), {}, d.seed()};
  for (Region r : d.regions()) {
    r.mask = QImage();
    p.regions.push_back(std::move(r));
  }
  return p;
}

bool write_palette(const Palette& p, const QString& path, QString* error, PaletteFormat format) {
  const QJsonObject json = format == PaletteFormat::WebDemo ? web_demo_to_json(p) : ours_to_json(p);
  return write_file_atomically(path, QJsonDocument(json).toJson(), error);
}

bool read_palette(const QString& path, Palette* out, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("%1: cannot open (%2)").arg(path, file.errorString());
    return false;
  }
  if (file.size() > kMaxPaletteBytes) {
    *error = QStringLiteral("%1: %2 bytes, too large for a palette").arg(path).arg(file.size());
    return false;
  }
  QJsonParseError parse{};
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
  if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
    *error = QStringLiteral("%1: not a JSON object (%2 at offset %3)")
                 .arg(path, parse.error != QJsonParseError::NoError ? parse.errorString() : "not an object")
                 .arg(parse.offset);
    return false;
  }
  const QJsonObject json = doc.object();
  Palette palette;
  if (json.value("format").toString() == "semdraw-palette") {
    if (!read_ours(json, path, &palette, error)) return false;
  } else if (json.contains("prompts")) {
    if (!read_web_demo(json, path, &palette, error)) return false;
  } else {
    *error = path + ": neither a SemanticDraw palette ('format') nor a web demo palette ('prompts')";
    return false;
  }
  // Each region costs a canvas-sized mask when applied: a hostile palette
  // must not make thousands.
  if (palette.regions.size() > static_cast<size_t>(kMaxRegions)) {
    *error = QStringLiteral("%1: %2 regions, more than the %3 the engine takes")
                 .arg(path)
                 .arg(palette.regions.size())
                 .arg(kMaxRegions);
    return false;
  }
  *out = std::move(palette);
  return true;
}

void apply_palette(const Palette& p, Document* d) {
  d->set_background_prompt(p.background_prompt);
  d->set_background_negative_prompt(p.background_negative_prompt);
  if (p.seed) d->set_seed(*p.seed);
  for (const Region& r : p.regions) {
    Region& added = d->add_region(r.name, r.prompt);  // empty mask, next colour
    const QImage mask = added.mask;
    const QColor colour = added.colour;
    added = r;
    added.mask = mask;
    if (!r.colour.isValid()) added.colour = colour;
  }
}

}  // namespace semdraw::doc
