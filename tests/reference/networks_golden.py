#!/usr/bin/env python3
"""Writes the parity goldens of the CLIP text encoder, AutoencoderKL and
AutoencoderTiny (TAESD) into tests/data/{clip_text,vae,taesd}/.

Each topic gets a TINY model with seeded random weights, saved the way a real
model folder stores it (config.json + fp16 safetensors in the canonical
state-dict naming), seeded inputs, and the reference outputs:

  clip_text/config.json, model.safetensors, golden.safetensors
  clip_text_projection/ the same for CLIPTextModelWithProjection (SDXL's second encoder)
  vae/config.json, diffusion_pytorch_model.safetensors, golden.safetensors
  taesd/config.json, diffusion_pytorch_model.safetensors, golden.safetensors

and, for the real SD1.5 / TAESD sizes, the reference state-dict layout (every
name and shape, plus the config that produced it) so the C++ modules are
checked to accept real checkpoints by name:

  clip_text/sd15_layout.json, vae/sd15_layout.json, taesd/sd15_layout.json

Weights are stored in fp16 (to keep the goldens small) and the reference runs
in fp32 on exactly those fp16-rounded values, so the C++ side, which loads the
fp16 file into fp32 modules, uses identical weights.

The text encoder uses vocab_size 1000 (ids < 1000): a 49408-row embedding
would be several MB; the real vocabulary is covered by the tokenizer tests.
Its weights are saved with the `text_model.` prefix that SD1.5 checkpoints
(written by transformers 4.x) use; transformers 5 itself drops that prefix.

Usage: .venv-ref/bin/python tests/reference/networks_golden.py
"""
import json
import pathlib

import torch
from diffusers import AutoencoderKL, AutoencoderTiny
from safetensors.torch import save_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def randomise_norms_and_biases(module: torch.nn.Module, generator: torch.Generator) -> None:
    """Default init leaves norm weights at 1 and many biases at 0, which would
    let a port that ignores them pass; give every one a distinct value."""
    with torch.no_grad():
        for name, param in module.named_parameters():
            if name.endswith("bias"):
                param.copy_(0.1 * torch.randn(param.shape, generator=generator))
            elif "norm" in name and param.dim() == 1:
                param.copy_(1.0 + 0.2 * torch.randn(param.shape, generator=generator))


def round_to_fp16(module: torch.nn.Module) -> None:
    with torch.no_grad():
        for param in module.parameters():
            param.copy_(param.half().float())


def save_weights(module: torch.nn.Module, path: pathlib.Path, prefix: str = "") -> None:
    state = {prefix + k: v.detach().half().contiguous() for k, v in module.state_dict().items()}
    save_file(state, str(path))


def save_golden(tensors: dict, path: pathlib.Path) -> None:
    save_file({k: v.detach().clone().contiguous() for k, v in tensors.items()}, str(path))


def describe(name: str, tensor: torch.Tensor) -> None:
    print(f"  {name}: shape {tuple(tensor.shape)} std {tensor.std():.4f} max|x| {tensor.abs().max():.4f}")


def tiny_clip_config(**fields) -> CLIPTextConfig:
    """A small CLIP text tower: 1000-token vocabulary, width 32, 4 heads."""
    base = dict(vocab_size=1000, hidden_size=32, num_attention_heads=4, max_position_embeddings=77, layer_norm_eps=1e-5)
    return CLIPTextConfig(**base, **fields)


def clip_text() -> None:
    out = DATA / "clip_text"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    config = tiny_clip_config(
        intermediate_size=37,
        num_hidden_layers=2,
        hidden_act="quick_gelu",
        # Inside the small vocabulary (the real ones, 49406/49407, are not).
        bos_token_id=998,
        eos_token_id=999,
        pad_token_id=999,
    )
    model = CLIPTextModel(config).eval()
    randomise_norms_and_biases(model, torch.Generator().manual_seed(1))
    round_to_fp16(model)
    config.to_json_file(str(out / "config.json"))
    save_weights(model, out / "model.safetensors", prefix="text_model.")

    generator = torch.Generator().manual_seed(2)
    ids = torch.randint(0, 998, (2, 77), generator=generator)
    ids[:, 0] = 998  # BOS
    ids[0, 9:] = 999  # EOS then EOS padding, as the CLIP tokenizer pads for SD
    ids[1, 30:] = 999
    with torch.no_grad():
        result = model(input_ids=ids, output_hidden_states=True)
        last = result.last_hidden_state
        # diffusers' encode_prompt(clip_skip=k): hidden_states[-(k+1)], then final_layer_norm.
        skip1 = model.final_layer_norm(result.hidden_states[-2])
    print("clip_text")
    describe("last_hidden_state", last)
    describe("clip_skip1", skip1)
    save_golden({"input_ids": ids, "last_hidden_state": last, "clip_skip1": skip1}, out / "golden.safetensors")


def clip_text_projection() -> None:
    """SDXL's second text encoder: CLIPTextModelWithProjection (gelu), padded
    with a non-EOS token as SDXL's second tokenizer does, and a legacy
    eos_token_id (2) as in SDXL's config, so the pooled token is found by
    argmax of the ids. SDXL conditions on hidden_states[-2] WITHOUT the final
    layer norm, and on the projected pooled output (text_embeds)."""
    out = DATA / "clip_text_projection"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(10)
    config = tiny_clip_config(
        intermediate_size=40, num_hidden_layers=3, hidden_act="gelu", projection_dim=24,
        bos_token_id=0, eos_token_id=2, pad_token_id=1,
    )
    config.architectures = ["CLIPTextModelWithProjection"]
    model = CLIPTextModelWithProjection(config).eval()
    randomise_norms_and_biases(model, torch.Generator().manual_seed(11))
    round_to_fp16(model)
    config.to_json_file(str(out / "config.json"))
    save_weights(model, out / "model.safetensors")

    generator = torch.Generator().manual_seed(12)
    ids = torch.randint(3, 990, (2, 77), generator=generator)
    ids[:, 0] = 998  # BOS
    ids[0, 9] = 999  # EOS (the largest id), then padding with a small id
    ids[0, 10:] = 3
    ids[1, 40] = 999
    ids[1, 41:] = 3
    with torch.no_grad():
        result = model(input_ids=ids, output_hidden_states=True)
    print("clip_text_projection")
    describe("text_embeds", result.text_embeds)
    describe("penultimate (no final norm)", result.hidden_states[-2])
    save_golden({"input_ids": ids, "text_embeds": result.text_embeds, "last_hidden_state": result.last_hidden_state,
                 "penultimate": result.hidden_states[-2]}, out / "golden.safetensors")


def autoencoder_kl() -> None:
    out = DATA / "vae"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(10)
    model = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        block_out_channels=(32, 64),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=32,
        sample_size=32,
    ).eval()
    randomise_norms_and_biases(model, torch.Generator().manual_seed(11))
    round_to_fp16(model)
    model.save_config(str(out))
    save_weights(model, out / "diffusion_pytorch_model.safetensors")

    generator = torch.Generator().manual_seed(12)
    image = torch.rand((2, 3, 32, 32), generator=generator) * 2 - 1
    latent = torch.randn((2, 4, 16, 16), generator=generator)
    with torch.no_grad():
        mean = model.encode(image).latent_dist.mean
        decoded = model.decode(latent).sample
    print("vae")
    describe("latent_mean", mean)
    describe("decoded", decoded)
    save_golden({"image": image, "latent_mean": mean, "latent": latent, "decoded": decoded}, out / "golden.safetensors")


def taesd() -> None:
    out = DATA / "taesd"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(20)
    model = AutoencoderTiny(
        encoder_block_out_channels=(16, 16, 16, 16),
        decoder_block_out_channels=(16, 16, 16, 16),
        num_encoder_blocks=(1, 2, 2, 2),
        num_decoder_blocks=(2, 2, 2, 1),
        latent_channels=4,
    ).eval()
    randomise_norms_and_biases(model, torch.Generator().manual_seed(21))
    round_to_fp16(model)
    model.save_config(str(out))
    save_weights(model, out / "diffusion_pytorch_model.safetensors")

    generator = torch.Generator().manual_seed(22)
    image = torch.rand((2, 3, 64, 64), generator=generator) * 2 - 1
    # Spread wide enough that the decoder's tanh clamp (|z| near 3) matters.
    latent = 2.5 * torch.randn((2, 4, 8, 8), generator=generator)
    with torch.no_grad():
        encoded = model.encode(image).latents
        decoded = model.decode(latent).sample
    print("taesd")
    describe("latents", encoded)
    describe("decoded", decoded)
    save_golden({"image": image, "latents": encoded, "latent": latent, "decoded": decoded}, out / "golden.safetensors")


def write_layout(model: torch.nn.Module, config: dict, path: pathlib.Path, prefix: str = "") -> None:
    tensors = {prefix + k: list(v.shape) for k, v in model.state_dict().items()}
    config = {k: v for k, v in config.items() if not k.startswith("_")}
    path.write_text(json.dumps({"config": config, "tensors": tensors}, indent=0, sort_keys=True, default=list) + "\n")
    print(f"  {path.relative_to(DATA)}: {len(tensors)} tensors")


def sd15_layouts() -> None:
    """Real sizes on the meta device: names and shapes only, no memory."""
    print("sd15 layouts")
    with torch.device("meta"):
        text = CLIPTextModel(
            CLIPTextConfig(
                vocab_size=49408,
                hidden_size=768,
                intermediate_size=3072,
                num_hidden_layers=12,
                num_attention_heads=12,
                max_position_embeddings=77,
                hidden_act="quick_gelu",
                layer_norm_eps=1e-5,
            )
        )
        # SD1.5 checkpoints (transformers 4.x) carry the "text_model." level.
        write_layout(text, text.config.to_dict(), DATA / "clip_text" / "sd15_layout.json", prefix="text_model.")
        vae = AutoencoderKL(
            down_block_types=("DownEncoderBlock2D",) * 4,
            up_block_types=("UpDecoderBlock2D",) * 4,
            block_out_channels=(128, 256, 512, 512),
            layers_per_block=2,
            latent_channels=4,
            norm_num_groups=32,
            sample_size=512,
        )
        write_layout(vae, dict(vae.config), DATA / "vae" / "sd15_layout.json")
        tiny = AutoencoderTiny()  # the defaults are madebyollin/taesd's configuration
        write_layout(tiny, dict(tiny.config), DATA / "taesd" / "sd15_layout.json")


def main() -> None:
    torch.set_grad_enabled(False)
    clip_text()
    clip_text_projection()
    autoencoder_kl()
    taesd()
    sd15_layouts()


if __name__ == "__main__":
    main()
