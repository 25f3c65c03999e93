"""What the two paper-stream golden scripts share (paper_stream_golden.py for the SD1.5
class, paper_sdxl_stream_golden.py for the SDXL one): the canvas masks and photo handed to
the class, the capture of every call's step latents, the script of frames and edits a case
plays, and the case's goldens entry. The scripts construct and patch the paper's class
themselves; nothing of the paper's code is here.
"""
from contextlib import nullcontext

import torch
import torch.nn.functional as F
from diffusers import AutoencoderTiny
from PIL import Image

from paper_harness import BACKGROUND_PROMPT, REGIONS, background_entry, photo, region_entries
from pipeline_golden import painted_regions

SIZE = 64


def canvas_masks(moved=False):
    """The painted 32x32 masks resized to the canvas (bilinear, half-pixel centres)."""
    small = torch.stack(painted_regions(moved)[:3])[:, None]
    return F.interpolate(small, size=(SIZE, SIZE), mode="bilinear", align_corners=False).clamp(0, 1)[:, 0]


def pil_image(image):
    return Image.fromarray((image * 255).round().to(torch.uint8).permute(1, 2, 0).numpy())


def patch_codec_and_captioner(stream_module, folder, taesd_key):
    """AutoencoderTiny.from_pretrained(taesd_key) loads the folder's taesd/ in fp32, and the
    BLIP-2 classes the stream class loads unconditionally load nothing (every background is
    given with its prompt, so the captioner is never called)."""

    class TinyAutoencoder:
        @staticmethod
        def from_pretrained(key, *args, **kwargs):
            assert key == taesd_key, key
            return AutoencoderTiny.from_pretrained(folder / "taesd", torch_dtype=torch.float32).eval()

    class NoBlip:
        @staticmethod
        def from_pretrained(*args, **kwargs):
            return None

    stream_module.AutoencoderTiny = TinyAutoencoder
    stream_module.Blip2Processor = stream_module.Blip2ForConditionalGeneration = NoBlip


class StreamCapture:
    """Every call's aggregated step latents, in call order, and which calls were visible."""

    def __init__(self, cls):
        self.calls = []
        self.visible = []
        calls, visible = self.calls, self.visible
        real_step, real_call, real_decode = cls.unet_step, cls.__call__, cls.decode_latents

        def unet_step(self, *args, **kwargs):
            out = real_step(self, *args, **kwargs)
            calls.append(out.detach().clone())
            visible.append(False)
            return out

        def call(self, no_decode=False, ignore_check_ready=False):
            out = real_call(self, no_decode, ignore_check_ready)
            if not no_decode:
                visible[-1] = True
            return out

        def decode_latents(self, latents):
            return real_decode(self, latents.to(self.dtype))

        cls.unet_step, cls.__call__, cls.decode_latents = unet_step, call, decode_latents

    def clear(self):
        self.calls.clear()
        self.visible.clear()


def scene_json(store, c, image, masks, prompts):
    return {"width": SIZE, "height": SIZE, "background": background_entry(store, image),
            "regions": region_entries(store, prompts, [n for _, n in REGIONS], c, masks),
            "settings": {"step_indices": c["t_index_list"], "mask_mode": c["mask_type"],
                         "bootstrap_steps": c["bootstrap_steps"], "bootstrap_mix_steps": c["mix_steps"],
                         "cover_alpha": 0.3, "guidance": c["guidance"], "cfg_type": c["cfg_type"],
                         "delta": c["delta"], "seed": c["seed"]}}


# A case's script is a list of actions; each is one of
#   ("frames", n)                      n visible calls (the first after an edit flushes first)
#   ("update", kwargs)                 update(**kwargs): committed by the next call, then flushed
#   ("update_masks", moved)            all masks at once (no flush: the class keeps `flushed`)
#   ("update_layers", prompt1, moved)  all prompts and masks at once (then flushed)
def play_case(pipe, capture, log, store, c, first_layers_context=nullcontext()):
    """Hands the class the photo and the regions, plays the case's script and returns the
    case's goldens entry (the caller adds what only its class has)."""
    image = photo(SIZE, SIZE)
    T = len(c["t_index_list"])
    timesteps = [int(t) for t in pipe.sub_timesteps]
    prompts = [p for p, _ in REGIONS]
    masks = canvas_masks()
    layer_args = dict(negative_prompts=[n for _, n in REGIONS], prompt_strengths=c["prompt_strengths"],
                      mask_strengths=c["mask_strengths"], mask_stds=c["mask_stds"])
    capture.clear()
    log.start(c["seed"])
    with torch.no_grad():
        pipe.update_background(pil_image(image), BACKGROUND_PROMPT[0], BACKGROUND_PROMPT[1])
        with first_layers_context:
            pipe.update_layers(list(prompts), masks=masks[:, None].clone(), **layer_args)
        scenes = [scene_json(store, c, image, masks, prompts)]
        masks0 = store.put(f"{c['name']}.masks0", pipe.masks[:, :, 0])   # [p, T, h, w]
        edits = []
        for action in c["script"]:
            kind = action[0]
            if kind == "frames":
                for _ in range(action[1]):
                    pipe()
                continue
            if kind == "update":
                pipe.update(**action[1])                 # committed (and flushed) by the next call
                prompts[action[1]["idx"]] = action[1]["prompt"]
                described = f"update({action[1]}); the next __call__ commits it and flushes"
            elif kind == "update_masks":
                masks = canvas_masks(moved=action[1])
                pipe.update_masks(masks[:, None].clone(), c["mask_strengths"], c["mask_stds"])
                described = "update_masks(all three masks, region 1 moved); no flush"
            elif kind == "update_layers":
                prompts[1] = action[1]
                masks = canvas_masks(moved=action[2])
                pipe.update_layers(list(prompts), masks=masks[:, None].clone(), **layer_args)
                described = (f"update_layers(all prompts, region 1 -> '{action[1]}', all masks, region 1 moved); "
                             "the next __call__ flushes")
            else:
                raise ValueError(kind)
            scenes.append(scene_json(store, c, image, masks, prompts))
            # update() is applied inside the next call; the other paths process the masks now.
            edit_masks = None if kind == "update" else store.put(f"{c['name']}.masks{len(scenes) - 1}",
                                                                 pipe.masks[:, :, 0])
            edits.append({"before_call": len(capture.calls), "scene": len(scenes) - 1, "paper_api": described,
                          "masks": edit_masks})
    draws = log.stop()

    calls = len(capture.calls)
    assert len(draws) == calls, f"{len(draws)} draws for {calls} calls"
    for d in draws:
        assert d["fn"] == "torch.randn" and d["caller"] == "__call__" and d["shape"] == [1, 4, SIZE // 8, SIZE // 8], d
    # The class's automatic flushes: T hidden calls before the first visible one and after
    # each edit that resets `flushed` (all but update_masks).
    visible = list(capture.visible)
    assert visible[:T + 1] == [False] * T + [True], visible
    step_latents = torch.stack(capture.calls)                      # [calls, T, 4, h, w]
    last = max(i for i, v in enumerate(visible) if v)
    name = c["name"]
    tensors = {}
    if c["keep_image"]:
        with torch.no_grad():  # the class's own decode (TAESD), of the last visible frame's latent
            tensors["last_visible_image"] = store.put(f"{name}.last_visible_image",
                                                      pipe.decode_latents(step_latents[last, -1:].clone()))
    entry = {
        "seed": c["seed"], "timesteps": timesteps, "calls": calls, "visible": visible, "edits": edits,
        "scenes": scenes,
        "paper_constructor": {"t_index_list": c["t_index_list"], "cfg_type": c["cfg_type"],
                              "guidance_scale": c["guidance"], "delta": c["delta"], "seed": c["seed"],
                              "bootstrap_steps": c["bootstrap_steps"], "bootstrap_mix_steps": c["mix_steps"],
                              "mask_type": c["mask_type"], "preprocess_mask_cover_alpha": 0.3,
                              "width": SIZE, "height": SIZE},
        "paper_effective_guidance": float(pipe.guidance_scale),
        "draws": "init_noise [T,4,h,w] from the class's generator (construction), then one torch.randn "
                 "[1,4,h,w] per __call__ (flush calls included), in call order",
        "tensors": dict(tensors, **{
            "init_noise": store.put(f"{name}.init_noise", pipe.init_noise),
            "fresh_noise": store.put(f"{name}.fresh_noise", torch.cat([d["tensor"] for d in draws])),
            "step_latents": store.put(f"{name}.step_latents", step_latents),
            "masks": masks0,
        }),
        "last_visible_call": last,
    }
    print(f"  {name}: timesteps {timesteps}, {calls} calls ({sum(visible)} visible), edits "
          f"{[e['before_call'] for e in edits]}, |latent| max {step_latents.abs().max():.4f}")
    return entry


STREAM_NOISE_ORDER = "N = init_noise at the reset; then one fresh noise per call, hidden flush calls included"
