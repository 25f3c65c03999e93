#!/usr/bin/env python3
"""Golden for the safetensors reader/writer: a file written by the reference
implementation (safetensors.torch.save_file) holding one tensor per dtype.

tests/parity/safetensors_parity_test.cpp rebuilds the same tensors from the
same formulas, checks that our reader sees exactly these values, and that our
writer produces the very same bytes.

Run from the repository root:
  .venv-ref/bin/python tests/reference/safetensors_golden.py
"""
import pathlib

import safetensors
import torch
from safetensors.torch import save_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "io" / "reference_dtypes.safetensors"


def values(dtype, shape):
    """The formula both sides use: a ramp (k * 0.37 - 1.5 for floats,
    k * 7 - 20 for integers, k % 3 == 0 for bool), cast to the dtype."""
    count = 1
    for size in shape:
        count *= size
    k = torch.arange(count, dtype=torch.float64)
    if dtype == torch.bool:
        ramp = (torch.arange(count) % 3) == 0
    elif dtype.is_floating_point:
        ramp = (k * 0.37 - 1.5).to(dtype)
    else:
        ramp = (k * 7 - 20).to(torch.int64)
        if dtype == torch.uint8:
            ramp = ramp.abs()
        ramp = ramp.to(dtype)
    return ramp.reshape(shape)


# name -> (dtype, shape); names chosen so that dtype order and name order differ.
TENSORS = {
    "a.f16": (torch.float16, [3, 5]),
    "b.bf16": (torch.bfloat16, [7]),
    "c.f32": (torch.float32, [2, 3, 2]),
    "d.f64": (torch.float64, [3]),
    "e.i64": (torch.int64, [4]),
    "f.i32": (torch.int32, [2, 2]),
    "g.i16": (torch.int16, [5]),
    "h.i8": (torch.int8, [6]),
    "i.u8": (torch.uint8, [9]),
    "j.bool": (torch.bool, [7]),
    "k.scalar": (torch.float32, []),
    "l.empty": (torch.float32, [0, 3]),
    "m.odd": (torch.float16, [1]),
}


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tensors = {name: values(dtype, shape) for name, (dtype, shape) in TENSORS.items()}
    save_file(tensors, str(OUT), metadata={"format": "pt"})
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes) with safetensors {safetensors.__version__}")


if __name__ == "__main__":
    main()
