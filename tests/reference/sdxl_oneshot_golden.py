"""Golden for the one-shot render on SDXL (tests/parity/sdxl_oneshot_parity_test.cpp):
diffusers' StableDiffusionXLPipeline + LCMScheduler on the tiny SDXL model our
make-model writes, one prompt, 64x64, 4 steps, no guidance. With one region
covering the canvas and no bootstrapping our one-shot render must give the same
latent (DESIGN 4.6), drawing the same noise in the same order: the initial
latent, then one noise per non-final step.

Run:
  build/bin/semdraw-cli make-model --preset tiny-sdxl --seed 3 --out /tmp/tiny-sdxl-seed3
  .venv-ref/bin/python tests/reference/sdxl_oneshot_golden.py /tmp/tiny-sdxl-seed3
Writes tests/data/sdxl_oneshot/golden.safetensors and meta.json.
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import LCMScheduler, StableDiffusionXLPipeline  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "sdxl_oneshot"
PROMPT, SIZE, STEPS, SEED = "a red eagle, wings spread", 64, 4, 1234


def main() -> None:
    pipe = StableDiffusionXLPipeline.from_pretrained(pathlib.Path(sys.argv[1]), local_files_only=True)
    assert isinstance(pipe.scheduler, LCMScheduler)
    pipe.set_progress_bar_config(disable=True)
    with torch.no_grad():
        latent = pipe(prompt=PROMPT, height=SIZE, width=SIZE, num_inference_steps=STEPS, guidance_scale=1.0,
                      generator=torch.Generator().manual_seed(SEED), output_type="latent").images
    timesteps = pipe.scheduler.timesteps.tolist()
    # The same draws, in the pipeline's order, for the C++ side to inject.
    gen = torch.Generator().manual_seed(SEED)
    h = SIZE // 8
    initial = torch.randn(1, 4, h, h, generator=gen)
    renoise = torch.cat([torch.randn(1, 4, h, h, generator=gen) for _ in range(STEPS - 1)])
    OUT.mkdir(parents=True, exist_ok=True)
    save_file({"latent": latent.contiguous(), "noise.initial": initial, "noise.renoise": renoise},
              str(OUT / "golden.safetensors"))
    (OUT / "meta.json").write_text(json.dumps({"model": "make-model --preset tiny-sdxl --seed 3", "prompt": PROMPT,
                                               "size": SIZE, "steps": STEPS, "timesteps": timesteps}, indent=2) + "\n")
    print(f"timesteps {timesteps}; latent std {latent.std():.4f} max {latent.abs().max():.4f}")


if __name__ == "__main__":
    main()
