#pragma once
// The OpenGL compositor: the generated frame as an RGB texture and every
// region's mask as a single-channel texture, composited by
// shaders/composite.frag. A stroke uploads only the sub-rectangle it changed;
// a new frame uploads only the frame texture.
#include <QOpenGLBuffer>
#include <QOpenGLFunctions>
#include <QOpenGLVertexArrayObject>
#include <QOpenGLWidget>
#include <functional>
#include <memory>
#include <vector>

#include "app/canvas/canvas_surface.h"

class QOpenGLShaderProgram;

namespace semdraw::app {

class CanvasGlSurface : public QOpenGLWidget, public CanvasSurface, protected QOpenGLFunctions {
 public:
  CanvasGlSurface(CanvasView* view, std::function<void(QString)> on_failure);
  ~CanvasGlSurface() override;

  QWidget* widget() override { return this; }
  CanvasBackend backend() const override { return CanvasBackend::OpenGL; }
  void frame_changed() override;
  void mask_changed(int region, QRect canvas_rect) override;
  void content_changed() override { update(); }

  // Texels uploaded so far (masks and frame), for tests of partial uploads.
  qint64 uploaded_texels() const { return uploaded_texels_; }

 protected:
  void initializeGL() override;
  void paintGL() override;

 private:
  struct Texture {
    unsigned id = 0;
    QSize size;
    qint64 image_key = 0;  // QImage::cacheKey() of what was uploaded
    QRect dirty;           // changed since, in canvas pixels (mask_changed)
  };
  QString build_program();
  void release_gl();
  void upload(Texture& texture, const QImage& image, bool single_channel);
  void sync_textures();
  void draw_pane(const CanvasPane& pane);

  CanvasView* view_;
  std::function<void(QString)> on_failure_;
  std::unique_ptr<QOpenGLShaderProgram> program_;
  QOpenGLBuffer quad_;
  QOpenGLVertexArrayObject vao_;
  Texture frame_;
  std::vector<Texture> masks_;                 // one per region, bottom to top
  bool red_textures_ = false;                  // GL_RED/GL_R8 (core, ES 3) instead of GL_LUMINANCE
  int colour_location_[4] = {-1, -1, -1, -1};  // composite.frag's uniforms
  int base_location_ = -1;
  int rect_location_ = -1;
  bool failed_ = false;
  qint64 uploaded_texels_ = 0;
};

}  // namespace semdraw::app
