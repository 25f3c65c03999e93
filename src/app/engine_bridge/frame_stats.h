#pragma once
// What the engine worker reports with every frame (for the status bar and
// the benchmarks), in milliseconds.
#include <QMetaType>
#include <QSize>
#include <cstdint>

namespace semdraw::app {

struct FrameStats {
  uint64_t frame_id = 0;
  double denoise_ms = 0;
  double decode_ms = 0;
  double total_ms = 0;
  // From posting the snapshot to this frame, for the first frame that
  // includes that snapshot's edit; negative for frames with no new edit.
  double edit_latency_ms = -1;
  uint64_t snapshot_serial = 0;  // the newest snapshot this frame includes
  // Live under LiveNoise::Settle: this frame is final for the current scene,
  // and the engine rests until the next edit.
  bool settled = false;
  // A live frame the engine made smaller than the canvas (LivePreview) and
  // the app scaled up to it: the size it was made at. Empty = full size.
  QSize preview_size;
};

}  // namespace semdraw::app

Q_DECLARE_METATYPE(semdraw::app::FrameStats)
