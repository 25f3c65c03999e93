#include "cli/commands.h"

namespace semdraw::cli {

int run_device(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"device", "print the compute device the engine will use, as JSON", run_device},
  };
  return table;
}

}  // namespace semdraw::cli
