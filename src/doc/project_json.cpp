#include "doc/project_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <nlohmann/json.hpp>

#include "semdraw/engine/scene_json.h"

namespace semdraw::doc {

namespace {

// Small reader that remembers the first problem and names file and field.
class Fields {
 public:
  Fields(const QJsonObject& json, QString where) : json_(json), where_(std::move(where)) {}
  bool ok() const { return error_.isEmpty(); }
  const QString& error() const { return error_; }

  void number(const char* key, double* out) {
    if (!json_.contains(key)) return;
    const QJsonValue v = json_.value(key);
    if (!v.isDouble() || !std::isfinite(v.toDouble())) return fail(key, "must be a finite number");
    *out = v.toDouble();
  }
  void integer(const char* key, int* out) {
    double d = *out;
    number(key, &d);
    if (ok() && (d != std::floor(d) || std::fabs(d) > 1e9)) return fail(key, "must be an integer");
    *out = static_cast<int>(d);
  }
  void text(const char* key, QString* out) {
    if (!json_.contains(key)) return;
    if (!json_.value(key).isString()) return fail(key, "must be a string");
    *out = json_.value(key).toString();
  }
  void boolean(const char* key, bool* out) {
    if (!json_.contains(key)) return;
    if (!json_.value(key).isBool()) return fail(key, "must be true or false");
    *out = json_.value(key).toBool();
  }
  // Seeds are 64-bit: written as decimal strings (JSON numbers lose bits
  // above 2^53), numbers accepted too (other tools write them).
  void seed(const char* key, uint64_t* out) {
    if (!json_.contains(key)) return;
    if (!seed_from_json(json_.value(key), out)) fail(key, "must be a non-negative integer");
  }
  void fail(const char* key, const QString& why) {
    if (ok()) error_ = QStringLiteral("%1: field '%2' %3").arg(where_, QLatin1String(key), why);
  }

 private:
  QJsonObject json_;
  QString where_;
  QString error_;
};

}  // namespace

bool seed_from_json(const QJsonValue& v, uint64_t* out) {
  bool good = false;
  uint64_t seed = 0;
  if (v.isString()) {
    seed = v.toString().toULongLong(&good);
  } else if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() == std::floor(v.toDouble()) &&
             v.toDouble() < 18446744073709551616.0) {
    seed = static_cast<uint64_t>(v.toDouble());
    good = true;
  }
  if (good) *out = seed;
  return good;
}

// Settings go through the one serializer (semdraw/engine/scene_json.h); the
// JSON text is the bridge between nlohmann's and Qt's JSON. QJson holds
// numbers as doubles, so the seed is written as a decimal string.
QJsonObject settings_to_qjson(const GenerationSettings& settings) {
  const std::string text = semdraw::settings_to_json(settings).dump();
  QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
  json.insert("seed", QString::number(settings.seed));
  return json;
}

bool settings_from_qjson(const QJsonObject& json, const QString& where, GenerationSettings* out, QString* error) {
  const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Compact);
  try {
    *out = semdraw::settings_from_json(nlohmann::json::parse(text.toStdString()), default_settings());
    return true;
  } catch (const SettingsFieldError& problem) {
    *error = where + ": " + QString::fromStdString(problem.what());
    return false;
  }
}

QJsonObject region_to_json(const Region& r) {
  return QJsonObject{{"name", r.name},
                     {"prompt", r.prompt},
                     {"negative_prompt", r.negative_prompt},
                     {"colour", r.colour.name(QColor::HexArgb)},
                     {"prompt_strength", r.prompt_strength},
                     {"mask_strength", r.mask_strength},
                     {"blur_sigma", r.blur_sigma},
                     {"enabled", r.enabled}};
}

bool region_from_json(const QJsonObject& json, const QString& where, Region* out, QString* error) {
  Region r;
  Fields f(json, where);
  f.text("name", &r.name);
  f.text("prompt", &r.prompt);
  f.text("negative_prompt", &r.negative_prompt);
  QString colour;
  f.text("colour", &colour);
  if (f.ok() && !colour.isEmpty()) {
    r.colour = QColor::fromString(colour);
    if (!r.colour.isValid()) f.fail("colour", "is not a colour ('" + colour + "')");
  }
  f.number("prompt_strength", &r.prompt_strength);
  f.number("mask_strength", &r.mask_strength);
  f.number("blur_sigma", &r.blur_sigma);
  f.boolean("enabled", &r.enabled);
  if (!f.ok()) {
    *error = f.error();
    return false;
  }
  *out = std::move(r);
  return true;
}

QJsonObject project_to_json(const Document& d, const LayerFiles& layers) {
  QJsonArray regions;
  for (size_t i = 0; i < d.regions().size(); ++i) {
    QJsonObject r = region_to_json(d.regions()[i]);
    if (i < layers.regions.size() && !layers.regions[i].isEmpty()) r.insert("layer", layers.regions[i]);
    regions.append(r);
  }
  QJsonObject background{{"prompt", d.background_prompt()}, {"negative_prompt", d.background_negative_prompt()}};
  if (!layers.background.isEmpty()) background.insert("layer", layers.background);
  QJsonObject json{{"format", "semdraw-project"},       {"version", kProjectJsonVersion},
                   {"width", d.canvas_size().width()},  {"height", d.canvas_size().height()},
                   {"background", background},          {"regions", regions},  // bottom to top
                   {"seed", QString::number(d.seed())}, {"settings", settings_to_qjson(d.settings())},
                   {"model", d.model_reference()}};
  if (!layers.generated.isEmpty()) json.insert("generated", QJsonObject{{"layer", layers.generated}});
  if (!layers.kept_frames.empty()) json.insert("kept_frames", kept_frames_to_json(d.kept_frames(), layers.kept_frames));
  return json;
}

bool project_from_json(const QByteArray& bytes, const QString& where, ProjectJson* out, QString* error) {
  QJsonParseError parse{};
  const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parse);
  if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
    *error = QStringLiteral("%1: not valid JSON (%2 at offset %3)")
                 .arg(where, doc.isNull() ? parse.errorString() : QStringLiteral("not an object"))
                 .arg(parse.offset);
    return false;
  }
  const QJsonObject json = doc.object();
  if (json.value("format").toString() != "semdraw-project") {
    *error = QStringLiteral("%1: 'format' is not \"semdraw-project\"").arg(where);
    return false;
  }
  const int version = json.value("version").toInt(-1);
  if (version < 1) {
    *error = QStringLiteral("%1: 'version' is missing or not a positive integer").arg(where);
    return false;
  }
  if (version > kProjectJsonVersion) {
    *error = QStringLiteral(
                 "%1: written in project format version %2; this SemanticDraw reads up to version %3 "
                 "(update the application)")
                 .arg(where)
                 .arg(version)
                 .arg(kProjectJsonVersion);
    return false;
  }
  ProjectJson p;
  Fields f(json, where);
  f.integer("width", &p.width);
  f.integer("height", &p.height);
  f.text("model", &p.model_reference);
  const QJsonObject background = json.value("background").toObject();
  Fields bf(background, where + " background");
  bf.text("prompt", &p.background_prompt);
  bf.text("negative_prompt", &p.background_negative_prompt);
  bf.text("layer", &p.layers.background);
  Fields gf(json.value("generated").toObject(), where + " generated");
  gf.text("layer", &p.layers.generated);
  for (const Fields* fields : {&f, &bf, &gf})
    if (!fields->ok()) {
      *error = fields->error();
      return false;
    }
  if (!settings_from_qjson(json.value("settings").toObject(), where, &p.settings, error)) return false;
  f.seed("seed", &p.settings.seed);  // the top-level seed is the one that counts
  if (!json.value("regions").isArray()) f.fail("regions", "must be an array");
  if (!f.ok()) {
    *error = f.error();
    return false;
  }
  const QJsonArray regions = json.value("regions").toArray();
  for (qsizetype i = 0; i < regions.size(); ++i) {
    const QString here = QStringLiteral("%1 region %2").arg(where).arg(i);
    Region r;
    if (!regions[i].isObject()) {
      *error = here + ": must be an object";
      return false;
    }
    if (!region_from_json(regions[i].toObject(), here, &r, error)) return false;
    QString layer;
    Fields lf(regions[i].toObject(), here);
    lf.text("layer", &layer);
    if (!lf.ok()) {
      *error = lf.error();
      return false;
    }
    p.regions.push_back(std::move(r));
    p.layers.regions.push_back(layer);
  }
  if (!kept_frames_from_json(json, where, &p.kept_frames, &p.layers.kept_frames, error)) return false;
  *out = std::move(p);
  return true;
}

// ---- kept History frames ----

QJsonArray kept_frames_to_json(const std::vector<KeptFrame>& frames, const std::vector<QString>& images) {
  QJsonArray out;
  for (size_t i = 0; i < frames.size() && i < images.size(); ++i)
    out.append(QJsonObject{{"image", images[i]}, {"label", frames[i].label}, {"stats", frames[i].stats}});
  return out;
}

bool kept_frames_from_json(const QJsonObject& project, const QString& where, std::vector<KeptFrame>* frames,
                           std::vector<QString>* images, QString* error) {
  frames->clear();
  images->clear();
  if (!project.contains("kept_frames")) return true;
  if (!project.value("kept_frames").isArray()) {
    *error = QStringLiteral("%1: field 'kept_frames' must be an array").arg(where);
    return false;
  }
  const QJsonArray list = project.value("kept_frames").toArray();
  for (qsizetype i = 0; i < list.size(); ++i) {
    const QString here = QStringLiteral("%1 kept_frames[%2]").arg(where).arg(i);
    if (!list[i].isObject()) {
      *error = here + ": must be an object";
      return false;
    }
    KeptFrame frame;
    QString image;
    Fields f(list[i].toObject(), here);
    f.text("image", &image);
    f.text("label", &frame.label);
    f.text("stats", &frame.stats);
    if (f.ok() && image.isEmpty()) f.fail("image", "is missing (the PNG entry of the frame)");
    if (!f.ok()) {
      *error = f.error();
      return false;
    }
    frames->push_back(std::move(frame));
    images->push_back(image);
  }
  return true;
}

}  // namespace semdraw::doc
