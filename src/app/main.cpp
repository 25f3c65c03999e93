// semdraw: the paint program. --help and --version are answered before any
// QApplication exists, so they work without a display.
#include <QApplication>
#include <QSettings>
#include <cstdio>
#include <cstring>
#include <optional>

#include "app/engine_bridge/engine_controls.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/model/model_settings.h"
#include "semdraw/engine/device.h"

namespace {
constexpr const char* kUsage =
    "Usage: semdraw [options] [PROJECT]\n"
    "SemanticDraw: paint regions with text prompts; a diffusion engine turns them into an image live.\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help and exit\n"
    "  -v, --version    show the version and the compute device, then exit\n"
    "  --model PATH     load this model (diffusers folder or .safetensors) at start\n"
    "\n"
    "Without --model the program loads SEMDRAW_MODEL, else the model used last, else the first one in\n"
    "models/ or the Hugging Face cache; with none it still paints and saves. README: \"Where weights go\".\n";
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v")) {
      const auto device = semdraw::probe_compute_device();
      std::printf("semdraw %s (LibTorch %s; device: %s — %s)\n", SEMDRAW_VERSION, device.torch_version.c_str(),
                  device.name.c_str(), device.note.c_str());
      return 0;
    }
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName("SemanticDraw");
  QApplication::setOrganizationName("SemanticDraw");
  QApplication::setApplicationVersion(SEMDRAW_VERSION);
  std::optional<QString> explicit_model;
  const QStringList args = QApplication::arguments();
  for (int i = 1; i + 1 < args.size(); ++i)
    if (args[i] == "--model") explicit_model = args[i + 1];
  semdraw::app::MainWindow window;
  window.show();
  // PROJECT: the first argument that is neither an option nor its value
  // (errors go to the banner).
  for (int i = 1; i < args.size(); ++i) {
    if (args[i] == "--model") {
      ++i;
      continue;
    }
    if (args[i].startsWith('-')) continue;
    window.file_actions()->open_path(args[i]);
    break;
  }
  // Loading runs on the engine thread: the window is usable at once.
  try {
    QSettings settings;
    if (auto options = semdraw::app::startup_model(explicit_model, settings))
      window.engine_controls()->load_model(*options);
  } catch (const std::exception& error) {
    window.show_message(QString::fromStdString(error.what()), true);
  }
  return QApplication::exec();
}
