#!/usr/bin/env python3
"""Generate the tiny random-weight "tiny-chat" decoder used by sextant's tests.

The ONNX graph mirrors what the onnxruntime-genai model builder (0.18.0,
`builders/base.py`) writes for a Llama-type model with `-e cpu` (`-p int4` by
default, `--precision fp32` for plain MatMul): same input/output names, dtypes,
dimension names and order, the same GroupQueryAttention subgraph (packed QKV,
rotary fused into GQA through cos/sin caches, `seqlens_k`/`total_sequence_length`
computed from `attention_mask`), SimplifiedLayerNormalization /
SkipSimplifiedLayerNormalization, SwiGLU MLP, untied lm_head. Only the sizes and
the weights (random, fixed seed) differ from a real SmolLM2 build.

It also trains a small byte-level BPE tokenizer shaped like SmolLM2's, writes the
genai_config.json / tokenizer_config.json, and computes reference.json with
onnxruntime (full recompute, no KV cache) after checking that KV-cache decoding,
right-padded batches and a shared past/present buffer all agree with it.

Usage:  python make_tiny_decoder.py [--out DIR] [--precision int4|fp32]
Needs the packages pinned in requirements.txt beside this file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx

import onnxruntime as ort
import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

import decoder_graph
from decoder_graph import DecoderDims, Runner, margin, maxdiff

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "src" / "main" / "resources" / "models" / "tiny-chat"

# ---------------------------------------------------------------- dimensions
VOCAB_TARGET = 1024
HIDDEN = 64
NUM_HEADS = 4
NUM_KV_HEADS = 2
HEAD_SIZE = HIDDEN // NUM_HEADS  # 16
INTERMEDIATE = 192
NUM_LAYERS = 2
CONTEXT_LENGTH = 4096
ROPE_THETA = 100000.0  # SmolLM2-135M's rope_theta
RMS_EPS = 1e-5  # SmolLM2-135M's rms_norm_eps
INT4_BLOCK = 32  # builder default block_size
INT4_ACCURACY_LEVEL = 4  # builder default for -e cpu

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]  # ids 0, 1, 2 as in SmolLM2
BOS_ID, EOS_ID, PAD_ID = 1, 2, 2  # SmolLM2-135M-Instruct config.json: bos 1, eos 2, pad 2

BASE_SEED = 20261129
MAX_SEED_TRIES = 400
GEN_STEPS = 24
MIN_MARGIN = 0.05  # top1 - top2 logit gap required at every reference step (robust argmax)
MIN_DISTINCT = 4  # distinct tokens required in every greedy continuation

# SmolLM2-Instruct's chat template (ChatML, default system prompt when none given).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Text the tokenizer is trained on: licence texts every Debian system ships (base-files)
# plus a few chat-like lines so that ChatML and everyday words get merges.
CORPUS_FILES = ["Apache-2.0", "GPL-3", "MPL-2.0", "CC0-1.0", "LGPL-2.1", "Artistic", "BSD"]
CORPUS_DIR = Path("/usr/share/common-licenses")
CHAT_LINES = [
    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n",
    "<|im_start|>user\nHello! How are you today?<|im_end|>\n<|im_start|>assistant\nI am fine, thank you.<|im_end|>\n",
    "What is the capital of France? The capital of France is Paris.",
    "Can you help me write a short poem about the sea and the sky?",
    "The quick brown fox jumps over the lazy dog. 0123456789",
    "Please summarize the following text in one sentence.",
    "Tell me a joke about computers. Why did the computer go to the doctor?",
    "A cache stores the answers to questions that were asked before.",
    "Large language models generate text one token at a time.",
]


# ====================================================================== tokenizer
def corpus() -> list[str]:
    texts = []
    for name in CORPUS_FILES:
        p = CORPUS_DIR / name
        if not p.exists():
            sys.exit(f"missing corpus file {p} (Debian base-files); cannot train the tokenizer")
        texts.extend(t for t in p.read_text(encoding="utf-8", errors="replace").split("\n\n") if t.strip())
    texts.extend(CHAT_LINES * 20)
    return texts


def train_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.normalizer = None
    # Same pre-tokenizer / post-processor / decoder as SmolLM2's tokenizer.json.
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
        ]
    )
    tok.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_TARGET,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus(), trainer=trainer)
    for i, t in enumerate(SPECIAL_TOKENS):
        assert tok.token_to_id(t) == i, (t, tok.token_to_id(t))
    return tok


def tokenizer_config() -> dict:
    return {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(i): {
                "content": t,
                "lstrip": False,
                "normalized": False,
                "rstrip": False,
                "single_word": False,
                "special": True,
            }
            for i, t in enumerate(SPECIAL_TOKENS)
        },
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": "<|im_start|>",
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "model_max_length": CONTEXT_LENGTH,
        "pad_token": "<|im_end|>",
        "tokenizer_class": "GPT2Tokenizer",
        "unk_token": "<|endoftext|>",
        "vocab_size": None,  # filled in
    }


def render_chat(messages, add_generation_prompt: bool) -> str:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)  # as transformers does
    return env.from_string(CHAT_TEMPLATE).render(messages=messages, add_generation_prompt=add_generation_prompt)


# ====================================================================== graph
# The graph code (builder layout), the int4 quantization and the onnxruntime runner are shared with
# prepare_model.py in decoder_graph.py.
def dims(vocab: int) -> DecoderDims:
    return DecoderDims(vocab=vocab, hidden=HIDDEN, num_heads=NUM_HEADS, num_kv_heads=NUM_KV_HEADS,
                       head_size=HEAD_SIZE, intermediate=INTERMEDIATE, num_layers=NUM_LAYERS,
                       context_length=CONTEXT_LENGTH, rope_theta=ROPE_THETA, rms_eps=RMS_EPS)


def make_weights(rng: np.random.Generator, vocab: int, damped: list[int] = ()) -> dict:
    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    w = {"embed": normal((vocab, HIDDEN), 1.0)}
    for i in range(NUM_LAYERS):
        qkv_out = (NUM_HEADS + 2 * NUM_KV_HEADS) * HEAD_SIZE
        w[f"{i}.qkv"] = normal((HIDDEN, qkv_out), 0.30)  # [in, out] as the builder stores weight.T
        w[f"{i}.o"] = normal((HIDDEN, HIDDEN), 0.20)
        w[f"{i}.gate"] = normal((HIDDEN, INTERMEDIATE), 0.25)
        w[f"{i}.up"] = normal((HIDDEN, INTERMEDIATE), 0.25)
        w[f"{i}.down"] = normal((INTERMEDIATE, HIDDEN), 0.15)
        w[f"{i}.in_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
        w[f"{i}.post_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
    w["final_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
    w["lm_head"] = normal((HIDDEN, vocab), 0.6)
    # Tokens that are not valid UTF-8 on their own (lone bytes >= 0x80) or are control characters get
    # near-zero logits, so greedy text holds no U+FFFD and streaming detokenization stays simple to check.
    w["lm_head"][:, list(damped)] *= 0.05
    return w


def build_graph(w: dict, vocab: int) -> onnx.ModelProto:
    return decoder_graph.build_graph(w, dims(vocab), producer_name="sextant-make_tiny_decoder")


def quantize_int4(model: onnx.ModelProto) -> onnx.ModelProto:
    return decoder_graph.quantize_nbits(model, bits=4, block_size=INT4_BLOCK, accuracy_level=INT4_ACCURACY_LEVEL)


def genai_config(vocab: int) -> dict:
    return decoder_graph.genai_config(dims(vocab), BOS_ID, EOS_ID, PAD_ID)


# ====================================================================== main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--precision", choices=["int4", "fp32"], default="int4")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    # ---- tokenizer
    tok = train_tokenizer()
    vocab = tok.get_vocab_size()
    tok_json = tok.to_str(pretty=True)
    tcfg = tokenizer_config()
    tcfg["vocab_size"] = vocab

    enc = lambda s: tok.encode(s).ids  # noqa: E731  (ByteLevel post-processor adds no BOS)
    chats = {
        "single_token": None,
        "raw_text": None,
        "chat_default_system": [{"role": "user", "content": "Hello! What is a cache?"}],
        "chat_multi_turn": [
            {"role": "system", "content": "You are a terse assistant."},
            {"role": "user", "content": "Name a colour."},
            {"role": "assistant", "content": "Blue."},
            {"role": "user", "content": "Why is the sky blue? Answer in 12 words."},
        ],
    }
    prompts = {}
    rendered = {}
    for name, msgs in chats.items():
        if name == "single_token":
            rendered[name] = "<|im_start|>"
        elif name == "raw_text":
            rendered[name] = "The quick brown fox"
        else:
            rendered[name] = render_chat(msgs, add_generation_prompt=True)
        prompts[name] = enc(rendered[name])

    def awkward(text):  # invalid UTF-8 on its own, or control characters other than \n and \t
        return "\ufffd" in text or any(ord(c) < 32 and c not in "\n\t" for c in text)

    damped = [i for i in range(len(SPECIAL_TOKENS), vocab) if awkward(tok.decode([i]))]

    # ---- pick the first seed whose greedy continuations are varied and robust
    chosen = None
    for seed in range(BASE_SEED, BASE_SEED + MAX_SEED_TRIES):
        w = make_weights(np.random.default_rng(seed), vocab, damped)
        fp32 = build_graph(w, vocab)
        model = quantize_int4(fp32) if args.precision == "int4" else fp32
        runner = Runner(model.SerializeToString(), dims(vocab))
        ok, cases = True, {}
        for name, p in prompts.items():
            toks, lgs = runner.greedy_full(p, GEN_STEPS)
            m = min(margin(lg) for lg in lgs)
            if (len(set(toks)) < MIN_DISTINCT or m < MIN_MARGIN or any(t < len(SPECIAL_TOKENS) for t in toks)
                    or awkward(tok.decode(toks))):
                ok = False
                break
            cases[name] = (toks, lgs, m)
        if ok:
            chosen = (seed, model, runner, cases)
            break
    if chosen is None:
        sys.exit("no seed satisfied the reference criteria")
    seed, model, runner, cases = chosen
    print(f"seed {seed} ({seed - BASE_SEED + 1} tried), precision {args.precision}, vocab {vocab}")

    # ---- verification
    checks = {}
    kv_diff, shared_diff = 0.0, 0.0
    for name, p in prompts.items():
        toks, lgs, _ = cases[name]
        ktoks, klgs = runner.greedy_kv(p, GEN_STEPS)
        assert ktoks == toks, (name, "kv tokens differ", toks, ktoks)
        kv_diff = max(kv_diff, maxdiff(lgs, klgs))
        stoks, slgs = runner.greedy_shared_buffer(p, GEN_STEPS)
        assert stoks == toks, (name, "shared-buffer tokens differ", toks, stoks)
        shared_diff = max(shared_diff, maxdiff(lgs, slgs))
    checks["kv_cache_vs_full_recompute_max_abs_diff"] = kv_diff
    checks["shared_buffer_vs_full_recompute_max_abs_diff"] = shared_diff

    batch_pairs = [("raw_text", "chat_multi_turn"), ("chat_default_system", "single_token"),
                   ("chat_multi_turn", "chat_default_system")]
    prefill_diff, decode_diff = 0.0, 0.0
    for a, b in batch_pairs:
        btoks, blgs = runner.greedy_batch_right_padded([prompts[a], prompts[b]], GEN_STEPS, PAD_ID)
        for row, name in enumerate((a, b)):
            toks, lgs, _ = cases[name]
            assert btoks[row] == toks, (name, "batched tokens differ", toks, btoks[row])
            prefill_diff = max(prefill_diff, float(np.max(np.abs(blgs[row][0] - lgs[0]))))
            decode_diff = max(decode_diff, maxdiff(lgs[1:], blgs[row][1:]))
    checks["batch2_right_padded_prefill_last_token_max_abs_diff"] = prefill_diff
    checks["batch2_right_padded_decode_max_abs_diff"] = decode_diff
    for k, v in checks.items():
        print(f"{k}: {v:.3g}")
    assert kv_diff < 1e-4 and shared_diff < 1e-4 and prefill_diff < 1e-4 and decode_diff < 1e-4, checks

    # ---- write files
    model_bytes = model.SerializeToString()
    (out / "model.onnx").write_bytes(model_bytes)
    (out / "tokenizer.json").write_text(tok_json + "\n", encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps(tcfg, indent=2) + "\n", encoding="utf-8")
    (out / "genai_config.json").write_text(json.dumps(genai_config(vocab), indent=4) + "\n", encoding="utf-8")

    tok_checks = [
        "Hello world",
        "The quick brown fox jumps over the lazy dog.",
        "  leading spaces and 2026-11-29 digits 12345",
        "café naïve — “quotes” 😀",
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    ]
    chat_checks = [
        {"messages": chats["chat_default_system"], "add_generation_prompt": True},
        {"messages": chats["chat_multi_turn"], "add_generation_prompt": True},
        {"messages": chats["chat_multi_turn"], "add_generation_prompt": False},
    ]
    ref = {
        "description": "Reference outputs of tiny-chat computed by onnxruntime (Python, CPU, 1 thread) with full "
                       "recompute (empty past of length 0, attention_mask all ones) at every step. Prompt ids are "
                       "encoded without an added BOS. 'greedy_ids' are the argmax continuation (no EOS stop).",
        "generator": {
            "script": "inference/tools/make_tiny_decoder.py",
            "seed": seed,
            "precision": args.precision,
            "onnxruntime": ort.__version__,
            "onnx": onnx.__version__,
            "tokenizers": tokenizers.__version__,
            "numpy": np.__version__,
            "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        },
        "model": {
            "vocab_size": vocab, "hidden_size": HIDDEN, "num_attention_heads": NUM_HEADS,
            "num_key_value_heads": NUM_KV_HEADS, "head_size": HEAD_SIZE, "intermediate_size": INTERMEDIATE,
            "num_hidden_layers": NUM_LAYERS, "context_length": CONTEXT_LENGTH, "rope_theta": ROPE_THETA,
            "rms_norm_eps": RMS_EPS, "bos_token_id": BOS_ID, "eos_token_id": EOS_ID, "pad_token_id": PAD_ID,
            "special_tokens": {t: i for i, t in enumerate(SPECIAL_TOKENS)},
        },
        "verified": {
            **checks,
            "note": "greedy tokens identical in all modes; batch runs pad on the right with pad_token_id and "
                    "attention_mask 0, decode rows keep different lengths in one batch",
        },
        "tokenizer_checks": [
            {"text": s, "ids": enc(s), "decoded": tok.decode(enc(s), skip_special_tokens=False)} for s in tok_checks
        ],
        "chat_template_checks": [dict(c, rendered=render_chat(c["messages"], c["add_generation_prompt"]))
                                 for c in chat_checks],
        "cases": [],
    }
    for name, p in prompts.items():
        toks, lgs, m = cases[name]
        last = lgs[0]
        ref["cases"].append({
            "name": name,
            "text": rendered[name],
            "prompt_ids": p,
            "last_logits_argmax": int(np.argmax(last)),
            "last_logits_first16": [float(v) for v in last[:16]],
            "last_logits": [float(v) for v in last],
            "greedy_ids": toks,
            "greedy_text": tok.decode(toks, skip_special_tokens=False),
            "step_max_logits": [float(np.max(lg)) for lg in lgs[:-1]],
            "min_top2_margin": m,
        })
    (out / "reference.json").write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    total = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    for f in sorted(out.iterdir()):
        print(f"{f.stat().st_size:>9}  {f}")
    print(f"{total:>9}  total")
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    main()
