#pragma once
// The size Live streams at. One 512² frame takes seconds on a CPU; a quarter
// of the pixels keeps frames coming while the artist paints, and the canvas
// shows each frame scaled up. Generate always renders the full canvas. The
// choice is a preference of this machine (QSettings), not of a project.
#include <QSize>
#include <QString>

#include "doc/document.h"

namespace semdraw::app {

enum class LivePreview { Auto, Full, Half, Quarter };

// Auto on a CPU: the largest size of the canvas's shape with at most this
// many pixels. 256² is where the tiny and SD1.5 models stream about 4x
// faster than at the default 512², and still show the composition.
inline constexpr int kCpuLivePreviewPixels = 256 * 256;
// No side below this (a latent of 8x8): smaller says nothing about a picture.
inline constexpr int kMinLivePreviewSide = 64;

// The size Live streams at for this canvas: Full = the canvas; Half and
// Quarter its sides halved or quartered; Auto = Full on a GPU, the
// kCpuLivePreviewPixels budget on a CPU. Each side a multiple of 8 (the
// engine's latent grid), at least kMinLivePreviewSide, never above the canvas.
QSize live_preview_size(QSize canvas, LivePreview choice, bool on_gpu);

// The document as the stream sees it at `size`: masks, the background and the
// regions' blur (canvas pixels) scaled to it, prompts and settings as they
// are. The document itself when `size` is its canvas size or empty.
doc::Document scaled_for_preview(const doc::Document& document, QSize size);

QString live_preview_name(LivePreview choice);
// QSettings "live/preview_size"; Auto when unset or unknown.
LivePreview stored_live_preview();
void store_live_preview(LivePreview choice);

}  // namespace semdraw::app
