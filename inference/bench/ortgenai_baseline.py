"""Baseline for the inference benchmark: onnxruntime-genai (Python) on the same model directory and prompts.

Every prompt generates exactly --new-tokens greedy tokens (min_length = max_length). onnxruntime-genai's CPU engine
has no continuous batching, so concurrency N is served in one of two ways, both measured, and the faster is reported
(--mode best) so the baseline is never handicapped:
  threads: N client threads, each with its own batch-1 Generator on the shared model (a closed loop like the Java
           side: a client takes the next prompt when its previous one is done);
  batch:   static batching, prompts in groups of N padded into one Generator; a group starts when the previous
           group is done (time to first token counts from the group's start).
Prints one JSON line per concurrency level, in the Java benchmark's schema (plus "mode").
"""
import argparse
import json
import threading
import time

import onnxruntime_genai as og


def render(tokenizer, question):
    messages = json.dumps([{"role": "user", "content": question}])
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True)


def run_level(model, tokenizer, prompts, new_tokens, concurrency):
    next_index = [0]
    lock = threading.Lock()
    ttft = [0.0] * len(prompts)
    produced = [0] * len(prompts)

    def client():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(prompts):
                return
            submitted = time.perf_counter()
            ids = tokenizer.encode(prompts[i])
            params = og.GeneratorParams(model)
            params.set_search_options(do_sample=False, max_length=len(ids) + new_tokens,
                                      min_length=len(ids) + new_tokens)
            generator = og.Generator(model, params)
            generator.append_tokens(ids)
            count = 0
            while not generator.is_done():
                generator.generate_next_token()
                count += 1
                if count == 1:
                    ttft[i] = (time.perf_counter() - submitted) * 1000
            produced[i] = count
            del generator

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    ordered = sorted(ttft)

    def pct(p):
        rank = max(1, -(-int(p * 1000) * len(ordered) // 1000))
        return ordered[min(len(ordered), rank) - 1]

    total = sum(produced)
    return {"mode": "threads", "concurrency": concurrency, "requests": len(prompts), "generatedTokens": total, "seconds": seconds,
            "tokensPerSecond": total / seconds, "ttftP50Millis": pct(0.50), "ttftP99Millis": pct(0.99)}


def run_batched(model, tokenizer, prompts, new_tokens, concurrency):
    ttft = []
    total = 0
    start = time.perf_counter()
    for g in range(0, len(prompts), concurrency):
        group = prompts[g:g + concurrency]
        group_start = time.perf_counter()
        ids = tokenizer.encode_batch(group)
        width = ids.shape()[1]
        params = og.GeneratorParams(model)
        params.set_search_options(batch_size=len(group), do_sample=False, max_length=width + new_tokens,
                                  min_length=width + new_tokens)
        generator = og.Generator(model, params)
        generator.append_tokens(ids)
        steps = 0
        while not generator.is_done():
            generator.generate_next_token()
            steps += 1
            if steps == 1:
                ttft.extend([(time.perf_counter() - group_start) * 1000] * len(group))
        total += steps * len(group)
        del generator
    seconds = time.perf_counter() - start
    ordered = sorted(ttft)

    def pct(p):
        rank = max(1, -(-int(p * 1000) * len(ordered) // 1000))
        return ordered[min(len(ordered), rank) - 1]

    return {"mode": "batch", "concurrency": concurrency, "requests": len(prompts), "generatedTokens": total,
            "seconds": seconds, "tokensPerSecond": total / seconds, "ttftP50Millis": pct(0.50),
            "ttftP99Millis": pct(0.99)}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--prompts", required=True)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--concurrency", default="1,4,16")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--mode", choices=["threads", "batch", "best"], default="best")
    args = ap.parse_args()
    model = og.Model(args.model_dir)
    tokenizer = og.Tokenizer(model)
    questions = json.load(open(args.prompts))["prompts"]
    prompts = [render(tokenizer, q) for q in questions]
    if args.warmup:
        run_level(model, tokenizer, prompts[: args.warmup], 8, 1)
    for c in [int(x) for x in args.concurrency.split(",")]:
        runs = []
        if args.mode in ("threads", "best"):
            runs.append(run_level(model, tokenizer, prompts, args.new_tokens, c))
        if args.mode in ("batch", "best") and c > 1:
            runs.append(run_batched(model, tokenizer, prompts, args.new_tokens, c))
        best = max(runs, key=lambda r: r["tokensPerSecond"])
        best["alternatives"] = {r["mode"]: round(r["tokensPerSecond"], 1) for r in runs}
        print(json.dumps(best), flush=True)


if __name__ == "__main__":
    main()
