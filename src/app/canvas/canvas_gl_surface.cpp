#include "app/canvas/canvas_gl_surface.h"

#include <QFile>
#include <QOpenGLContext>
#include <QOpenGLPaintDevice>
#include <QOpenGLShaderProgram>
#include <QPainter>
#include <QTimer>
#include <QVector4D>
#include <cstring>

#include "app/canvas/canvas_view.h"

// The shaders live in ui/semdraw.qrc, compiled into this static library; make
// sure its initialiser is linked and run (must be outside any namespace).
static void init_semdraw_resources() { Q_INIT_RESOURCE(semdraw); }

namespace semdraw::app {
namespace {

// Not every GL header names these (GLES 2 has no GL_RED, core no LUMINANCE).
constexpr GLenum kRed = 0x1903;
constexpr GLenum kR8 = 0x8229;
constexpr GLenum kLuminance = 0x1909;
constexpr int kMasksPerPass = 4;  // composite.frag's u_mask0..3

QByteArray read_resource(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

CanvasGlSurface::CanvasGlSurface(CanvasView* view, std::function<void(QString)> on_failure)
    : view_(view), on_failure_(std::move(on_failure)), quad_(QOpenGLBuffer::VertexBuffer) {
  setObjectName("CanvasGlSurface");
}

CanvasGlSurface::~CanvasGlSurface() {
  if (!context()) return;
  // ~QOpenGLWidget destroys the context after this object's members are gone.
  disconnect(context(), nullptr, this, nullptr);
  makeCurrent();
  release_gl();
  doneCurrent();
}

void CanvasGlSurface::frame_changed() { update(); }

void CanvasGlSurface::mask_changed(int region, QRect rect) {
  if (region < 0) return;
  if (static_cast<size_t>(region) >= masks_.size()) masks_.resize(static_cast<size_t>(region) + 1);
  masks_[static_cast<size_t>(region)].dirty |= rect;
  update();
}

QString CanvasGlSurface::build_program() {
  init_semdraw_resources();
  const QByteArray vertex = read_resource(":/shaders/canvas.vert");
  const QByteArray fragment = read_resource(":/shaders/composite.frag");
  if (vertex.isEmpty() || fragment.isEmpty()) return "the shader resources are missing";
  // One source for GLSL 1.20, GLSL ES 1.00 and (core profiles) GLSL 1.50.
  QByteArray vertex_head = "#version 120\n", fragment_head = "#version 120\n";
  const QSurfaceFormat format = context()->format();
  if (context()->isOpenGLES()) {
    vertex_head = fragment_head =
        "#version 100\n#ifdef GL_FRAGMENT_PRECISION_HIGH\nprecision highp float;\n#else\n"
        "precision mediump float;\n#endif\n";
  } else if (format.profile() == QSurfaceFormat::CoreProfile) {
    vertex_head = "#version 150\n#define attribute in\n#define varying out\n";
    fragment_head =
        "#version 150\n#define varying in\n#define texture2D texture\nout vec4 semdraw_colour;\n"
        "#define gl_FragColor semdraw_colour\n";
    red_textures_ = true;
  }
  program_ = std::make_unique<QOpenGLShaderProgram>();
  if (!program_->addShaderFromSourceCode(QOpenGLShader::Vertex, vertex_head + vertex) ||
      !program_->addShaderFromSourceCode(QOpenGLShader::Fragment, fragment_head + fragment))
    return program_->log();
  program_->bindAttributeLocation("a_uv", 0);
  if (!program_->link()) return program_->log();
  program_->bind();
  program_->setUniformValue("u_frame", 0);
  for (int i = 0; i < kMasksPerPass; ++i) {
    program_->setUniformValue(qPrintable(QString("u_mask%1").arg(i)), i + 1);
    colour_location_[i] = program_->uniformLocation(QString("u_colour[%1]").arg(i));
  }
  base_location_ = program_->uniformLocation("u_base");
  rect_location_ = program_->uniformLocation("u_rect");
  program_->release();

  static const GLfloat corners[] = {0, 0, 1, 0, 0, 1, 1, 1};  // a triangle strip
  if (!quad_.create()) return "cannot create a vertex buffer";
  quad_.bind();
  quad_.allocate(corners, sizeof corners);
  if (vao_.create()) {  // needed by core profiles; optional elsewhere
    vao_.bind();
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    vao_.release();
  }
  quad_.release();
  return {};
}

void CanvasGlSurface::initializeGL() {
  initializeOpenGLFunctions();
  // The context goes away when the widget moves to another window: its
  // textures go with it, and the next initializeGL makes them again.
  connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
    makeCurrent();
    release_gl();
    doneCurrent();
  });
  const QString error = build_program();
  if (error.isEmpty()) return;
  failed_ = true;
  QTimer::singleShot(0, this, [this, error] { on_failure_(error); });
}

void CanvasGlSurface::release_gl() {
  std::vector<GLuint> ids;
  if (frame_.id) ids.push_back(frame_.id);
  for (const Texture& mask : masks_)
    if (mask.id) ids.push_back(mask.id);
  if (!ids.empty()) glDeleteTextures(static_cast<GLsizei>(ids.size()), ids.data());
  frame_ = Texture();
  masks_.clear();
  vao_.destroy();
  quad_.destroy();
  program_.reset();
}

void CanvasGlSurface::upload(Texture& texture, const QImage& image, bool single_channel) {
  if (image.isNull()) return;
  const bool fresh = texture.id == 0 || texture.size != image.size();
  const bool replaced = texture.image_key != image.cacheKey();
  if (!fresh && !replaced && texture.dirty.isEmpty()) return;
  const GLenum format = single_channel ? (red_textures_ ? kRed : kLuminance) : GL_RGB;
  const GLint internal = static_cast<GLint>(single_channel && red_textures_ ? kR8 : format);
  if (texture.id == 0) {
    glGenTextures(1, &texture.id);
    glBindTexture(GL_TEXTURE_2D, texture.id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, texture.id);
  const int bytes_per_texel = single_channel ? 1 : 3;
  // A changed sub-rectangle when that is all that changed, else everything.
  QRect rect = image.rect();
  if (!fresh && !texture.dirty.isEmpty()) rect = texture.dirty.intersected(image.rect());
  if (fresh)
    glTexImage2D(GL_TEXTURE_2D, 0, internal, image.width(), image.height(), 0, format, GL_UNSIGNED_BYTE, nullptr);
  if (!rect.isEmpty()) {
    // Rows packed tightly; QImage rows are padded to 4 bytes, which is GL's
    // default alignment, so a whole image goes without a copy.
    const int row_bytes = rect.width() * bytes_per_texel;
    QByteArray packed;
    const uchar* pixels = image.constBits();
    if (rect == image.rect() && image.bytesPerLine() == (row_bytes + 3) / 4 * 4) {
      glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    } else {
      packed.resize(static_cast<qsizetype>(row_bytes) * rect.height());
      for (int y = 0; y < rect.height(); ++y)
        std::memcpy(packed.data() + static_cast<qsizetype>(y) * row_bytes,
                    image.constScanLine(rect.top() + y) + rect.left() * bytes_per_texel,
                    static_cast<size_t>(row_bytes));
      pixels = reinterpret_cast<const uchar*>(packed.constData());
      glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    }
    glTexSubImage2D(GL_TEXTURE_2D, 0, rect.x(), rect.y(), rect.width(), rect.height(), format, GL_UNSIGNED_BYTE,
                    pixels);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    uploaded_texels_ += static_cast<qint64>(rect.width()) * rect.height();
  }
  texture.size = image.size();
  texture.image_key = image.cacheKey();
  texture.dirty = QRect();
}

void CanvasGlSurface::sync_textures() {
  const auto& regions = view_->document().regions();
  for (size_t i = regions.size(); i < masks_.size(); ++i)
    if (masks_[i].id) glDeleteTextures(1, &masks_[i].id);
  masks_.resize(regions.size());
  for (size_t i = 0; i < regions.size(); ++i) upload(masks_[i], regions[i].mask, true);
  upload(frame_, view_->shown_image(), false);
}

void CanvasGlSurface::draw_pane(const CanvasPane& pane) {
  const QRectF& r = pane.rect;
  const double w = width(), h = height();
  program_->setUniformValue(
      rect_location_, QVector4D(static_cast<float>(2 * r.left() / w - 1), static_cast<float>(1 - 2 * r.top() / h),
                                static_cast<float>(2 * r.right() / w - 1), static_cast<float>(1 - 2 * r.bottom() / h)));
  // Nearest texels when magnifying (crisp pixels, like the QPainter path),
  // linear when the canvas is shown smaller.
  const GLint filter = view_->view_geometry().scale() < 1.0 ? GL_LINEAR : GL_NEAREST;
  const auto bind = [&](int unit, GLuint id) {
    glActiveTexture(GL_TEXTURE0 + static_cast<GLenum>(unit));
    glBindTexture(GL_TEXTURE_2D, id);
    if (!id) return;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  };
  const bool frame = pane.frame && !view_->shown_image().isNull() && frame_.id;
  bind(0, frame ? frame_.id : 0);
  std::vector<size_t> shown;  // enabled regions, bottom to top
  const auto& regions = view_->document().regions();
  if (pane.overlays)
    for (size_t i = 0; i < regions.size(); ++i)
      if (regions[i].enabled && masks_[i].id) shown.push_back(i);
  const float opacity = static_cast<float>(view_->overlay_opacity());
  for (size_t first = 0; first == 0 || first < shown.size(); first += kMasksPerPass) {
    for (int slot = 0; slot < kMasksPerPass; ++slot) {
      const size_t k = first + static_cast<size_t>(slot);
      const bool used = k < shown.size();
      const QColor colour = used ? regions[shown[k]].colour : QColor(Qt::transparent);
      bind(slot + 1, used ? masks_[shown[k]].id : 0);
      program_->setUniformValue(colour_location_[slot],
                                QVector4D(colour.redF(), colour.greenF(), colour.blueF(), colour.alphaF() * opacity));
    }
    // The first pass lays down the opaque base; later ones blend on top.
    if (first == 0) {
      glDisable(GL_BLEND);
      program_->setUniformValue(base_location_, frame ? 2 : 1);
    } else {
      glEnable(GL_BLEND);
      glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
      program_->setUniformValue(base_location_, 0);
    }
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  }
  glDisable(GL_BLEND);
  glActiveTexture(GL_TEXTURE0);
}

void CanvasGlSurface::paintGL() {
  if (failed_) return;
  // Paint into the bound framebuffer itself: QPainter(this) would follow a
  // QWidget::grab() redirection to the grab's pixmap, which the framebuffer
  // then covers.
  const qreal dpr = devicePixelRatioF();
  QOpenGLPaintDevice device(size() * dpr);
  device.setDevicePixelRatio(dpr);
  QPainter painter(&device);
  painter.beginNativePainting();
  glViewport(0, 0, static_cast<GLsizei>(width() * dpr), static_cast<GLsizei>(height() * dpr));
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  const QColor surround = QColor::fromRgb(kCanvasSurround);
  glClearColor(static_cast<float>(surround.redF()), static_cast<float>(surround.greenF()),
               static_cast<float>(surround.blueF()), 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  sync_textures();
  program_->bind();
  if (vao_.isCreated()) {
    vao_.bind();
  } else {
    quad_.bind();
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  }
  const std::vector<CanvasPane> panes = canvas_panes(*view_);
  for (const CanvasPane& pane : panes) draw_pane(pane);
  if (vao_.isCreated()) {
    vao_.release();
  } else {
    glDisableVertexAttribArray(0);
    quad_.release();
  }
  program_->release();
  painter.endNativePainting();
  for (const CanvasPane& pane : panes) paint_pane_decorations(painter, pane, *view_);
}

}  // namespace semdraw::app
