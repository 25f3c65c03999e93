// The canvas quad: a_uv runs over [0,1]^2 with v = 0 at the canvas top (the
// first image row); u_rect is the canvas rectangle in normalised device
// coordinates (left, top, right, bottom). GLSL 1.20 / GLSL ES 1.00; the
// #version line (and, for core profiles, the keyword mapping) is prepended
// by the program.
attribute vec2 a_uv;
uniform vec4 u_rect;
varying vec2 v_uv;

void main() {
  v_uv = a_uv;
  gl_Position = vec4(mix(u_rect.xy, u_rect.zw, a_uv), 0.0, 1.0);
}
