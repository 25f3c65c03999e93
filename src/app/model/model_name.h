#pragma once
// The name a project and an exported PNG record for the model that made the
// picture (the "model" field; "Model:" in the A1111 parameters): what an
// artist calls it, not where it lies on this machine.
#include <QString>
#include <string>

namespace semdraw::app {

// A single file: its name without the extension ("v1-5-pruned-emaonly");
// a Hugging Face cache snapshot: the repository ("runwayml/stable-diffusion-v1-5");
// any other folder: its name. Empty for an empty path.
QString model_name(const std::string& model_path);

}  // namespace semdraw::app
