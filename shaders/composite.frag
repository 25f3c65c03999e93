// The canvas composite: a base (white or the generated frame) with up to four
// region overlays on top, bottom to top, each source-over with
// alpha = mask × region alpha × overlay opacity, the same formula as the
// QPainter fallback. More regions take more passes: later passes start from a
// transparent base and are blended premultiplied (ONE, ONE_MINUS_SRC_ALPHA).
varying vec2 v_uv;

uniform sampler2D u_frame;  // RGB, canvas size
uniform sampler2D u_mask0;  // single channel (red or luminance), canvas size
uniform sampler2D u_mask1;
uniform sampler2D u_mask2;
uniform sampler2D u_mask3;
uniform vec4 u_colour[4];   // region colour; alpha = colour alpha × opacity (0: slot unused)
uniform int u_base;         // 0 transparent, 1 white, 2 the frame

vec4 over(vec4 dst, vec4 colour, float mask) {
  float a = colour.a * mask;
  return vec4(colour.rgb * a, a) + dst * (1.0 - a);  // premultiplied source-over
}

void main() {
  vec4 colour = vec4(0.0);
  if (u_base == 1) colour = vec4(1.0);
  if (u_base == 2) colour = vec4(texture2D(u_frame, v_uv).rgb, 1.0);
  colour = over(colour, u_colour[0], texture2D(u_mask0, v_uv).r);
  colour = over(colour, u_colour[1], texture2D(u_mask1, v_uv).r);
  colour = over(colour, u_colour[2], texture2D(u_mask2, v_uv).r);
  colour = over(colour, u_colour[3], texture2D(u_mask3, v_uv).r);
  gl_FragColor = colour;
}
