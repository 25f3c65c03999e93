"""Goldens for docs/ALGORITHM.md §2 (mask processing): every stage for the three mask
modes on three overlapping painted regions of another size than the canvas.

    .venv-ref/bin/python tests/reference/mask_golden.py
writes tests/data/pipeline/masks.safetensors
"""
import pathlib

import torch
from safetensors.torch import save_file

from semdraw_reference import process_masks

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "pipeline" / "masks.safetensors"

# Noise levels of the default steps (docs/ALGORITHM.md §1) (t = 999, 919, 759, 499, 259),
# computed exactly from the scaled-linear schedule.
betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
alphas_cumprod = torch.cumprod(1 - betas, 0)
timesteps = [999, 919, 759, 499, 259]
noise_levels = [float((1 - alphas_cumprod[t]) ** 0.5) for t in timesteps]


def painted_masks():
    """Three regions painted on a 60x80 grid (another size than the 64x96 canvas)."""
    h, w = 60, 80
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32),
                            indexing="ij")
    sky = (yy < 30).float()                                   # hard top half
    disc = ((yy - 32) ** 2 + (xx - 40) ** 2 < 15 ** 2).float()  # a disc in the middle
    soft = ((xx - 60).abs() < 12).float() * torch.linspace(0.2, 1.0, h)[:, None]  # soft stripe
    return torch.stack([sky, disc, soft])


def main():
    painted = painted_masks()
    sigmas = [0.0, 2.5, 4.0]
    strengths = [1.0, 0.9, 0.75]
    tensors = {"painted": painted.contiguous(), "noise_levels": torch.tensor(noise_levels, dtype=torch.float64)}
    for mode in ("discrete", "semi-continuous", "continuous"):
        stages = process_masks(painted, sigmas, strengths, noise_levels, mode, 0.3, 64, 96)
        for name, value in stages.items():
            # The canvas-size stages before quantisation do not depend on the
            # mode; the canvas-size quantised stack is kept for one mode only
            # (size); every mode keeps its latent-size result.
            if name in ("resized", "covered", "blurred", "strengthened"):
                tensors[name] = value.contiguous()
            elif name != "quantised" or mode == "continuous":
                tensors[f"{mode}.{name}"] = value.contiguous()
    # Stored as float32 (size); computed in float64.
    tensors = {k: (v.float() if k != "noise_levels" else v).contiguous() for k, v in tensors.items()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    meta = {"sigmas": ",".join(map(str, sigmas)), "strengths": ",".join(map(str, strengths)),
            "cover_alpha": "0.3", "canvas": "64x96"}
    save_file(tensors, str(OUT), metadata=meta)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
