#pragma once
// The options every engine-running subcommand shares: which model (with the
// documented discovery order), TAESD, LoRAs, device.
#include <set>
#include <string>

#include "cli/args.h"
#include "semdraw/engine/engine.h"

namespace semdraw::cli {

// Option names to pass to Args for the shared engine options.
std::set<std::string> engine_option_names();
// Resolves --model (or the discovery order), --taesd, --lora FILE[:SCALE], --device,
// --precision, --cuda-graphs on|off.
EngineOptions engine_options_from(const Args& args);
// The usage lines of those options, for each command's --help.
const char* engine_options_usage();

}  // namespace semdraw::cli
