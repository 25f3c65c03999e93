#pragma once
// The engine's own thread. Owns the semdraw::Engine; every method runs in the
// worker thread (EngineHost queues the calls). While live it steps the stream
// one frame per event-loop turn, so load/render/stop requests are handled
// between frames, and it applies the newest snapshot from the mailbox before
// each step.
#include <QImage>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

#include "app/engine_bridge/frame_stats.h"
#include "app/engine_bridge/scene_mailbox.h"
#include "semdraw/engine/engine.h"

namespace semdraw::app {

class EngineWorker : public QObject {
  Q_OBJECT
 public:
  // stop_stream: set by the UI thread when Live stops or the program closes;
  // a stream step in flight then stops between two UNet layers (on the CPU,
  // where one step can take a minute). Cleared here when Live starts again.
  EngineWorker(std::shared_ptr<SceneMailbox> mailbox, std::shared_ptr<std::atomic<bool>> stop_stream);
  ~EngineWorker() override;

  void load(const EngineOptions& options, std::shared_ptr<std::atomic<bool>> cancel);
  void unload();
  void set_live(bool live);
  // A snapshot was posted: step if live and idle.
  void wake();
  void render(std::shared_ptr<const SceneSnapshot> snapshot, std::shared_ptr<std::atomic<bool>> cancel);

 signals:
  void load_progress(const QString& stage, double fraction);
  // Before loaded(): the sampler a scene's "model default" runs, and why.
  void default_sampler_known(int sampler, const QString& reason);
  void loaded(const QString& device_name);
  void load_failed(const QString& message, bool cancelled);
  void frame_ready(const QImage& frame, const semdraw::app::FrameStats& stats);
  void render_progress(double fraction);
  void render_finished(const QImage& frame, const semdraw::app::FrameStats& stats);
  void render_cancelled();
  void render_failed(const QString& message);
  // Step, render or scene errors; the stream keeps its last good scene.
  void failed(const QString& message);
  void warning(const QString& message);
  void live_stopped();

 private:
  void schedule_step();
  void step();
  // Applies the newest snapshot, if any; false when the scene was refused.
  bool apply_latest();
  void report_warnings();
  // What Engine::set_interrupt asks: the running render's cancel flag while
  // rendering, else the stream's stop flag.
  bool interrupted() const;

  std::shared_ptr<SceneMailbox> mailbox_;
  std::shared_ptr<std::atomic<bool>> stop_stream_;
  std::shared_ptr<std::atomic<bool>> render_cancel_;  // the running render's; null between renders
  std::unique_ptr<Engine> engine_;
  bool live_ = false;
  bool has_scene_ = false;
  bool step_queued_ = false;
  std::shared_ptr<const SceneSnapshot> pending_latency_;  // applied, not yet in a frame
  uint64_t applied_serial_ = 0;
};

// Frame pixels (packed RGB8) as a QImage that owns its (4-byte aligned) rows.
QImage frame_to_image(const Frame& frame);
// A message an artist can act on for an exception from the engine.
QString describe_engine_error(const std::exception& error);

}  // namespace semdraw::app
