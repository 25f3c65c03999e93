// semdraw: the paint program. --help and --version are answered before any
// QApplication exists, so they work without a display.
#include <QApplication>
#include <cstdio>
#include <cstring>

#include "app/file_actions.h"
#include "app/main_window.h"
#include "semdraw/engine/device.h"

namespace {
constexpr const char* kUsage =
    "Usage: semdraw [options] [PROJECT]\n"
    "SemanticDraw: paint regions with text prompts; a diffusion engine turns them into an image live.\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help and exit\n"
    "  -v, --version    show the version and the compute device, then exit\n"
    "\n"
    "Model weights: see README.md (\"Where weights go\"); set SEMDRAW_MODEL or use --model in semdraw-cli.\n";
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v")) {
      const auto device = semdraw::probe_compute_device();
      std::printf("semdraw %s (LibTorch %s; device: %s — %s)\n", SEMDRAW_VERSION,
                  device.torch_version.c_str(), device.name.c_str(), device.note.c_str());
      return 0;
    }
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName("SemanticDraw");
  QApplication::setOrganizationName("SemanticDraw");
  QApplication::setApplicationVersion(SEMDRAW_VERSION);
  semdraw::app::MainWindow window;
  window.show();
  // PROJECT: the first argument that is not an option (errors go to the banner).
  for (const QString& argument : QApplication::arguments().mid(1)) {
    if (argument.startsWith('-')) continue;
    window.file_actions()->open_path(argument);
    break;
  }
  return QApplication::exec();
}
