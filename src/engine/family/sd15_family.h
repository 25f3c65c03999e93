#pragma once
// Stable Diffusion 1.x (and fine-tunes): one CLIP text encoder, the UNet
// conditioned by its last hidden state, the 4-channel VAE and TAESD.
#include "family/model_family.h"

namespace semdraw::family {

const ModelFamily& sd15_family();

// The CLIP tokenizer and text encoder every CLIP-conditioned family loads
// first ("tokenizer/", "text_encoder/"; the bundled vocabulary for a single file).
void load_first_clip_text_encoder(pipeline::ModelBundle& bundle, const LoadContext& context);

}  // namespace semdraw::family
