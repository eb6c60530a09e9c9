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
from onnx import TensorProto, helper, numpy_helper

import onnxruntime as ort
import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

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
class G:
    """Tiny helper that collects nodes/initializers with builder-style names."""

    def __init__(self):
        self.nodes, self.inits, self.consts = [], [], {}

    def node(self, op, inputs, name, n_out=1, domain="", outputs=None, **attrs):
        outs = outputs if outputs is not None else [f"{name}/output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, domain=domain, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def const_i64(self, value):
        # like the builder's "/model/constants/INT64/[1]" Constant nodes
        name = f"/model/constants/INT64/{value}"
        if name not in self.consts:
            arr = np.array(value, dtype=np.int64)
            self.nodes.append(
                helper.make_node(
                    "Constant", [], [name], name=name.replace("constants", "constant_nodes"),
                    value=numpy_helper.from_array(arr, name),
                )
            )
            self.consts[name] = name
        return name


def rope_caches():
    # make_rotary_embedding_caches_from_scratch, then halved to [context_length, head_size/2]
    inv_freq = (1.0 / (np.float32(ROPE_THETA) ** (np.arange(0, HEAD_SIZE, 2, dtype=np.int64).astype(np.float32) / HEAD_SIZE))).astype(np.float32)
    t = np.arange(CONTEXT_LENGTH, dtype=np.int64).astype(np.float32)
    freqs = np.outer(t, inv_freq).astype(np.float32)
    return np.cos(freqs).astype(np.float32), np.sin(freqs).astype(np.float32)


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
    g = G()
    kv_dim = "kv_cache_dim"  # builder 0.18 leaves the last KV dim symbolic
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
    ]
    for kind in ("key", "value"):  # builder order: all keys, then all values
        for i in range(NUM_LAYERS):
            inputs.append(
                helper.make_tensor_value_info(
                    f"past_key_values.{i}.{kind}", TensorProto.FLOAT,
                    ["batch_size", NUM_KV_HEADS, "past_sequence_length", kv_dim],
                )
            )
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", vocab])]
    for kind in ("key", "value"):
        for i in range(NUM_LAYERS):
            outputs.append(
                helper.make_tensor_value_info(
                    f"present.{i}.{kind}", TensorProto.FLOAT,
                    ["batch_size", NUM_KV_HEADS, "total_sequence_length", kv_dim],
                )
            )

    # attention mask -> seqlens_k (int32 [B]) and total_sequence_length (int32 scalar)
    base = "/model/attn_mask_reformat/attn_mask_subgraph"
    rs = g.node("ReduceSum", ["attention_mask", g.const_i64([1])], f"{base}/ReduceSum", keepdims=0)
    sub = g.node("Sub", [rs, g.const_i64([1])], f"{base}/Sub")
    seqlens_k = g.node("Cast", [sub], f"{base}/Sub/Cast", to=TensorProto.INT32)
    shp = g.node("Shape", ["attention_mask"], f"{base}/Shape")
    gat = g.node("Gather", [shp, g.const_i64(1)], f"{base}/Gather", axis=0)
    total_len = g.node("Cast", [gat], f"{base}/Gather/Cast", to=TensorProto.INT32)

    # embedding
    g.init("model.embed_tokens.weight", w["embed"])
    x = g.node("Gather", ["model.embed_tokens.weight", "input_ids"], "/model/embed_tokens/Gather")

    cos, sin = rope_caches()
    g.init("cos_cache", cos)
    g.init("sin_cache", sin)

    residual = x  # "root_input" in the builder
    skip = None  # "skip_input"
    for i in range(NUM_LAYERS):
        L = f"/model/layers.{i}"
        # input layernorm
        wn = g.init(f"model.layers.{i}.input_layernorm.weight", w[f"{i}.in_norm"])
        if i == 0:
            h = g.node("SimplifiedLayerNormalization", [residual, wn], f"{L}/input_layernorm/LayerNorm",
                       outputs=[f"{L}/input_layernorm/output_0"], axis=-1, epsilon=RMS_EPS, stash_type=1)
        else:
            h, residual = g.node("SkipSimplifiedLayerNormalization", [residual, skip, wn],
                                 f"{L}/input_layernorm/SkipLayerNorm", domain="com.microsoft",
                                 outputs=[f"{L}/input_layernorm/output_0", "", "", f"{L}/input_layernorm/output_3"],
                                 epsilon=RMS_EPS)[0::3]
        # attention: packed QKV MatMul -> GQA (rotary inside) -> o_proj
        qkv_w = g.init(f"model.layers.{i}.attn.qkv_proj.MatMul.weight", w[f"{i}.qkv"])
        qkv = g.node("MatMul", [h, qkv_w], f"{L}/attn/qkv_proj/MatMul")
        attn = g.node(
            "GroupQueryAttention",
            [qkv, "", "", f"past_key_values.{i}.key", f"past_key_values.{i}.value", seqlens_k, total_len,
             "cos_cache", "sin_cache"],
            f"{L}/attn/GroupQueryAttention",
            domain="com.microsoft",
            outputs=[f"{L}/attn/GroupQueryAttention/output_0", f"present.{i}.key", f"present.{i}.value"],
            num_heads=NUM_HEADS, kv_num_heads=NUM_KV_HEADS, scale=float(1.0 / np.sqrt(HEAD_SIZE)),
            local_window_size=-1, softcap=0.0, do_rotary=1, rotary_interleaved=0,
        )[0]
        o_w = g.init(f"model.layers.{i}.attn.o_proj.MatMul.weight", w[f"{i}.o"])
        skip = g.node("MatMul", [attn, o_w], f"{L}/attn/o_proj/MatMul")
        # post-attention layernorm (adds the residual)
        wn = g.init(f"model.layers.{i}.post_attention_layernorm.weight", w[f"{i}.post_norm"])
        h, residual = g.node("SkipSimplifiedLayerNormalization", [residual, skip, wn],
                             f"{L}/post_attention_layernorm/SkipLayerNorm", domain="com.microsoft",
                             outputs=[f"{L}/post_attention_layernorm/output_0", "", "",
                                      f"{L}/post_attention_layernorm/output_3"],
                             epsilon=RMS_EPS)[0::3]
        # SwiGLU MLP
        gw = g.init(f"model.layers.{i}.mlp.gate_proj.MatMul.weight", w[f"{i}.gate"])
        uw = g.init(f"model.layers.{i}.mlp.up_proj.MatMul.weight", w[f"{i}.up"])
        dw = g.init(f"model.layers.{i}.mlp.down_proj.MatMul.weight", w[f"{i}.down"])
        gate = g.node("MatMul", [h, gw], f"{L}/mlp/gate_proj/MatMul")
        up = g.node("MatMul", [h, uw], f"{L}/mlp/up_proj/MatMul")
        sig = g.node("Sigmoid", [gate], f"{L}/mlp/act_fn/Sigmoid")
        act = g.node("Mul", [gate, sig], f"{L}/mlp/act_fn/Mul")
        mul = g.node("Mul", [act, up], f"{L}/mlp/Mul")
        skip = g.node("MatMul", [mul, dw], f"{L}/mlp/down_proj/MatMul")

    # final norm: SkipSimplifiedLayerNorm with only output 0
    L = f"/model/layers.{NUM_LAYERS}"
    wn = g.init(f"model.layers.{NUM_LAYERS}.final_norm_layernorm.weight", w["final_norm"])
    h = g.node("SkipSimplifiedLayerNormalization", [residual, skip, wn], f"{L}/final_norm_layernorm/SkipLayerNorm",
               domain="com.microsoft", outputs=[f"{L}/final_norm_layernorm/output_0"], epsilon=RMS_EPS)
    lw = g.init("lm_head.MatMul.weight", w["lm_head"])
    g.node("MatMul", [h, lw], "/lm_head/MatMul", outputs=["logits"])

    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, initializer=g.inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 22), helper.make_opsetid("com.microsoft", 1)],
        ir_version=10,
        producer_name="sextant-make_tiny_decoder",
    )
    return model


def quantize_int4(model: onnx.ModelProto) -> onnx.ModelProto:
    # What the builder's `-p int4 -e cpu` does in to_nbits(): DEFAULT MatMulNBits, 4 bits,
    # block 32, symmetric, accuracy_level 4, every MatMul (lm_head included).
    import logging

    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    logging.getLogger("onnxruntime.quantization.matmul_nbits_quantizer").setLevel(logging.WARNING)

    q = MatMulNBitsQuantizer(
        model=model, bits=4, block_size=INT4_BLOCK, is_symmetric=True,
        accuracy_level=INT4_ACCURACY_LEVEL, op_types_to_quantize=("MatMul",),
    )
    q.process()
    return q.model.model


def genai_config(vocab: int) -> dict:
    # Layout of Model.make_genai_config (builder 0.18.0) for -e cpu.
    return {
        "model": {
            "bos_token_id": BOS_ID,
            "context_length": CONTEXT_LENGTH,
            "decoder": {
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "filename": "model.onnx",
                "head_size": HEAD_SIZE,
                "hidden_size": HIDDEN,
                "inputs": {
                    "input_ids": "input_ids",
                    "attention_mask": "attention_mask",
                    "past_key_names": "past_key_values.%d.key",
                    "past_value_names": "past_key_values.%d.value",
                },
                "outputs": {
                    "logits": "logits",
                    "present_key_names": "present.%d.key",
                    "present_value_names": "present.%d.value",
                },
                "num_attention_heads": NUM_HEADS,
                "num_hidden_layers": NUM_LAYERS,
                "num_key_value_heads": NUM_KV_HEADS,
            },
            "eos_token_id": EOS_ID,
            "pad_token_id": PAD_ID,
            "type": "llama",
            "vocab_size": vocab,
        },
        "search": {
            "diversity_penalty": 0.0,
            "do_sample": False,
            "early_stopping": True,
            "length_penalty": 1.0,
            "max_length": CONTEXT_LENGTH,
            "min_length": 0,
            "no_repeat_ngram_size": 0,
            "num_beams": 1,
            "num_return_sequences": 1,
            "past_present_share_buffer": True,
            "repetition_penalty": 1.0,
            "temperature": 1.0,
            "top_k": 50,
            "top_p": 1.0,
        },
    }


# ====================================================================== running
class Runner:
    def __init__(self, model_bytes: bytes):
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1  # deterministic reduction order
        self.sess = ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])

    @staticmethod
    def empty_past(batch: int, length: int = 0):
        z = np.zeros((batch, NUM_KV_HEADS, length, HEAD_SIZE), dtype=np.float32)
        return {f"past_key_values.{i}.{k}": z for i in range(NUM_LAYERS) for k in ("key", "value")}

    def run(self, ids, mask, past):
        feeds = {"input_ids": np.asarray(ids, dtype=np.int64), "attention_mask": np.asarray(mask, dtype=np.int64)}
        feeds.update(past)
        out = self.sess.run(None, feeds)
        names = [o.name for o in self.sess.get_outputs()]
        res = dict(zip(names, out))
        present = {f"past_key_values.{i}.{k}": res[f"present.{i}.{k}"] for i in range(NUM_LAYERS) for k in ("key", "value")}
        return res["logits"], present

    def full(self, ids):
        """Logits of the last position, recomputing the whole sequence with an empty past."""
        logits, _ = self.run([ids], [[1] * len(ids)], self.empty_past(1))
        return logits[0, -1]

    def greedy_full(self, prompt, steps):
        seq, step_logits = list(prompt), []
        for _ in range(steps + 1):
            lg = self.full(seq)
            step_logits.append(lg)
            seq.append(int(np.argmax(lg)))
        return seq[len(prompt):len(prompt) + steps], step_logits  # step_logits[0] = prompt's last position

    def greedy_kv(self, prompt, steps):
        logits, past = self.run([prompt], [[1] * len(prompt)], self.empty_past(1))
        lg = logits[0, -1]
        toks, step_logits = [], [lg]
        for _ in range(steps):
            t = int(np.argmax(lg))
            toks.append(t)
            total = len(prompt) + len(toks)
            logits, past = self.run([[t]], [[1] * total], past)
            lg = logits[0, -1]
            step_logits.append(lg)
        return toks, step_logits

    def greedy_batch_right_padded(self, prompts, steps):
        """Batch prefill with right padding, then batched decode (rows with different lengths)."""
        B, T = len(prompts), max(len(p) for p in prompts)
        ids = [p + [PAD_ID] * (T - len(p)) for p in prompts]
        lens = [len(p) for p in prompts]
        mask = [[1] * n + [0] * (T - n) for n in lens]
        logits, past = self.run(ids, mask, self.empty_past(B))
        cur = [logits[b, lens[b] - 1] for b in range(B)]
        toks = [[] for _ in range(B)]
        step_logits = [[c] for c in cur]
        width = T
        for _ in range(steps):
            nxt = [int(np.argmax(c)) for c in cur]
            for b in range(B):
                toks[b].append(nxt[b])
                lens[b] += 1
            width += 1  # mask width = past length + 1 (present grows by one every step)
            mask = [[1] * n + [0] * (width - n) for n in lens]
            logits, past = self.run([[t] for t in nxt], mask, past)
            cur = [logits[b, 0] for b in range(B)]
            for b in range(B):
                step_logits[b].append(cur[b])
        return toks, step_logits

    def greedy_shared_buffer(self, prompt, steps, max_len=CONTEXT_LENGTH):
        """past_present_share_buffer: one [1, kv, max_len, D] buffer per cache bound as past AND present."""
        bufs = {
            f"{i}.{k}": ort.OrtValue.ortvalue_from_numpy(np.zeros((1, NUM_KV_HEADS, max_len, HEAD_SIZE), np.float32))
            for i in range(NUM_LAYERS) for k in ("key", "value")
        }

        def step(ids):
            io = self.sess.io_binding()
            total = n_done + len(ids)
            io.bind_cpu_input("input_ids", np.array([ids], dtype=np.int64))
            io.bind_cpu_input("attention_mask", np.ones((1, total), dtype=np.int64))
            io.bind_output("logits")  # first bound output -> index 0 below
            for key, v in bufs.items():
                i, k = key.split(".")
                io.bind_ortvalue_input(f"past_key_values.{i}.{k}", v)
                io.bind_ortvalue_output(f"present.{i}.{k}", v)
            self.sess.run_with_iobinding(io)
            return io.copy_outputs_to_cpu()[0][0, -1]

        n_done = 0
        lg = step(list(prompt))
        n_done = len(prompt)
        toks, step_logits = [], [lg]
        for _ in range(steps):
            t = int(np.argmax(lg))
            toks.append(t)
            lg = step([t])
            n_done += 1
            step_logits.append(lg)
        return toks, step_logits


def margin(lg):
    top2 = np.sort(lg)[-2:]
    return float(top2[1] - top2[0])


def maxdiff(a_list, b_list):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(a_list, b_list))


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
        runner = Runner(model.SerializeToString())
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
        btoks, blgs = runner.greedy_batch_right_padded([prompts[a], prompts[b]], GEN_STEPS)
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
