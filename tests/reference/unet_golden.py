"""Parity goldens for the C++ UNet2DConditionModel (tests/parity/unet_parity_test.cpp).

Builds TINY diffusers UNet2DConditionModels with seeded random weights, stores
their config.json and weights (fp16 safetensors), then reloads those fp16
weights into fp32 so the reference run and the C++ run use identical values,
and records inputs + output.

  tests/data/unet/conv/   SD1.5-style: 1x1-conv proj_in/out, integer timesteps, 8x8 latent
  tests/data/unet/linear/ SD2-style: linear proj_in/out, fractional timesteps,
                          5x7 latent (sides not multiples of the down factor)
  tests/data/unet/text_time/ SDXL-style: added conditioning (pooled text embeds +
                          micro-conditioning time ids), linear projections, two
                          transformer layers in the second block

Run:  .venv-ref/bin/python tests/reference/unet_golden.py
"""
import pathlib

import torch
from diffusers import UNet2DConditionModel
from safetensors.torch import load_file, save_file

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "unet"

TINY = dict(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    # Narrower than the "tiny" make-model preset (32, 64) so both goldens stay
    # well under the 2 MB budget of tests/data/unet; same structure as SD1.5.
    block_out_channels=(16, 32),
    layers_per_block=2,
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=32,
    attention_head_dim=4,  # diffusers' quirk: this is the number of heads
    norm_num_groups=8,
)


def perturb(model: torch.nn.Module, generator: torch.Generator) -> None:
    # diffusers initialises norms to weight 1 / bias 0; move every tensor away
    # from its init so a swapped or ignored norm parameter shows in the output.
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if "norm" in name:
                p.add_(0.1 * noise)
            elif name.endswith(".bias"):
                p.add_(0.05 * noise)


def make(name: str, seed: int, extra: dict, sample_shape, timesteps: torch.Tensor, added=None) -> None:
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    model = UNet2DConditionModel(**TINY, **extra)
    perturb(model, torch.Generator().manual_seed(seed + 1))
    model.save_pretrained(folder, safe_serialization=True)  # writes config.json
    weights = folder / "diffusion_pytorch_model.safetensors"
    state = {k: v.to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(state, weights)
    # Reload the fp16 values into fp32: both sides now hold identical weights.
    model.load_state_dict({k: v.float() for k, v in load_file(weights).items()})
    model.eval()

    g = torch.Generator().manual_seed(seed + 2)
    sample = torch.randn(sample_shape, generator=g)
    context = torch.randn(sample_shape[0], 77, TINY["cross_attention_dim"], generator=g)
    added_cond = None
    if added is not None:
        added_cond = {"text_embeds": torch.randn(sample_shape[0], added["text_embeds"], generator=g),
                      "time_ids": added["time_ids"]}
    with torch.no_grad():
        out = model(sample, timesteps, encoder_hidden_states=context, added_cond_kwargs=added_cond).sample
    std = out.std().item()
    assert std > 1e-2, f"{name}: output is nearly constant (std {std}); the golden would prove little"
    io = {"sample": sample, "timesteps": timesteps, "encoder_hidden_states": context, "output": out.contiguous()}
    if added_cond is not None:
        io.update(added_cond)
        # The added conditioning must matter, or the golden proves nothing about it.
        with torch.no_grad():
            plain = model(sample, timesteps, encoder_hidden_states=context,
                          added_cond_kwargs={"text_embeds": torch.zeros_like(added_cond["text_embeds"]),
                                             "time_ids": torch.zeros_like(added_cond["time_ids"])}).sample
        assert (plain - out).abs().max() > 1e-2, f"{name}: added conditioning changes nothing"
    save_file(io, folder / "io.safetensors")
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(f"{name}: output std {std:.4f}, mean {out.mean().item():.4f}, folder {size / 1024:.0f} KiB")


if __name__ == "__main__":
    make("conv", 1234, {}, (2, 4, 8, 8), torch.tensor([999, 259], dtype=torch.int64))
    make("linear", 4321, {"use_linear_projection": True}, (2, 4, 5, 7), torch.tensor([500.5, 19.0]))
    # SDXL's time ids: original size, crop top-left, target size (h, w each).
    time_ids = torch.tensor([[1024.0, 1024.0, 0.0, 0.0, 1024.0, 1024.0], [768.0, 1344.0, 16.0, 32.0, 768.0, 1344.0]])
    make("text_time", 2468,
         {"use_linear_projection": True, "transformer_layers_per_block": (1, 2),
          "addition_embed_type": "text_time", "addition_time_embed_dim": 8,
          "projection_class_embeddings_input_dim": 16 + 6 * 8},
         (2, 4, 8, 8), torch.tensor([999, 499], dtype=torch.int64),
         added={"text_embeds": 16, "time_ids": time_ids})
