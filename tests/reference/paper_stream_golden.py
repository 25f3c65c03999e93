"""Parity goldens from the SemanticDraw paper's OWN stream class (StreamMultiDiffusion,
src/model/streammultidiffusion.py), run on our tiny seeded model with every random draw
it makes recorded, so tests/parity/paper_stream_parity_test.cpp can replay them through
the engine's StreamBatch (docs/ALGORITHM.md §8).

    .venv-ref/bin/python tests/reference/paper_stream_golden.py --paper /tmp/sd [--model /tmp/tiny]

Companion of paper_golden.py (the one-shot class): same checkout (--paper), same model
(--model), same draw log and tensor store, imported from there. Nothing of the paper's
code is copied here; the class is constructed and driven through its public methods.

RUN-TIME patches (also listed in paper_stream.json under "patches"):
  * load_model: paper_golden's patch (a StableDiffusionPipeline assembled from the tiny
    folder, fp32, CPU; load_lora_weights a no-op), and pipe.fuse_lora a no-op (no LCM-LoRA
    is loaded; the tiny UNet stands for the LCM-distilled one).
  * AutoencoderTiny.from_pretrained('madebyollin/taesd') loads the folder's taesd/ in fp32
    (the stream's codec; the engine's stream uses the same TAESD).
  * Blip2Processor / Blip2ForConditionalGeneration.from_pretrained return None (the class
    loads BLIP-2 unconditionally; every background is given with its prompt, so the
    captioner is never called).
  * constructor arguments: device cpu, dtype float32, use_xformers=False, the case's
    t_index_list, cfg_type, guidance_scale, delta, bootstrap settings, mask_type, 64x64.
  * decode_latents casts its input to the class dtype: __call__ decodes latent.half(),
    which the fp32 TAESD cannot take. The compared latents are recorded before that cast
    (the output of unet_step), so the half rounding never reaches them.
  * capture only: unet_step is wrapped to record its result (the T aggregated step
    latents of the call; the last one is the frame), __call__ to note which calls were
    visible (decoded) and which were the class's automatic flush. None changes a value.
The photo is handed over as a PIL image built from its exact 8-bit values (the class
resizes it to the canvas: at canvas size PIL returns a copy) and the masks as a
[3,1,64,64] tensor (the class blurs a tensor at its own size: the 32x32 painted masks are
resized to the canvas bilinearly first, as the engine resizes them, and the scene holds
the 64x64 masks so the engine's resize is the identity).

Random draws: the class draws its per-step noises `init_noise` [T,4,h,w] once, from its
own generator at construction (reset_seed), and one torch.randn [1,4,h,w] per __call__,
hidden flush calls included. The engine draws N [T,C,h,w] at a reset, then one fresh
[1,C,h,w] per step(): init_noise -> N, the k-th __call__'s draw -> the k-th step()'s
fresh noise. The class flushes automatically (T calls without decoding) before its first
visible frame and after every committed update; the test runs the same number of step()s,
so every call, hidden or not, is compared.

Edits: the paper's per-layer path (update() + commit() -> update_single_layer) re-processes
an edited MASK alone, which the engine deliberately does not (docs/ALGORITHM.md §10), so
masks are only ever changed through the all-masks paths (update_masks, update_layers);
update() + commit() is used for prompt-only edits, where both compute the same thing.

Writes tests/data/paper/paper_stream.json and paper_stream.safetensors. Deterministic:
CPU fp32, fixed seeds, one thread.
"""
import argparse
import pathlib
import sys
import warnings

import torch
import torch.nn.functional as F
from diffusers import AutoencoderTiny
from PIL import Image

from paper_golden import (BACKGROUND_PROMPT, REGIONS, DrawLog, Store, import_paper, patch_paper, photo,
                          write_goldens)
from pipeline_golden import CPP_MODEL, fingerprint, painted_regions

SIZE = 64
PATCHES = [
    "load_model -> StableDiffusionPipeline from the tiny folder, fp32, CPU; load_lora_weights and "
    "fuse_lora -> no-ops (no LCM-LoRA download)",
    "AutoencoderTiny.from_pretrained('madebyollin/taesd') -> the folder's taesd/, fp32",
    "Blip2Processor / Blip2ForConditionalGeneration.from_pretrained -> None (never called: every "
    "background is given with its prompt)",
    "constructor: device=cpu, dtype=float32, use_xformers=False",
    "decode_latents casts its input to float32 (__call__ passes latent.half()); compared latents are "
    "recorded before it",
    "capture only: unet_step result (all T step latents of a call), __call__ visible/flush",
]


def canvas_masks(moved=False):
    """The painted 32x32 masks resized to the canvas (bilinear, half-pixel centres)."""
    small = torch.stack(painted_regions(moved)[:3])[:, None]
    return F.interpolate(small, size=(SIZE, SIZE), mode="bilinear", align_corners=False).clamp(0, 1)[:, 0]


def pil_image(image):
    return Image.fromarray((image * 255).round().to(torch.uint8).permute(1, 2, 0).numpy())


# A case: class settings, then a script of actions; each action is one of
#   ("frames", n)                      n visible calls (the first after an edit flushes first)
#   ("update", kwargs)                 update(**kwargs): committed by the next call, then flushed
#   ("update_masks", moved)            all masks at once (no flush: the class keeps `flushed`)
#   ("update_layers", prompt1, moved)  all prompts and masks at once (then flushed)
def case(name, seed, cfg_type, guidance, delta, bootstrap_steps, mix_steps, mask_type, script,
         keep_image=False, prompt_strengths=(1.0, 0.8, 0.9), mask_strengths=(1.0, 0.8, 0.9),
         mask_stds=(1.0, 2.5, 4.0)):
    return dict(name=name, seed=seed, cfg_type=cfg_type, guidance=guidance, delta=delta, keep_image=keep_image,
                bootstrap_steps=bootstrap_steps, mix_steps=mix_steps, mask_type=mask_type, script=script,
                prompt_strengths=list(prompt_strengths), mask_strengths=list(mask_strengths),
                mask_stds=list(mask_stds), t_index_list=[0, 4, 12, 25, 37])


CASES = [
    # No guidance: a prompt edit through update()/commit(), then a moved mask through
    # update_masks (all masks re-processed together, as the engine does).
    case("paper_stream_none", 501, "none", 1.2, 1.0, 1, 1.0, "continuous",
         [("frames", 7), ("update", {"idx": 1, "prompt": "a blue heron"}), ("frames", 3),
          ("update_masks", True), ("frames", 6)], keep_image=True),
    # Residual (self) guidance, two bootstrap steps with a fractional white/photo mix;
    # edit: new prompt and moved mask together through update_layers.
    case("paper_stream_self", 502, "self", 1.2, 1.0, 2, 1.5, "continuous",
         [("frames", 6), ("update_layers", "a blue heron", True), ("frames", 4)]),
    # Full guidance (an unconditional copy of every entry); a prompt edit via update().
    case("paper_stream_full", 503, "full", 1.3, 1.0, 1, 1.0, "continuous",
         [("frames", 6), ("update", {"idx": 2, "prompt": "a stone tower"}), ("frames", 3)]),
    # Initialize guidance (an unconditional copy of step 0 only), delta 0.9; a moved mask.
    # No prompt edit here: update_single_layer splits the embeddings into two equal halves,
    # but this mode's layout is p unconditional + T*p conditional rows, so the edited
    # region's conditional rows of steps 0 and 1 (T=5, p=3) would get its unconditional
    # embedding, a paper bug the engine does not reproduce.
    case("paper_stream_initialize", 504, "initialize", 1.2, 0.9, 1, 1.0, "continuous",
         [("frames", 6), ("update_masks", True), ("frames", 5)]),
]


# --- the paper's class ----------------------------------------------------------------

def patch_stream(paper_one_shot, folder):
    """Patches the stream module (run-time only) and returns it."""
    import streammultidiffusion as stream_module

    patch_paper(paper_one_shot, folder)          # load_model (+ load_lora_weights no-op), tqdm, posterior mean
    one_shot_load = paper_one_shot.load_model

    def load_model(*args, **kwargs):
        pipe = one_shot_load(*args, **kwargs)
        pipe.fuse_lora = lambda *a, **k: None
        return pipe

    class TinyAutoencoder:
        @staticmethod
        def from_pretrained(key, *args, **kwargs):
            assert key == "madebyollin/taesd", key
            return AutoencoderTiny.from_pretrained(folder / "taesd", torch_dtype=torch.float32).eval()

    class NoBlip:
        @staticmethod
        def from_pretrained(*args, **kwargs):
            return None

    stream_module.load_model = load_model
    stream_module.AutoencoderTiny = TinyAutoencoder
    stream_module.Blip2Processor = stream_module.Blip2ForConditionalGeneration = NoBlip
    return stream_module


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
    regions = [{"prompt": p, "negative_prompt": n, "prompt_strength": s, "mask_strength": ms, "blur_sigma": sd,
                "enabled": True, "mask": store.shared("input.mask", m)}
               for p, n, s, ms, sd, m in zip(prompts, [n for _, n in REGIONS], c["prompt_strengths"],
                                             c["mask_strengths"], c["mask_stds"], masks)]
    return {"width": SIZE, "height": SIZE,
            "background": {"image": store.shared("input.image", image), "prompt": BACKGROUND_PROMPT[0],
                           "negative_prompt": BACKGROUND_PROMPT[1]},
            "regions": regions,
            "settings": {"step_indices": c["t_index_list"], "mask_mode": c["mask_type"],
                         "bootstrap_steps": c["bootstrap_steps"], "bootstrap_mix_steps": c["mix_steps"],
                         "cover_alpha": 0.3, "guidance": c["guidance"], "cfg_type": c["cfg_type"],
                         "delta": c["delta"], "seed": c["seed"]}}


def run_case(stream_module, capture, log, store, c):
    image = photo(SIZE, SIZE)
    pipe = stream_module.StreamMultiDiffusion(
        torch.device("cpu"), dtype=torch.float32, use_xformers=False, t_index_list=c["t_index_list"],
        width=SIZE, height=SIZE, guidance_scale=c["guidance"], delta=c["delta"], cfg_type=c["cfg_type"],
        seed=c["seed"], bootstrap_steps=c["bootstrap_steps"], bootstrap_mix_steps=c["mix_steps"],
        preprocess_mask_cover_alpha=0.3, mask_type=c["mask_type"])
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--paper", type=pathlib.Path, required=True,
                        help="checkout of the paper's code")
    parser.add_argument("--model", type=pathlib.Path, default=CPP_MODEL)
    args = parser.parse_args()
    if not (args.model / "model_index.json").exists() or not (args.model / "taesd").is_dir():
        sys.exit(f"{args.model}: no model with a taesd/ folder; run semdraw-cli make-model --preset tiny "
                 f"--seed 7 --out {args.model}")
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    _, paper_one_shot = import_paper(args.paper)
    stream_module = patch_stream(paper_one_shot, args.model)
    capture = StreamCapture(stream_module.StreamMultiDiffusion)
    log = DrawLog()
    store = Store()
    golden = {"generator": "tests/reference/paper_stream_golden.py", "paper_class": "StreamMultiDiffusion",
              "paper_module": "src/model/streammultidiffusion.py", "model_folder": str(args.model),
              "model_sha256": fingerprint(args.model), "patches": PATCHES,
              "noise_order": "N = init_noise at the reset; then one fresh noise per call, hidden flush calls "
                             "included",
              "cases": {}}
    for c in CASES:
        golden["cases"][c["name"]] = run_case(stream_module, capture, log, store, c)

    write_goldens(store, golden, "paper_stream")


if __name__ == "__main__":
    main()
