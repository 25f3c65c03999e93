#pragma once
// Palettes: the prompts without the painting. Our JSON ("semdraw-palette")
// and the palette JSON of the SemanticDraw web demo.
#include <QString>
#include <optional>
#include <vector>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr int kPaletteJsonVersion = 1;

struct Palette {
  QString background_prompt;
  QString background_negative_prompt;
  std::vector<Region> regions;  // masks null; bottom to top
  std::optional<uint64_t> seed;
};

enum class PaletteFormat {
  SemanticDraw,  // ours: every region field, colours, seed (as a decimal string)
  WebDemo,       // the web demo's lists (index 0 = background); no colours, no `enabled`
};

Palette palette_of(const Document& document);
// Atomic (atomic_file.h). False with *error naming the file.
bool write_palette(const Palette& palette, const QString& path, QString* error,
                   PaletteFormat format = PaletteFormat::SemanticDraw);
// Reads either format (the web demo's is recognised by its "prompts" key).
// False with *error naming the file and field; *out untouched then.
bool read_palette(const QString& path, Palette* out, QString* error);
// Sets the background prompts (and seed) and adds the regions on top, each
// with an empty mask; regions without a colour get the document's next one.
void apply_palette(const Palette& palette, Document* document);

}  // namespace semdraw::doc
