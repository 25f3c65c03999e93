#pragma once
// The document as the engine sees it: an immutable semdraw::Scene in plain
// arrays. The app sends these to its engine worker; the
// CLI renders .ora projects through the same conversion, so both agree.
#include "doc/document.h"
#include "semdraw/engine/scene.h"

namespace semdraw::doc {

// Masks become [0,1] floats (255 = 1); the background image is converted to
// RGB8 at the canvas size (a picture of another size is scaled to fill it, as
// the canvas shows it); a null background stays empty (plain white).
Scene to_scene(const Document& document);

// Cheaper pieces for callers that keep a snapshot up to date edit by edit.
MaskImage to_mask_image(const QImage& grayscale_mask);
RgbImage to_rgb_image(const QImage& image, QSize size);

}  // namespace semdraw::doc
