"""Goldens for the SDXL one-shot render and live stream
(tests/parity/sdxl_pipeline_parity_test.cpp): diffusers' StableDiffusionXLPipeline
+ LCMScheduler, and + EulerDiscreteScheduler(timestep_spacing="trailing") as
SDXL-Lightning runs, on the tiny SDXL model our make-model writes (a pure
function of preset and seed), one prompt, 64x64:
  sdxl_oneshot/        LCM, 4 steps, no guidance: the final latent, and the
                       noise in the pipeline's draw order (the initial latent,
                       then one per non-final step);
  sdxl_stream/         LCM, the engine's default live schedule (indices
                       0,4,12,25,37 into 50 steps) as custom timesteps: the
                       stream's frame T-1;
  sdxl_oneshot_euler/  Euler trailing, 4 steps (Lightning's 4-step schedule),
                       guidance 2 (an empty negative prompt: zeros, as SDXL's
                       force_zeros_for_empty_prompt says); one draw only;
  sdxl_stream_euler/   Euler trailing, the live schedule as custom timesteps,
                       no guidance: the stream's frame T-1.

Run:
  build/bin/semdraw-cli make-model --preset tiny-sdxl --seed 3 --out /tmp/tiny-sdxl-seed3
  .venv-ref/bin/python tests/reference/sdxl_pipeline_golden.py /tmp/tiny-sdxl-seed3
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import EulerDiscreteScheduler, LCMScheduler, StableDiffusionXLPipeline  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
PROMPT, SIZE = "a red eagle, wings spread", 64
STREAM_STEP_INDICES = [0, 4, 12, 25, 37]


def run(pipe, name, seed, meta, guidance=1.0, **schedule):
    with torch.no_grad():
        latent = pipe(prompt=PROMPT, height=SIZE, width=SIZE, guidance_scale=guidance, output_type="latent",
                      generator=torch.Generator().manual_seed(seed), **schedule).images
    timesteps = [int(t) for t in pipe.scheduler.timesteps.tolist()]
    # The same draws, in the pipeline's order, for the C++ side to inject.
    gen = torch.Generator().manual_seed(seed)
    h = SIZE // 8
    initial = torch.randn(1, 4, h, h, generator=gen)
    tensors = {"latent": latent.contiguous(), "noise.initial": initial}
    if isinstance(pipe.scheduler, LCMScheduler):  # Euler draws nothing after the initial latent
        later = torch.cat([torch.randn(1, 4, h, h, generator=gen) for _ in range(len(timesteps) - 1)])
        tensors["noise.renoise" if name == "sdxl_oneshot" else "noise.steps"] = later
    out = DATA / name
    out.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out / "golden.safetensors"))
    meta = dict(model="make-model --preset tiny-sdxl --seed 3", prompt=PROMPT, size=SIZE, timesteps=timesteps,
                guidance=guidance, scheduler=type(pipe.scheduler).__name__, **meta)
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{name}: timesteps {timesteps}; latent std {latent.std():.4f} max {latent.abs().max():.4f}")


def main() -> None:
    pipe = StableDiffusionXLPipeline.from_pretrained(pathlib.Path(sys.argv[1]), local_files_only=True)
    assert isinstance(pipe.scheduler, LCMScheduler)
    pipe.set_progress_bar_config(disable=True)
    run(pipe, "sdxl_oneshot", 1234, {"steps": 4}, num_inference_steps=4)
    pipe.scheduler.set_timesteps(50)
    stream_timesteps = [int(pipe.scheduler.timesteps[i]) for i in STREAM_STEP_INDICES]
    run(pipe, "sdxl_stream", 4321, {"step_indices": STREAM_STEP_INDICES}, timesteps=stream_timesteps)

    pipe.scheduler = EulerDiscreteScheduler.from_config(pipe.scheduler.config, timestep_spacing="trailing")
    run(pipe, "sdxl_oneshot_euler", 1235, {"steps": 4, "sampler": "euler-trailing"}, guidance=2.0,
        num_inference_steps=4)
    pipe.scheduler.set_timesteps(50)
    stream_timesteps = [int(pipe.scheduler.timesteps[i]) for i in STREAM_STEP_INDICES]
    run(pipe, "sdxl_stream_euler", 4322, {"step_indices": STREAM_STEP_INDICES, "sampler": "euler-trailing"},
        timesteps=stream_timesteps)


if __name__ == "__main__":
    main()
