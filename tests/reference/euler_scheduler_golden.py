#!/usr/bin/env python3
"""Writes the Euler (trailing) scheduler parity golden (tests/data/scheduler/euler.*).

diffusers' EulerDiscreteScheduler with SDXL's noise schedule (scaled-linear
betas 0.00085..0.012, 1000 training steps) and timestep_spacing="trailing",
as the paper's SDXL classes and SDXL-Lightning use it:

  euler.json         for n = 1..50 steps: the timesteps, the sigmas (with the
                     final 0) and init_noise_sigma
  euler.safetensors  n = 4: per step a sample and model output and diffusers'
                     prev_sample (scale_model_input's input scaling included)

Usage: .venv-ref/bin/python tests/reference/euler_scheduler_golden.py
"""
import json
import pathlib

import torch
from diffusers import EulerDiscreteScheduler
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "scheduler"
SHAPE = (2, 4, 4, 4)


def main() -> None:
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       timestep_spacing="trailing")
    schedules = {}
    for n in range(1, 51):
        scheduler.set_timesteps(n)
        schedules[str(n)] = {"timesteps": [int(t) for t in scheduler.timesteps],
                             "sigmas": [float(s) for s in scheduler.sigmas],
                             "init_noise_sigma": float(scheduler.init_noise_sigma)}
    scheduler.set_timesteps(4)
    data = torch.Generator().manual_seed(4242)
    tensors = {}
    for k, t in enumerate(scheduler.timesteps):
        sample = torch.randn(SHAPE, generator=data) * float(scheduler.sigmas[k])
        model_output = torch.randn(SHAPE, generator=data)
        tensors[f"step{k}.sample"] = sample
        tensors[f"step{k}.model_input"] = scheduler.scale_model_input(sample, t)
        tensors[f"step{k}.model_output"] = model_output
        tensors[f"step{k}.prev_sample"] = scheduler.step(model_output, t, sample, return_dict=False)[0]
    OUT.mkdir(parents=True, exist_ok=True)
    golden = {"generator": "tests/reference/euler_scheduler_golden.py", "config": dict(scheduler.config),
              "schedules": schedules}
    (OUT / "euler.json").write_text(json.dumps(golden, indent=1, default=str) + "\n")
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(OUT / "euler.safetensors"))
    print(f"wrote {OUT}/euler.json and euler.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
