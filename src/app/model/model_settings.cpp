#include "app/model/model_settings.h"

#include <QFileInfo>
#include <cstdlib>

#include "semdraw/engine/model_discovery.h"

namespace semdraw::app {

namespace {

// Absolute, so the next start finds them from any working directory
// (`semdraw --model build/x` is relative to where it was typed).
QString absolute(const std::string& path) {
  return path.empty() ? QString() : QFileInfo(QString::fromStdString(path)).absoluteFilePath();
}

// A device or precision as stored by remember_model; a value this version
// does not know (edited by hand, written by a newer one) falls back to auto.
template <typename Choice>
Choice stored_choice(QSettings& settings, const char* key, Choice (*from_name)(std::string_view), Choice fallback) {
  try {
    return from_name(settings.value(key).toString().toStdString());
  } catch (const std::invalid_argument&) {
    return fallback;
  }
}

}  // namespace

EngineOptions with_bundled_resources(EngineOptions options) {
  options.resources_dir = resources_dir().toStdString();
  return options;
}

QString resources_dir() { return QStringLiteral(SEMDRAW_RESOURCES_DIR); }
QString models_dir() { return QStringLiteral(SEMDRAW_RESOURCES_DIR "/../models"); }

void remember_model(QSettings& settings, const EngineOptions& options) {
  settings.beginGroup("model");
  settings.setValue("path", absolute(options.model));
  settings.setValue("taesd", absolute(options.taesd));
  settings.setValue("device", QString::fromStdString(device_choice_name(options.device)));
  settings.setValue("precision", QString::fromStdString(precision_name(options.precision)));
  settings.beginWriteArray("loras", static_cast<int>(options.loras.size()));
  for (int i = 0; i < static_cast<int>(options.loras.size()); ++i) {
    settings.setArrayIndex(i);
    settings.setValue("file", absolute(options.loras[static_cast<size_t>(i)].first));
    settings.setValue("scale", options.loras[static_cast<size_t>(i)].second);
  }
  settings.endArray();
  QStringList recent = settings.value("recent").toStringList();
  const QString path = absolute(options.model);
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecentModels) recent.removeLast();
  settings.setValue("recent", recent);
  settings.endGroup();
}

std::optional<EngineOptions> last_model(QSettings& settings) {
  settings.beginGroup("model");
  EngineOptions options;
  options.model = settings.value("path").toString().toStdString();
  options.taesd = settings.value("taesd").toString().toStdString();
  options.device = stored_choice(settings, "device", &device_choice_from_name, DeviceChoice::Auto);
  options.precision = stored_choice(settings, "precision", &precision_from_name, Precision::Auto);
  const int count = settings.beginReadArray("loras");
  for (int i = 0; i < count; ++i) {
    settings.setArrayIndex(i);
    options.loras.emplace_back(settings.value("file").toString().toStdString(),
                               settings.value("scale", 1.0).toDouble());
  }
  settings.endArray();
  settings.endGroup();
  if (options.model.empty() || !QFileInfo::exists(QString::fromStdString(options.model))) return std::nullopt;
  return with_bundled_resources(options);
}

QStringList recent_models(QSettings& settings) {
  QStringList existing;
  for (const QString& path : settings.value("model/recent").toStringList())
    if (QFileInfo::exists(path)) existing << path;
  return existing;
}

std::optional<EngineOptions> startup_model(const std::optional<QString>& explicit_model, QSettings& settings) {
  // An explicit choice (argument or SEMDRAW_MODEL) outranks the remembered one.
  const bool from_environment = std::getenv("SEMDRAW_MODEL") != nullptr;
  if (!explicit_model && !from_environment) {
    if (auto remembered = last_model(settings)) return remembered;
  }
  std::optional<std::filesystem::path> path;
  if (explicit_model) path = explicit_model->toStdString();
  const auto found = discover_model(path, models_dir().toStdString());  // throws naming a bad explicit path
  if (!found) return std::nullopt;
  EngineOptions options;
  options.model = found->path.string();
  return with_bundled_resources(options);
}

}  // namespace semdraw::app
