#!/usr/bin/env python3
"""Generate "tiny-chat-optimum": a tiny random-weight Llama decoder in the Hugging Face Optimum layout.

The graph has the interface of an Optimum `text-generation-with-past` export of a `LlamaForCausalLM`
(what `optimum-cli export onnx --task text-generation-with-past` writes as `model.onnx`), built from
standard ONNX ops only (no com.microsoft contrib op): embedding Gather; per layer RMSNorm
(Pow/ReduceMean/Add/Sqrt/Reciprocal/Mul), separate q/k/v MatMuls, rotary embedding from `position_ids`
(Gather on precomputed cos/sin tables, non-interleaved rotate_half as in HF Llama), present = Concat(past,
new) along the sequence axis, KV heads repeated for GQA (Expand + Reshape, HF `repeat_kv`), scaled dot
product with an additive causal + padding mask (0 / float32 min, as transformers builds it), Softmax,
o_proj, residual adds, SwiGLU MLP; final RMSNorm and an untied lm_head.

Interface (ONNX input order = LlamaForCausalLM.forward order, as Optimum exports it):
  input_ids            int64   [batch_size, sequence_length]
  attention_mask       int64   [batch_size, past_sequence_length + sequence_length]
  position_ids         int64   [batch_size, sequence_length]
  past_key_values.{i}.key / .value   float32 [batch_size, 2, past_sequence_length, 16]  (i = 0, 1; key, value per layer)
  -> logits            float32 [batch_size, sequence_length, 1024]
  -> present.{i}.key / .value        float32 [batch_size, 2, past_sequence_length + sequence_length, 16]

Writes model.onnx, config.json (HF LlamaConfig), a byte-for-byte copy of tiny-chat's tokenizer.json and
tokenizer_config.json, and reference.json (onnxruntime, CPU, 1 thread), after checking the graph against a
float64 numpy Llama forward pass, KV-cache decoding against full recompute, and left-padded batches against
batch 1. Deterministic: the same bytes on every run with the pinned versions (requirements.txt).

Usage:  python make_tiny_optimum_decoder.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import tokenizers
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent / "src"
TOKENIZER_DIR = RESOURCES / "main" / "resources" / "models" / "tiny-chat"
DEFAULT_OUT = RESOURCES / "test" / "resources" / "models" / "tiny-chat-optimum"

# ---------------------------------------------------------------- dimensions
VOCAB = 1024
HIDDEN = 64
NUM_HEADS = 4
NUM_KV_HEADS = 2
HEAD_DIM = 16
INTERMEDIATE = 192
NUM_LAYERS = 2
MAX_POS = 4096
ROPE_THETA = 100000.0  # SmolLM2-135M's, same as tiny-chat
RMS_EPS = 1e-5
BOS_ID, EOS_ID, PAD_ID = 1, 2, 2
NUM_SPECIAL = 3  # <|endoftext|> 0, <|im_start|> 1, <|im_end|> 2
OPSET = 14  # Optimum's DEFAULT_ONNX_OPSET for llama
IR_VERSION = 8
MASK_MIN = float(np.finfo(np.float32).min)  # transformers' additive mask value

BASE_SEED = 20261130
MAX_SEED_TRIES = 400
GEN_STEPS = 24
BATCH_DECODE_STEPS = 8
MIN_MARGIN = 0.05  # top-1 minus top-2 logit at every reference step
MIN_DISTINCT = 4  # distinct tokens in every greedy continuation
TOL = 1e-4  # max abs logit diff allowed between the paths checked

PROMPTS = {  # name -> raw text, or chat messages rendered with the chat template (generation prompt on)
    "single_token": "<|im_start|>",
    "raw_text": "The quick brown fox jumps",
    "chat_short": [{"role": "system", "content": "You are a terse assistant."},
                   {"role": "user", "content": "Hello! What is a cache?"}],
    "chat_multi_turn": [
        {"role": "user", "content": "Name a colour."},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": "Why is the sky blue?"},
    ],
}
BATCH_PAIRS = [("raw_text", "chat_short"), ("single_token", "chat_multi_turn")]


# ====================================================================== graph
class G:
    def __init__(self):
        self.nodes, self.inits, self._const = [], [], {}

    def node(self, op, inputs, name, n_out=1, **attrs):
        outs = [f"{name}/output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if n_out == 1 else outs

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def const(self, value, dtype=np.int64):
        arr = np.array(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        if key not in self._const:
            name = f"/model/constants/{arr.dtype.name}/{arr.tolist()}"
            self.nodes.append(helper.make_node("Constant", [], [name], name=name + "/Constant",
                                               value=numpy_helper.from_array(arr, name)))
            self._const[key] = name
        return self._const[key]


def rope_tables():
    """cos/sin of position * inv_freq, [MAX_POS, HEAD_DIM/2] (HF duplicates them to HEAD_DIM: done in the graph)."""
    inv_freq = 1.0 / (ROPE_THETA ** (np.arange(0, HEAD_DIM, 2, dtype=np.float64) / HEAD_DIM))
    freqs = np.outer(np.arange(MAX_POS, dtype=np.float64), inv_freq)
    return np.cos(freqs).astype(np.float32), np.sin(freqs).astype(np.float32)


def build_graph(w: dict) -> onnx.ModelProto:
    g = G()
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64
    total = "past_sequence_length + sequence_length"
    inputs = [
        helper.make_tensor_value_info("input_ids", i64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", i64, ["batch_size", total]),
        helper.make_tensor_value_info("position_ids", i64, ["batch_size", "sequence_length"]),
    ]
    outputs = [helper.make_tensor_value_info("logits", f32, ["batch_size", "sequence_length", VOCAB])]
    for i in range(NUM_LAYERS):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(
                f"past_key_values.{i}.{kind}", f32, ["batch_size", NUM_KV_HEADS, "past_sequence_length", HEAD_DIM]))
            outputs.append(helper.make_tensor_value_info(
                f"present.{i}.{kind}", f32, ["batch_size", NUM_KV_HEADS, total, HEAD_DIM]))

    # ---- attention mask [B, 1, S, T]: 0 where key j is visible from query i, float32 min elsewhere.
    # Query i sits at cache position past + i (past = past_key_values.0.key's dim 2, as transformers'
    # cache_position); key j is visible when j <= past + i and attention_mask[b, j] != 0.
    M = "/model/attn_mask"
    seq_len = g.node("Gather", [g.node("Shape", ["input_ids"], f"{M}/Shape_ids"), g.const(1)], f"{M}/seq_len", axis=0)
    past_len = g.node("Gather", [g.node("Shape", ["past_key_values.0.key"], f"{M}/Shape_past"), g.const(2)],
                      f"{M}/past_len", axis=0)
    tot_len = g.node("Gather", [g.node("Shape", ["attention_mask"], f"{M}/Shape_mask"), g.const(1)],
                     f"{M}/total_len", axis=0)
    q_pos = g.node("Range", [past_len, g.node("Add", [past_len, seq_len], f"{M}/q_end"), g.const(1)], f"{M}/q_pos")
    k_pos = g.node("Range", [g.const(0), tot_len, g.const(1)], f"{M}/k_pos")
    causal = g.node("LessOrEqual", [g.node("Unsqueeze", [k_pos, g.const([0])], f"{M}/k_row"),
                                    g.node("Unsqueeze", [q_pos, g.const([1])], f"{M}/q_col")], f"{M}/causal")  # [S,T]
    keep = g.node("Cast", ["attention_mask"], f"{M}/keep", to=TensorProto.BOOL)  # [B,T]
    keep = g.node("Unsqueeze", [keep, g.const([1, 2])], f"{M}/keep4d")  # [B,1,1,T]
    allowed = g.node("And", [causal, keep], f"{M}/allowed")  # [B,1,S,T]
    mask = g.node("Where", [allowed, g.const(0.0, np.float32), g.const(MASK_MIN, np.float32)], f"{M}/additive")

    # ---- rotary cos/sin [B, 1, S, HEAD_DIM] from position_ids
    R = "/model/rotary_emb"
    g.init("model.rotary_emb.cos_table", w["cos"])
    g.init("model.rotary_emb.sin_table", w["sin"])
    cs = []
    for kind in ("cos", "sin"):
        half = g.node("Gather", [f"model.rotary_emb.{kind}_table", "position_ids"], f"{R}/{kind}/Gather", axis=0)
        full = g.node("Concat", [half, half], f"{R}/{kind}/Concat", axis=-1)
        cs.append(g.node("Unsqueeze", [full, g.const([1])], f"{R}/{kind}/Unsqueeze"))
    cos, sin = cs

    def rms_norm(x, weight_name, weight, name):
        wn = g.init(weight_name, weight)
        sq = g.node("Pow", [x, g.const(2.0, np.float32)], f"{name}/Pow")
        var = g.node("ReduceMean", [sq], f"{name}/ReduceMean", axes=[-1], keepdims=1)
        std = g.node("Sqrt", [g.node("Add", [var, g.const(RMS_EPS, np.float32)], f"{name}/Add")], f"{name}/Sqrt")
        y = g.node("Mul", [x, g.node("Reciprocal", [std], f"{name}/Reciprocal")], f"{name}/Mul")
        return g.node("Mul", [wn, y], f"{name}/Mul_1")

    def linear(x, weight_name, weight, name):  # weight stored [in, out] (HF Linear weight transposed)
        return g.node("MatMul", [x, g.init(weight_name, weight)], f"{name}/MatMul")

    def heads(x, n, name):  # [B,S,n*D] -> [B,n,S,D]
        r = g.node("Reshape", [x, g.const([0, 0, n, HEAD_DIM])], f"{name}/Reshape")
        return g.node("Transpose", [r], f"{name}/Transpose", perm=[0, 2, 1, 3])

    def rotary(x, name):  # x*cos + rotate_half(x)*sin, rotate_half(x) = cat(-x2, x1)
        x1 = g.node("Slice", [x, g.const([0]), g.const([HEAD_DIM // 2]), g.const([3])], f"{name}/Slice")
        x2 = g.node("Slice", [x, g.const([HEAD_DIM // 2]), g.const([HEAD_DIM]), g.const([3])], f"{name}/Slice_1")
        rot = g.node("Concat", [g.node("Neg", [x2], f"{name}/Neg"), x1], f"{name}/Concat", axis=-1)
        return g.node("Add", [g.node("Mul", [x, cos], f"{name}/Mul"), g.node("Mul", [rot, sin], f"{name}/Mul_1")],
                      f"{name}/Add")

    def repeat_kv(x, name):  # [B,kv,T,D] -> [B,kv*n_rep,T,D], query head h uses kv head h // n_rep
        u = g.node("Unsqueeze", [x, g.const([2])], f"{name}/Unsqueeze")
        e = g.node("Expand", [u, g.const([1, 1, NUM_HEADS // NUM_KV_HEADS, 1, 1])], f"{name}/Expand")
        return g.node("Reshape", [e, g.const([0, NUM_HEADS, -1, HEAD_DIM])], f"{name}/Reshape")

    x = g.node("Gather", [g.init("model.embed_tokens.weight", w["embed"]), "input_ids"], "/model/embed_tokens/Gather")
    for i in range(NUM_LAYERS):
        L, P = f"/model/layers.{i}", f"model.layers.{i}"
        h = rms_norm(x, f"{P}.input_layernorm.weight", w[f"{i}.in_norm"], f"{L}/input_layernorm")
        A = f"{L}/self_attn"
        q = heads(linear(h, f"{P}.self_attn.q_proj.MatMul.weight", w[f"{i}.q"], f"{A}/q_proj"), NUM_HEADS, f"{A}/q")
        k = heads(linear(h, f"{P}.self_attn.k_proj.MatMul.weight", w[f"{i}.k"], f"{A}/k_proj"), NUM_KV_HEADS, f"{A}/k")
        v = heads(linear(h, f"{P}.self_attn.v_proj.MatMul.weight", w[f"{i}.v"], f"{A}/v_proj"), NUM_KV_HEADS, f"{A}/v")
        q, k = rotary(q, f"{A}/rotary_q"), rotary(k, f"{A}/rotary_k")
        g.nodes.append(helper.make_node("Concat", [f"past_key_values.{i}.key", k], [f"present.{i}.key"],
                                        name=f"{A}/present_key/Concat", axis=2))
        g.nodes.append(helper.make_node("Concat", [f"past_key_values.{i}.value", v], [f"present.{i}.value"],
                                        name=f"{A}/present_value/Concat", axis=2))
        kr = repeat_kv(f"present.{i}.key", f"{A}/repeat_k")
        vr = repeat_kv(f"present.{i}.value", f"{A}/repeat_v")
        scores = g.node("MatMul", [q, g.node("Transpose", [kr], f"{A}/k_T", perm=[0, 1, 3, 2])], f"{A}/scores")
        scores = g.node("Mul", [scores, g.const(1.0 / np.sqrt(HEAD_DIM), np.float32)], f"{A}/scale")
        probs = g.node("Softmax", [g.node("Add", [scores, mask], f"{A}/mask_add")], f"{A}/Softmax", axis=-1)
        ctx = g.node("Transpose", [g.node("MatMul", [probs, vr], f"{A}/ctx")], f"{A}/ctx_T", perm=[0, 2, 1, 3])
        ctx = g.node("Reshape", [ctx, g.const([0, 0, NUM_HEADS * HEAD_DIM])], f"{A}/ctx_Reshape")
        x = g.node("Add", [x, linear(ctx, f"{P}.self_attn.o_proj.MatMul.weight", w[f"{i}.o"], f"{A}/o_proj")],
                   f"{L}/residual_attn")
        h = rms_norm(x, f"{P}.post_attention_layernorm.weight", w[f"{i}.post_norm"], f"{L}/post_attention_layernorm")
        D = f"{L}/mlp"
        gate = linear(h, f"{P}.mlp.gate_proj.MatMul.weight", w[f"{i}.gate"], f"{D}/gate_proj")
        up = linear(h, f"{P}.mlp.up_proj.MatMul.weight", w[f"{i}.up"], f"{D}/up_proj")
        act = g.node("Mul", [gate, g.node("Sigmoid", [gate], f"{D}/act_fn/Sigmoid")], f"{D}/act_fn/Mul")
        down = linear(g.node("Mul", [act, up], f"{D}/Mul"), f"{P}.mlp.down_proj.MatMul.weight", w[f"{i}.down"],
                      f"{D}/down_proj")
        x = g.node("Add", [x, down], f"{L}/residual_mlp")
    h = rms_norm(x, "model.norm.weight", w["final_norm"], "/model/norm")
    g.nodes.append(helper.make_node("MatMul", [h, g.init("lm_head.MatMul.weight", w["lm_head"])], ["logits"],
                                    name="/lm_head/MatMul"))

    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="sextant-make_tiny_optimum_decoder")
    onnx.checker.check_model(model, full_check=True)
    assert all(n.domain in ("", "ai.onnx") for n in model.graph.node), "contrib op in graph"
    return model


def make_weights(rng: np.random.Generator, damped) -> dict:
    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    w = {"embed": normal((VOCAB, HIDDEN), 1.0)}
    for i in range(NUM_LAYERS):
        w[f"{i}.q"] = normal((HIDDEN, NUM_HEADS * HEAD_DIM), 0.30)
        w[f"{i}.k"] = normal((HIDDEN, NUM_KV_HEADS * HEAD_DIM), 0.30)
        w[f"{i}.v"] = normal((HIDDEN, NUM_KV_HEADS * HEAD_DIM), 0.30)
        w[f"{i}.o"] = normal((HIDDEN, HIDDEN), 0.20)
        w[f"{i}.gate"] = normal((HIDDEN, INTERMEDIATE), 0.25)
        w[f"{i}.up"] = normal((HIDDEN, INTERMEDIATE), 0.25)
        w[f"{i}.down"] = normal((INTERMEDIATE, HIDDEN), 0.15)
        w[f"{i}.in_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
        w[f"{i}.post_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
    w["final_norm"] = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
    w["lm_head"] = normal((HIDDEN, VOCAB), 0.6)
    # As in tiny-chat: lone UTF-8 bytes / control characters get near-zero logits, so greedy text has no U+FFFD.
    w["lm_head"][:, list(damped)] *= 0.05
    w["cos"], w["sin"] = rope_tables()
    return w


# ====================================================================== numpy float64 reference (HF Llama)
def numpy_forward(w: dict, ids: list[int]) -> np.ndarray:
    """All-position logits of one unpadded sequence, float64, written from transformers' LlamaModel."""
    W = {k: v.astype(np.float64) for k, v in w.items()}
    S = len(ids)

    def rms(x, g):
        return g * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + RMS_EPS))

    pos = np.arange(S)
    inv_freq = 1.0 / (ROPE_THETA ** (np.arange(0, HEAD_DIM, 2) / HEAD_DIM))
    emb = np.concatenate([np.outer(pos, inv_freq)] * 2, axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)

    def rope(t):  # [H,S,D]
        rot = np.concatenate([-t[..., HEAD_DIM // 2:], t[..., :HEAD_DIM // 2]], axis=-1)
        return t * cos + rot * sin

    x = W["embed"][ids]
    causal = np.triu(np.full((S, S), -np.inf), 1)
    for i in range(NUM_LAYERS):
        h = rms(x, W[f"{i}.in_norm"])
        q = rope((h @ W[f"{i}.q"]).reshape(S, NUM_HEADS, HEAD_DIM).transpose(1, 0, 2))
        k = rope((h @ W[f"{i}.k"]).reshape(S, NUM_KV_HEADS, HEAD_DIM).transpose(1, 0, 2))
        v = (h @ W[f"{i}.v"]).reshape(S, NUM_KV_HEADS, HEAD_DIM).transpose(1, 0, 2)
        rep = NUM_HEADS // NUM_KV_HEADS
        k, v = np.repeat(k, rep, axis=0), np.repeat(v, rep, axis=0)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(HEAD_DIM) + causal
        p = np.exp(s - s.max(-1, keepdims=True))
        p /= p.sum(-1, keepdims=True)
        ctx = (p @ v).transpose(1, 0, 2).reshape(S, HIDDEN)
        x = x + ctx @ W[f"{i}.o"]
        h = rms(x, W[f"{i}.post_norm"])
        gate = h @ W[f"{i}.gate"]
        x = x + ((gate / (1 + np.exp(-gate))) * (h @ W[f"{i}.up"])) @ W[f"{i}.down"]
    return rms(x, W["final_norm"]) @ W["lm_head"]


# ====================================================================== onnxruntime runner
class Runner:
    def __init__(self, model_bytes: bytes, threads: int = 1,
                 level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.graph_optimization_level = level
        self.sess = ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])
        self.out_names = [o.name for o in self.sess.get_outputs()]

    @staticmethod
    def empty_past(batch):
        z = np.zeros((batch, NUM_KV_HEADS, 0, HEAD_DIM), np.float32)
        return {f"past_key_values.{i}.{k}": z for i in range(NUM_LAYERS) for k in ("key", "value")}

    def run(self, ids, mask, pos, past):
        feeds = {"input_ids": np.asarray(ids, np.int64), "attention_mask": np.asarray(mask, np.int64),
                 "position_ids": np.asarray(pos, np.int64), **past}
        res = dict(zip(self.out_names, self.sess.run(None, feeds)))
        present = {f"past_key_values.{i}.{k}": res[f"present.{i}.{k}"] for i in range(NUM_LAYERS)
                   for k in ("key", "value")}
        return res["logits"], present

    def all_logits(self, ids):
        """Full recompute: empty past, whole sequence, mask all ones, position_ids 0..n-1."""
        n = len(ids)
        return self.run([ids], [[1] * n], [list(range(n))], self.empty_past(1))[0][0]

    def greedy_full(self, prompt, steps):
        seq, lgs = list(prompt), []
        for _ in range(steps + 1):
            lg = self.all_logits(seq)[-1]
            lgs.append(lg)
            seq.append(int(np.argmax(lg)))
        return seq[len(prompt):len(prompt) + steps], lgs  # lgs[0]: prompt's last position

    def greedy_kv(self, prompt, steps):
        """Prefill, then one token per step: present fed back as past, position_ids = [[past length]]."""
        n = len(prompt)
        logits, past = self.run([prompt], [[1] * n], [list(range(n))], self.empty_past(1))
        lg, toks, lgs, concat_ok = logits[0, -1], [], [logits[0, -1]], True
        for _ in range(steps):
            t = int(np.argmax(lg))
            toks.append(t)
            plen = n + len(toks) - 1
            logits, present = self.run([[t]], [[1] * (plen + 1)], [[plen]], past)
            concat_ok &= all(np.array_equal(present[k][:, :, :plen], past[k]) for k in past)
            past, lg = present, logits[0, -1]
            lgs.append(lg)
        return toks, lgs, concat_ok

    def greedy_left_padded(self, prompts, steps):
        """Batch prefill, LEFT padded (pad_token_id, mask 0, Optimum position_ids), then `steps` decode steps."""
        B, T = len(prompts), max(len(p) for p in prompts)
        ids = [[PAD_ID] * (T - len(p)) + list(p) for p in prompts]
        mask = np.array([[0] * (T - len(p)) + [1] * len(p) for p in prompts], np.int64)
        pos = np.cumsum(mask, -1) - 1
        pos[mask == 0] = 1  # position_ids.masked_fill_(attention_mask == 0, 1)
        prefill = {"input_ids": ids, "attention_mask": mask.tolist(), "position_ids": pos.tolist()}
        logits, past = self.run(ids, mask, pos, self.empty_past(B))
        finite = bool(np.isfinite(logits).all())
        cur = [logits[b, -1] for b in range(B)]
        toks, lgs = [[] for _ in range(B)], [[c] for c in cur]
        for _ in range(steps):
            nxt = [int(np.argmax(c)) for c in cur]
            for b in range(B):
                toks[b].append(nxt[b])
            mask = np.concatenate([mask, np.ones((B, 1), np.int64)], axis=1)
            step_pos = mask.sum(-1, keepdims=True) - 1  # = cumsum(mask)-1 at the new column
            logits, past = self.run([[t] for t in nxt], mask, step_pos, past)
            finite &= bool(np.isfinite(logits).all())
            cur = [logits[b, 0] for b in range(B)]
            for b in range(B):
                lgs[b].append(cur[b])
        for b in range(B):  # the token chosen from the last decode step's logits
            toks[b].append(int(np.argmax(cur[b])))
        return toks, lgs, prefill, finite


def margin(lg):
    a, b = np.sort(lg)[-2:]
    return float(b - a)


def maxdiff(xs, ys):
    return max(float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64)))) for x, y in zip(xs, ys))


def f32(v) -> float:
    """Shortest decimal that reads back as the same float32."""
    s = float(str(np.float32(v)))
    assert np.float32(s) == np.float32(v)
    return s


def interface(model: onnx.ModelProto) -> dict:
    def desc(vi):
        t = vi.type.tensor_type
        return {"name": vi.name, "dtype": helper.tensor_dtype_to_np_dtype(t.elem_type).name,
                "shape": [d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim]}

    return {"inputs": [desc(v) for v in model.graph.input], "outputs": [desc(v) for v in model.graph.output]}


def hf_config() -> dict:
    return {  # LlamaConfig fields, sorted as transformers' save_pretrained writes them
        "architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": BOS_ID, "eos_token_id": EOS_ID, "head_dim": HEAD_DIM, "hidden_act": "silu",
        "hidden_size": HIDDEN, "initializer_range": 0.02, "intermediate_size": INTERMEDIATE,
        "max_position_embeddings": MAX_POS, "mlp_bias": False, "model_type": "llama",
        "num_attention_heads": NUM_HEADS, "num_hidden_layers": NUM_LAYERS, "num_key_value_heads": NUM_KV_HEADS,
        "pad_token_id": PAD_ID, "pretraining_tp": 1, "rms_norm_eps": RMS_EPS, "rope_scaling": None,
        "rope_theta": ROPE_THETA, "tie_word_embeddings": False, "torch_dtype": "float32", "use_cache": True,
        "vocab_size": VOCAB,
    }


# ====================================================================== main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    out: Path = args.out

    tok = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
    tcfg = json.loads((TOKENIZER_DIR / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert tok.get_vocab_size() == VOCAB
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    template = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True).from_string(tcfg["chat_template"])
    texts = {n: p if isinstance(p, str) else template.render(messages=p, add_generation_prompt=True)
             for n, p in PROMPTS.items()}
    prompts = {n: tok.encode(t).ids for n, t in texts.items()}

    def awkward(text):
        return "\ufffd" in text or any(ord(c) < 32 and c not in "\n\t" for c in text)

    damped = [i for i in range(NUM_SPECIAL, VOCAB) if awkward(tok.decode([i]))]

    # ---- first seed whose greedy continuations are varied and whose argmax is robust at every step
    chosen = None
    for seed in range(BASE_SEED, BASE_SEED + MAX_SEED_TRIES):
        w = make_weights(np.random.default_rng(seed), damped)
        model = build_graph(w)
        runner = Runner(model.SerializeToString())
        cases = {}
        for name, p in prompts.items():
            toks, lgs = runner.greedy_full(p, GEN_STEPS)
            m = min(margin(lg) for lg in lgs)
            if (len(set(toks)) < MIN_DISTINCT or m < MIN_MARGIN or min(toks) < NUM_SPECIAL
                    or awkward(tok.decode(toks))):
                break
            cases[name] = (toks, lgs, m)
        else:
            chosen = (seed, w, model, runner, cases)
            break
    if chosen is None:
        sys.exit("no seed satisfied the reference criteria")
    seed, w, model, runner, cases = chosen
    model_bytes = model.SerializeToString()
    print(f"seed {seed} ({seed - BASE_SEED + 1} tried); prompt lengths "
          + ", ".join(f"{n} {len(p)}" for n, p in prompts.items()))

    # ---- checks
    checks = {}
    np_diff = 0.0
    for name in ("chat_short", "chat_multi_turn"):
        np_diff = max(np_diff, float(np.max(np.abs(runner.all_logits(prompts[name]) - numpy_forward(w, prompts[name])))))
    checks["onnx_vs_numpy_float64_all_positions_max_abs_diff"] = np_diff
    assert np_diff < 1e-3, np_diff

    kv = {}
    for name, p in prompts.items():
        toks, lgs, _ = cases[name]
        ktoks, klgs, concat_ok = runner.greedy_kv(p, GEN_STEPS)
        assert ktoks == toks, (name, toks, ktoks)
        assert concat_ok, (name, "present[:, :, :past] != past")
        kv[name] = (ktoks, maxdiff(lgs, klgs))
    checks["kv_cache_vs_full_recompute_max_abs_diff"] = max(d for _, d in kv.values())
    checks["present_prefix_equals_past"] = True

    batches = []
    for pair in BATCH_PAIRS:
        btoks, blgs, prefill, finite = runner.greedy_left_padded([prompts[n] for n in pair], BATCH_DECODE_STEPS)
        assert finite, (pair, "non-finite logits")
        rows = []
        for b, name in enumerate(pair):
            toks, lgs, _ = cases[name]
            d = maxdiff(lgs[:BATCH_DECODE_STEPS + 1], blgs[b])
            assert btoks[b] == toks[:BATCH_DECODE_STEPS + 1], (pair, name, btoks[b], toks)
            rows.append({"name": name, "prompt_length": len(prompts[name]), "greedy_ids": btoks[b],
                         "equal_to_batch1": True, "max_abs_logit_diff_vs_batch1": d})
        batches.append({"prompts": list(pair), **prefill, "decode_steps": BATCH_DECODE_STEPS, "rows": rows,
                        "max_abs_logit_diff_vs_batch1": max(r["max_abs_logit_diff_vs_batch1"] for r in rows),
                        "all_logits_finite": finite})
    checks["left_padded_batch_vs_batch1_max_abs_diff"] = max(b["max_abs_logit_diff_vs_batch1"] for b in batches)

    for threads, level, key in ((2, ort.GraphOptimizationLevel.ORT_ENABLE_ALL, "threads2_vs_threads1_prompt_logits_max_abs_diff"),
                                (1, ort.GraphOptimizationLevel.ORT_DISABLE_ALL, "no_graph_optimization_vs_enable_all_prompt_logits_max_abs_diff")):
        other = Runner(model_bytes, threads, level)
        checks[key] = max(float(np.max(np.abs(other.all_logits(p)[-1] - cases[n][1][0]))) for n, p in prompts.items())
    # RoPE only sees position differences: a constant shift of a row's position_ids is invisible (float noise),
    # while a decode position inconsistent with the cached keys (off by one) is not.
    shift, off_by_one = 0.0, []
    for name, p in prompts.items():
        n, ref_lg = len(p), cases[name][1][0]
        shift = max(shift, float(np.max(np.abs(runner.run([p], [[1] * n], [list(range(7, n + 7))],
                                                          runner.empty_past(1))[0][0, -1] - ref_lg))))
        _, past = runner.run([p], [[1] * n], [list(range(n))], runner.empty_past(1))
        t = cases[name][0][0]
        wrong = runner.run([[t]], [[1] * (n + 1)], [[n + 1]], past)[0][0, -1]
        off_by_one.append(float(np.max(np.abs(wrong - cases[name][1][1]))))
    checks["position_ids_shifted_by_7_prompt_logits_max_abs_diff"] = shift
    checks["decode_position_off_by_one_min_over_prompts_max_abs_diff"] = min(off_by_one)
    assert min(off_by_one) > 0.1, off_by_one
    checks["min_top2_margin"] = min(c[2] for c in cases.values())
    for k, v in checks.items():
        print(f"{k}: {v}")
    assert all(checks[k] < TOL for k in ("kv_cache_vs_full_recompute_max_abs_diff",
                                           "left_padded_batch_vs_batch1_max_abs_diff")), checks

    # ---- write
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.onnx").write_bytes(model_bytes)
    (out / "config.json").write_text(json.dumps(hf_config(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(TOKENIZER_DIR / f, out / f)

    ref = {
        "description": "Reference outputs of tiny-chat-optimum (HF Optimum text-generation-with-past layout, standard "
                       "ONNX ops) computed by onnxruntime (Python, CPU, 1 intra-op thread, ORT_ENABLE_ALL). "
                       "'last_logits' and 'greedy_ids' come from FULL RECOMPUTE at every step (empty past "
                       "[1,2,0,16], attention_mask all ones, position_ids 0..n-1); 'greedy_ids_kv' from the KV "
                       "cache path (prefill, then present fed back as past, one token per step, position_ids "
                       "[[past length]]). Prompt ids have no added BOS. No EOS stop.",
        "generator": {
            "script": "inference/tools/make_tiny_optimum_decoder.py", "seed": seed,
            "onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
            "tokenizers": tokenizers.__version__, "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        },
        "model": {**{k: v for k, v in hf_config().items() if k not in ("architectures", "torch_dtype", "use_cache")},
                  "opset": OPSET, "ir_version": IR_VERSION, "contrib_ops": False},
        "interface": {
            **interface(model),
            "symbolic_dims": ["batch_size", "sequence_length", "past_sequence_length",
                              "past_sequence_length + sequence_length"],
            "feeding": {
                "attention_mask": "width = past length + new tokens; 1 = real token, 0 = padding (masked out as key "
                                  "for every query: additive float32 min). Padding must be on the LEFT of each row "
                                  "(cache positions are shared across the batch; the causal mask uses the cache "
                                  "position, i.e. column index, not position_ids).",
                "position_ids": "rotary positions, per row: cumsum(attention_mask) - 1 over the real tokens; padded "
                                "positions get 1 (Optimum/transformers: position_ids.masked_fill_(attention_mask == 0, "
                                "1)); any value in [0, 4095] works there since they are masked. Decode step: "
                                "[[number of real tokens before the new one]] (= past length for an unpadded row).",
                "past_key_values": "empty past = [batch, 2, 0, 16] zeros; present = Concat(past, new) on axis 2, "
                                   "keys stored AFTER rotary. Padded slots in the past may hold anything finite.",
                "causal_mask": "query i (cache position past+i, past = past_key_values.0.key dim 2) sees key j iff "
                               "j <= past+i and attention_mask[b, j] != 0",
            },
        },
        "verified": {**checks, "note": "greedy tokens identical in every mode; left-padded batches: pad id 2, "
                                       "mask 0, Optimum position_ids, prefill then decode_steps steps"},
        "cases": [],
        "batched_left_padded": batches,
    }
    for name, p in prompts.items():
        toks, lgs, m = cases[name]
        ref["cases"].append({
            "name": name, "text": texts[name], "prompt_ids": p,
            "last_logits_argmax": int(np.argmax(lgs[0])),
            "last_logits": [f32(v) for v in lgs[0]],
            "greedy_ids": toks, "greedy_text": tok.decode(toks, skip_special_tokens=False),
            "greedy_ids_kv": kv[name][0], "kv_vs_full_max_abs_logit_diff": kv[name][1],
            "step_max_logits": [f32(np.max(lg)) for lg in lgs[:-1]],
            "min_top2_margin": m,
        })
    (out / "reference.json").write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    total = 0
    for f in sorted(out.iterdir()):
        total += f.stat().st_size
        print(f"{f.stat().st_size:>9}  {f}")
    print(f"{total:>9}  total")
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    main()
