"""Golden for the live stream on SDXL (tests/parity/sdxl_stream_parity_test.cpp):
with one region over the whole canvas, no bootstrapping and
no guidance, the stream is a pipelined LCM render: the frame of call T-1 is the
fresh noise of call 0 taken through all T steps, re-noised with N_1..N_{T-1}.
That must equal diffusers' StableDiffusionXLPipeline with the stream's
timesteps and the same noise (DESIGN 4.7; the SD1.5 version is stream_check in
pipeline_golden.py).

Run:
  build/bin/semdraw-cli make-model --preset tiny-sdxl --seed 3 --out /tmp/tiny-sdxl-seed3
  .venv-ref/bin/python tests/reference/sdxl_stream_golden.py /tmp/tiny-sdxl-seed3
Writes tests/data/sdxl_stream/golden.safetensors and meta.json.
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import StableDiffusionXLPipeline  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "sdxl_stream"
PROMPT, SIZE, SEED = "a red eagle, wings spread", 64, 4321
STEP_INDICES = [0, 4, 12, 25, 37]  # the engine's default live schedule, into LCM's 50 steps


def main() -> None:
    pipe = StableDiffusionXLPipeline.from_pretrained(pathlib.Path(sys.argv[1]), local_files_only=True)
    pipe.set_progress_bar_config(disable=True)
    pipe.scheduler.set_timesteps(50)
    timesteps = [int(pipe.scheduler.timesteps[i]) for i in STEP_INDICES]
    with torch.no_grad():
        latent = pipe(prompt=PROMPT, height=SIZE, width=SIZE, timesteps=timesteps, guidance_scale=1.0,
                      generator=torch.Generator().manual_seed(SEED), output_type="latent").images
    gen = torch.Generator().manual_seed(SEED)
    h = SIZE // 8
    initial = torch.randn(1, 4, h, h, generator=gen)
    step_noises = torch.cat([torch.randn(1, 4, h, h, generator=gen) for _ in range(len(timesteps) - 1)])
    OUT.mkdir(parents=True, exist_ok=True)
    save_file({"latent": latent.contiguous(), "noise.initial": initial, "noise.steps": step_noises},
              str(OUT / "golden.safetensors"))
    (OUT / "meta.json").write_text(json.dumps({"model": "make-model --preset tiny-sdxl --seed 3", "prompt": PROMPT,
                                               "size": SIZE, "step_indices": STEP_INDICES,
                                               "timesteps": timesteps}, indent=2) + "\n")
    print(f"timesteps {timesteps}; latent std {latent.std():.4f} max {latent.abs().max():.4f}")


if __name__ == "__main__":
    main()
