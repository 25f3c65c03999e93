"""A tiny diffusers-layout model folder with seeded random weights, for the
pipeline references when the C++ `semdraw-cli make-model --preset tiny` folder
is not available. The same configurations as the C++ "tiny" preset
(src/engine/model/presets.cpp) with other (Python-seeded) random weights.

    .venv-ref/bin/python tests/reference/tiny_pipeline_model.py OUT_DIR
"""
import json
import pathlib
import shutil
import sys

import torch
from diffusers import AutoencoderKL, AutoencoderTiny, LCMScheduler, UNet2DConditionModel
from transformers import CLIPTextConfig, CLIPTextModel

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _vary(module, generator):
    # Default init leaves norms at 1 and many biases at 0; move them so that a
    # port which ignores one shows in the result.
    with torch.no_grad():
        for name, param in module.named_parameters():
            if name.endswith("bias"):
                param.copy_(0.05 * torch.randn(param.shape, generator=generator))
            elif "norm" in name and param.dim() == 1:
                param.copy_(1.0 + 0.1 * torch.randn(param.shape, generator=generator))
            param.copy_(param.half().float())  # stored as fp16: keep both sides identical


def build(out: pathlib.Path, seed: int = 7) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1)

    unet = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, block_out_channels=(32, 64), layers_per_block=2,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=32, attention_head_dim=8, norm_num_groups=32).eval()
    _vary(unet, gen)
    unet.save_pretrained(out / "unet", safe_serialization=True)

    text = CLIPTextModel(CLIPTextConfig(
        vocab_size=49408, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
        max_position_embeddings=77, hidden_act="quick_gelu", bos_token_id=49406, eos_token_id=49407,
        pad_token_id=49407)).eval()
    _vary(text, gen)
    text.save_pretrained(out / "text_encoder", safe_serialization=True)
    (out / "tokenizer").mkdir(exist_ok=True)
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(ROOT / "resources" / "clip" / name, out / "tokenizer" / name)

    vae = AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4, block_out_channels=(32, 32, 64, 64), layers_per_block=1,
        latent_channels=4, norm_num_groups=32, sample_size=64).eval()
    _vary(vae, gen)
    vae.save_pretrained(out / "vae", safe_serialization=True)

    taesd = AutoencoderTiny(
        encoder_block_out_channels=(16, 16, 16, 16), decoder_block_out_channels=(16, 16, 16, 16),
        num_encoder_blocks=(1, 1, 1, 1), num_decoder_blocks=(1, 1, 1, 1), latent_channels=4).eval()
    _vary(taesd, gen)
    taesd.save_pretrained(out / "taesd", safe_serialization=True)

    LCMScheduler().save_pretrained(out / "scheduler")
    (out / "model_index.json").write_text(json.dumps({
        "_class_name": "StableDiffusionPipeline",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"],
        "vae": ["diffusers", "AutoencoderKL"],
        "scheduler": ["diffusers", "LCMScheduler"],
    }, indent=1) + "\n")


if __name__ == "__main__":
    build(pathlib.Path(sys.argv[1]))
