"""UNet golden on the model that `semdraw-cli make-model --preset tiny --seed 7` writes.

Ties three things together: our seeded weights (pinned by the generator test),
the tiny preset's config, and diffusers' UNet on exactly those weights. One
batch of six entries, each at another LCM timestep, as the stream batch runs it.

Run:  build/bin/semdraw-cli make-model --preset tiny --seed 7 --out /tmp/tiny7
      .venv-ref/bin/python tests/reference/unet_tiny_model_golden.py /tmp/tiny7
Writes tests/data/unet/tiny_model_seed7.safetensors (inputs + output).
"""
import pathlib
import sys

import torch
from diffusers import UNet2DConditionModel
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "unet" / "tiny_model_seed7.safetensors"

if __name__ == "__main__":
    model_dir = pathlib.Path(sys.argv[1])
    unet = UNet2DConditionModel.from_pretrained(model_dir / "unet").eval()
    g = torch.Generator().manual_seed(77)
    sample = torch.randn(6, 4, 8, 8, generator=g)
    context = torch.randn(6, 77, unet.config.cross_attention_dim, generator=g)
    timesteps = torch.tensor([999, 919, 759, 499, 259, 19])
    with torch.no_grad():
        out = unet(sample, timesteps, context).sample
    save_file({"sample": sample, "timesteps": timesteps, "encoder_hidden_states": context, "output": out}, OUT)
    print(f"output std {out.std():.4f}, max abs {out.abs().max():.4f} -> {OUT} ({OUT.stat().st_size} bytes)")
