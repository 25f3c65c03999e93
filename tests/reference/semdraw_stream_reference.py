"""Reference of docs/ALGORITHM.md §8, the multi-prompt stream batch ("Live"),
written from that description on top of diffusers components. Plain loops, one
entry per (step, region), so it reads like the description.

Usage:
    stream = StreamReference(unet, text_encoder, tokenizer, Codec(taesd), LCMScheduler(), settings)
    stream.update(scene)
    stream.set_noises(per_step_noise)        # [T,4,h,w]: N_0 .. N_{T-1}
    latent = stream.step(fresh_noise)        # [1,4,h,w]: latent_{T-1} of this call
    image = stream.decode(latent)

Choices where the description leaves room (also in the report):
  S1 `settings` given to the constructor are the defaults; a scene's
     `settings` entry overrides them key by key. Defaults (as in
     docs/ALGORITHM.md): mask_mode "continuous" (the public reference's stream default),
     bootstrap_mix_steps 1, guidance 1.0, delta 1.0 (StreamDiffusion's
     residual-CFG default). The goldens store every setting explicitly.
  S2 Changing the step indices or the canvas size resets the stream
     (X and S to zeros) and needs set_noises() again; other edits keep X and S.
  S3 Guidance: cfg_type "none" means g = 1. For every cfg_type, guidance
     (and the unconditional batch) only happens when g > 1, as in
     StreamDiffusion; with g <= 1, full/self/initialize behave as none
     (eps = eps_c, no unconditional UNet entries).
  S4 "full" appends the unconditional batch in front: UNet batch =
     [uncond (T*p entries), cond (T*p entries)]; "initialize" likewise puts
     its p unconditional step-0 entries first. Order does not change results.
  S5 Centring (§5): the shift of entry (k,i) comes from the bounding box of
     its quantised latent mask m_{i,k} > 0. The UNet input (after the
     bootstrap composite) is rolled by -shift; the prediction(s) of that entry
     (conditional and unconditional) are rolled back by +shift right after the
     UNet, so guidance (with the un-rolled stock noise S_k), the LCM step and
     aggregation all happen in canvas coordinates. Rolling is skipped entirely
     when bootstrap_steps == 0.
  S6 The bootstrap composite uses m_{i,k} for steps k < bootstrap_steps; the
     noised bootstrap latent is add_noise(b_k, S_k, t_k).
  S7 Step 5's background for k < T-1 is add_noise(z_bg, S_{k+1}, t) with t
     the RAW index value step_indices[k+1] (the reference implementation's
     quirk, kept for parity: BACKGROUND_NOISE_FROM_RAW_INDEX); z_bg for k = T-1.
  S8 Background: an image is resized (bilinear) to the canvas and encoded
     with the stream codec; without one z_bg = z_white = encode(all-ones
     image). A background prompt of None means "simple white background";
     any string (also "") is used as given.
  S9 Prompt strength s_i lerps both the prompt and the negative prompt
     embeddings from the background's (torch.lerp).
"""
import torch

from semdraw_pipeline_parts import (DEFAULT_BACKGROUND_PROMPT, DEFAULT_STEP_INDICES, Codec, PromptCache,
                                    Schedule, aggregate, bootstrap_latents, canvas_image, centring_shift,
                                    lcm_denoise, region_conditioning, roll, scene_masks)

STREAM_DEFAULTS = {
    "step_indices": DEFAULT_STEP_INDICES,
    "mask_mode": "continuous",
    "bootstrap_steps": 1,
    "bootstrap_mix_steps": 1,
    "cover_alpha": 0.3,
    "cfg_type": "none",
    "guidance": 1.0,
    "delta": 1.0,
}
CFG_TYPES = ("none", "full", "self", "initialize")

# docs/ALGORITHM.md §8 step 5: the reference noises the background for step k with the
# raw index value step_indices[k+1] as timestep (almost clean), not t_{k+1}.
BACKGROUND_NOISE_FROM_RAW_INDEX = True


class StreamReference:
    def __init__(self, unet, text_encoder, tokenizer, codec: Codec, scheduler, settings=None):
        self.unet = unet
        self.codec = codec
        self.scheduler = scheduler
        self.prompts = PromptCache(text_encoder, tokenizer)
        self.defaults = dict(STREAM_DEFAULTS, **(settings or {}))
        self.settings = dict(self.defaults)
        self.schedule = None
        self.size = None
        self.noises = None
        self.X = None
        self.S = None
        self.debug = {}

    # --- scene -------------------------------------------------------------------

    @torch.no_grad()
    def update(self, scene):
        settings = dict(self.defaults, **scene.get("settings", {}))
        if settings["cfg_type"] not in CFG_TYPES:
            raise ValueError(f"settings.cfg_type must be one of {CFG_TYPES}, got {settings['cfg_type']!r}")
        indices = [int(i) for i in settings["step_indices"]]
        size = (int(scene["height"]), int(scene["width"]))
        if self.schedule is None or indices != [int(i) for i in self.settings["step_indices"]] or size != self.size:
            self.schedule = Schedule.from_indices(self.scheduler, indices)
            self.size = size
            self.noises = self.X = self.S = None  # S2: a new stream
        self.settings = settings
        height, width = size
        h, w = height // 8, width // 8

        background = dict(scene.get("background") or {})
        if background.get("prompt") is None:
            background["prompt"] = DEFAULT_BACKGROUND_PROMPT
        regions = [r for r in scene["regions"] if r.get("enabled", True)]
        if not regions:
            raise ValueError("scene has no enabled region")
        self.regions = regions
        self.cond, self.uncond = region_conditioning(self.prompts, background, regions)
        stages = scene_masks(regions, settings, self.schedule.noise_levels(), height, width, 8.0)
        self.masks = stages["masks"]  # [p,T,h,w]

        self.z_white = self.codec.encode(torch.ones(1, 3, height, width))
        image = background.get("image")
        self.z_bg = self.z_white if image is None else self.codec.encode(canvas_image(image, height, width))
        self.bootstrap = bootstrap_latents(self.z_white, self.z_bg, settings["bootstrap_mix_steps"],
                                          len(self.schedule))
        assert self.masks.shape[-2:] == (h, w)

    def set_noises(self, noises):
        """Per-step noises N_0..N_{T-1} [T,4,h,w]; starts the buffers from zeros."""
        T = len(self.schedule)
        h, w = self.size[0] // 8, self.size[1] // 8
        if tuple(noises.shape) != (T, 4, h, w):
            raise ValueError(f"per-step noises must be {(T, 4, h, w)}, got {tuple(noises.shape)}")
        self.noises = noises.float().clone()
        self.X = torch.zeros(T - 1, 4, h, w)
        self.S = torch.zeros(T, 4, h, w)

    # --- one call ----------------------------------------------------------------

    @torch.no_grad()
    def step(self, fresh):
        if self.noises is None:
            raise RuntimeError("call set_noises() after update() before step()")
        st, sched = self.settings, self.schedule
        T, p = len(sched), len(self.regions)
        t = sched.timesteps

        # 1. inputs and stock noise shift
        x = torch.cat([fresh.float(), self.X])
        self.S = torch.cat([self.noises[0:1], self.S[:T - 1]])
        S = self.S

        # 2. one entry per (step, region), step-major
        entries = [(k, i) for k in range(T) for i in range(p)]
        latents = [x[k:k + 1].clone() for k, i in entries]

        # 3. bootstrapping and centring
        boot = int(st["bootstrap_steps"])
        for n, (k, i) in enumerate(entries):
            if k < boot:
                m = self.masks[i, k][None, None]
                noised = sched.add_noise(self.bootstrap[k], S[k:k + 1], t[k])
                latents[n] = (1 - m) * noised + m * latents[n]
        shifts = [centring_shift(self.masks[i, k]) if boot > 0 else (0, 0) for k, i in entries]
        unet_in = [roll(latents[n], shifts[n], -1) for n in range(len(entries))]

        # 4. UNet and guidance
        g = float(st["guidance"]) if st["cfg_type"] != "none" else 1.0
        cfg = st["cfg_type"] if g > 1 else "none"
        delta = float(st["delta"])
        cond = torch.cat([self.cond[i:i + 1] for k, i in entries])
        uncond = torch.cat([self.uncond[i:i + 1] for k, i in entries])
        steps = torch.stack([t[k] for k, i in entries])
        batch = torch.cat(unet_in)
        if cfg == "full":
            eps_u, eps_c = self._unet(torch.cat([batch, batch]), torch.cat([steps, steps]),
                                      torch.cat([uncond, cond])).chunk(2)
            eps_u = self._unroll(eps_u, shifts)
        elif cfg == "initialize":
            out = self._unet(torch.cat([batch[:p], batch]), torch.cat([steps[:p], steps]),
                             torch.cat([uncond[:p], cond]))
            first, eps_c = out[:p], out[p:]
            eps_u = torch.cat([delta * first] + [delta * S[k:k + 1] for k, i in entries[p:]])
            eps_u = torch.cat([self._unroll(eps_u[:p], shifts[:p]), eps_u[p:]])
        else:
            eps_c = self._unet(batch, steps, cond)
            if cfg == "self":
                eps_u = torch.cat([delta * S[k:k + 1] for k, i in entries])
        eps_c = self._unroll(eps_c, shifts)
        eps = eps_c if cfg == "none" else eps_u + g * (eps_c - eps_u)

        # 5. LCM step per entry, then aggregation per step
        denoised = torch.cat([lcm_denoise(sched, latents[n], eps[n:n + 1], t[k])
                              for n, (k, i) in enumerate(entries)])
        per_step = []
        indices = st["step_indices"]
        for k in range(T):
            if k < T - 1:
                bg_t = int(indices[k + 1]) if BACKGROUND_NOISE_FROM_RAW_INDEX else int(t[k + 1])
                background = sched.add_noise(self.z_bg, S[k + 1:k + 2], bg_t)
            else:
                background = self.z_bg
            per_step.append(aggregate(denoised[k * p:(k + 1) * p], self.masks[:, k], background))
        result = torch.cat(per_step)

        # 7. the buffer for the next call
        self.X = torch.cat([sched.renoise(result[k:k + 1], self.noises[k + 1:k + 2], t[k + 1])
                            for k in range(T - 1)]) if T > 1 else self.X
        self.debug = {"inputs": torch.cat(latents), "eps": eps, "denoised": denoised, "latents": result}
        return result[T - 1:T].clone()

    def decode(self, latent):
        return self.codec.decode(latent)

    # --- helpers -----------------------------------------------------------------

    def _unet(self, x, timesteps, context):
        return self.unet(x, timesteps, encoder_hidden_states=context).sample

    @staticmethod
    def _unroll(pred, shifts):
        return torch.cat([roll(pred[n:n + 1], shifts[n], +1) for n in range(pred.shape[0])])
