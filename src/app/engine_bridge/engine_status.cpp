#include "app/engine_bridge/engine_status.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include "app/engine_bridge/process_memory.h"
#include "semdraw/engine/device.h"

namespace semdraw::app {

EngineStatus::EngineStatus(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  const auto add_label = [&](const char* name, const QString& tip) {
    auto* label = new QLabel(this);
    label->setObjectName(name);
    label->setToolTip(tip);
    layout->addWidget(label);
    return label;
  };
  progress_ = new QProgressBar(this);
  progress_->setObjectName("LoadProgress");
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(160);
  progress_->setTextVisible(true);
  layout->addWidget(progress_);
  cancel_ = new QToolButton(this);
  cancel_->setObjectName("CancelLoadButton");
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Stop loading the model, or the render"));
  layout->addWidget(cancel_);
  connect(cancel_, &QToolButton::clicked, this, &EngineStatus::cancel_requested);
  hide_progress();
  rate_ = add_label("FrameRateLabel", tr("Frames per second arriving on the canvas"));
  latency_ = add_label("LatencyLabel", tr("From an edit to the first frame that shows it"));
  live_size_ = add_label("LiveSizeLabel", QString());
  device_ = add_label("DeviceLabel", QString());
  sampler_ = add_label("SamplerLabel", QString());
  memory_ = add_label("MemoryLabel", tr("Memory this program uses"));
  auto* timer = new QTimer(this);
  connect(timer, &QTimer::timeout, this, &EngineStatus::refresh_memory);
  timer->start(1000);
  refresh_memory();
}

void EngineStatus::show_device(const QString& name, const QString& tooltip) {
  device_->setText(name);
  device_->setToolTip(tooltip);
}

void EngineStatus::show_sampler(const QString& name, const QString& tooltip) {
  sampler_->setText(name);
  sampler_->setToolTip(tooltip);
}

void EngineStatus::show_progress(const QString& stage, double fraction) {
  progress_->setFormat(tr("%1 %p%").arg(stage));
  progress_->setValue(static_cast<int>(fraction * 100));
  progress_->show();
  cancel_->show();
}

void EngineStatus::hide_progress() {
  progress_->hide();
  cancel_->hide();
}

void EngineStatus::add_frame(const FrameStats& stats) {
  meter_.add();
  // Honest at any speed: frames/s from one frame per second up, seconds per
  // frame below (a CPU stream at 512² is ~1 frame a minute, which "0.0
  // frames/s" hid). One frame (a render) has no rate: say nothing.
  const double fps = meter_.fps();
  QString rate;
  if (stats.settled) {
    rate = tr("settled: engine idle until the next edit");
  } else if (fps >= 1.0) {
    rate = tr("%1 frames/s").arg(fps, 0, 'f', 1);
  } else if (fps > 0) {
    rate = tr("%1 s/frame").arg(1.0 / fps, 0, 'f', 1);
  }
  rate_->setText(rate);
  if (stats.settled) meter_.reset();  // the pause must not count as a slow frame
  if (stats.edit_latency_ms >= 0) latency_->setText(tr("latency %1 ms").arg(qRound(stats.edit_latency_ms)));
  rate_->setToolTip(tr("Last frame: %1 ms (denoise %2 ms, decode %3 ms)")
                        .arg(stats.total_ms, 0, 'f', 0)
                        .arg(stats.denoise_ms, 0, 'f', 0)
                        .arg(stats.decode_ms, 0, 'f', 0));
}

void EngineStatus::show_live_size(QSize live, QSize canvas) {
  if (live == canvas) {
    live_size_->clear();
    live_size_->setToolTip(QString());
    return;
  }
  live_size_->setText(tr("live %1×%2 preview").arg(live.width()).arg(live.height()));
  live_size_->setToolTip(tr("Live streams at %1×%2 and shows it scaled up to the %3×%4 canvas, so frames keep "
                            "coming (View ▸ Live Preview Size). Generate renders the full %3×%4.")
                             .arg(live.width())
                             .arg(live.height())
                             .arg(canvas.width())
                             .arg(canvas.height()));
}

void EngineStatus::reset_rate() {
  meter_.reset();
  rate_->clear();
}

void EngineStatus::refresh_memory() {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  QString text = tr("RAM %1 GiB").arg(static_cast<double>(resident_memory_bytes()) / kGiB, 0, 'f', 2);
  // On a GPU the model lives in device memory: that is the figure that runs out.
  const DeviceMemory gpu = device_memory();
  if (gpu.available)
    text += tr(" · GPU %1 / %2 GiB")
                .arg(static_cast<double>(gpu.allocated_bytes) / kGiB, 0, 'f', 2)
                .arg(static_cast<double>(gpu.total_bytes) / kGiB, 0, 'f', 1);
  memory_->setText(text);
}

}  // namespace semdraw::app
