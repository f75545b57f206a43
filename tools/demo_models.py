# The demonstration models' architectures (PyTorch): a small CNN (also the "shortcut" CNN), a small
# ViT whose attention softmax is an explicit graph tensor, and a concept bottleneck model whose label
# head sees only the concept probabilities (and is exported alone for interventions).
import torch
from torch import nn


def conv_block(cin, cout):
    # batch norm speeds up training; it is folded into the conv before export (fold_batch_norms)
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]


class DemoCNN(nn.Module):
    """Five 3×3 conv layers (96 → 12 px, max pooling between), global average pooling, one linear
    classifier: small enough to train in a minute or two on a CPU."""

    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(
            *conv_block(1, 8), nn.MaxPool2d(2),
            *conv_block(8, 16), nn.MaxPool2d(2),
            *conv_block(16, 32), nn.MaxPool2d(2),
            *conv_block(32, 64),
            *conv_block(64, 64),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(64, classes)

    def embed(self, x):
        return torch.flatten(self.pool(self.features(x)), 1)

    def forward(self, x):
        return self.classifier(self.embed(x))


def fold_batch_norms(sequential):
    """The same network in eval mode with each Conv → BatchNorm pair merged into one Conv."""
    layers = list(sequential)
    folded = []
    for layer in layers:
        if isinstance(layer, nn.BatchNorm2d) and folded and isinstance(folded[-1], nn.Conv2d):
            conv = folded[-1]
            scale = layer.weight / torch.sqrt(layer.running_var + layer.eps)
            merged = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding)
            with torch.no_grad():
                merged.weight.copy_(conv.weight * scale[:, None, None, None])
                merged.bias.copy_((conv.bias - layer.running_mean) * scale + layer.bias)
            folded[-1] = merged
        else:
            folded.append(layer)
    return nn.Sequential(*folded)


class Attention(nn.Module):
    """Multi-head self-attention written out, so softmax(q·kᵀ·scale) is a tensor of the exported graph."""

    def __init__(self, dim, heads, tokens):
        super().__init__()
        self.heads, self.tokens, self.head_dim = heads, tokens, dim // heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        # batch as -1 and every other size constant: no shape arithmetic in the exported graph
        qkv = self.qkv(x).reshape(-1, self.tokens, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attention = torch.softmax(torch.matmul(q, k.transpose(-2, -1)) * self.scale, dim=-1)
        out = torch.matmul(attention, v).transpose(1, 2).reshape(-1, self.tokens, self.heads * self.head_dim)
        return self.proj(out)


class Block(nn.Module):
    def __init__(self, dim, heads, tokens, mlp_ratio=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, tokens)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class DemoViT(nn.Module):
    """Square patches of a 96×96 image (12 px: an 8×8 grid), one class token, pre-norm encoder blocks."""

    def __init__(self, classes, size=96, patch=8, dim=64, depth=4, heads=4):
        super().__init__()
        self.grid = size // patch
        tokens = self.grid * self.grid + 1
        self.patch_embed = nn.Conv2d(1, dim, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, tokens, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads, tokens) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        patches = self.patch_embed(x).flatten(2).transpose(1, 2)
        cls = self.cls_token + torch.zeros_like(patches[:, :1, :])  # the class token, per image
        x = torch.cat([cls, patches], dim=1) + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0])


class LabelHead(nn.Module):
    """Concept probabilities → class logits (the only path from the image to the label)."""

    def __init__(self, concepts, classes, hidden=16):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(concepts, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, concepts):
        return self.layers(concepts)


class ConceptBottleneck(nn.Module):
    """Koh et al. 2020 (joint training): image → concept probabilities → label; returns (logits, concepts)."""

    def __init__(self, concepts, classes):
        super().__init__()
        # the demo CNN whose classifier gives one logit per concept
        self.concept_net = DemoCNN(concepts)
        self.label_head = LabelHead(concepts, classes)

    def forward(self, x):
        concepts = torch.sigmoid(self.concept_net(x))
        return self.label_head(concepts), concepts


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())

