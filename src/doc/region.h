#pragma once
// One semantic brush: a prompt and the mask the artist painted with it.
#include <QColor>
#include <QImage>
#include <QString>

namespace semdraw::doc {

struct Region {
  QString name;    // short label shown in the palette
  QString prompt;  // what this region means ("a red eagle")
  QString negative_prompt;
  QColor colour;                 // overlay colour on the canvas
  double prompt_strength = 1.0;  // lerp from the background prompt (docs/ALGORITHM.md §3)
  double mask_strength = 1.0;    // scales the processed mask (docs/ALGORITHM.md §2 step 4)
  double blur_sigma = 8.0;       // canvas pixels; 8 is the live default
  bool enabled = true;
  QImage mask;  // Format_Grayscale8, canvas size; 255 = fully painted
};

}  // namespace semdraw::doc
