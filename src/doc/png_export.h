#pragma once
// Exporting the generated image as PNG with its generation parameters in
// text chunks: "parameters" (human-readable, as other SD tools write it) and
// "semdraw" (the full project JSON, without pictures).
#include <QString>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr const char* kParametersChunk = "parameters";
inline constexpr const char* kProjectChunk = "semdraw";

// The A1111-style text: prompts (background first, regions joined by BREAK),
// "Negative prompt: ...", then "Steps: N, Sampler: LCM, Seed: N, Size: WxH, Model: M".
QString generation_parameters_text(const Document& document);

// The generated frame with, when `with_overlay`, the enabled regions' colours
// drawn over it at 40 % of their mask. Atomic (atomic_file.h). False with *error
// naming the file when there is nothing generated or it cannot be written.
bool export_png(const Document& document, const QString& path, bool with_overlay, QString* error);

}  // namespace semdraw::doc
