#!/usr/bin/env python3
"""PyTorch eager reference for `PeftGrid.Benchmarks train --reference`: one training step of a MiniLM-shaped encoder
(6 layers, d=384, 12 heads, d_ff=1536, vocab 30522, post-LN BERT, RoBERTa-style head with 2 classes) at batch 32 x 64
tokens, random weights (throughput only), AdamW (lr 1e-4, weight decay 0.01 on rank >= 2 tensors), clip-norm 1.0, fp32.

The PEFT method is given as the C# side's solved modification list (JSON, PeftGrid's Modification records), so both
sides build the same sizes: LoRA on W_q/W_v (attention weights) or fc1/fc2 (FFN weights), bottleneck adapters (parallel
or sequential, at the attention output before W_o or at the FFN), prefix tuning by concatenation with the MLP
reparametrisation Embedding(l, d) -> Linear(d, mid) -> tanh -> Linear(mid, L*2*d) (PAPER.md sections 1.4-1.13).

Usage: train_reference.py --method NAME --mods JSON --backbone Frozen|Biases|All [--steps N] [--warmup N] [--threads N]
Prints one JSON line: method, trainable counts, step times, torch version and thread counts.
"""
import argparse, json, math, os, re, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, POSITIONS, D, HEADS, D_FF, LAYERS, LABELS = 30522, 512, 384, 12, 1536, 6, 2
BATCH, TOKENS, DROPOUT = 32, 64, 0.1


class Lora(nn.Module):
    """s * (Dropout(x) A^T B^T), A Kaiming-uniform(a=sqrt 5), B = 0."""
    def __init__(self, n_in, n_out, m):
        super().__init__()
        r = m["Size"]
        self.A, self.B = nn.Linear(n_in, r, bias=False), nn.Linear(r, n_out, bias=False)
        nn.init.zeros_(self.B.weight)
        self.drop, self.s = nn.Dropout(m.get("Dropout", 0.1)), m["LoraAlpha"] / r

    def forward(self, x):
        return self.B(self.A(self.drop(x))) * self.s


class Bottleneck(nn.Module):
    """s * (Dropout(ReLU(LN?(z) W_down + b)) W_up + b); BERT or LoRA init."""
    def __init__(self, m):
        super().__init__()
        r = m["Size"]
        self.ln = nn.LayerNorm(D) if m.get("InputLayerNorm") else None
        self.down, self.up = nn.Linear(D, r), nn.Linear(r, D)
        if m.get("Init", "Bert") == "Bert":
            nn.init.normal_(self.down.weight, 0, 0.02); nn.init.normal_(self.up.weight, 0, 0.02)
        else:
            nn.init.kaiming_uniform_(self.down.weight, a=math.sqrt(5)); nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.down.bias); nn.init.zeros_(self.up.bias)
        self.scale = nn.Parameter(torch.ones(1)) if m.get("TrainableScale") else m.get("Scale", 1.0)
        self.drop, self.parallel = nn.Dropout(m.get("Dropout", 0.1)), m["Insertion"] == "Parallel"

    def forward(self, x, h):
        z = x if self.parallel else h
        return self.up(self.drop(F.relu(self.down(self.ln(z) if self.ln is not None else z)))) * self.scale


class PrefixEncoder(nn.Module):
    """Embedding(l, d) -> Linear(d, mid) -> tanh -> Linear(mid, L*2*d), reshaped to per-layer keys/values [l, H, d_h]."""
    def __init__(self, m):
        super().__init__()
        self.l = m["Size"]
        mid = m.get("PrefixMidDim") or 800
        self.emb = nn.Embedding(self.l, D)
        self.mlp = nn.Sequential(nn.Linear(D, mid), nn.Tanh(), nn.Linear(mid, LAYERS * 2 * D))

    def forward(self):
        p = self.mlp(self.emb(torch.arange(self.l)))                      # [l, L*2*d]
        return p.view(self.l, LAYERS, 2, HEADS, D // HEADS).permute(1, 2, 3, 0, 4)  # [L, 2, H, l, d_h]


class Layer(nn.Module):
    def __init__(self, mods):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.ln1, self.fc1, self.fc2, self.ln2 = nn.LayerNorm(D), nn.Linear(D, D_FF), nn.Linear(D_FF, D), nn.LayerNorm(D)
        self.drop = nn.Dropout(DROPOUT)
        self.lora = nn.ModuleDict()
        self.adapters = nn.ModuleDict()
        for m in mods:
            rep, form = m["Representation"], m["Form"]
            if form == "LowRank" and rep == "AttentionWeights":
                self.lora["q"], self.lora["v"] = Lora(D, D, m), Lora(D, D, m)
            elif form == "LowRank" and rep == "FfnWeights":
                self.lora["fc1"], self.lora["fc2"] = Lora(D, D_FF, m), Lora(D_FF, D, m)
            elif form == "ReluBottleneck" and rep in ("Attention", "Ffn"):
                self.adapters[rep] = Bottleneck(m)
            elif form == "PrefixSoftmax" and rep in ("Attention", "HeadAttention") and m.get("Gate", "Concat") == "Concat":
                pass  # keys/values come from the model's PrefixEncoder
            else:
                raise SystemExit(f"train_reference.py: modification {m.get('Name')} ({rep}, {form}) is not implemented here")

    def lin(self, name, x):
        y = getattr(self, name)(x)
        return y + self.lora[name](x) if name in self.lora else y

    def forward(self, x, mask, prefix):
        b, t, _ = x.shape
        heads = lambda z: z.view(b, -1, HEADS, D // HEADS).transpose(1, 2)  # [B, H, T, d_h]
        q, k, v = heads(self.lin("q", x)), heads(self.lin("k", x)), heads(self.lin("v", x))
        if prefix is not None:                                             # [2, H, l, d_h], always attended
            k = torch.cat([prefix[0].unsqueeze(0).expand(b, -1, -1, -1), k], 2)
            v = torch.cat([prefix[1].unsqueeze(0).expand(b, -1, -1, -1), v], 2)
            mask = torch.cat([mask.new_zeros(b, 1, 1, prefix.shape[2]), mask], -1)
        probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D // HEADS) + mask, -1))
        h = (probs @ v).transpose(1, 2).reshape(b, t, D)
        if "Attention" in self.adapters:
            h = h + self.adapters["Attention"](x, h)                       # before W_o (PA attn); SA attn after it in BERT
        x = self.ln1(x + self.drop(self.o(h)))
        f = self.drop(self.lin("fc2", F.gelu(self.lin("fc1", x))))
        if "Ffn" in self.adapters:
            f = f + self.adapters["Ffn"](x, f)
        return self.ln2(x + f)


class Model(nn.Module):
    def __init__(self, mods):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(VOCAB, D), nn.Embedding(POSITIONS, D), nn.Embedding(2, D)
        self.ln, self.drop = nn.LayerNorm(D), nn.Dropout(DROPOUT)
        self.layers = nn.ModuleList(Layer(mods) for _ in range(LAYERS))
        prefix = [m for m in mods if m["Form"] == "PrefixSoftmax"]
        self.prefix = PrefixEncoder(prefix[0]) if prefix else None
        self.dense, self.out = nn.Linear(D, D), nn.Linear(D, LABELS)

    def base_parameters(self):
        skip = {id(p) for p in self.dense.parameters()} | {id(p) for p in self.out.parameters()}
        skip |= {id(p) for p in self.prefix.parameters()} if self.prefix is not None else set()
        for layer in self.layers:
            skip |= {id(p) for p in layer.lora.parameters()} | {id(p) for p in layer.adapters.parameters()}
        return [(n, p) for n, p in self.named_parameters() if id(p) not in skip]

    def forward(self, ids, types, mask):
        x = self.drop(self.ln(self.word(ids) + self.pos(torch.arange(ids.shape[1])) + self.token_type(types)))
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        prefixes = self.prefix() if self.prefix is not None else None
        for i, layer in enumerate(self.layers):
            x = layer(x, additive, prefixes[i] if prefixes is not None else None)
        cls = x[:, 0]
        return self.out(self.drop(torch.tanh(self.dense(self.drop(cls)))))


def blas():
    """BLAS_INFO of the torch build and the BLAS libraries actually mapped in this process."""
    info = re.search(r"BLAS_INFO=([^,]+)", torch.__config__.show())
    with open("/proc/self/maps") as maps:
        mapped = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    return f"BLAS_INFO={info.group(1) if info else 'unknown'}; mapped: {', '.join(os.path.realpath(m) for m in mapped) or 'none'}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", required=True)
    ap.add_argument("--mods", default="[]", help="JSON list of PeftGrid Modification records")
    ap.add_argument("--backbone", default="All", choices=["Frozen", "Biases", "All"])
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model(json.loads(a.mods))
    for n, p in model.base_parameters():
        p.requires_grad_(a.backbone == "All" or (a.backbone == "Biases" and n.endswith("bias")))
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    head = sum(p.numel() for p in list(model.dense.parameters()) + list(model.out.parameters()))
    decay = [p for p in trainable if p.dim() >= 2]
    no_decay = [p for p in trainable if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, 30000, (BATCH, TOKENS), generator=g)
    types, mask = torch.zeros(BATCH, TOKENS, dtype=torch.long), torch.ones(BATCH, TOKENS, dtype=torch.long)
    labels = torch.arange(BATCH) % 2
    times = []
    for s in range(a.warmup + a.steps):
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, types, mask), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        if s >= a.warmup:
            times.append(time.perf_counter() - start)
    total = sum(p.numel() for p in trainable)
    print(json.dumps({
        "method": a.method, "trainableWithHead": total, "trainableWithoutHead": total - head,
        "stepMilliseconds": 1000 * statistics.median(times), "stepsMilliseconds": [1000 * t for t in times],
        "loss": float(loss), "torch": torch.__version__, "threads": torch.get_num_threads(),
        "blas": blas(),
    }))


if __name__ == "__main__":
    main()
