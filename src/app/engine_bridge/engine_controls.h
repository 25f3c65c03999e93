#pragma once
// Wires the engine thread to the window: Live and Generate, document edits
// -> snapshots (coalesced to one per event-loop turn), frames -> canvas,
// model loading -> placeholder text and status bar. Errors leave here as
// message() for the window to show without blocking.
#include <QImage>
#include <QObject>
#include <QTimer>
#include <functional>

#include "app/engine_bridge/frame_stats.h"
#include "app/engine_bridge/live_preview.h"
#include "semdraw/engine/engine.h"

class QAction;

namespace semdraw::app {

class CanvasView;
class EditContext;
class EngineHost;
class EngineStatus;

class EngineControls : public QObject {
  Q_OBJECT
 public:
  EngineControls(EditContext* context, CanvasView* canvas, EngineStatus* status, QAction* live, QAction* generate,
                 QObject* parent = nullptr);

  EngineHost* host() const { return host_; }
  void load_model(const EngineOptions& options);
  // Where the artist's seed comes from for Generate (the generation panel
  // may replace it: a locked seed or a fresh random one).
  // Puts a frame from the history back on the canvas; Live stops, or the next
  // preview would replace it at once.
  void show_still(const QImage& frame);
  void set_seed_source(std::function<uint64_t()> source) { seed_source_ = std::move(source); }
  // The size Live streams at (the menu's choice, remembered in QSettings);
  // a running Live switches at its next frame.
  LivePreview live_preview() const;
  void set_live_preview(LivePreview choice);

 signals:
  void message(const QString& text, bool is_error);
  // Every frame put on the canvas; rendered = a Generate result.
  void frame_shown(const QImage& frame, const semdraw::app::FrameStats& stats, bool rendered);
  void model_loaded(const semdraw::EngineOptions& options);

 private:
  void on_live_toggled(bool on);
  void on_generate();
  // Live or Generate without a model: says why, and how to get one.
  void explain_no_model();
  void on_document_edited();
  void show_frame(const QImage& frame, const FrameStats& stats, bool rendered);
  void refresh_placeholder();
  // The canvas badge: "updating" from Live's start or an edit until a frame
  // reports the stream settled; nothing while Live is off.
  void refresh_live_badge(bool settled);
  // The status bar's "live 256×256 preview" while Live runs smaller than the canvas.
  void refresh_live_size();
  // Names the sampler the document's settings run on the loaded model.
  void refresh_sampler();

  EditContext* context_;
  CanvasView* canvas_;
  EngineStatus* status_;
  QAction* live_;
  QAction* generate_;
  EngineHost* host_;
  QTimer submit_timer_;
  std::function<uint64_t()> seed_source_;
  QString last_warning_;
  QString load_stage_;
  double load_fraction_ = 0;
  bool hint_done_ = false;  // painted or went Live: no more "press L" over the canvas
};

}  // namespace semdraw::app
