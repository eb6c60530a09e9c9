"""Shared ONNX graph code for Llama-type decoders in the onnxruntime-genai builder layout.

Used by `make_tiny_decoder.py` (tiny random weights) and `prepare_model.py` (SmolLM2 from GGUF).
The graph mirrors what the onnxruntime-genai model builder (0.18.0, `builders/base.py`) writes for a
Llama-type model with `-e cpu`: the same input/output names, dtypes, dimension names and order, the
same GroupQueryAttention subgraph (packed QKV, rotary fused into GQA through cos/sin caches,
`seqlens_k`/`total_sequence_length` computed from `attention_mask`), SimplifiedLayerNormalization /
SkipSimplifiedLayerNormalization, SwiGLU MLP, separate (untied) lm_head MatMul.

Weights are a dict of float32 arrays (MatMul weights as [in, out], i.e. the HF Linear weight
transposed, as the builder stores them):
  embed [vocab, hidden]; for each layer i: "{i}.qkv" [hidden, (heads + 2 kv_heads) * head_size]
  (Q rows, then K, then V, HF layout: rotary halves, not interleaved), "{i}.o", "{i}.gate", "{i}.up",
  "{i}.down", "{i}.in_norm", "{i}.post_norm"; "final_norm"; "lm_head" [hidden, vocab].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


@dataclass(frozen=True)
class DecoderDims:
    vocab: int
    hidden: int
    num_heads: int
    num_kv_heads: int
    head_size: int
    intermediate: int
    num_layers: int
    context_length: int
    rope_theta: float
    rms_eps: float

    @property
    def qkv_out(self) -> int:
        return (self.num_heads + 2 * self.num_kv_heads) * self.head_size


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


def rope_caches(d: DecoderDims):
    # make_rotary_embedding_caches_from_scratch, then halved to [context_length, head_size/2]
    inv_freq = (1.0 / (np.float32(d.rope_theta) ** (np.arange(0, d.head_size, 2, dtype=np.int64).astype(np.float32) / d.head_size))).astype(np.float32)
    t = np.arange(d.context_length, dtype=np.int64).astype(np.float32)
    freqs = np.outer(t, inv_freq).astype(np.float32)
    return np.cos(freqs).astype(np.float32), np.sin(freqs).astype(np.float32)


def build_graph(w: dict, d: DecoderDims, producer_name: str) -> onnx.ModelProto:
    g = G()
    vocab = d.vocab
    kv_dim = "kv_cache_dim"  # builder 0.18 leaves the last KV dim symbolic
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
    ]
    for kind in ("key", "value"):  # builder order: all keys, then all values
        for i in range(d.num_layers):
            inputs.append(
                helper.make_tensor_value_info(
                    f"past_key_values.{i}.{kind}", TensorProto.FLOAT,
                    ["batch_size", d.num_kv_heads, "past_sequence_length", kv_dim],
                )
            )
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", vocab])]
    for kind in ("key", "value"):
        for i in range(d.num_layers):
            outputs.append(
                helper.make_tensor_value_info(
                    f"present.{i}.{kind}", TensorProto.FLOAT,
                    ["batch_size", d.num_kv_heads, "total_sequence_length", kv_dim],
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

    cos, sin = rope_caches(d)
    g.init("cos_cache", cos)
    g.init("sin_cache", sin)

    residual = x  # "root_input" in the builder
    skip = None  # "skip_input"
    for i in range(d.num_layers):
        L = f"/model/layers.{i}"
        # input layernorm
        wn = g.init(f"model.layers.{i}.input_layernorm.weight", w[f"{i}.in_norm"])
        if i == 0:
            h = g.node("SimplifiedLayerNormalization", [residual, wn], f"{L}/input_layernorm/LayerNorm",
                       outputs=[f"{L}/input_layernorm/output_0"], axis=-1, epsilon=d.rms_eps, stash_type=1)
        else:
            h, residual = g.node("SkipSimplifiedLayerNormalization", [residual, skip, wn],
                                 f"{L}/input_layernorm/SkipLayerNorm", domain="com.microsoft",
                                 outputs=[f"{L}/input_layernorm/output_0", "", "", f"{L}/input_layernorm/output_3"],
                                 epsilon=d.rms_eps)[0::3]
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
            num_heads=d.num_heads, kv_num_heads=d.num_kv_heads, scale=float(1.0 / np.sqrt(d.head_size)),
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
                             epsilon=d.rms_eps)[0::3]
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
    L = f"/model/layers.{d.num_layers}"
    wn = g.init(f"model.layers.{d.num_layers}.final_norm_layernorm.weight", w["final_norm"])
    h = g.node("SkipSimplifiedLayerNormalization", [residual, skip, wn], f"{L}/final_norm_layernorm/SkipLayerNorm",
               domain="com.microsoft", outputs=[f"{L}/final_norm_layernorm/output_0"], epsilon=d.rms_eps)
    lw = g.init("lm_head.MatMul.weight", w["lm_head"])
    g.node("MatMul", [h, lw], "/lm_head/MatMul", outputs=["logits"])

    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, initializer=g.inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 22), helper.make_opsetid("com.microsoft", 1)],
        ir_version=10,
        producer_name=producer_name,
    )
    return model


def quantize_nbits(model: onnx.ModelProto, bits: int = 4, block_size: int = 32,
                   accuracy_level: int = 4) -> onnx.ModelProto:
    # What the builder's `-p int4 -e cpu` (bits 4) and `-p int8 -e cpu` (bits 8) do in to_nbits():
    # DEFAULT MatMulNBitsQuantizer (MLAS round-to-nearest), block 32, symmetric, accuracy_level 4,
    # every MatMul (lm_head included). The embedding Gather stays fp32.
    import logging

    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    logging.getLogger("onnxruntime.quantization.matmul_nbits_quantizer").setLevel(logging.WARNING)

    q = MatMulNBitsQuantizer(
        model=model, bits=bits, block_size=block_size, is_symmetric=True,
        accuracy_level=accuracy_level, op_types_to_quantize=("MatMul",),
    )
    q.process()
    return q.model.model


def genai_config(d: DecoderDims, bos_id: int, eos_id, pad_id: int) -> dict:
    # Layout of Model.make_genai_config (builder 0.18.0) for -e cpu.
    return {
        "model": {
            "bos_token_id": bos_id,
            "context_length": d.context_length,
            "decoder": {
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "filename": "model.onnx",
                "head_size": d.head_size,
                "hidden_size": d.hidden,
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
                "num_attention_heads": d.num_heads,
                "num_hidden_layers": d.num_layers,
                "num_key_value_heads": d.num_kv_heads,
            },
            "eos_token_id": eos_id,
            "pad_token_id": pad_id,
            "type": "llama",
            "vocab_size": d.vocab,
        },
        "search": {
            "diversity_penalty": 0.0,
            "do_sample": False,
            "early_stopping": True,
            "length_penalty": 1.0,
            "max_length": d.context_length,
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
    """onnxruntime CPU session over a decoder graph (model bytes or a path to model.onnx)."""

    def __init__(self, model, d: DecoderDims, threads: int = 1):
        import onnxruntime as ort

        self.d = d
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads  # 1: deterministic reduction order
        model = str(model) if not isinstance(model, (bytes, bytearray)) else model
        self.sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        self.output_names = [o.name for o in self.sess.get_outputs()]

    def empty_past(self, batch: int, length: int = 0):
        d = self.d
        z = np.zeros((batch, d.num_kv_heads, length, d.head_size), dtype=np.float32)
        return {f"past_key_values.{i}.{k}": z for i in range(d.num_layers) for k in ("key", "value")}

    def run(self, ids, mask, past):
        d = self.d
        feeds = {"input_ids": np.asarray(ids, dtype=np.int64), "attention_mask": np.asarray(mask, dtype=np.int64)}
        feeds.update(past)
        out = self.sess.run(None, feeds)
        res = dict(zip(self.output_names, out))
        present = {f"past_key_values.{i}.{k}": res[f"present.{i}.{k}"] for i in range(d.num_layers) for k in ("key", "value")}
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

    def greedy_kv(self, prompt, steps, stop_ids=()):
        logits, past = self.run([prompt], [[1] * len(prompt)], self.empty_past(1))
        lg = logits[0, -1]
        toks, step_logits = [], [lg]
        for _ in range(steps):
            t = int(np.argmax(lg))
            toks.append(t)
            if t in stop_ids:
                break
            total = len(prompt) + len(toks)
            logits, past = self.run([[t]], [[1] * total], past)
            lg = logits[0, -1]
            step_logits.append(lg)
        return toks, step_logits

    def greedy_batch_right_padded(self, prompts, steps, pad_id):
        """Batch prefill with right padding, then batched decode (rows with different lengths)."""
        B, T = len(prompts), max(len(p) for p in prompts)
        ids = [p + [pad_id] * (T - len(p)) for p in prompts]
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

    def greedy_shared_buffer(self, prompt, steps, max_len=None):
        """past_present_share_buffer: one [1, kv, max_len, D] buffer per cache bound as past AND present."""
        import onnxruntime as ort

        d = self.d
        max_len = d.context_length if max_len is None else max_len
        bufs = {
            f"{i}.{k}": ort.OrtValue.ortvalue_from_numpy(np.zeros((1, d.num_kv_heads, max_len, d.head_size), np.float32))
            for i in range(d.num_layers) for k in ("key", "value")
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
