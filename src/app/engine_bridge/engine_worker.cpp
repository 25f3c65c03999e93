#include "app/engine_bridge/engine_worker.h"

#include <QMetaObject>
#include <cstring>
#include <new>
#include <stdexcept>

#include "app/engine_bridge/live_preview.h"
#include "doc/document_scene.h"

namespace semdraw::app {

namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

FrameStats stats_of(const Frame& frame) {
  FrameStats stats;
  stats.frame_id = frame.id;
  stats.denoise_ms = frame.denoise_ms;
  stats.decode_ms = frame.decode_ms;
  stats.total_ms = frame.total_ms;
  return stats;
}

}  // namespace

QImage frame_to_image(const Frame& frame) {
  QImage image(frame.width, frame.height, QImage::Format_RGB888);
  const size_t row_bytes = static_cast<size_t>(frame.width) * 3;
  for (int y = 0; y < frame.height; ++y)
    std::memcpy(image.scanLine(y), frame.rgb.data() + row_bytes * static_cast<size_t>(y), row_bytes);
  return image;
}

QString describe_engine_error(const std::exception& error) {
  const QString what = QString::fromStdString(error.what());
  if (dynamic_cast<const OutOfMemory*>(&error) || dynamic_cast<const std::bad_alloc*>(&error))
    return QObject::tr("Out of memory: try a smaller canvas, fewer regions, or the TAESD preview decoder. (%1)")
        .arg(what.left(300));
  return what;
}

EngineWorker::EngineWorker(std::shared_ptr<SceneMailbox> mailbox, std::shared_ptr<std::atomic<bool>> stop_stream)
    : mailbox_(std::move(mailbox)), stop_stream_(std::move(stop_stream)) {}

bool EngineWorker::interrupted() const {
  if (render_cancel_) return render_cancel_->load();
  return stop_stream_->load();
}

EngineWorker::~EngineWorker() = default;

void EngineWorker::load(const EngineOptions& options, std::shared_ptr<std::atomic<bool>> cancel) {
  // One model at a time: an SD1.5 model is gigabytes, two would not fit
  // where one barely does.
  unload();
  try {
    engine_ = Engine::load(with_environment(options), [this, cancel](const std::string& stage, double fraction) {
      emit load_progress(QString::fromStdString(stage), fraction);
      return !cancel->load();
    });
  } catch (const std::exception& error) {
    engine_.reset();
    emit load_failed(cancel->load() ? tr("Model loading cancelled.") : describe_engine_error(error), cancel->load());
    return;
  }
  engine_->set_interrupt([this] { return interrupted(); });
  report_warnings();
  emit default_sampler_known(static_cast<int>(engine_->default_sampler()),
                             QString::fromStdString(engine_->default_sampler_reason()));
  // "cpu, bf16" / "cuda, fp16 (VAE fp32)": where it runs and in what precision.
  emit loaded(QString::fromStdString(engine_->device_name() + ", " + engine_->dtype_name()));
  if (live_) schedule_step();
}

void EngineWorker::unload() {
  engine_.reset();
  has_scene_ = false;
  pending_latency_.reset();
}

void EngineWorker::set_live(bool live) {
  live_ = live;
  // Queued after the set_live(false) that raised it, so clearing it here
  // cannot lose a newer stop.
  if (live_) stop_stream_->store(false);
  if (live_) schedule_step();
}

void EngineWorker::wake() {
  if (live_) schedule_step();
}

void EngineWorker::schedule_step() {
  if (step_queued_ || !engine_) return;
  step_queued_ = true;
  // Queued, not a loop: other requests (stop, load, render) get their turn
  // between two frames.
  QMetaObject::invokeMethod(this, &EngineWorker::step, Qt::QueuedConnection);
}

bool EngineWorker::apply_latest() {
  std::shared_ptr<const SceneSnapshot> snapshot = mailbox_->take();
  if (!snapshot) return true;
  try {
    // Scaled here, in the engine's thread: the UI never waits for it, and
    // the engine sees an ordinary (smaller) scene.
    engine_->update(doc::to_scene(scaled_for_preview(snapshot->document, snapshot->stream_size)));
  } catch (const std::exception& error) {
    emit failed(describe_engine_error(error));
    return false;
  }
  has_scene_ = true;
  applied_serial_ = snapshot->serial;
  if (!pending_latency_) pending_latency_ = std::move(snapshot);  // latency counts from the oldest unseen edit
  return true;
}

void EngineWorker::step() {
  step_queued_ = false;
  if (!live_ || !engine_) return;
  if (!apply_latest() && !has_scene_) {
    live_ = false;
    emit live_stopped();
    return;
  }
  if (!has_scene_) return;  // nothing posted yet: the next wake() starts the stream
  try {
    const Frame frame = engine_->step();
    FrameStats stats = stats_of(frame);
    stats.snapshot_serial = applied_serial_;
    // Nothing newer posted and the frame is final: stop stepping; the next
    // submit's wake() starts again.
    stats.settled = engine_->stream_settled() && !mailbox_->has_pending();
    if (pending_latency_) {
      stats.edit_latency_ms = ms_since(pending_latency_->submitted);
      pending_latency_.reset();
    }
    report_warnings();
    emit frame_ready(frame_to_image(frame), stats);
    if (stats.settled) return;
  } catch (const Cancelled&) {
    // Live was stopped (or the program is closing) during the step; the
    // stream is as before it. A later set_live(true) continues from there.
    return;
  } catch (const std::exception& error) {
    live_ = false;
    emit failed(describe_engine_error(error));
    emit live_stopped();
    return;
  }
  schedule_step();
}

void EngineWorker::render(std::shared_ptr<const SceneSnapshot> snapshot, std::shared_ptr<std::atomic<bool>> cancel) {
  if (!engine_) {
    emit render_failed(tr("No model loaded: choose one with Model ▸ Load model…"));
    return;
  }
  render_cancel_ = cancel;
  struct ClearWhenDone {
    std::shared_ptr<std::atomic<bool>>& flag;
    ~ClearWhenDone() { flag.reset(); }
  } clear{render_cancel_};
  try {
    const Frame frame = engine_->render(doc::to_scene(snapshot->document), [this, cancel](double fraction) {
      emit render_progress(fraction);
      return !cancel->load();
    });
    FrameStats stats = stats_of(frame);
    stats.snapshot_serial = snapshot->serial;
    stats.edit_latency_ms = ms_since(snapshot->submitted);
    report_warnings();
    emit render_finished(frame_to_image(frame), stats);
  } catch (const Cancelled&) {
    emit render_cancelled();
  } catch (const std::exception& error) {
    emit render_failed(describe_engine_error(error));
  }
}

void EngineWorker::report_warnings() {
  if (!engine_) return;
  for (const std::string& warning : engine_->take_warnings()) emit this->warning(QString::fromStdString(warning));
}

}  // namespace semdraw::app
