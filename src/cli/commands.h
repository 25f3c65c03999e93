#pragma once
// The table of semdraw-cli subcommands. Each lives in its own file and
// registers itself here, so main() only dispatches.
#include <functional>
#include <string>
#include <vector>

namespace semdraw::cli {

struct Command {
  std::string name;
  std::string summary;  // one line for --help
  std::function<int(const std::vector<std::string>& args)> run;
};

const std::vector<Command>& commands();

}  // namespace semdraw::cli
