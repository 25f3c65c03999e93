#include "app/engine_bridge/engine_controls.h"

#include <QAction>
#include <QUndoStack>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/engine_bridge/engine_host.h"
#include "app/engine_bridge/engine_status.h"
#include "app/model/model_name.h"

namespace semdraw::app {

EngineControls::EngineControls(EditContext* context, CanvasView* canvas, EngineStatus* status, QAction* live,
                               QAction* generate, QObject* parent)
    : QObject(parent),
      context_(context),
      canvas_(canvas),
      status_(status),
      live_(live),
      generate_(generate),
      host_(new EngineHost(this)) {
  host_->set_live_preview(stored_live_preview());
  connect(live_, &QAction::toggled, this, &EngineControls::on_live_toggled);
  connect(generate_, &QAction::triggered, this, &EngineControls::on_generate);

  // One snapshot per event-loop turn however many edits arrived in it: a
  // stroke's mouse moves, a merged spin-box drag.
  submit_timer_.setSingleShot(true);
  submit_timer_.setInterval(0);
  connect(&submit_timer_, &QTimer::timeout, this, [this] {
    if (!host_->live()) return;
    context_->commit_pending_edits();  // the frame shows what the panels show
    host_->submit(*context_->document());
  });
  // Masks change during a stroke (the command is pushed at release); every
  // other document edit is a command on the stack, whatever panel made it.
  connect(context_, &EditContext::mask_changed, this, &EngineControls::on_document_edited);
  connect(context_, &EditContext::region_changed, this, &EngineControls::on_document_edited);
  connect(context_, &EditContext::regions_reset, this, &EngineControls::on_document_edited);
  connect(context_, &EditContext::settings_changed, this, &EngineControls::on_document_edited);
  connect(context_, &EditContext::settings_changed, this, &EngineControls::refresh_sampler);
  connect(context_, &EditContext::background_changed, this, &EngineControls::on_document_edited);
  connect(context_->stack(), &QUndoStack::indexChanged, this, &EngineControls::on_document_edited);
  // The "Model ready, press L" hint has done its job once the artist paints.
  connect(context_, &EditContext::mask_changed, this, [this] {
    if (hint_done_) return;
    hint_done_ = true;
    refresh_placeholder();
  });
  // Saves and exports name the model loaded now (the project's own stays
  // while there is none).
  connect(context_, &EditContext::pending_edits_requested, this, [this] {
    if (host_->has_model()) context_->document()->set_model_reference(model_name(host_->model_options().model));
  });

  connect(host_, &EngineHost::load_progress, this, [this](const QString& stage, double fraction) {
    load_stage_ = stage;
    load_fraction_ = fraction;
    status_->show_progress(stage, fraction);
    refresh_placeholder();
  });
  connect(host_, &EngineHost::loaded, this, [this](const QString& device) {
    status_->hide_progress();
    status_->show_device(device, QString::fromStdString(host_->model_options().model));
    refresh_sampler();
    refresh_live_size();
    live_->setToolTip(tr("Stream frames while you paint (L)"));
    generate_->setToolTip(tr("Full-quality render of the current regions"));
    refresh_placeholder();
    emit model_loaded(host_->model_options());
    emit message(tr("Model loaded on %1: %2").arg(device, QString::fromStdString(host_->model_options().model)), false);
  });
  connect(host_, &EngineHost::load_failed, this, [this](const QString& text, bool cancelled) {
    status_->hide_progress();
    refresh_placeholder();
    emit message(text, !cancelled);
  });
  connect(status_, &EngineStatus::cancel_requested, host_, [this] {
    host_->cancel_load();
    host_->cancel_render();
  });
  connect(host_, &EngineHost::render_progress, this,
          [this](double fraction) { status_->show_progress(tr("Generating"), fraction); });
  connect(host_, &EngineHost::render_cancelled, this, [this] {
    if (!host_->rendering()) status_->hide_progress();
    emit message(tr("Render cancelled."), false);
  });
  connect(host_, &EngineHost::frame_ready, this, [this](const QImage& frame, const FrameStats& stats) {
    show_frame(frame, stats, false);
    refresh_live_badge(stats.settled);
  });
  connect(host_, &EngineHost::render_finished, this, [this](const QImage& frame, const FrameStats& stats) {
    if (!host_->rendering()) status_->hide_progress();
    show_frame(frame, stats, true);
    emit message(tr("Rendered in %1 s").arg(stats.total_ms / 1000.0, 0, 'f', 1), false);
  });
  connect(host_, &EngineHost::failed, this, [this](const QString& text) {
    if (!host_->rendering() && !host_->loading()) status_->hide_progress();
    emit message(text, true);
  });
  connect(host_, &EngineHost::warning, this, [this](const QString& text) {
    // The same warning comes with every update of the same scene; say it once.
    if (text == last_warning_) return;
    last_warning_ = text;
    emit message(text, false);
  });
  connect(host_, &EngineHost::live_changed, this, [this](bool on) {
    if (live_->isChecked() != on) live_->setChecked(on);
    refresh_live_badge(false);
    refresh_placeholder();
    refresh_live_size();
  });
  connect(context_, &EditContext::regions_reset, this, &EngineControls::refresh_live_size);  // a new canvas size
  refresh_placeholder();
}

void EngineControls::load_model(const EngineOptions& options) {
  live_->setChecked(false);
  load_stage_ = tr("starting");
  load_fraction_ = 0;
  host_->load_model(options);
  status_->show_progress(load_stage_, 0);
  refresh_placeholder();
}

void EngineControls::on_live_toggled(bool on) {
  if (!host_->has_model()) {
    if (!on) return;
    live_->setChecked(false);
    explain_no_model();
    return;
  }
  status_->reset_rate();
  if (on) {
    hint_done_ = true;
    context_->commit_pending_edits();
    host_->submit(*context_->document());
    const QSize canvas = context_->document()->canvas_size();
    const QSize stream = host_->live_size(canvas);
    if (stream == canvas)
      emit message(tr("Live: starting the stream…"), false);
    else
      // Short enough for the status bar of a 1366-px-wide window.
      emit message(tr("Live: %1×%2 preview (View ▸ Live Preview Size); Generate renders %3×%4.")
                       .arg(stream.width())
                       .arg(stream.height())
                       .arg(canvas.width())
                       .arg(canvas.height()),
                   false);
  }
  host_->set_live(on);
  refresh_live_badge(false);
  refresh_placeholder();
  refresh_live_size();
}

LivePreview EngineControls::live_preview() const { return host_->live_preview(); }

void EngineControls::set_live_preview(LivePreview choice) {
  host_->set_live_preview(choice);
  refresh_live_size();
  // A running stream switches size at its next frame; a resting one wakes.
  if (host_->live()) submit_timer_.start();
}

void EngineControls::refresh_live_size() {
  const QSize canvas = context_->document()->canvas_size();
  status_->show_live_size(host_->live() ? host_->live_size(canvas) : canvas, canvas);
}

void EngineControls::on_generate() {
  if (!host_->has_model()) {
    explain_no_model();
    return;
  }
  // A render replaces the stream's picture; streaming on would overwrite it
  // with the next preview frame.
  live_->setChecked(false);
  context_->commit_pending_edits();  // a seed or step list typed without Enter
  // The generation panel decides: the locked seed, or a fresh one it records
  // in the document (as an undo step) so the project names what made the image.
  if (seed_source_) context_->document()->set_seed(seed_source_());
  host_->generate(*context_->document());
  status_->show_progress(tr("Generating"), 0);
  emit message(tr("Generating…"), false);
}

void EngineControls::explain_no_model() {
  // Live and Generate stay enabled without a model: a disabled action's
  // key does nothing at all, and the artist would not learn why.
  if (host_->loading())
    emit message(tr("The model is still loading (%1 %2%); Live and Generate work once it is ready.")
                     .arg(load_stage_)
                     .arg(qRound(load_fraction_ * 100)),
                 false);
  else
    emit message(tr("No model loaded, so nothing can be generated yet: choose Model ▸ Load model… (Ctrl+M). "
                    "README, \"Where weights go\", says which weights work."),
                 true);
}

void EngineControls::show_still(const QImage& frame) {
  live_->setChecked(false);
  canvas_->set_generated(frame);
  // What the canvas shows is what a save keeps: a frame from before a
  // resize at scale 1 on the new canvas, not one of the old size.
  context_->document()->set_generated(canvas_->generated());
}

void EngineControls::on_document_edited() {
  if (!host_->live()) return;
  refresh_live_badge(false);  // the edit wakes a resting stream
  if (!submit_timer_.isActive()) submit_timer_.start();
}

void EngineControls::refresh_live_badge(bool settled) {
  if (!host_->live())
    canvas_->set_live_badge(QString());
  else
    canvas_->set_live_badge(settled ? tr("Live · settled") : tr("Live · updating…"));
}

void EngineControls::show_frame(const QImage& frame, const FrameStats& stats, bool rendered) {
  const QSize canvas = context_->document()->canvas_size();
  // A live preview comes at the live size and is shown, kept and saved
  // scaled up to the canvas (files keep the canvas size; Generate gives the
  // full-size picture).
  const bool preview = !rendered && frame.size() != canvas && frame.size() == host_->live_size(canvas);
  // A frame of the scene before a canvas resize (or a preview size change),
  // finished after it: the next one shows the new size.
  if (frame.size() != canvas && !preview) return;
  const QImage shown = preview ? frame.scaled(canvas, Qt::IgnoreAspectRatio, Qt::SmoothTransformation) : frame;
  FrameStats shown_stats = stats;
  if (preview) shown_stats.preview_size = frame.size();
  canvas_->set_generated(shown);
  context_->document()->set_generated(shown);
  status_->add_frame(shown_stats);
  emit frame_shown(shown, shown_stats, rendered);
}

void EngineControls::refresh_placeholder() {
  if (host_->loading()) {
    canvas_->set_placeholder(tr("Loading model: %1 %2%").arg(load_stage_).arg(qRound(load_fraction_ * 100)));
  } else if (!host_->has_model()) {
    canvas_->set_placeholder(
        tr("No model loaded. Paint regions now; choose Model ▸ Load model… (weights: README, "
           "\"Where weights go\") to see them come alive."));
  } else if (host_->live() || hint_done_) {
    canvas_->set_placeholder(QString());  // nothing over the artist's painting
  } else {
    canvas_->set_placeholder(tr("Model ready on %1. Press L for Live, or Generate.").arg(host_->device_name()));
  }
}

void EngineControls::refresh_sampler() {
  if (!host_->has_model()) {
    status_->show_sampler(QString(), QString());
    return;
  }
  const SamplerChoice chosen = context_->document()->settings().sampler;
  const bool by_model = chosen == SamplerChoice::ModelDefault;
  const SamplerChoice runs = by_model ? host_->default_sampler() : chosen;
  status_->show_sampler(
      tr("%1 sampler").arg(QString::fromUtf8(sampler_label(runs))),
      by_model ? tr("The model's default: %1").arg(host_->default_sampler_reason())
               : tr("Chosen in the Generation panel (the model's default: %1, %2)")
                     .arg(QString::fromUtf8(sampler_label(host_->default_sampler())), host_->default_sampler_reason()));
}

}  // namespace semdraw::app
