"""A reference of docs/ALGORITHM.md (the SemanticDraw algorithm) in PyTorch,
written from that text, used to produce the pipeline goldens.

It is deliberately plain (loops, no batching tricks) so that it reads like the
design; the C++ engine is the optimised implementation compared against it.
"""
import math

import torch
import torch.nn.functional as F


# --- §2 region masks ---------------------------------------------------------

def resize_masks(masks, height, width):
    """[p,H0,W0] -> [p,H,W], bilinear with half-pixel centres."""
    if masks.shape[-2:] == (height, width):
        return masks
    return F.interpolate(masks[None], size=(height, width), mode="bilinear", align_corners=False)[0]


def cover_alpha(masks, alpha):
    """Region i is scaled by alpha wherever any region above it is non-zero."""
    out = masks.clone()
    for i in range(masks.shape[0] - 1):
        above = (masks[i + 1:] > 0).any(dim=0)
        out[i] = torch.where(above, masks[i] * alpha, masks[i])
    return out


def gaussian_blur(mask, sigma, window_sigma=0.0):
    """[H,W]; replicate padding; the kernel window is 2*ceil(3 s)+1 with
    s = max(sigma, window_sigma): process_masks passes the largest sigma of the
    regions processed together, as the paper's code sizes its kernels."""
    if sigma <= 0:
        return mask
    radius = math.ceil(3 * max(sigma, window_sigma))
    x = torch.arange(-radius, radius + 1, dtype=torch.float64)
    kernel = torch.exp(-x * x / (2 * sigma * sigma))
    kernel = (kernel / kernel.sum()).to(mask.dtype)
    # A full 2D kernel (outer product) here, so the separable C++ pass is
    # checked against a different formulation of the same filter.
    kernel2d = kernel[:, None] * kernel[None, :]
    padded = F.pad(mask[None, None], (radius, radius, radius, radius), mode="replicate")
    return F.conv2d(padded, kernel2d[None, None])[0, 0]


def quantise(masks, noise_levels, mode):
    """[p,H,W] -> [p,T,H,W] against decreasing noise levels; n_T := 0."""
    steps = len(noise_levels)
    out = []
    for k in range(steps):
        level = noise_levels[k]
        nxt = noise_levels[k + 1] if k + 1 < steps else 0.0
        continuous = mode == "continuous" or (mode == "semi-continuous" and k == steps - 1)
        if continuous:
            out.append(((masks - nxt) / (level - nxt)).clamp(0, 1))
        else:
            out.append((masks > level).to(masks.dtype))
    return torch.stack(out, dim=1)


def process_masks(painted, sigmas, strengths, noise_levels, mode, alpha, height, width):
    stages = {}
    # float64 throughout, as the engine does: the continuous ramp divides by
    # n_k - n_k+1 (0.0035 for the first default steps), which magnifies fp32
    # rounding of the blur ~300-fold.
    stages["resized"] = resize_masks(painted.double(), height, width)
    stages["covered"] = cover_alpha(stages["resized"], alpha)
    window_sigma = max([0.0] + list(sigmas))
    stages["blurred"] = torch.stack([
        gaussian_blur(stages["covered"][i], sigmas[i], window_sigma) for i in range(painted.shape[0])
    ])
    stages["strengthened"] = stages["blurred"] * torch.tensor(strengths, dtype=torch.float64)[:, None, None]
    stages["quantised"] = quantise(stages["strengthened"], noise_levels, mode)
    p, t = stages["quantised"].shape[:2]
    small = F.interpolate(stages["quantised"].reshape(p * t, 1, height, width),
                          size=(height // 8, width // 8), mode="nearest")
    stages["masks"] = small.reshape(p, t, height // 8, width // 8)
    stages["count"] = stages["masks"].sum(0)
    stages["background"] = (1 - stages["count"]).clamp(0, 1)
    return stages


# --- procedural painted masks (for pipeline goldens) -------------------------------

def _grid(height, width):
    return torch.meshgrid(torch.arange(height, dtype=torch.float32) + 0.5,
                          torch.arange(width, dtype=torch.float32) + 0.5, indexing="ij")


def disc_mask(height, width, cy, cx, radius):
    """A hard disc; centre and radius as fractions of the height."""
    yy, xx = _grid(height, width)
    return (((yy / height - cy) ** 2 + (xx / height - cx) ** 2) < radius ** 2).float()


def rect_mask(height, width, top, left, bottom, right, value=1.0):
    """A filled rectangle; edges as fractions of height / width."""
    yy, xx = _grid(height, width)
    inside = (yy / height >= top) & (yy / height < bottom) & (xx / width >= left) & (xx / width < right)
    return inside.float() * value


def ramp_mask(height, width, low=0.2, high=1.0):
    """A soft mask: a vertical ramp from low (top) to high (bottom)."""
    return torch.linspace(low, high, height)[:, None].expand(height, width).contiguous()
