// The registered model families, asked in this order (the first that
// recognises a model loads it). A new family adds its line here.
#include <stdexcept>

#include "family/model_family.h"
#include "family/sd15_family.h"
#include "family/sdxl_family.h"

namespace semdraw::family {

const std::vector<const ModelFamily*>& model_families() {
  static const std::vector<const ModelFamily*> families = {
      &sdxl_family(),
      &sd15_family(),  // last: any SD1.x folder or single file
  };
  return families;
}

const ModelFamily& family_of(const std::filesystem::path& model, io::CheckpointLayout layout) {
  for (const ModelFamily* family : model_families())
    if (family->recognises(model, layout)) return *family;
  throw std::runtime_error(model.string() + ": no model family recognises this model");
}

}  // namespace semdraw::family
