#!/usr/bin/env python3
"""Writes the LCM scheduler parity golden (tests/data/scheduler/).

Runs diffusers' LCMScheduler (default config = the SD1.5 LCM-LoRA settings:
scaled-linear betas 0.00085..0.012, 1000 training steps, 50 original steps,
timestep_scaling 10) for N = 1..8 inference steps, the way a pipeline drives
it: timesteps come from scheduler.timesteps (int64 tensors), each step gets a
fixed sample and model output, and the step's injected noise is reproduced
from a known generator seed so the C++ side can feed the same noise.

Outputs:
  lcm.json             timesteps (N = 1..50), c_skip/c_out per step, prev timesteps
  lcm.safetensors      alphas_cumprod, per-step sample / model_output / noise /
                       denoised / prev_sample, and an add_noise case

Usage: .venv-ref/bin/python tests/reference/scheduler_golden.py
"""
import json
import pathlib

import torch
from diffusers import LCMScheduler
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "scheduler"
SHAPE = (2, 4, 4, 4)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scheduler = LCMScheduler()  # defaults are the SD1.5 LCM settings
    tensors = {"alphas_cumprod": scheduler.alphas_cumprod.clone()}
    runs = {}
    data = torch.Generator().manual_seed(1234)
    for n in range(1, 9):
        scheduler.set_timesteps(n)
        steps = []
        for k, t in enumerate(scheduler.timesteps):
            sample = torch.randn(SHAPE, generator=data)
            model_output = torch.randn(SHAPE, generator=data)
            # Called with the tensor timestep, as pipelines do (fp32 arithmetic).
            c_skip, c_out = scheduler.get_scalings_for_boundary_condition_discrete(t)
            noise_seed = 100 * n + k
            prev_sample, denoised = scheduler.step(
                model_output, t, sample, generator=torch.Generator().manual_seed(noise_seed), return_dict=False
            )
            # The step draws exactly this noise (randn_tensor on CPU = torch.randn).
            noise = torch.randn(SHAPE, generator=torch.Generator().manual_seed(noise_seed))
            prefix = f"n{n}.step{k}."
            tensors[prefix + "sample"] = sample
            tensors[prefix + "model_output"] = model_output
            tensors[prefix + "noise"] = noise
            tensors[prefix + "denoised"] = denoised
            tensors[prefix + "prev_sample"] = prev_sample
            prev_t = int(scheduler.timesteps[k + 1]) if k + 1 < n else None
            steps.append({"timestep": int(t), "c_skip": float(c_skip), "c_out": float(c_out), "prev_timestep": prev_t})
        runs[str(n)] = {"timesteps": [int(t) for t in scheduler.timesteps], "steps": steps}

    # add_noise with one timestep per batch entry.
    original = torch.randn(SHAPE, generator=data)
    noise = torch.randn(SHAPE, generator=data)
    add_t = torch.tensor([999, 259], dtype=torch.long)
    tensors["add_noise.original"] = original
    tensors["add_noise.noise"] = noise
    tensors["add_noise.noisy"] = scheduler.add_noise(original, noise, add_t)

    # Timesteps alone for every valid step count.
    all_timesteps = {}
    for n in range(1, scheduler.config.original_inference_steps + 1):
        scheduler.set_timesteps(n)
        all_timesteps[str(n)] = [int(t) for t in scheduler.timesteps]

    golden = {
        "generator": "tests/reference/scheduler_golden.py",
        "config": dict(scheduler.config),
        "runs": runs,
        "timesteps_by_steps": all_timesteps,
        "add_noise_timesteps": add_t.tolist(),
    }
    (OUT / "lcm.json").write_text(json.dumps(golden, indent=1, default=str) + "\n")
    save_file({k: v.clone().contiguous() for k, v in tensors.items()}, str(OUT / "lcm.safetensors"))
    print(f"wrote {OUT}/lcm.json and lcm.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
