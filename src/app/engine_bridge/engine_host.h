#pragma once
// The UI side of the engine thread: owns the QThread and the worker living in
// it, and offers calls that return at once. Snapshots go through the
// latest-wins mailbox; frames and errors come back as queued signals.
#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

#include "app/engine_bridge/frame_stats.h"
#include "app/engine_bridge/live_preview.h"
#include "app/engine_bridge/scene_mailbox.h"
#include "semdraw/engine/engine.h"

namespace semdraw::app {

class EngineWorker;

class EngineHost : public QObject {
  Q_OBJECT
 public:
  explicit EngineHost(QObject* parent = nullptr);
  // Stops the thread: cancels a load and a render, interrupts the stream step
  // in flight (between UNet layers on the CPU), then waits for the thread.
  ~EngineHost() override;

  // Replaces the loaded model (the old one is released first); a load in
  // progress is cancelled.
  void load_model(const EngineOptions& options);
  void cancel_load();
  bool loading() const { return loading_; }
  bool has_model() const { return has_model_; }
  const QString& device_name() const { return device_name_; }
  // What a scene's SamplerChoice::ModelDefault runs on the loaded model, and why.
  SamplerChoice default_sampler() const { return default_sampler_; }
  const QString& default_sampler_reason() const { return default_sampler_reason_; }
  const EngineOptions& model_options() const { return options_; }

  void set_live(bool live);
  bool live() const { return live_; }
  // The size Live streams at; applies from the next submit().
  void set_live_preview(LivePreview choice) { live_preview_ = choice; }
  LivePreview live_preview() const { return live_preview_; }
  // What live frames of this canvas come back at, on the loaded model's device.
  QSize live_size(QSize canvas) const;
  // Posts a snapshot of the document for the stream (latest wins). Cheap:
  // copies the document's region list, not its pixels.
  void submit(const doc::Document& document);
  // Full-quality one-shot render of this document; cancel_render() stops it
  // at its next UNet call (render_cancelled follows).
  void generate(const doc::Document& document);
  void cancel_render();
  bool rendering() const { return renders_pending_ > 0; }
  uint64_t last_serial() const { return serial_; }

 signals:
  void load_progress(const QString& stage, double fraction);
  void loaded(const QString& device_name);
  void load_failed(const QString& message, bool cancelled);
  void frame_ready(const QImage& frame, const semdraw::app::FrameStats& stats);
  void render_progress(double fraction);
  void render_finished(const QImage& frame, const semdraw::app::FrameStats& stats);
  void render_cancelled();
  void failed(const QString& message);
  void warning(const QString& message);
  void live_changed(bool live);

 private:
  std::shared_ptr<const SceneSnapshot> snapshot_of(const doc::Document& document, QSize stream_size = {});

  QThread thread_;
  EngineWorker* worker_ = nullptr;  // lives in thread_, deleted when it finishes
  std::shared_ptr<SceneMailbox> mailbox_ = std::make_shared<SceneMailbox>();
  std::shared_ptr<std::atomic<bool>> cancel_;         // the newest load's
  std::shared_ptr<std::atomic<bool>> cancel_render_;  // every queued or running render's
  std::shared_ptr<std::atomic<bool>> stop_stream_ = std::make_shared<std::atomic<bool>>(false);
  int renders_pending_ = 0;
  EngineOptions options_;
  QString device_name_;
  SamplerChoice default_sampler_ = SamplerChoice::Lcm;
  QString default_sampler_reason_;
  uint64_t serial_ = 0;
  int pending_loads_ = 0;  // superseded loads end quietly; only the last one reports
  bool loading_ = false;
  bool has_model_ = false;
  bool live_ = false;
  LivePreview live_preview_ = LivePreview::Auto;
};

}  // namespace semdraw::app
