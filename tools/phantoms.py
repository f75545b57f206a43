# Seeded procedural "scan-like" grayscale phantoms for Sightline's demonstration models — NOT
# clinical data. One image = air, a body outline with tissue texture, one lesion whose type gives
# the label, its exact ground-truth mask and outline, concept labels, and optionally a corner marker.
import math

import numpy as np

SIZE = 96
LABELS = ["cyst", "benign nodule", "malignant mass"]
CONCEPTS = ["irregular margin", "spiculated", "calcified", "low density (fluid)", "large"]
# The corner marker (a hospital-tag-like "L" plate): rows, columns of its box, top-left corner.
MARKER_BOX = (3, 3, 13, 13)  # y0, x0, y1, x1 (exclusive)
# Radius (pixels) from which a lesion counts as "large".
LARGE_RADIUS = 9.0
# Outline vertices per lesion (the mask is rasterised from the same radial function).
OUTLINE_POINTS = 180


def gaussian_blur(image, sigma):
    """Periodic Gaussian smoothing through the FFT (texture only, so wrap-around is harmless)."""
    h, w = image.shape
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    kernel = np.exp(-2 * (math.pi ** 2) * (sigma ** 2) * (fx ** 2 + fy ** 2))
    return np.real(np.fft.ifft2(np.fft.fft2(image) * kernel))


def smooth_noise(rng, sigma):
    field = gaussian_blur(rng.standard_normal((SIZE, SIZE)), sigma)
    return field / (field.std() + 1e-8)


def radial_profile(rng, lesion_type, radius, spiculated, irregular):
    """The lesion's radius at OUTLINE_POINTS angles: an ellipse with lobulation, irregularity, spicules."""
    theta = np.linspace(0, 2 * math.pi, OUTLINE_POINTS, endpoint=False)
    aspect = rng.uniform(0.8, 1.0) if lesion_type == 0 else rng.uniform(0.6, 0.9)
    tilt = rng.uniform(0, math.pi)
    # an ellipse's radius in polar form
    r = radius * aspect / np.sqrt((aspect * np.cos(theta - tilt)) ** 2 + np.sin(theta - tilt) ** 2)
    if lesion_type == 1 and rng.random() < 0.5:
        # lobulated (benign): a few broad bumps, still a smooth margin
        k = rng.integers(3, 6)
        r *= 1 + rng.uniform(0.08, 0.16) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    if irregular:
        wobble = np.zeros_like(theta)
        for k in range(6, 17):
            wobble += rng.standard_normal() / k * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
        r *= 1 + rng.uniform(0.16, 0.26) * wobble / (np.abs(wobble).max() + 1e-8)
    if spiculated:
        for _ in range(rng.integers(6, 12)):
            phi = rng.uniform(0, 2 * math.pi)
            width = rng.uniform(0.10, 0.16)
            delta = np.angle(np.exp(1j * (theta - phi)))
            r += rng.uniform(0.5, 0.9) * radius * np.clip(1 - np.abs(delta) / width, 0, None)
    return theta, r


def rasterise(theta, r, cy, cx, supersample=4):
    """Fraction of each pixel inside the star-shaped outline (pixel centres at integer + 0.5)."""
    n = SIZE * supersample
    coords = (np.arange(n) + 0.5) / supersample
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    dy, dx = yy - cy, xx - cx
    rho = np.hypot(dy, dx)
    angle = np.mod(np.arctan2(dy, dx), 2 * math.pi)
    boundary = np.interp(angle, np.append(theta, 2 * math.pi), np.append(r, r[0]))
    inside = (rho <= boundary).astype(np.float64)
    return inside.reshape(SIZE, supersample, SIZE, supersample).mean(axis=(1, 3))


def disk(cy, cx, radius, supersample=4):
    n = SIZE * supersample
    coords = (np.arange(n) + 0.5) / supersample
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    inside = ((yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2).astype(np.float64)
    return inside.reshape(SIZE, supersample, SIZE, supersample).mean(axis=(1, 3))


def draw_marker(image):
    """A bright plate with an "L" in the top-left corner, outside the body."""
    y0, x0, y1, x1 = MARKER_BOX
    image[y0:y1, x0:x1] = 0.85
    image[y0 + 2:y1 - 2, x0 + 3:x0 + 5] = 0.15
    image[y1 - 4:y1 - 2, x0 + 3:x1 - 2] = 0.15


def concept_draws(rng, lesion_type):
    """Concepts per lesion type: label = cyst iff low density, malignant iff irregular margin."""
    irregular = lesion_type == 2
    spiculated = irregular and rng.random() < 0.6
    calcified = rng.random() < (0.1 if lesion_type == 0 else 0.4)
    large = rng.random() < (0.6 if lesion_type == 2 else 0.5)
    return irregular, spiculated, calcified, large


def phantom(seed, lesion_type=None, marker=False):
    """One phantom: image (float, 0–1), mask (uint8), outline [[x, y], …], label, concepts, marker flag."""
    rng = np.random.default_rng(seed)
    if lesion_type is None:
        lesion_type = int(rng.integers(0, 3))
    irregular, spiculated, calcified, large = concept_draws(rng, lesion_type)

    # body: a perturbed ellipse, centred, clear of the corners (where the marker goes)
    theta_grid = np.linspace(0, 2 * math.pi, 360, endpoint=False)
    ay, ax = rng.uniform(34, 40), rng.uniform(38, 44)
    body_r = (ay * ax) / np.sqrt((ay * np.cos(theta_grid)) ** 2 + (ax * np.sin(theta_grid)) ** 2)
    for k in (2, 3, 4):
        body_r *= 1 + rng.uniform(0.0, 0.03) * np.cos(k * theta_grid + rng.uniform(0, 2 * math.pi))
    cy, cx = SIZE / 2 + rng.uniform(-2, 2), SIZE / 2 + rng.uniform(-2, 2)
    body = rasterise(theta_grid, body_r, cy, cx, supersample=2)
    skin = np.clip(body - rasterise(theta_grid, body_r - 1.5, cy, cx, supersample=2), 0, 1)

    tissue = 0.42 + 0.05 * smooth_noise(rng, 1.2) + 0.06 * smooth_noise(rng, 5)
    # darker "organs" and a smooth intensity bias, as a real scan has
    for _ in range(rng.integers(1, 4)):
        oy, ox = cy + rng.uniform(-22, 22), cx + rng.uniform(-26, 26)
        tissue -= 0.08 * disk(oy, ox, rng.uniform(5, 10), supersample=2)
    yy, xx = np.meshgrid(np.arange(SIZE), np.arange(SIZE), indexing="ij")
    tissue += 0.04 * ((yy - cy) * rng.uniform(-1, 1) + (xx - cx) * rng.uniform(-1, 1)) / SIZE
    image = 0.03 + body * (tissue - 0.03) + 0.12 * skin

    # lesion, kept inside the body
    radius = rng.uniform(LARGE_RADIUS, 13) if large else rng.uniform(5, LARGE_RADIUS - 0.5)
    theta, r = radial_profile(rng, lesion_type, radius, spiculated, irregular)
    reach = r.max() + 2
    while True:
        ly, lx = cy + rng.uniform(-24, 24), cx + rng.uniform(-28, 28)
        dy, dx = (ly - cy) / (ay - reach), (lx - cx) / (ax - reach)
        if dy * dy + dx * dx <= 1:
            break
    coverage = rasterise(theta, r, ly, lx)
    mask = (coverage >= 0.5).astype(np.uint8)
    if lesion_type == 0:
        # cyst: dark, homogeneous fluid, sharp wall
        interior = 0.17 + 0.01 * smooth_noise(rng, 1)
        edge = coverage
    else:
        interior = 0.68 + 0.05 * smooth_noise(rng, 1.5)
        # malignant margins are ill-defined: a softened transition
        edge = np.clip(gaussian_blur(coverage, 0.5), 0, 1) if irregular else coverage
    image = image * (1 - edge) + interior * edge
    if calcified:
        # coarse "popcorn" calcifications in benign lesions, fine clustered ones in malignant
        count, size = ((rng.integers(4, 10), (0.7, 1.0)) if lesion_type == 2 else (rng.integers(1, 4), (1.4, 2.2)))
        placed = 0
        while placed < count:
            py, px = ly + rng.uniform(-radius, radius) * 0.7, lx + rng.uniform(-radius, radius) * 0.7
            if mask[int(py), int(px)]:
                dot = disk(py, px, rng.uniform(*size))
                image = image * (1 - dot) + 0.97 * dot
                placed += 1
    if marker:
        draw_marker(image)
    image = np.clip(image + 0.015 * rng.standard_normal(image.shape), 0, 1)

    outline = [[float(lx + ri * math.cos(t)), float(ly + ri * math.sin(t))] for t, ri in zip(theta, r)]
    concepts = [int(irregular), int(spiculated), int(calcified), int(lesion_type == 0), int(large)]
    return {
        "image": image,
        "mask": mask,
        "outline": outline,
        "label": lesion_type,
        "concepts": concepts,
        "marker": bool(marker),
    }


def to_uint8(image):
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
