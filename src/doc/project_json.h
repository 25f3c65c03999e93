#pragma once
// The semantic half of a project as JSON ("format":"semdraw-project"):
// prompts, strengths, colours, order, settings, seed, model. Masks and
// pictures are not in it; `layer` fields name the zip entries that hold them.
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <vector>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr int kProjectJsonVersion = 1;

// Where each picture of the document lives in the .ora (empty = absent).
struct LayerFiles {
  std::vector<QString> regions;  // same order as Document::regions()
  QString background;
  QString generated;
  std::vector<QString> kept_frames;  // same order as Document::kept_frames()
};

// Seeds are 64-bit: written as decimal strings (JSON numbers lose bits above
// 2^53); numbers are accepted too (other tools write them). False, *out
// untouched, for anything else.
bool seed_from_json(const QJsonValue& value, uint64_t* out);

// The settings object through the one serializer (semdraw/engine/scene_json.h),
// the seed as a decimal string; `where` names the file for errors.
QJsonObject settings_to_qjson(const GenerationSettings& settings);
bool settings_from_qjson(const QJsonObject& json, const QString& where, GenerationSettings* out, QString* error);

QJsonObject region_to_json(const Region& region);
// Fills every field but the mask.
bool region_from_json(const QJsonObject& json, const QString& where, Region* out, QString* error);

QJsonObject project_to_json(const Document& document, const LayerFiles& layers);

// The parsed JSON: a document with empty masks and no pictures, plus where
// the layers are. Refuses newer versions naming both.
struct ProjectJson {
  int width = 0;
  int height = 0;
  std::vector<Region> regions;  // masks null
  LayerFiles layers;
  QString background_prompt;
  QString background_negative_prompt;
  GenerationSettings settings;
  QString model_reference;
  std::vector<KeptFrame> kept_frames;  // images null; their entries in layers.kept_frames
};
bool project_from_json(const QByteArray& bytes, const QString& where, ProjectJson* out, QString* error);

// The History strip's kept frames ("kept_frames": [{image, label, stats}],
// newest first): each names the PNG entry that holds it. Absent = none
// (projects saved before kept frames were stored).
QJsonArray kept_frames_to_json(const std::vector<KeptFrame>& frames, const std::vector<QString>& images);
bool kept_frames_from_json(const QJsonObject& project, const QString& where, std::vector<KeptFrame>* frames,
                           std::vector<QString>* images, QString* error);

}  // namespace semdraw::doc
