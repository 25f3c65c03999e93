#include "app/engine_bridge/engine_host.h"

#include "app/engine_bridge/engine_worker.h"

namespace semdraw::app {

EngineHost::EngineHost(QObject* parent) : QObject(parent) {
  qRegisterMetaType<FrameStats>();
  thread_.setObjectName("SemanticDraw engine");
  worker_ = new EngineWorker(mailbox_, stop_stream_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  // Every worker signal crosses threads: Qt queues them onto the UI thread.
  connect(worker_, &EngineWorker::load_progress, this, [this](const QString& stage, double fraction) {
    if (loading_) emit load_progress(stage, fraction);
  });
  connect(worker_, &EngineWorker::default_sampler_known, this, [this](int sampler, const QString& reason) {
    default_sampler_ = static_cast<SamplerChoice>(sampler);
    default_sampler_reason_ = reason;
  });
  connect(worker_, &EngineWorker::loaded, this, [this](const QString& device) {
    if (--pending_loads_ > 0) return;
    loading_ = false;
    has_model_ = true;
    device_name_ = device;
    emit loaded(device);
  });
  connect(worker_, &EngineWorker::load_failed, this, [this](const QString& message, bool cancelled) {
    if (--pending_loads_ > 0) return;
    loading_ = false;
    has_model_ = false;
    emit load_failed(message, cancelled);
  });
  connect(worker_, &EngineWorker::frame_ready, this, &EngineHost::frame_ready);
  connect(worker_, &EngineWorker::render_progress, this, &EngineHost::render_progress);
  connect(worker_, &EngineWorker::render_finished, this, [this](const QImage& frame, const FrameStats& stats) {
    --renders_pending_;
    emit render_finished(frame, stats);
  });
  connect(worker_, &EngineWorker::render_cancelled, this, [this] {
    --renders_pending_;
    emit render_cancelled();
  });
  connect(worker_, &EngineWorker::failed, this, &EngineHost::failed);
  connect(worker_, &EngineWorker::render_failed, this, [this](const QString& message) {
    --renders_pending_;
    emit failed(message);
  });
  connect(worker_, &EngineWorker::warning, this, &EngineHost::warning);
  connect(worker_, &EngineWorker::live_stopped, this, [this] {
    if (!live_) return;
    live_ = false;
    emit live_changed(false);
  });
  thread_.start();
}

EngineHost::~EngineHost() {
  // Closing must not wait for a long render, step or load to finish: each
  // stops at its next checkpoint (a UNet layer on the CPU, a loading stage).
  cancel_load();
  cancel_render();
  stop_stream_->store(true);
  // Stop streaming first so the thread's queue drains quickly, then quit.
  QMetaObject::invokeMethod(
      worker_, [w = worker_] { w->set_live(false); }, Qt::QueuedConnection);
  thread_.quit();
  thread_.wait();
}

void EngineHost::load_model(const EngineOptions& options) {
  cancel_load();
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  options_ = options;
  ++pending_loads_;
  loading_ = true;
  has_model_ = false;
  QMetaObject::invokeMethod(
      worker_, [w = worker_, options, cancel = cancel_] { w->load(options, cancel); }, Qt::QueuedConnection);
}

void EngineHost::cancel_load() {
  // Set directly, not queued: the worker is busy inside Engine::load and
  // reads the flag from its progress callback.
  if (cancel_) cancel_->store(true);
}

void EngineHost::set_live(bool live) {
  if (live == live_) return;
  live_ = live;
  // Set directly, not queued: the worker may be inside a step (the worker
  // clears it when Live starts again).
  if (!live) stop_stream_->store(true);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, live] { w->set_live(live); }, Qt::QueuedConnection);
  emit live_changed(live);
}

QSize EngineHost::live_size(QSize canvas) const {
  // device_name_ is "cpu, bf16", "cuda, fp16 (VAE fp32)", ...
  return live_preview_size(canvas, live_preview_, !device_name_.startsWith("cpu"));
}

std::shared_ptr<const SceneSnapshot> EngineHost::snapshot_of(const doc::Document& document, QSize stream_size) {
  auto snapshot = std::make_shared<SceneSnapshot>();
  snapshot->document = document;
  snapshot->stream_size = stream_size;
  snapshot->document.set_generated(QImage());  // the engine never needs the last frame
  snapshot->serial = ++serial_;
  snapshot->submitted = std::chrono::steady_clock::now();
  return snapshot;
}

void EngineHost::submit(const doc::Document& document) {
  // Only an empty slot needs a wake-up; a replaced one is already pending.
  if (mailbox_->post(snapshot_of(document, live_size(document.canvas_size()))))
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->wake(); }, Qt::QueuedConnection);
}

void EngineHost::generate(const doc::Document& document) {
  if (renders_pending_ == 0) cancel_render_ = std::make_shared<std::atomic<bool>>(false);
  ++renders_pending_;
  QMetaObject::invokeMethod(
      worker_,
      [w = worker_, snapshot = snapshot_of(document), cancel = cancel_render_] { w->render(snapshot, cancel); },
      Qt::QueuedConnection);
}

void EngineHost::cancel_render() {
  if (cancel_render_) cancel_render_->store(true);
}

}  // namespace semdraw::app
