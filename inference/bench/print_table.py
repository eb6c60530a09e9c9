"""The table of the inference benchmark (scripts/bench-inference.sh, gpu/bench-inference-gpu.sh) from its JSON lines.

Usage: print_table.py RESULTS OUT NEW_TOKENS [GPU_LINE BASELINE]
With GPU_LINE and BASELINE (the GPU script), the title names them and OUT holds {"gpu", "baseline", "rows"};
otherwise OUT holds the rows.
"""
import json
import sys

results, out, new_tokens = sys.argv[1:4]
gpu = sys.argv[4:6] if len(sys.argv) >= 6 else None
rows = [json.loads(l) for l in open(results) if l.strip()]
by = {(r["engine"], r["precision"], r["concurrency"]): r for r in rows}
print(f"SmolLM2-135M-Instruct, 32 prompts, {new_tokens} new tokens each, greedy; tokens/s = all generated tokens / wall time")
if gpu:
    print(f"GPU: {gpu[0]}; sextant on CUDA, onnxruntime-genai on {gpu[1]}")
print(f"{'prec':5} {'conc':>4} | {'sextant tok/s':>13} {'ortgenai tok/s (mode)':>16} {'ratio':>6} | "
      f"{'sextant TTFT p50/p99 ms':>23} | {'ortgenai TTFT p50/p99 ms':>24}")
print("(ortgenai: the faster of N threads with batch-1 generators and static batches of N, see ortgenai_baseline.py)")
for (engine, prec, conc), r in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
    if engine != "sextant":
        continue
    g = by.get(("onnxruntime-genai", prec, conc))
    ratio = r["tokensPerSecond"] / g["tokensPerSecond"] if g else float("nan")
    gtps = f"{g['tokensPerSecond']:8.1f} {g.get('mode', ''):>7}" if g else f"{'-':>16}"
    gttft = f"{g['ttftP50Millis']:10.0f} / {g['ttftP99Millis']:8.0f}" if g else "-"
    print(f"{prec:5} {conc:>4} | {r['tokensPerSecond']:13.1f} {gtps} {ratio:6.2f} | "
          f"{r['ttftP50Millis']:10.0f} / {r['ttftP99Millis']:10.0f} | {gttft:>24}")
for prec in sorted({p for _, p, _ in by}):
    levels = sorted(c for e, p, c in by if e == "sextant" and p == prec)
    if len(levels) > 1:
        lo, hi = by[("sextant", prec, levels[0])], by[("sextant", prec, levels[-1])]
        print(f"{prec}: sextant scaling, concurrency {levels[-1]} vs {levels[0]}: "
              f"x{hi['tokensPerSecond'] / lo['tokensPerSecond']:.2f}")
json.dump({"gpu": gpu[0], "baseline": gpu[1], "rows": rows} if gpu else rows, open(out, "w"), indent=1)
print(f"figures written to {out}")
