// semdraw-cli: render, stream, benchmark and make test models without the UI.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {
void print_help() {
  std::printf(
      "Usage: semdraw-cli COMMAND [ARGS...]\n"
      "The SemanticDraw engine without the user interface.\n\nCommands:\n");
  for (const auto& command : semdraw::cli::commands())
    std::printf("  %-16s %s\n", command.name.c_str(), command.summary.c_str());
  std::printf("\n'semdraw-cli COMMAND --help' describes one command.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_help();
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_help();
    return 0;
  }
  if (name == "--version") {
    std::printf("semdraw-cli %s\n", SEMDRAW_VERSION);
    return 0;
  }
  for (const auto& command : semdraw::cli::commands()) {
    if (command.name != name) continue;
    try {
      return command.run(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const std::exception& error) {
      std::fprintf(stderr, "semdraw-cli %s: %s\n", name.c_str(), error.what());
      return 1;
    }
  }
  std::fprintf(stderr, "semdraw-cli: unknown command '%s' (see semdraw-cli --help)\n", name.c_str());
  return 2;
}
