#pragma once
// SDXL: two CLIP text encoders (the second with a projection, for the pooled
// embedding), the UNet with added text/time conditioning, a 4-channel VAE.
#include "family/model_family.h"

namespace semdraw::family {

const ModelFamily& sdxl_family();

}  // namespace semdraw::family
