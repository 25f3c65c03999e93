#pragma once
// The model choice remembered between runs (QSettings): the last model with
// its TAESD, LoRAs (with scales), device and precision, and a short list of recent
// models. Also decides which model to load at start-up.
#include <QSettings>
#include <QString>
#include <QStringList>
#include <optional>

#include "semdraw/engine/engine.h"

namespace semdraw::app {

inline constexpr int kMaxRecentModels = 8;

void remember_model(QSettings& settings, const EngineOptions& options);
std::optional<EngineOptions> last_model(QSettings& settings);
// Most recent first; only paths that still exist.
QStringList recent_models(QSettings& settings);

// `options` with the bundled resources set (single files need the CLIP vocabulary).
EngineOptions with_bundled_resources(EngineOptions options);

// The bundled resources (CLIP vocabulary for single files) and models/ folder.
QString resources_dir();
QString models_dir();

// Which model to load when the program starts: an explicit --model (errors
// name it), then SEMDRAW_MODEL, then the last one used, then the models/
// folder and the Hugging Face cache (README.md, "Where weights go"). nullopt: start without one.
std::optional<EngineOptions> startup_model(const std::optional<QString>& explicit_model, QSettings& settings);

}  // namespace semdraw::app
