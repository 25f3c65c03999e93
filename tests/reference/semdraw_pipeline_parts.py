"""Pieces shared by the one-shot (docs/ALGORITHM.md §7) and stream (§8) references:
the step schedule, the latent codecs, the prompt cache, mask centring (§5),
the LCM step and latent aggregation (§6). Written from that description on top
of diffusers components; the C++ engine is compared against what these produce.

Choices where docs/ALGORITHM.md leaves room (the same list is in the report):
  * Noise levels for mask quantisation are sqrt(1 - a) with `a` the float32
    alphas_cumprod of diffusers' LCMScheduler, widened to float64 before the
    subtraction; every other per-step factor (sqrt(a), sqrt(1-a), c_skip, c_out)
    is computed in float32 exactly as LCMScheduler.step does.
  * The centring bounding box (§5) is taken over the step's quantised
    latent-size mask m_{i,k} > 0 (the mask actually used for that entry).
  * Aggregation (§6): where count_k == 0 the weighted sum (which is 0 there)
    is kept undivided.
  * Prompts are encoded as diffusers' StableDiffusionPipeline does: pad to 77
    with the tokenizer's pad token, truncate, no attention mask, last hidden
    state (after the final layer norm).
"""
import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, AutoencoderTiny, LCMScheduler

from semdraw_reference import process_masks

DEFAULT_STEP_INDICES = [0, 4, 12, 25, 37]
DEFAULT_BACKGROUND_PROMPT = "simple white background"


# --- schedule -------------------------------------------------------------------

class Schedule:
    """Timesteps of one render plus every per-step factor, from LCMScheduler."""

    def __init__(self, scheduler: LCMScheduler, timesteps):
        self.scheduler = scheduler
        self.timesteps = torch.as_tensor([int(t) for t in timesteps], dtype=torch.int64)
        self.alphas_cumprod = scheduler.alphas_cumprod.to(torch.float32)

    @classmethod
    def from_indices(cls, scheduler: LCMScheduler, indices):
        """Indices into the 50-step LCM schedule (999, 979, ..., 19)."""
        original = scheduler.config.original_inference_steps
        scheduler.set_timesteps(original)
        table = scheduler.timesteps
        for i in indices:
            if not 0 <= i < len(table):
                raise ValueError(f"step index {i} is outside the {original}-step LCM schedule")
        return cls(scheduler, [table[i] for i in indices])

    @classmethod
    def from_count(cls, scheduler: LCMScheduler, steps: int):
        """The N timesteps diffusers' LCMScheduler.set_timesteps(N) picks."""
        scheduler.set_timesteps(steps)
        return cls(scheduler, list(scheduler.timesteps))

    def __len__(self):
        return len(self.timesteps)

    def alpha(self, t):
        return self.alphas_cumprod[torch.as_tensor(t, dtype=torch.int64)]

    def noise_levels(self):
        return [float((1.0 - float(self.alpha(t))) ** 0.5) for t in self.timesteps]

    def add_noise(self, original, noise, t):
        """sqrt(a(t)) x + sqrt(1 - a(t)) n; t an int (raw timestep, not an index)."""
        t = torch.as_tensor([int(t)], dtype=torch.int64)
        return self.scheduler.add_noise(original, noise, t)

    def renoise(self, latent, noise, t):
        """Same as LCMScheduler.step's re-noising: a.sqrt()*x + (1-a).sqrt()*n."""
        a = self.alpha(t)
        return a.sqrt() * latent + (1 - a).sqrt() * noise


def lcm_denoise(schedule: Schedule, sample, eps, t):
    """One LCM step to the denoised sample, written the way LCMScheduler.step
    computes it (float32, tensor timestep) so that N-step renders match it."""
    t = torch.as_tensor(int(t), dtype=torch.int64)
    a = schedule.alpha(t)
    b = 1 - a
    c_skip, c_out = schedule.scheduler.get_scalings_for_boundary_condition_discrete(t)
    x0 = (sample - b.sqrt() * eps) / a.sqrt()
    return c_out * x0 + c_skip * sample


# --- codecs -----------------------------------------------------------------------

class Codec:
    """Image [B,3,H,W] in [0,1] <-> SD-scaled latent [B,4,H/8,W/8].

    AutoencoderTiny (TAESD) works in the SD-scaled latent space directly (its
    config scaling_factor is 1.0 and is not applied); AutoencoderKL latents are
    the posterior mean times config.scaling_factor (0.18215 for SD1.5)."""

    def __init__(self, vae):
        if isinstance(vae, AutoencoderTiny):
            self.kind = "taesd"
        elif isinstance(vae, AutoencoderKL):
            self.kind = "kl"
            self.scale = float(vae.config.scaling_factor)
        else:
            raise TypeError(f"unsupported autoencoder {type(vae).__name__}")
        self.vae = vae

    @torch.no_grad()
    def encode(self, image):
        x = image * 2 - 1
        if self.kind == "taesd":
            return self.vae.encode(x).latents
        return self.vae.encode(x).latent_dist.mean * self.scale

    @torch.no_grad()
    def decode(self, latent):
        if self.kind == "taesd":
            out = self.vae.decode(latent).sample
        else:
            out = self.vae.decode(latent / self.scale).sample
        return (out / 2 + 0.5).clamp(0, 1)


def canvas_image(image, height, width):
    """Background image [3,H0,W0] in [0,1] -> [1,3,H,W], bilinear, half-pixel centres."""
    image = image.float()[None]
    if image.shape[-2:] != (height, width):
        image = F.interpolate(image, size=(height, width), mode="bilinear", align_corners=False)
    return image


# --- prompts --------------------------------------------------------------------

class PromptCache:
    """Text -> conditioning [1,77,D]; encodes each distinct text once (§3)."""

    def __init__(self, text_encoder, tokenizer):
        self.text_encoder = text_encoder
        self.tokenizer = tokenizer
        self.cache = {}
        self.encoded = []  # texts in the order they were encoded (tests read it)

    @torch.no_grad()
    def __call__(self, text):
        if text not in self.cache:
            ids = self.tokenizer(text, padding="max_length", max_length=self.tokenizer.model_max_length,
                                 truncation=True, return_tensors="pt").input_ids
            self.cache[text] = self.text_encoder(ids)[0]
            self.encoded.append(text)
        return self.cache[text]


def region_conditioning(prompts: PromptCache, background, regions):
    """Per region (lerp(e_bg, e_i, s_i), lerp(u_bg, u_i, s_i)) as [p,77,D] each."""
    e_bg = prompts(background["prompt"])
    u_bg = prompts(background.get("negative_prompt") or "")
    cond, uncond = [], []
    for r in regions:
        s = float(r.get("prompt_strength", 1.0))
        cond.append(torch.lerp(e_bg, prompts(r["prompt"]), s))
        uncond.append(torch.lerp(u_bg, prompts(r.get("negative_prompt") or ""), s))
    return torch.cat(cond), torch.cat(uncond)


# --- masks ----------------------------------------------------------------------

def scene_masks(regions, settings, noise_levels, height, width, default_sigma):
    """process_masks (§2) on the scene's regions; returns its stages (masks [p,T,h,w]).
    default_sigma (§2 step 3) for a region without blur_sigma: these references use
    8 in the live stream, 1 in one-shot renders."""
    painted = torch.stack([r["mask"].float() for r in regions])
    stages = process_masks(painted,
                           [float(r.get("blur_sigma", default_sigma)) for r in regions],
                           [float(r.get("mask_strength", 1.0)) for r in regions],
                           noise_levels, settings["mask_mode"], float(settings["cover_alpha"]), height, width)
    # §2 runs in float64; the pipelines use the masks in their own dtype.
    for name in ("masks", "count", "background"):
        stages[name] = stages[name].float()
    return stages


def centring_shift(mask):
    """§5: shift of a [h,w] mask's bounding-box centre from the latent centre."""
    h, w = mask.shape
    rows = torch.nonzero(mask.gt(0).any(dim=1)).flatten()
    cols = torch.nonzero(mask.gt(0).any(dim=0)).flatten()
    top, bottom = (int(rows[0]), int(rows[-1])) if len(rows) else (0, 0)
    left, right = (int(cols[0]), int(cols[-1])) if len(cols) else (0, 0)
    return ((top + bottom + 1) // 2 - h // 2, (left + right + 1) // 2 - w // 2)


def roll(x, shift, sign):
    """Roll a [...,h,w] tensor by sign*shift (sign -1 centres, +1 undoes it)."""
    return torch.roll(x, shifts=(sign * shift[0], sign * shift[1]), dims=(-2, -1))


def aggregate(denoised, masks, background_latent):
    """§6 for one step: denoised [p,4,h,w], masks [p,h,w], background [1,4,h,w]."""
    m = masks[:, None]
    count = masks.sum(0)[None, None]
    bg = (1 - count).clamp(0, 1)
    total = (m * denoised).sum(0, keepdim=True)
    latent = torch.where(count > 0, total / torch.where(count > 0, count, torch.ones_like(count)), total)
    return (1 - bg) * latent + bg * background_latent


def bootstrap_latents(z_white, z_bg, mix_steps, steps):
    """§4: b_k = mix_k z_white + (1 - mix_k) z_bg, mix_k = clip(mix_steps - k, 0, 1)."""
    out = []
    for k in range(steps):
        mix = min(max(float(mix_steps) - k, 0.0), 1.0)
        out.append(mix * z_white + (1 - mix) * z_bg)
    return out
